"""Parsing whole messages: body text, HTML, attachments, forwarded messages.

The standard library only builds the MIME tree; every header, parameter and
body is decoded by our own code (see the design note JAPANESE.md). Parsing never
raises on bad input: what cannot be read is skipped or shown as a best guess,
and a note is added to :attr:`ParsedMessage.defects`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message

from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.mail.addresses import Address
from mailwise_desktop.mail.charsets import DecodedText, decode_text_detailed
from mailwise_desktop.mail.headers import (
    HeaderInfo,
    _header_info_fast,
    header_info_from_message,
    parse_headers,
)
from mailwise_desktop.mail.html_text import html_to_text
from mailwise_desktop.mail.mime_params import HeaderValue, parse_header_value
from mailwise_desktop.mail.mime_tree import (
    MAX_DEPTH,
    encapsulated,
    iter_all_leaves,
    load_message,
    payload_bytes,
    raw_header,
    walk_entity,
)
from mailwise_desktop.mail.simple_mime import decode_body_text, header_value, split_simple
from mailwise_desktop.mail.softbank_emoji import softbank_sender

__all__ = [
    "Address",
    "AttachmentInfo",
    "HeaderInfo",
    "ParsedMessage",
    "attachment_bytes",
    "parse_headers",
    "parse_message",
]

_BODY_TYPES = frozenset({"text/plain", "text/html"})
_Decoder = Callable[[bytes, str | None], DecodedText]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class AttachmentInfo:
    """One part that is not the message body.

    Attributes:
        part_id: IMAP section path ("2", "2.1", ...), stable for the message.
        filename: decoded file name, "" if none.
        content_type: lower-case MIME type, e.g. "application/pdf".
        size: decoded size in bytes.
        content_id: Content-ID without ``<>``, for ``cid:`` inline images.
        inline: True when the part is meant to be shown in the body.
    """

    part_id: str
    filename: str
    content_type: str
    size: int
    content_id: str | None
    inline: bool


@dataclass(frozen=True)
class ParsedMessage:
    """A message ready for display.

    Attributes:
        headers: the decoded headers (``has_attachments_hint`` is exact here).
        text: the best text body (text/plain, else text derived from HTML).
        html: the raw, unsanitised HTML body, if any.
        attachments: every non-body part, in tree order.
        defects: readable notes on what was broken.
        forwarded: messages attached as ``message/rfc822``, parsed; their
            part ids continue the outer message's numbering.
    """

    headers: HeaderInfo
    text: str
    html: str | None
    attachments: tuple[AttachmentInfo, ...]
    defects: tuple[str, ...]
    forwarded: tuple[ParsedMessage, ...] = ()


@dataclass(frozen=True)
class _LeafInfo:
    content_type: str
    params: HeaderValue
    disposition: HeaderValue
    filename: str


def _leaf_info(part: Message) -> _LeafInfo:
    content = parse_header_value(raw_header(part, "content-type"))
    disposition = parse_header_value(raw_header(part, "content-disposition"))
    # the stdlib's type honours multipart/digest defaults and bad values
    content_type = part.get_content_type().lower()
    filename = disposition.get("filename") or content.get("name") or ""
    return _LeafInfo(content_type, content, disposition, filename.strip())


def _is_body(info: _LeafInfo) -> bool:
    return (
        info.content_type in _BODY_TYPES
        and info.disposition.value != "attachment"
        and not info.filename
    )


def _declared_charset(info: _LeafInfo, data: bytes) -> str | None:
    charset = info.params.get("charset")
    if charset is None and info.content_type == "text/html":
        match = _META_CHARSET.search(data[:4096])
        if match:
            return match.group(1).decode("ascii")
    return charset


def _decode_body(
    part_id: str, info: _LeafInfo, data: bytes, defects: list[str], decode: _Decoder
) -> str:
    declared = _declared_charset(info, data)
    decoded = decode(data, declared)
    if decoded.guessed:
        label = f"charset {declared!r}" if declared else "no charset declared"
        defects.append(f"part {part_id}: {label}, shown as best guess ({decoded.charset})")
    elif decoded.replacements:
        defects.append(f"part {part_id}: {decoded.replacements} undecodable characters replaced")
    # Display text uses "\n" only; CRLF from the wire has no meaning here.
    return decoded.text.replace("\r\n", "\n").replace("\r", "\n")


def _content_id(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = "".join(value.split()).strip("<>")
    return cleaned or None


@dataclass
class _Collected:
    """Bodies and attachments of one message, leaf by leaf, in tree order."""

    defects: list[str]
    decode: _Decoder = decode_text_detailed
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)

    def add(self, part_id: str, info: _LeafInfo, data: bytes, content_id: str | None) -> bool:
        """Take one leaf; True if it is an attachment."""
        if _is_body(info):
            target = self.html if info.content_type == "text/html" else self.plain
            target.append(_decode_body(part_id, info, data, self.defects, self.decode))
            return False
        inline = info.disposition.value == "inline" or (
            info.disposition.value == "" and content_id is not None
        )
        self.attachments.append(
            AttachmentInfo(
                part_id=part_id,
                filename=info.filename,
                content_type=info.content_type,
                size=len(data),
                content_id=content_id,
                inline=inline,
            )
        )
        return True

    def message(self, headers: HeaderInfo, forwarded: list[ParsedMessage]) -> ParsedMessage:
        html_text = "\n".join(self.html) if self.html else None
        if self.plain:
            text = "\n".join(self.plain)
        elif html_text is not None:
            text = html_to_text(html_text)
        else:
            text = ""
        has_files = any(not item.inline for item in self.attachments)
        if headers.has_attachments_hint != has_files:
            headers = dataclasses.replace(headers, has_attachments_hint=has_files)
        return ParsedMessage(
            headers=headers,
            text=text,
            html=html_text,
            attachments=tuple(self.attachments),
            defects=tuple(dict.fromkeys(self.defects)),
            forwarded=tuple(forwarded),
        )


def _parse_entity(entity: Message, prefix: str, depth: int, extra: list[str]) -> ParsedMessage:
    collected = _Collected(list(extra))
    headers = header_info_from_message(entity)
    with softbank_sender(a.email for a in headers.from_):
        forwarded = _collect_leaves(entity, prefix, depth, collected)
    return collected.message(headers, forwarded)


def _collect_leaves(
    entity: Message, prefix: str, depth: int, collected: _Collected
) -> list[ParsedMessage]:
    defects = collected.defects
    forwarded: list[ParsedMessage] = []
    for leaf in walk_entity(entity, prefix, depth, defects):
        info = _leaf_info(leaf.part)
        data, notes = payload_bytes(leaf.part)
        defects.extend(f"part {leaf.part_id}: {note}" for note in notes)
        content_id = _content_id(raw_header(leaf.part, "content-id"))
        if not collected.add(leaf.part_id, info, data, content_id):
            continue
        inner = encapsulated(leaf.part)
        if inner is not None:
            if leaf.depth + 1 < MAX_DEPTH:
                forwarded.append(_parse_entity(inner, leaf.part_id, leaf.depth + 1, []))
            else:
                defects.append(f"part {leaf.part_id}: attached message nested too deeply")
    return forwarded


def _parse_message_fast(raw: bytes) -> ParsedMessage | None:
    """:func:`parse_message` for simply built messages; None for the rest."""
    split = split_simple(raw)
    if split is None:
        return None
    fields, leaves = split
    collected = _Collected([], decode_body_text)
    headers = _header_info_fast(fields)
    with softbank_sender(a.email for a in headers.from_):
        for leaf in leaves:
            content = header_value(leaf.first("content-type"))
            disposition = header_value(leaf.first("content-disposition"))
            filename = disposition.get("filename") or content.get("name") or ""
            info = _LeafInfo(leaf.content_type, content, disposition, filename.strip())
            collected.add(leaf.part_id, info, leaf.data, _content_id(leaf.first("content-id")))
    return collected.message(headers, [])


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse a whole message.

    Simply built messages (one part, or multipart/mixed, alternative or
    related with at most one nested multipart) take the fast path of
    :mod:`~mailwise_desktop.mail.simple_mime`; the rest goes through
    ``email.parser``. The result is the same either way.

    Args:
        raw: the message bytes as fetched (``BODY.PEEK[]``).

    Returns:
        The parsed message. Never raises on malformed input; problems are
        listed in :attr:`ParsedMessage.defects`.
    """
    fast = _parse_message_fast(raw) if isinstance(raw, bytes) else None
    return fast if fast is not None else _parse_message_full(raw)


def _parse_message_full(raw: bytes) -> ParsedMessage:
    """:func:`parse_message` through ``email.parser`` only (the identity tests' reference)."""
    message, notes = load_message(raw)
    try:
        return _parse_entity(message, "", 0, notes)
    except RecursionError:
        return ParsedMessage(
            headers=header_info_from_message(message),
            text="",
            html=None,
            attachments=(),
            defects=(*notes, "message: parts nested too deeply to show"),
        )


def attachment_bytes(raw: bytes, part_id: str) -> bytes:
    """Return the transfer-decoded payload of one part, for saving.

    Args:
        raw: the whole message as fetched.
        part_id: an :attr:`AttachmentInfo.part_id` of this message.

    Returns:
        The decoded bytes (a forwarded message comes back as ``.eml`` bytes).

    Raises:
        NotFoundError: the message has no part with that id.
    """
    message, _ = load_message(raw)
    for leaf in iter_all_leaves(message):
        if leaf.part_id == part_id:
            return payload_bytes(leaf.part)[0]
    raise NotFoundError(
        "This attachment is no longer in the message.",
        detail=f"no MIME part {part_id!r}",
    )
