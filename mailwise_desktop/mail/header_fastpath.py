"""Fast paths for header-only parsing: the common shapes, decided cheaply.

First sync parses tens of thousands of header blocks, so :func:`parse_headers`
avoids ``email.parser`` and the general routines when a field has a shape that
can be handled in a few C-level calls. Every function here returns exactly
what the full routine returns for the same input -- the full routine *is* the
fallback whenever a value is not in the simple shape -- and
``tests/unit/test_mail_headers_fast.py`` checks that fast == full.

:func:`split_fields` mirrors ``email.feedparser`` under ``compat32``: lines end
at CRLF, CR or LF; a field is ``name:value`` plus its continuation lines; the
value loses leading blanks and its final line break. Blocks the feed parser
treats specially (a ``From `` line, a leading continuation line, a line
without a colon, an empty name) are left to it.
"""

from __future__ import annotations

import binascii
import codecs
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from mailwise_desktop.mail.addresses import MAX_ADDRESSES, Address, parse_address_list
from mailwise_desktop.mail.charsets import (
    ISO2022JP_MS,
    canonical_charset,
    decode_8bit_header,
    decode_text,
)
from mailwise_desktop.mail.encoded_words import (
    ENCODED_WORD,
    decode_b,
    decode_q,
    strip_line_breaks,
    to_bytes,
    unfold,
)
from mailwise_desktop.mail.mime_params import parse_header_value
from mailwise_desktop.mail.softbank_emoji import reading_as_softbank
from mailwise_desktop.mail.threading_ids import MAX_REFERENCES

# --- splitting the block -------------------------------------------------------------

# A field: a line starting with a name (RFC 5322 ftext, as ``email.feedparser``
# has it) and a colon, plus its continuation lines. Matched on text with "\n"
# before every line (the literal prefix lets the regex engine skip ahead); a
# line that is neither a field nor a continuation of one matches with no name.
_FIELD = re.compile(r"\n(?:([\x21-\x39\x3b-\x7e]+):[ \t]*+(.*+(?:\n[ \t].*+)*+)|)")

# The fields header-only sync reads: name as sent → lower-case name. The usual
# spellings are listed so that most lookups need no lower-casing.
_NAMES = (
    *("Message-ID", "In-Reply-To", "References", "Subject", "From", "To", "Cc", "CC"),
    *("Reply-To", "Date", "Content-Type", "Content-Disposition", "X-MS-Has-Attach"),
)
WANTED = {
    spelling: name.lower()
    for name in _NAMES
    for spelling in (name, name.lower(), name.upper(), name.title())
}


def split_fields(raw: bytes) -> dict[str, list[str]] | None:
    """Return the wanted fields as ``collect_items`` would, or None if the block is unusual.

    Unusual: a bare CR, or a line before the blank line that is neither
    ``name:value`` nor a continuation line (``email.feedparser`` ends the
    header there, or treats it specially). Values are decoded the way the
    standard parser decodes them (ASCII with ``surrogateescape``), so the full
    routines can take over at any point.
    """
    if raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    data = b"\n" + raw
    # The header ends at the first empty line: "\n\r\n" or "\n\n".
    end = data.find(b"\n\r\n")
    bare_end = data.find(b"\n\n", 0, None if end < 0 else end)
    if bare_end >= 0:
        end = bare_end
    elif end < 0:
        end = len(data) - 1 if raw.endswith(b"\n") else len(data)
    items: dict[str, list[str]] = {}
    for name, value in _FIELD.findall(data.decode("ascii", "surrogateescape"), 0, end):
        if not name:
            return None  # the feed parser ends the header there, or drops the line
        key = WANTED.get(name) or WANTED.get(name.lower())
        if key is not None:
            # compat32: the final line break goes, folding inside stays
            items.setdefault(key, []).append(value.rstrip("\r\n"))
    return items


# --- text with encoded-words (mirrors encoded_words.decode_header_text) ----------------

_KNOWN_LABELS = ("utf-8", "iso-2022-jp", "shift_jis", "us-ascii", "iso-8859-1", "euc-jp")
_CANONICAL = {label: canonical_charset(label) for label in _KNOWN_LABELS}
_STRICT_OK = frozenset({"utf-8", "cp932", "gb18030", "cp949", "big5hkscs", "cp874"})
_LATIN = frozenset({"ascii", "cp1252"})
_JIS_SIMPLE = re.compile(rb"(?:[\t\x20-\x7e]++|\x1b\$B(?:[\x21-\x7e]{2})*+\x1b\(B)*+")
# Where the standard iso2022_jp codec and cp932 (our ISO-2022-JP decoder's
# target) disagree on a JIS X 0208 character; elsewhere they agree, as
# test_mail_japanese checks over the whole plane.
_ISO2022JP = codecs.getdecoder("iso2022_jp")
_SJIS_CARRIER_LEAD = re.compile(rb"[\xf0-\xf9\xfb]")
_TRAPS = re.compile("[\u301c\u2016\u2212\u2014\u00a2\u00a3\u00ac]")
_CP932_FORMS = str.maketrans(
    "\u301c\u2016\u2212\u2014\u00a2\u00a3\u00ac", "\uff5e\u2225\uff0d\u2015\uffe0\uffe1\uffe2"
)


def _decode_jis(data: bytes) -> str | None:
    """``decode_iso2022jp_ms`` for plain ``ESC $B ... ESC ( B`` text; None otherwise."""
    if _JIS_SIMPLE.fullmatch(data) is None:
        return None
    try:
        # NEC/IBM extensions and unassigned codes raise: the full decoder's job
        text: str = _ISO2022JP(data)[0]
    except UnicodeDecodeError:
        return None
    return text.translate(_CP932_FORMS) if _TRAPS.search(text) else text


def _decode_run(data: bytes, label: str) -> str:
    """``charsets.decode_text(data, label)`` for clean data in common charsets."""
    canon = _CANONICAL.get(label, "")
    if canon == "":
        canon = canonical_charset(label)
    text: str | None = None
    if canon == ISO2022JP_MS:
        text = _decode_jis(data)
    elif canon in _LATIN:
        text = data.decode("ascii") if data.isascii() else None
    elif canon in _STRICT_OK:
        try:
            text = data.decode(canon)
        except UnicodeDecodeError:
            text = None
    # carrier emoji (cp932's private use, SoftBank's 0xFB, web codes): the full decoder's
    if text is None or "\ufffd" in text or "\x1b" in text:
        return decode_text(data, label)
    if canon == "cp932" and _SJIS_CARRIER_LEAD.search(data) is not None:
        return decode_text(data, label)
    return text


def _literal(text: str) -> str:
    if text.isascii() and "\x1b" not in text:
        return text
    return decode_8bit_header(to_bytes(text))


def _payload(kind: str, encoded: str) -> bytes:
    if kind not in "bB":
        return decode_q(encoded)
    try:
        # canonical base64 (what decode_b would decode the same way) or an error
        return binascii.a2b_base64(encoded, strict_mode=True)
    except (binascii.Error, ValueError):  # ValueError: a non-ASCII character in the word
        return decode_b(encoded)


def decode_words(value: str) -> str:
    """Same result as ``encoded_words.decode_header_text(value)``.

    Adjacent encoded-words of one charset are joined as bytes; white space
    between encoded-words is dropped; other text is kept (raw 8-bit decoded).
    """
    if "\n" in value or "\r" in value:
        value = unfold(value)
    if "=?" not in value:
        text = _literal(value)
    elif word := ENCODED_WORD.fullmatch(value):
        label, kind, encoded = word.groups()
        text = _decode_run(_payload(kind, encoded), label.split("*", 1)[0].strip().lower())
    else:
        text = _decode_mixed(value)
    return text if text.isprintable() else strip_line_breaks(text)


def _decode_mixed(value: str) -> str:
    # [text, charset, B/Q, encoded, text, charset, B/Q, encoded, ..., text]
    # A run's payloads are collected in a list and joined once: ``bytes +=``
    # made a long folded subject quadratic (400k words: 11 s).
    parts = ENCODED_WORD.split(value)
    pieces = [_literal(parts[0])] if parts[0] else []
    run_charset: str | None = None
    run: list[bytes] = []
    last = len(parts) - 1
    for index in range(1, last, 4):
        label, kind, encoded, between = parts[index : index + 4]
        charset = label.split("*", 1)[0].strip().lower()
        payload = _payload(kind, encoded)
        if run_charset is not None and (
            run_charset == charset
            or _CANONICAL.get(run_charset, "?") == _CANONICAL.get(charset, "!")
            or canonical_charset(run_charset) == canonical_charset(charset)
        ):
            run.append(payload)
        else:
            if run_charset is not None:
                pieces.append(_decode_run(b"".join(run), run_charset))
            run_charset, run = charset, [payload]
        if index + 3 == last or (between and not between.isspace()):
            pieces.append(_decode_run(b"".join(run), run_charset))
            run_charset = None
            if between:
                pieces.append(_literal(between))
    return "".join(pieces)


# --- addresses (mirrors addresses.parse_address_list) ----------------------------------

_ADDR = r"[A-Za-z0-9!#$%&'*+/^_`{|}~.-]+@[A-Za-z0-9._-]+"
_WORD = r"[A-Za-z0-9!#$%&'*+/^_`{|}~.\- \t]++|\"[\t !#-\[\]-~]*+\""
_EWORD = r"=\?[A-Za-z0-9_.*-]+\?[bBqQ]\?[A-Za-z0-9+/=_.!*-]*\?="
_ENTRY = re.compile(rf"[ \t]*(?:({_ADDR})|((?:{_WORD}|{_EWORD})*+)<({_ADDR})>)?[ \t]*(?:,|\Z)")


def _display_name(phrase: str) -> str:
    # addresses._parse_one: quoted text loses its quotes, the rest is kept as
    # is, then decode and collapse white space (so white space at either end
    # may go first: it decodes to white space)
    phrase = phrase.replace('"', "").strip(" \t")
    return " ".join((decode_words(phrase) if "=?" in phrase else phrase).split())


#: Address fields up to this long are remembered (longer ones are rare and would be held).
_REMEMBERED_LENGTH = 512


def parse_addresses(value: str) -> tuple[Address, ...]:
    """Same result as ``addresses.parse_address_list(value)``.

    The same field values come again and again in one mailbox (the team's own
    address in every To, each customer's From), so a first sync reads each
    distinct one once. The result is immutable, and keyed by the SoftBank
    reading too (a display name in raw Shift_JIS decodes by it).
    """
    if len(value) <= _REMEMBERED_LENGTH:
        return _remembered_addresses(value, reading_as_softbank())
    return _parse_addresses(value)


@lru_cache(maxsize=8192)
def _remembered_addresses(value: str, _softbank: bool) -> tuple[Address, ...]:
    return _parse_addresses(value)


def _parse_addresses(value: str) -> tuple[Address, ...]:
    text = unfold(value) if "\n" in value or "\r" in value else value
    if not text.isascii():
        return parse_address_list(value)
    result: list[Address] = []
    position = 0
    while True:
        match = _ENTRY.match(text, position)
        if match is None or len(result) >= MAX_ADDRESSES:
            return parse_address_list(value)
        bare, phrase, angle = match.groups()
        if angle is not None:
            result.append(Address(name=_display_name(phrase), email=angle))
        elif bare is not None:
            result.append(Address(name="", email=bare))
        position = match.end()
        if position >= len(text):
            return tuple(result)


# --- Date (mirrors headers.parse_date) -------------------------------------------------

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_DATE = re.compile(
    r"[ \t]*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),[ \t]+)?([0-9]{1,2})[ \t]+"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+([1-9][0-9]{3})[ \t]+"
    r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?[ \t]+(?:([+-])([0-9]{2})([0-9]{2})|GMT|UTC|UT)"
    r"(?:[ \t]+\([A-Za-z0-9 +:-]*\))?[ \t]*"
)
_ZONES: dict[int, timezone] = {}


def parse_date_simple(value: str) -> tuple[bool, datetime | None]:
    """Parse the common RFC 5322 Date shape by hand (no locale involved).

    Returns:
        ``(True, what headers.parse_date returns)`` for a value in the simple
        shape; ``(False, None)`` when the full parser must decide.
    """
    match = _DATE.fullmatch(value)
    if match is None:
        return False, None
    day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
    offset = 0 if sign is None else int(zone_h) * 3600 + int(zone_m) * 60
    if sign == "-":
        offset = -offset
    try:
        zone = _ZONES.get(offset)
        if zone is None:
            # "-0000" (unknown zone) and "+0000" both end up as UTC
            zone = UTC if offset == 0 else timezone(timedelta(seconds=offset))
            _ZONES[offset] = zone
        return True, datetime(
            int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second or 0),
            tzinfo=zone,
        )  # fmt: skip
    except ValueError:  # day 31 in a short month, hour 24, zone beyond a day...
        return True, None


# --- message ids (mirrors threading_ids) ----------------------------------------------

_ID = r"<([!-'*-;=?-~]{1,998})>"
_ONE_ID = re.compile(_ID + r"[ \t]*")
_ID_LIST = re.compile(rf"(?:[ \t\r\n]*+{_ID})*+[ \t\r\n]*+")
_IDS = re.compile(_ID)


def msg_id_simple(value: str) -> str | None:
    """The id of a ``<id>`` value, or None if the value is anything else."""
    match = _ONE_ID.fullmatch(value)
    return match.group(1) if match else None


def references_simple(value: str) -> tuple[str, ...] | None:
    """``parse_references`` for ``<a> <b> ...`` values; None if the value is anything else."""
    if _ID_LIST.fullmatch(value) is None:
        return None
    ids = tuple(dict.fromkeys(_IDS.findall(value)))
    if len(ids) <= MAX_REFERENCES:
        return ids
    return (ids[0], *ids[-(MAX_REFERENCES - 1) :])


# --- Content-Type / Content-Disposition main value ---------------------------------------

_MAIN = re.compile(r"[ \t]*([A-Za-z0-9!#$%&'*+.^_`{|}~/-]*)[ \t]*(?:;|\Z)")


def main_value(value: str | None) -> str:
    """Same as ``parse_header_value(value).value``."""
    if value is not None and (match := _MAIN.match(value)) is not None:
        return match.group(1).lower()
    return parse_header_value(value).value
