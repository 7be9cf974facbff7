"""Parsing whole messages: body text, HTML, attachments, forwarded messages.

The standard library only builds the MIME tree; every header, parameter and
body is decoded by our own code (see the design note JAPANESE.md). Parsing never
raises on bad input: what cannot be read is skipped or shown as a best guess,
and a note is added to :attr:`ParsedMessage.defects`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from email.message import Message

from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.mail.addresses import Address
from mailwise_desktop.mail.charsets import decode_text_detailed
from mailwise_desktop.mail.headers import HeaderInfo, header_info_from_message, parse_headers
from mailwise_desktop.mail.html_text import html_to_text
from mailwise_desktop.mail.mime_params import HeaderValue, parse_header_value
from mailwise_desktop.mail.mime_tree import (
    MAX_DEPTH,
    Leaf,
    encapsulated,
    iter_all_leaves,
    load_message,
    payload_bytes,
    raw_header,
    walk_entity,
)

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


def _decode_body(leaf: Leaf, info: _LeafInfo, data: bytes, defects: list[str]) -> str:
    declared = _declared_charset(info, data)
    decoded = decode_text_detailed(data, declared)
    if decoded.guessed:
        label = f"charset {declared!r}" if declared else "no charset declared"
        defects.append(f"part {leaf.part_id}: {label}, shown as best guess ({decoded.charset})")
    elif decoded.replacements:
        defects.append(
            f"part {leaf.part_id}: {decoded.replacements} undecodable characters replaced"
        )
    # Display text uses "\n" only; CRLF from the wire has no meaning here.
    return decoded.text.replace("\r\n", "\n").replace("\r", "\n")


def _content_id(part: Message) -> str | None:
    value = raw_header(part, "content-id")
    if value is None:
        return None
    cleaned = "".join(value.split()).strip("<>")
    return cleaned or None


def _parse_entity(entity: Message, prefix: str, depth: int, extra: list[str]) -> ParsedMessage:
    defects = list(extra)
    headers = header_info_from_message(entity)
    plain: list[str] = []
    html: list[str] = []
    attachments: list[AttachmentInfo] = []
    forwarded: list[ParsedMessage] = []
    for leaf in walk_entity(entity, prefix, depth, defects):
        info = _leaf_info(leaf.part)
        data, notes = payload_bytes(leaf.part)
        defects.extend(f"part {leaf.part_id}: {note}" for note in notes)
        if _is_body(info):
            target = html if info.content_type == "text/html" else plain
            target.append(_decode_body(leaf, info, data, defects))
            continue
        content_id = _content_id(leaf.part)
        inline = info.disposition.value == "inline" or (
            info.disposition.value == "" and content_id is not None
        )
        attachments.append(
            AttachmentInfo(
                part_id=leaf.part_id,
                filename=info.filename,
                content_type=info.content_type,
                size=len(data),
                content_id=content_id,
                inline=inline,
            )
        )
        inner = encapsulated(leaf.part)
        if inner is not None:
            if leaf.depth + 1 < MAX_DEPTH:
                forwarded.append(_parse_entity(inner, leaf.part_id, leaf.depth + 1, []))
            else:
                defects.append(f"part {leaf.part_id}: attached message nested too deeply")
    html_text = "\n".join(html) if html else None
    if plain:
        text = "\n".join(plain)
    elif html_text is not None:
        text = html_to_text(html_text)
    else:
        text = ""
    has_files = any(not item.inline for item in attachments)
    return ParsedMessage(
        headers=dataclasses.replace(headers, has_attachments_hint=has_files),
        text=text,
        html=html_text,
        attachments=tuple(attachments),
        defects=tuple(dict.fromkeys(defects)),
        forwarded=tuple(forwarded),
    )


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse a whole message.

    Args:
        raw: the message bytes as fetched (``BODY.PEEK[]``).

    Returns:
        The parsed message. Never raises on malformed input; problems are
        listed in :attr:`ParsedMessage.defects`.
    """
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
