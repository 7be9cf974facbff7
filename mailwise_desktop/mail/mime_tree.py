"""Walking a message's MIME tree with IMAP-style part numbers.

The standard library (``compat32`` policy, which keeps headers as sent)
builds the tree; this module numbers its leaves the way IMAP BODYSTRUCTURE
does ("1", "2.1", ...), caps the nesting depth, transfer-decodes payloads
without raising, and turns the parser's defects into readable notes.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
from collections.abc import Iterator
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import Message

# Real mail nests a handful of levels; deeper is broken or hostile.
MAX_DEPTH = 50

# Saved .eml files use the wire's CRLF line ends.
_EML_POLICY = email.policy.compat32.clone(linesep="\r\n")

_FORWARDED_TYPES = frozenset({"message/rfc822", "message/global"})


@dataclass(frozen=True)
class Leaf:
    """A non-multipart part and its IMAP section number."""

    part_id: str
    part: Message
    depth: int


def load_message(raw: bytes) -> tuple[Message, list[str]]:
    """Parse raw bytes into a ``compat32`` message tree, never raising.

    Args:
        raw: the whole message as fetched.

    Returns:
        The message and notes on what could not be parsed. When the
        structure is too deep for the standard parser, only the headers are
        kept.
    """
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    try:
        return parser.parsebytes(raw), []
    except RecursionError:
        # The feed parser recurses per nesting level; keep what we safely can.
        headers_only = parser.parsebytes(raw, headersonly=True)
        headers_only.set_payload("")
        return headers_only, ["message: parts nested too deeply to show"]
    except (ValueError, TypeError, LookupError, IndexError) as exc:
        empty = Message()
        return empty, [f"message: could not be parsed ({type(exc).__name__})"]


def join_id(prefix: str, number: int) -> str:
    """Append a section number to a part id prefix ("" for the top level)."""
    return f"{prefix}.{number}" if prefix else str(number)


def is_container(part: Message) -> bool:
    """True for a multipart whose children we should walk."""
    return part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), list)


def encapsulated(part: Message) -> Message | None:
    """Return the message inside a ``message/rfc822`` part, if there is one."""
    if part.get_content_type() not in _FORWARDED_TYPES:
        return None
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    return None


def describe_defects(part: Message, where: str) -> list[str]:
    """Turn the parser's defect objects into "part 2: <what>" notes."""
    notes: list[str] = []
    for defect in getattr(part, "defects", []):
        doc = (type(defect).__doc__ or type(defect).__name__).strip().splitlines()[0]
        notes.append(f"{where}: {doc.rstrip('.')}")
    return notes


def walk_entity(entity: Message, prefix: str, depth: int, defects: list[str]) -> Iterator[Leaf]:
    """Yield the leaves of one message (not descending into attached messages).

    Args:
        entity: the top-level message, or the message inside a
            ``message/rfc822`` part.
        prefix: the part id of that ``message/rfc822`` part ("" at the top).
        depth: nesting depth of ``entity``.
        defects: list the walk appends its notes to.
    """
    defects.extend(describe_defects(entity, f"part {prefix}" if prefix else "message"))
    if not is_container(entity):
        yield Leaf(join_id(prefix, 1), entity, depth)
        return
    yield from _walk_children(entity, prefix, depth, defects)


def _walk_children(
    container: Message, prefix: str, depth: int, defects: list[str]
) -> Iterator[Leaf]:
    if depth >= MAX_DEPTH:
        defects.append(f"part {prefix or '1'}: parts nested too deeply; the rest is not shown")
        return
    payload = container.get_payload()
    assert isinstance(payload, list)
    for number, child in enumerate(payload, 1):
        if not isinstance(child, Message):
            continue
        part_id = join_id(prefix, number)
        if is_container(child):
            defects.extend(describe_defects(child, f"part {part_id}"))
            yield from _walk_children(child, part_id, depth + 1, defects)
        else:
            defects.extend(describe_defects(child, f"part {part_id}"))
            yield Leaf(part_id, child, depth + 1)


def iter_all_leaves(message: Message) -> Iterator[Leaf]:
    """Yield every leaf, descending into attached messages too."""
    pending: list[tuple[Message, str, int]] = [(message, "", 0)]
    while pending:
        entity, prefix, depth = pending.pop()
        for leaf in walk_entity(entity, prefix, depth, []):
            yield leaf
            inner = encapsulated(leaf.part)
            if inner is not None and leaf.depth < MAX_DEPTH:
                pending.append((inner, leaf.part_id, leaf.depth + 1))


def payload_bytes(part: Message) -> tuple[bytes, list[str]]:
    """Transfer-decode a leaf's payload (base64, quoted-printable, ...).

    Args:
        part: a non-multipart part.

    Returns:
        The decoded bytes (an attached message is re-serialised) and notes on
        what was wrong with the encoding. Never raises.
    """
    inner = encapsulated(part)
    if inner is not None:
        buffer = io.BytesIO()
        try:
            BytesGenerator(buffer, mangle_from_=False, policy=_EML_POLICY).flatten(inner)
        except (ValueError, TypeError, LookupError, UnicodeError, RecursionError):
            return b"", ["attached message could not be re-read"]
        return buffer.getvalue(), []
    before = len(getattr(part, "defects", []))
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, UnicodeError, AttributeError):
        return b"", ["content could not be decoded"]
    notes = [
        (type(d).__doc__ or type(d).__name__).strip().splitlines()[0].rstrip(".")
        for d in getattr(part, "defects", [])[before:]
    ]
    if isinstance(data, bytes):
        return data, notes
    return b"", notes


def raw_header(part: Message, name: str) -> str | None:
    """Return the first raw value of a header, exactly as sent."""
    wanted = name.lower()
    for key, value in part.raw_items():
        if key.strip().lower() == wanted:
            return str(value)
    return None
