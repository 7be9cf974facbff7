"""Content-Type / Content-Disposition values and their parameters.

Our own parser instead of ``Message.get_param``: an RFC 2231 filename split
into sections (``filename*0*=iso-2022-jp''%1B%24B...; filename*1*=...``) may
break inside an escape sequence, so the percent-decoded octets of *all*
sections are joined first and decoded once with our charset rules. Plain
values may hold a (non-standard, common) encoded-word or raw 8-bit bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from mailwise_desktop.mail.charsets import decode_text
from mailwise_desktop.mail.encoded_words import decode_header_text, to_bytes, unfold
from mailwise_desktop.mail.header_syntax import read_quoted, split_top_level

_SECTION = re.compile(r"^(?P<name>[^*]+)(?:\*(?P<num>\d+))?(?P<ext>\*)?$")

# Parameters are few in real mail; thousands are an attack on our time.
MAX_PARAMS = 200
MAX_SECTIONS = 1000


@dataclass(frozen=True)
class HeaderValue:
    """A structured MIME header: the main value and decoded parameters.

    Attributes:
        value: lower-cased main value ("text/plain", "attachment"), "" if none.
        params: parameter name (lower case) → decoded value.
    """

    value: str
    params: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return a parameter by (case-insensitive) name."""
        return self.params.get(name.lower(), default)


def _param_value(raw: str) -> tuple[str, bool]:
    """Return the value text and whether it was quoted."""
    raw = raw.strip()
    if raw.startswith('"'):
        content, _ = read_quoted(raw, 0)
        return content, True
    return raw, False


@dataclass
class _Sections:
    extended_any: bool = False
    parts: dict[int, tuple[str, bool]] = field(default_factory=dict)


def _join_sections(sections: _Sections) -> str:
    octets = bytearray()
    charset: str | None = None
    for index, number in enumerate(sorted(sections.parts)):
        text, extended = sections.parts[number]
        if extended:
            if index == 0:
                # charset'language'value -- the language is of no use to us
                pieces = text.split("'", 2)
                if len(pieces) == 3:
                    charset = pieces[0] or None
                    text = pieces[2]
            # Raw 8-bit bytes (surrogate-escaped) where only %XX belongs: keep
            # them as the bytes they were instead of letting urllib choke.
            octets += unquote_to_bytes(text.encode("utf-8", "surrogateescape"))
        else:
            octets += to_bytes(text)
    if charset is None and not sections.extended_any:
        return decode_header_text(bytes(octets).decode("ascii", "surrogateescape"))
    return decode_text(bytes(octets), charset)


def parse_header_value(raw: str | None) -> HeaderValue:
    """Parse ``value; name=val; name*0*=...`` into a :class:`HeaderValue`.

    Args:
        raw: the header value as read (may be folded, may hold
            surrogate-escaped 8-bit bytes), or None.

    Returns:
        The parsed value; an empty one for None. Never raises.
    """
    if raw is None:
        return HeaderValue("")
    chunks = split_top_level(unfold(raw), ";")
    main = "".join(chunks[0].text.split()).lower()
    main = re.sub(r"\(.*?\)", "", main)  # comments are legal but useless here
    plain: dict[str, str] = {}
    sectioned: dict[str, _Sections] = {}
    for chunk in chunks[1 : MAX_PARAMS + 1]:
        name_part, eq, value_part = chunk.text.partition("=")
        if not eq:
            continue
        match = _SECTION.match(name_part.strip().lower())
        if match is None:
            continue
        name = match.group("name").strip()
        value, _quoted = _param_value(value_part)
        if match.group("num") is None and match.group("ext") is None:
            plain.setdefault(name, value)
            continue
        number = int(match.group("num") or 0)
        if number > MAX_SECTIONS:
            continue
        sections = sectioned.setdefault(name, _Sections())
        extended = match.group("ext") is not None
        sections.extended_any |= extended
        sections.parts.setdefault(number, (value, extended))
    params: dict[str, str] = {}
    for name, value in plain.items():
        params[name] = decode_header_text(value)
    for name, sections in sectioned.items():
        # RFC 2231 wins over a plain duplicate that old clients also send
        params[name] = _join_sections(sections)
    return HeaderValue(main, params)
