"""Japanese mobile carriers' emoji (docomo, au, SoftBank) as Unicode emoji (issue 9, case 8).

Phones of the 2000s wrote emoji as codes of their carrier's own in Shift_JIS
and ISO-2022-JP mail; customers' old phones and systems still send them.
The tables (``resources/emoji/carrier_emoji.json``) come from the jpmobile
gem (MIT; see ``scripts/carrier_emoji_table.py`` for how they are built):

- Shift_JIS: cp932 reads the carriers' codes 0xF040-0xF9FC as private-use
  characters U+E000-U+E757 (Windows' user-defined area); :func:`from_private_use`
  turns those into emoji. docomo's and au's codes never overlap; SoftBank's
  overlap both, so a code both docomo or au and SoftBank use reads as
  docomo's or au's -- unless the text or its sender is SoftBank's, the rule
  in :mod:`~mailwise_desktop.mail.softbank_emoji`, which also reads SoftBank's
  0xFB41-0xFBD7 (IBM kanji to cp932) and its web codes (``ESC $ G ... SI``).
- au's mail encoding: ISO-2022-JP rows 0x75-0x7B (:func:`au_jis`), and the
  same codes in Shift_JIS form 0xEB40-0xEEFC (:func:`au_mail_sjis`). Rows
  0x79-0x7B (Shift_JIS 0xED40-0xEEFC) are also Windows' NEC-selected IBM
  kanji (CP50221, cp932): ISO-2022-JP reads them as au's only in text that
  uses au's rows 0x75-0x78 too; in Shift_JIS cp932 reads them as kanji, so
  only au's 0xEB40-0xECFC (which cp932 leaves undefined) become emoji there.

A code without an equivalent stays one U+FFFD, as before.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from mailwise_desktop.mail.jis_sjis import jis_to_sjis

_PRIVATE_USE = re.compile("[\ue000-\ue757]")


@cache
def tables() -> dict[str, dict[str, str]]:
    """The tables of ``carrier_emoji.json`` by name (code lists as dicts of code → "")."""
    path = files("mailwise_desktop.resources").joinpath("emoji", "carrier_emoji.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a trimmed install: codes stay U+FFFD
        return {}
    return {
        k: v if isinstance(v, dict) else dict.fromkeys(v, "")
        for k, v in data.items()
        if isinstance(v, dict | list)
    }


@cache
def _au_jis() -> dict[int, str]:
    return {int(k, 16): v for k, v in tables().get("jis_au", {}).items()}


@cache
def _au_mail_sjis() -> dict[int, str]:
    return {
        int.from_bytes(jis_to_sjis(code >> 8, code & 0xFF), "big"): emoji
        for code, emoji in _au_jis().items()
    }


@cache
def private_use_table() -> dict[int, str]:
    """U+E000.. (what cp932 makes of 0xF040-0xF9FC) → emoji; docomo and au before SoftBank."""
    table: dict[int, str] = {}
    for carrier in ("sjis_softbank", "sjis_au", "sjis_docomo"):  # later ones win
        for code, emoji in tables().get(carrier, {}).items():
            sjis = int(code, 16)
            if 0xF040 <= sjis <= 0xF9FC:
                char = sjis.to_bytes(2, "big").decode("cp932", "replace")
                if len(char) == 1 and 0xE000 <= ord(char) <= 0xE757:
                    table[ord(char)] = emoji
    return table


def au_jis(j1: int, j2: int) -> str | None:
    """The emoji of au's ISO-2022-JP code ``j1 j2`` (rows 0x75-0x7B), if it has one."""
    return _au_jis().get((j1 << 8) | j2)


def au_mail_sjis(lead: int, trail: int) -> str | None:
    """The emoji of au's mail Shift_JIS code (0xEB40-0xEEFC), if it has one."""
    return _au_mail_sjis().get((lead << 8) | trail)


def from_private_use(text: str) -> str:
    """``text`` (decoded by cp932) with carrier emoji codes turned into Unicode emoji."""
    if _PRIVATE_USE.search(text) is None:
        return text
    return text.translate(private_use_table())
