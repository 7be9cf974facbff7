"""Tokenising IMAP response data: atoms, strings, literals, parenthesised lists.

A response arrives as text segments with literals between them (see
:mod:`.wire`). The result is nested lists of bytes; NIL becomes None. Numbers
stay bytes: the callers know which items are numeric.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

Token = bytes | None | list["Token"]

_TOKEN = re.compile(
    rb'\(|\)|\[|\]|"(?:[^"\\]|\\.)*"|\{\d+\+?\}$|[^\s()"\[\]]+(?:\[[^\]]*\](?:<[\d.]+>)?)?'
)


def tokenize(segments: Iterable[bytes]) -> list[Token]:
    """Parse alternating text/literal segments into nested token lists.

    Text segments are at even positions and literals at odd positions, as
    :meth:`Wire._response_segments` produces them. A ``{n}`` marker at the
    end of a text segment stands for the literal that follows it.
    """
    stack: list[list[Token]] = [[]]
    for index, segment in enumerate(segments):
        if index % 2 == 1:
            stack[-1].append(segment)
            continue
        for match in _TOKEN.finditer(segment):
            tok = match.group()
            if tok in (b"(", b"["):
                # A bare "[" opens a response code like [HIGHESTMODSEQ 5]: a nested list.
                stack.append([])
            elif tok in (b")", b"]"):
                if len(stack) > 1:
                    inner = stack.pop()
                    stack[-1].append(inner)
            elif tok.startswith(b"{") and tok.endswith(b"}"):
                pass  # the literal itself is the next segment
            elif tok.startswith(b'"'):
                stack[-1].append(tok[1:-1].replace(b'\\"', b'"').replace(b"\\\\", b"\\"))
            elif tok.upper() == b"NIL":
                stack[-1].append(None)
            else:
                stack[-1].append(tok)
    while len(stack) > 1:
        inner = stack.pop()
        stack[-1].append(inner)
    return stack[0]


#: One ``KEY value`` FETCH item of the shapes a header FETCH answers with: an atom
#: (UID 7, RFC822.SIZE 812), a flat list of atoms (FLAGS, MODSEQ), a quoted string
#: without escapes (INTERNALDATE), or a literal marker ending the text segment.
_SIMPLE_ITEM = re.compile(
    rb"([^\s()\"\[\]{}]+(?:\[[^\]]*\](?:<[\d.]+>)?)?) "
    rb'(?:\(([^()"\[\]{}]*)\)|"([^"\\]*)"|([^\s()"\[\]{}]+)|\{(\d+)\}$)'
)
_FETCH_HEAD = re.compile(rb"(\d+) FETCH \(")


def _atom(value: bytes) -> Token:
    return None if value.upper() == b"NIL" else value


def _simple_fetch_items(segments: Sequence[bytes]) -> tuple[int, dict[bytes, Token]] | None:
    """:func:`fetch_items` of a simply shaped FETCH response, or None to tokenise it.

    A 50k first sync spends most of its tokenising on the same few shapes;
    one regex step per item instead of one per token (and no nested lists
    built) reads them at a fraction of the cost. Anything else (nesting,
    escapes, several literals, odd spacing) returns None.
    """
    if len(segments) not in (1, 3) or (len(segments) == 3 and segments[2] != b")"):
        return None
    head = segments[0]
    start = _FETCH_HEAD.match(head)
    if start is None:
        return None
    items: dict[bytes, Token] = {}
    pos, end = start.end(), len(head)
    while True:
        item = _SIMPLE_ITEM.match(head, pos)
        if item is None:
            return None
        key, listed, quoted, atom, literal = item.groups()
        value: Token
        if listed is not None:
            value = [_atom(v) for v in listed.split()]
        elif quoted is not None:
            value = quoted
        elif atom is not None:
            value = _atom(atom)
        else:
            if len(segments) != 3 or int(literal) != len(segments[1]):
                return None
            items[key.upper()] = segments[1]
            return int(start.group(1)), items
        items[key.upper()] = value
        pos = item.end()
        if head.startswith(b" ", pos):
            pos += 1
        elif pos == end - 1 and head[pos] == 0x29 and len(segments) == 1:  # the closing ")"
            return int(start.group(1)), items
        else:
            return None


def fetch_response_items(segments: Sequence[bytes]) -> tuple[int, dict[bytes, Token]] | None:
    """``fetch_items(tokenize(segments))``, read without tokenising when the shape is simple."""
    simple = _simple_fetch_items(segments)
    return simple if simple is not None else fetch_items(tokenize(segments))


def parse_uid_set(value: bytes) -> list[int]:
    """Expand an IMAP sequence set like ``1:3,7,9:10`` into uids (malformed parts skipped)."""
    uids: list[int] = []
    for part in value.split(b","):
        if b":" in part:
            lo, hi = part.split(b":", 1)
            if not (lo.isdigit() and hi.isdigit()):
                continue
            a, b = int(lo), int(hi)
            uids.extend(range(min(a, b), max(a, b) + 1))
        elif part.isdigit():
            uids.append(int(part))
    return uids


def compress_uid_set(uids: Iterable[int]) -> bytes:
    """The shortest sequence set for the given uids (``1:3,7``)."""
    ordered = sorted(set(uids))
    if not ordered:
        raise ValueError("empty uid set")
    parts: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        parts.append(f"{start}:{prev}" if start != prev else str(start))
        start = prev = uid
    parts.append(f"{start}:{prev}" if start != prev else str(start))
    return ",".join(parts).encode("ascii")


def fetch_items(tokens: list[Token]) -> tuple[int, dict[bytes, Token]] | None:
    """For ``N FETCH (k v k v …)`` tokens: the sequence number and an item dict.

    Item names are upper-cased; ``BODY[HEADER.FIELDS (…)]`` keys keep their
    section text. Returns None for anything that is not a FETCH.
    """
    if len(tokens) < 3 or not isinstance(tokens[1], bytes) or tokens[1].upper() != b"FETCH":
        return None
    seq, data = tokens[0], tokens[2]
    if not isinstance(seq, bytes) or not seq.isdigit() or not isinstance(data, list):
        return None
    items: dict[bytes, Token] = {}
    for i in range(0, len(data) - 1, 2):
        key = data[i]
        if isinstance(key, bytes):
            items[key.upper()] = data[i + 1]
    return int(seq), items
