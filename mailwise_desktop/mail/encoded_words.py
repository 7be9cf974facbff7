"""Decoding header text: RFC 2047 encoded-words and raw 8-bit bytes.

We do not use ``email.header.decode_header``: it decodes each encoded-word on
its own, so an ISO-2022-JP or UTF-8 character split over two words turns to
garbage, and the modern policy inserts a space between words of a split
display name (CPython gh-128110). Here the *bytes* of adjacent encoded-words
in the same charset are joined and decoded once.

Header strings handed to this module come from the standard parser, which
keeps undecodable 8-bit bytes as ``surrogateescape`` code points; we turn
them back into bytes and decode them with :func:`decode_8bit_header`.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

from mailwise_desktop.mail.charsets import canonical_charset, decode_8bit_header, decode_text

# Lenient on purpose: senders put encoded-words inside quoted strings and
# glue them to neighbouring text; the charset may carry an RFC 2231 language.
ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_B64_JUNK = re.compile(r"[^A-Za-z0-9+/]")
_Q_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def unfold(value: str) -> str:
    """Undo header folding (RFC 5322 2.2.3): drop CRLF before white space."""
    return _FOLD.sub("", value)


def to_bytes(text: str) -> bytes:
    """Recover the octets of a header string read with ``surrogateescape``."""
    return text.encode("utf-8", "surrogateescape")


def strip_line_breaks(text: str) -> str:
    """Replace every control and line-break character with a space.

    A decoded header must never contain CR or LF, or it could be written back
    out as a new header (header injection, CPython gh-121650).
    """
    if text.isprintable():
        return text
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    )


def decode_b(encoded: str) -> bytes:
    """Decode base64 leniently: junk dropped, missing padding tolerated."""
    cleaned = _B64_JUNK.sub("", encoded.split("=", 1)[0])
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]  # a lone trailing sextet carries no whole byte
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def decode_q(encoded: str) -> bytes:
    """Decode the RFC 2047 "Q" encoding (underscore is space)."""
    raw = to_bytes(encoded).replace(b"_", b" ")
    return _Q_HEX.sub(lambda match: bytes((int(match.group(1), 16),)), raw)


def _word_charset(label: str) -> str:
    # RFC 2231 section 5: "charset*language"
    return label.split("*", 1)[0].strip().lower()


def _decode_literal(text: str) -> str:
    # ESC is ASCII: old mailers put raw ISO-2022-JP in headers unencoded
    if text.isascii() and "\x1b" not in text:
        return text
    return decode_8bit_header(to_bytes(text))


def decode_header_text(value: str) -> str:
    """Decode a raw header value (or a piece of one) to display text.

    Adjacent encoded-words are joined as bytes when they share a charset, and
    white space between encoded-words is dropped (RFC 2047 section 6.2).
    Raw 8-bit text outside encoded-words is recovered and decoded. The result
    contains no CR, LF or other control characters.

    Args:
        value: the header value as read, possibly folded, possibly holding
            surrogate-escaped bytes.

    Returns:
        The decoded text. Never raises.
    """
    value = unfold(value)
    pieces: list[str] = []
    run_charset: str | None = None
    run_bytes = bytearray()
    position = 0
    last_was_word = False

    def flush_run() -> None:
        nonlocal run_charset
        if run_charset is not None:
            pieces.append(decode_text(bytes(run_bytes), run_charset))
            run_bytes.clear()
            run_charset = None

    for match in ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if between and not (last_was_word and between.isspace()):
            flush_run()
            pieces.append(_decode_literal(between))
        charset = _word_charset(match.group(1))
        payload = decode_b(match.group(3)) if match.group(2) in "bB" else decode_q(match.group(3))
        same = run_charset is not None and (
            canonical_charset(run_charset) == canonical_charset(charset) or run_charset == charset
        )
        if not same:
            flush_run()
            run_charset = charset
        run_bytes.extend(payload)
        position = match.end()
        last_was_word = True
    flush_run()
    pieces.append(_decode_literal(value[position:]))
    return strip_line_breaks("".join(pieces))
