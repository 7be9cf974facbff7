"""Build resources/emoji/carrier_emoji.json: Japanese carrier emoji codes → Unicode emoji.

Source: the jpmobile Ruby gem (https://github.com/jpmobile/jpmobile, MIT
licence, Copyright (c) 2006-2012 Yoji Shidara), files
``lib/jpmobile/emoticon/{docomo,au,softbank,unicode}.rb``:

- ``DOCOMO_SJIS_TO_UNICODE``, ``AU_SJIS_TO_UNICODE``: Shift_JIS code → the
  carrier's private-use code point; SoftBank's ``SOFTBANK_UNICODE_TO_SJIS``
  inverted (its private-use codes are shifted by +0x1000 in jpmobile's
  Unicode tables, as jpmobile itself does).
- ``AU_EMAILJIS_TO_UNICODE``: au's ISO-2022-JP mail code (JIS rows
  0x75-0x7B) → au's private-use code point. That is jpmobile's own table of
  au's mail encoding; the same codes as Shift_JIS (au's "mail SJIS",
  0xEB40-0xEEFC) are the ordinary JIS → Shift_JIS arithmetic of them.
- ``SOFTBANK_UNICODE_TO_WEBCODE``: SoftBank's web codes (``ESC $ G !`` ...
  ``SI``: a page letter G E F O P Q, then one character a code) → its
  private-use code point; emitted as page letter + character → emoji.
- ``sjis_softbank_unmapped``: SoftBank's Shift_JIS codes with no Unicode
  equivalent (they read as one U+FFFD where the SoftBank reading applies);
  ``sjis_softbank_only``: SoftBank's codes that neither docomo nor au
  assigns (a text using one is SoftBank's; ``mail/softbank_emoji.py``).
- ``UNICODE_TO_{DOCOMO,AU,SOFTBANK}_UNICODE``: standard Unicode emoji →
  private-use code, inverted as jpmobile's ``Util.invert_table`` does (the
  lowest single code point wins; a sequence only when there is nothing
  else). Entries that jpmobile maps to 〓 (U+3013, "no equivalent") are left
  out: those codes stay one U+FFFD.

Run: ``python scripts/carrier_emoji_table.py PATH/TO/jpmobile/lib/jpmobile/emoticon``
(from a jpmobile checkout, commit 233e57a8 for the bundled file).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "emoji" / "carrier_emoji.json"
GETA = 0x3013
_ENTRY = re.compile(r"^\s*(\[[^\]]*\]|0x[0-9A-Fa-f]+)\s*=>\s*(0x[0-9A-Fa-f]+|'[^']*'|\"[^\"]*\")")


def tables(path: Path) -> dict[str, list[tuple[tuple[int, ...], int]]]:
    """Every ``Name = { key => value, ... }`` hash of one jpmobile file, in file order."""
    found: dict[str, list[tuple[tuple[int, ...], int]]] = {}
    current: list[tuple[tuple[int, ...], int]] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        head = re.match(r"Jpmobile::Emoticon::(\w+) = \{", line)
        if head:
            current = found.setdefault(head.group(1), [])
            continue
        if line.startswith("}"):
            current = None
            continue
        entry = _ENTRY.match(line)
        if current is None or entry is None or not entry.group(2).startswith("0x"):
            continue
        key = tuple(int(k, 16) for k in re.findall(r"0x[0-9A-Fa-f]+", entry.group(1)))
        current.append((key, int(entry.group(2), 16)))
    return found


_WEBCODE_ENTRY = re.compile(r"""^\s*(0x[0-9A-Fa-f]+)\s*=>\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)"),$""")


def webcodes(path: Path) -> list[tuple[int, str]]:
    """``SOFTBANK_UNICODE_TO_WEBCODE``: private-use code → page letter and character."""
    found = []
    body = path.read_text(encoding="utf-8").split("SOFTBANK_UNICODE_TO_WEBCODE = {\n")[1]
    for line in body.split("\n}")[0].splitlines():
        entry = _WEBCODE_ENTRY.match(line)
        assert entry, line
        literal = entry.group(2) if entry.group(2) is not None else entry.group(3)
        code = re.sub(r"\\(.)", r"\1", literal)  # Ruby '...' knows only \\ and \'
        assert len(code) == 2, line
        found.append((int(entry.group(1), 16), code))
    return found


def invert(pairs: list[tuple[tuple[int, ...], int]]) -> dict[int, tuple[int, ...]]:
    """Private-use code → standard emoji, as jpmobile's ``Util.invert_table``."""
    result: dict[int, tuple[int, ...]] = {}
    for key, value in pairs:
        if value == GETA:
            continue
        have = result.get(value)
        if have is None or (len(key) == 1 and len(have) == 1 and have[0] > key[0]):
            result[value] = key
    return result


def build(source: Path) -> dict[str, object]:
    t = {name: pairs for f in ("docomo", "au", "softbank", "unicode")
         for name, pairs in tables(source / f"{f}.rb").items()}  # fmt: skip
    to_unicode = {
        "docomo": invert(t["UNICODE_TO_DOCOMO_UNICODE"]),
        "au": invert(t["UNICODE_TO_AU_UNICODE"]),
        "softbank": invert(t["UNICODE_TO_SOFTBANK_UNICODE"]),
    }

    def text(carrier: str, private: int) -> str | None:
        found = to_unicode[carrier].get(private)
        return "".join(map(chr, found)) if found else None

    def table(carrier: str, pairs: list[tuple[int, int]], shift: int = 0) -> dict[str, str]:
        out = {}
        for code, private in pairs:
            emoji = text(carrier, private + shift)
            if emoji:
                out[f"{code:04X}"] = emoji
        return dict(sorted(out.items()))

    softbank_sjis = [(sjis, private) for (private,), sjis in t["SOFTBANK_UNICODE_TO_SJIS"]]
    webcode = {
        code: emoji
        for private, code in webcodes(source / "softbank.rb")
        if (emoji := text("softbank", private + 0x1000))
    }
    others = {k[0] for k, _ in t["DOCOMO_SJIS_TO_UNICODE"]} | {
        k[0] for k, _ in t["AU_SJIS_TO_UNICODE"]
    }
    mapped = table("softbank", softbank_sjis, shift=0x1000)
    return {
        "source": "jpmobile (https://github.com/jpmobile/jpmobile) lib/jpmobile/emoticon/*.rb, "
        "commit 233e57a8c4f44d01d20e48dc9d57825fc883051e",
        "licence": "MIT, Copyright (c) 2006-2012 Yoji Shidara; see scripts/carrier_emoji_table.py",
        "generated_by": "scripts/carrier_emoji_table.py",
        "sjis_docomo": table("docomo", [(k[0], v) for k, v in t["DOCOMO_SJIS_TO_UNICODE"]]),
        "sjis_au": table("au", [(k[0], v) for k, v in t["AU_SJIS_TO_UNICODE"]]),
        "sjis_softbank": mapped,
        "sjis_softbank_unmapped": sorted(
            f"{c:04X}" for c, _ in softbank_sjis if f"{c:04X}" not in mapped
        ),
        "sjis_softbank_only": sorted(f"{c:04X}" for c, _ in softbank_sjis if c not in others),
        "webcode_softbank": dict(sorted(webcode.items())),
        "jis_au": table("au", [(k[0], v) for k, v in t["AU_EMAILJIS_TO_UNICODE"]]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="jpmobile's lib/jpmobile/emoticon folder")
    args = parser.parse_args()
    data = build(args.source)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    counts = {k: len(v) for k, v in data.items() if isinstance(v, dict | list)}
    print(f"wrote {OUT}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
