"""Lexical pieces of structured headers: quoted strings, comments, splitting.

Shared by the address and MIME-parameter parsers. Two leniencies real mail
needs: an encoded-word is atomic even when its Q text holds a comma or a
semicolon, and a backslash right after a Shift_JIS lead byte is the second
byte of a character (表 is 0x95 0x5C), not a quoting backslash.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailwise_desktop.mail.encoded_words import ENCODED_WORD


def _is_sjis_lead(char: str) -> bool:
    # surrogateescape keeps byte 0xNN as U+DCNN
    code = ord(char)
    return 0xDC81 <= code <= 0xDC9F or 0xDCE0 <= code <= 0xDCFC


def read_quoted(text: str, start: int) -> tuple[str, int]:
    """Read a quoted string whose opening quote is at ``start``.

    Args:
        text: the header text.
        start: index of the opening ``"``.

    Returns:
        The unquoted content and the index just past the closing quote (or the
        end of ``text`` when the quote is never closed).
    """
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == '"':
            return "".join(out), i + 1
        if char == "\\" and i + 1 < len(text) and not (out and _is_sjis_lead(out[-1])):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out), i


def read_comment(text: str, start: int) -> tuple[str, int]:
    """Read a (possibly nested) comment whose ``(`` is at ``start``.

    Returns:
        The comment text without the outer parentheses, and the index past it.
    """
    depth = 0
    out: list[str] = []
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == "(":
            depth += 1
            if depth > 1:
                out.append(char)
        elif char == ")":
            depth -= 1
            if depth == 0:
                return "".join(out), i + 1
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out), i


@dataclass(frozen=True)
class Chunk:
    """One piece of a header split at top-level separators."""

    text: str
    separator: str  # the separator that ended it ("" at the end)


def split_top_level(text: str, separators: str) -> list[Chunk]:
    """Split at separators outside quotes, comments, angle brackets and encoded-words.

    Args:
        text: an unfolded header value.
        separators: the characters to split at, e.g. ``",;:"``.

    Returns:
        The raw chunks (quotes and comments left in place), in order.
    """
    chunks: list[Chunk] = []
    current: list[str] = []
    i = 0
    in_angle = False
    while i < len(text):
        char = text[i]
        if char == '"':
            _, end = read_quoted(text, i)
            current.append(text[i:end])
            i = end
            continue
        if char == "(":
            _, end = read_comment(text, i)
            current.append(text[i:end])
            i = end
            continue
        if char == "=" and (word := ENCODED_WORD.match(text, i)):
            current.append(word.group(0))
            i = word.end()
            continue
        if char == "<":
            in_angle = True
        elif char == ">":
            in_angle = False
        elif char in separators and not in_angle:
            chunks.append(Chunk("".join(current), char))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    chunks.append(Chunk("".join(current), ""))
    return chunks
