"""Simply built MIME messages read with bytes operations: ``parse_message``'s fast path.

:func:`split_simple` reads a message as ``email.feedparser`` does under
``compat32`` (headers up to the first empty line, parts between ``--boundary``
lines whose preceding line break belongs to the boundary, payloads decoded as
``get_payload(decode=True)``) for the shapes where it notes no defect: one
non-``message/*`` part, or multipart/mixed, alternative or related with such
parts and at most one nested multipart. Anything else returns None and the
caller takes the full parser; ``tests/unit/test_mail_parse_fast.py`` checks
that both give the same. :func:`header_value` and :func:`decode_body_text`
are cheap routes to ``parse_header_value`` and ``decode_text_detailed``.
"""

from __future__ import annotations

import binascii
import quopri
import re
from typing import NamedTuple
from urllib.parse import unquote_to_bytes

from mailwise_desktop.mail.charsets import (
    ISO2022JP_MS,
    DecodedText,
    canonical_charset,
    decode_text,
    decode_text_detailed,
)
from mailwise_desktop.mail.encoded_words import unfold
from mailwise_desktop.mail.header_fastpath import _CP932_FORMS, _FIELD, _ISO2022JP, _TRAPS
from mailwise_desktop.mail.jis_codecs import has_jis_escape
from mailwise_desktop.mail.mime_params import HeaderValue, parse_header_value

# The multipart types whose children default to text/plain (not digest).
_CONTAINERS = frozenset({"multipart/mixed", "multipart/alternative", "multipart/related"})
_MAX_PARTS = 100
_PLAIN_CTE = frozenset({"7bit", "8bit", "binary"})

# What Message.get_content_type() keeps, when it is a plain type/subtype.
_TYPE = re.compile(r"[a-z0-9!#$%&'*+.^_`{|}~-]+/[a-z0-9!#$%&'*+.^_`{|}~-]+")
# A multipart Content-Type: type, then plain parameters (no RFC 2231, no
# escapes, no ";" or white space inside a value), as Message.get_param reads them.
_WS = r"[ \t\r\n]*"
_CONTAINER_PARAM = re.compile(
    rf"{_WS};{_WS}([A-Za-z0-9_.-]+){_WS}={_WS}"
    r"""(?:"([A-Za-z0-9'()+_,./:=?-]+)"|([A-Za-z0-9'+_,./:=?-]+))"""
)
_CONTAINER_END = re.compile(rf"{_WS}(?:;{_WS})?")
# After "--boundary": "--" for the close boundary, blanks, the line end (feedparser's
# boundaryendRE).
_TAIL = re.compile(rb"(--)?[ \t]*+(?:\r?\n|\Z)")
# A Content-Type / Content-Disposition value parse_header_value reads plainly:
# printable ASCII, tokens without quotes, comments, angle brackets or
# backslashes, quoted strings without escapes, names at most "name*".
_MAIN = re.compile(r"[ \t]*([!#-'*-:=?-\[\]-~]*)[ \t]*")
_PARAM = re.compile(
    r"""[ \t]*;[ \t]*([A-Za-z0-9!#$%&+.^_`{|}~-]+)(\*?)[ \t]*=[ \t]*"""
    r"""(?:"([ !#-:<-\[\]-~]*)"|([!#-'*-:=?-\[\]-~]+))[ \t]*"""
)
_PARAMS_END = re.compile(r"(?:;[ \t]*)?")
# ISO-2022-JP that the standard codec reads as jis_codecs does (once the cp932
# forms are put in, see header_fastpath): ASCII lines, whole ESC $B ... ESC (B runs.
_JIS_BODY = re.compile(rb"(?:[\t\n\r\x20-\x7e]++|\x1b\$B(?:[\x21-\x7e]{2})*+\x1b\(B)*+")


class SimpleLeaf(NamedTuple):
    """A leaf: IMAP part id, ``get_content_type()``, raw fields by lower-case name, payload."""

    part_id: str
    content_type: str
    fields: dict[str, list[str]]
    data: bytes

    def first(self, name: str) -> str | None:
        """The first raw value of a header field, as ``mime_tree.raw_header``."""
        values = self.fields.get(name)
        return values[0] if values else None


def split_simple(raw: bytes) -> tuple[dict[str, list[str]], list[SimpleLeaf]] | None:
    """The top-level fields (as ``headers.collect_items`` groups them) and the leaves.

    None when the message is not simply built: the full parser's case.
    """
    if raw.count(b"\r") != raw.count(b"\r\n"):
        return None  # the feed parser also ends lines at a bare CR
    head = read_headers(raw, 0, len(raw))
    if head is None:
        return None
    fields, body = head
    content_type = _content_type(fields)
    if content_type is None or content_type.startswith("message/"):
        return None
    leaves: list[SimpleLeaf] = []
    if content_type.startswith("multipart/"):
        ok = _container(raw, fields, content_type, body, len(raw), prefix="", leaves=leaves)
        return (fields, leaves) if ok else None
    data = _transfer_decode(raw[body:], fields)
    if data is None:
        return None
    return fields, [SimpleLeaf("1", content_type, fields, data)]


def read_headers(raw: bytes, start: int, end: int) -> tuple[dict[str, list[str]], int] | None:
    """The fields of the entity at ``raw[start:end]`` (``start`` follows a line feed or is 0).

    Returns the fields (lower-case name → raw values) and where the body
    starts; None unless every line up to an empty one is ``name:value`` or a
    continuation line (else the feed parser notes a defect or stops early).
    """
    if raw.startswith(b"\n", start, end):
        return {}, start + 1
    if raw.startswith(b"\r\n", start, end):
        return {}, start + 2
    crlf = raw.find(b"\n\r\n", start, end)
    bare = raw.find(b"\n\n", start, end if crlf < 0 else crlf + 2)
    if bare >= 0:
        stop, body = bare, bare + 2
    elif crlf >= 0:
        stop, body = crlf, crlf + 3
    else:
        return None
    pairs = _FIELD.findall("\n" + raw[start:stop].decode("ascii", "surrogateescape"))
    # compat32: leading blanks and the final line break go, folding stays
    fields = {name.lower(): [value.rstrip("\r\n")] for name, value in pairs}
    if len(fields) < len(pairs):  # a name repeated, or a line that is no field
        fields = {}
        for name, value in pairs:
            fields.setdefault(name.lower(), []).append(value.rstrip("\r\n"))
    return (fields, body) if "" not in fields else None


def _content_type(fields: dict[str, list[str]]) -> str | None:
    """``Message.get_content_type()`` (parent not a digest); None if out of the simple shape."""
    values = fields.get("content-type")
    if values is None:
        return "text/plain"
    value = values[0]
    if len(values) > 1 or not value.isascii():
        return None
    content_type = value.partition(";")[0].strip().lower()
    return content_type if _TYPE.fullmatch(content_type) else None


def _boundary(value: str) -> bytes | None:
    """``Message.get_boundary()`` for a Content-Type in the simple shape; else None."""
    position = value.find(";")
    if position < 0:
        return None
    found: list[str] = []
    while match := _CONTAINER_PARAM.match(value, position):
        if match.group(1).lower() == "boundary":
            found.append(match.group(2) or match.group(3))
        position = match.end()
    if len(found) != 1 or not _CONTAINER_END.fullmatch(value, position):
        return None
    return found[0].encode("ascii")


def _boundary_lines(raw: bytes, boundary: bytes, start: int, end: int) -> list[int] | None:
    """Where each boundary line starts and ends, up to the close boundary, flat.

    None unless the first boundary line opens a part, no two boundary lines
    follow each other, and a close boundary ends the parts.
    """
    needle = b"\n--" + boundary
    found: list[int] = []
    line_end = -1
    position = start - 1  # raw[start - 1] is the line feed before the body
    while True:
        hit = raw.find(needle, position, end)
        if hit < 0:
            return None
        tail = _TAIL.match(raw, hit + len(needle), end)
        if tail is None:
            position = hit + 1
            continue
        if hit + 1 == line_end or len(found) > _MAX_PARTS:
            return None  # the feed parser skips repeated boundary lines
        closing = tail.group(1) is not None
        if closing and not found:
            return None  # StartBoundaryNotFoundDefect
        line_end = tail.end()
        found += (hit + 1, line_end)
        if closing:
            return found
        position = line_end - 1


def _container(
    raw: bytes,
    fields: dict[str, list[str]],
    content_type: str,
    body: int,
    end: int,
    *,
    prefix: str,
    leaves: list[SimpleLeaf],
) -> bool:
    cte = fields.get("content-transfer-encoding")
    if content_type not in _CONTAINERS or "." in prefix:  # at most one nested multipart
        return False
    if cte is not None and (len(cte) > 1 or cte[0].lower() not in _PLAIN_CTE):
        return False  # InvalidMultipartContentTransferEncodingDefect
    boundary = _boundary(fields["content-type"][0])
    if boundary is None:
        return False
    offsets = _boundary_lines(raw, boundary, body, end)
    if offsets is None:
        return False
    # offsets: line start, line end of each boundary line, in order
    for number, index in enumerate(range(1, len(offsets) - 2, 2), 1):
        part_start, part_end = offsets[index], offsets[index + 1]
        head = read_headers(raw, part_start, part_end)
        if head is None:
            return False
        part_fields, part_body = head
        part_type = _content_type(part_fields)
        if part_type is None or part_type.startswith("message/"):
            return False
        part_id = f"{prefix}.{number}" if prefix else str(number)
        if part_type.startswith("multipart/"):
            if not _container(
                raw, part_fields, part_type, part_body, part_end, prefix=part_id, leaves=leaves
            ):
                return False
            continue
        payload = raw[part_body:part_end]
        # RFC 2046: the line break before the boundary belongs to the boundary
        if payload.endswith(b"\n"):
            payload = payload[:-2] if payload.endswith(b"\r\n") else payload[:-1]
        data = _transfer_decode(payload, part_fields)
        if data is None:
            return False
        leaves.append(SimpleLeaf(part_id, part_type, part_fields, data))
    return True


def _transfer_decode(payload: bytes, fields: dict[str, list[str]]) -> bytes | None:
    """``get_payload(decode=True)`` when it records no defect; None otherwise."""
    values = fields.get("content-transfer-encoding")
    if values is None:
        return payload
    if len(values) > 1:
        return None
    cte = values[0].lower()  # not stripped: "base64 " is not base64 to compat32
    if cte in _PLAIN_CTE:
        return payload
    if cte == "base64":
        joined = b"".join(payload.splitlines())
        if len(joined) % 4:
            return None  # the padding would be repaired (a defect)
        try:
            return binascii.a2b_base64(joined, strict_mode=True)
        except binascii.Error:
            return None
    if cte == "quoted-printable":
        return quopri.decodestring(payload)
    return None


def header_value(raw: str | None) -> HeaderValue:
    """Same result as ``mime_params.parse_header_value(raw)``, cheaply for plain values."""
    if raw is None:
        return HeaderValue("")
    value = unfold(raw) if "\n" in raw else raw
    main = _MAIN.match(value)
    if not value.isascii() or "=?" in value or main is None:
        return parse_header_value(raw)
    plain: dict[str, str] = {}
    extended: dict[str, str] = {}
    position, count = main.end(), 0
    while param := _PARAM.match(value, position):
        name, star, quoted, token = param.groups()
        (extended if star else plain).setdefault(name.lower(), token if quoted is None else quoted)
        position, count = param.end(), count + 1
    if count > 100 or not _PARAMS_END.fullmatch(value, position):
        return parse_header_value(raw)
    # plain values are printable ASCII without encoded-words: they decode to themselves
    for name, text in extended.items():
        pieces = text.split("'", 2)  # charset'language'octets
        charset, octets = (pieces[0] or None, pieces[2]) if len(pieces) == 3 else (None, text)
        plain[name] = decode_text(unquote_to_bytes(octets), charset)
    return HeaderValue(main.group(1).lower(), plain)


def decode_body_text(data: bytes, declared: str | None) -> DecodedText:
    """Same result as ``charsets.decode_text_detailed``; plain ISO-2022-JP via the C codec."""
    charset = canonical_charset(declared)
    if charset == ISO2022JP_MS or (charset is None and has_jis_escape(data)):
        try:
            # NEC/IBM extensions and unassigned codes raise: the full decoder's job
            text = _ISO2022JP(data)[0] if _JIS_BODY.fullmatch(data) else None
        except UnicodeDecodeError:
            text = None
        if text is not None:
            text = text.translate(_CP932_FORMS) if _TRAPS.search(text) else text
            return DecodedText(text, ISO2022JP_MS, False, 0)
    return decode_text_detailed(data, declared)
