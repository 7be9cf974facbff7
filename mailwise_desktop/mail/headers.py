"""The header summary header-only sync stores (:class:`HeaderInfo`).

Headers are read from ``Message.raw_items()`` under the ``compat32`` policy,
which hands us the text exactly as sent (8-bit bytes as surrogate escapes),
and every value is decoded by our own decoders.

:func:`parse_headers` runs once per message in a first sync, so it takes the
fast paths of :mod:`~mailwise_desktop.mail.header_fastpath` (no
``email.parser``; cheap routes for the common field shapes) and gives anything
unusual to the full routines; the result is the same either way
(:func:`_parse_headers_full` is kept for the tests that prove it).
"""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

from mailwise_desktop.mail.addresses import Address, parse_address_list
from mailwise_desktop.mail.encoded_words import (
    decode_header_text,
    strip_line_breaks,
    to_bytes,
    unfold,
)
from mailwise_desktop.mail.header_fastpath import (
    decode_words,
    main_value,
    msg_id_simple,
    parse_addresses,
    parse_date_simple,
    references_simple,
    split_fields,
)
from mailwise_desktop.mail.mime_params import parse_header_value
from mailwise_desktop.mail.softbank_emoji import softbank_sender
from mailwise_desktop.mail.threading_ids import parse_msg_id, parse_references

_ADDRESS_HEADERS = ("from", "to", "cc", "reply-to")

# Top-level types that, seen in the headers alone, mean "has attachments".
_ATTACHMENT_TYPES = frozenset({"multipart/mixed", "multipart/report"})


@dataclass(frozen=True)
class HeaderInfo:
    """What header-only sync needs to list and thread a message.

    Attributes:
        message_id: Message-ID without ``<>``; None if absent.
        in_reply_to: the first In-Reply-To id, without ``<>``.
        references: the References ids, oldest first.
        subject: decoded subject, exactly as sent (no NFKC).
        from_: From addresses.
        to: To addresses.
        cc: Cc addresses.
        reply_to: Reply-To addresses.
        date: timezone-aware Date; None if missing or unparseable.
        has_attachments_hint: a guess from the top-level Content-Type (and
            ``X-MS-Has-Attach``) when only the headers are known; the real
            answer once :func:`~mailwise_desktop.mail.parse.parse_message` ran.
    """

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    from_: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    date: datetime | None
    has_attachments_hint: bool
    date_raw: str = ""  # the Date text as sent, kept only when ``date`` is None


# Dates outside this range are a sender's clock or a forgery, and a year past
# 9999 in any zone breaks ``datetime``: such a message sorts by INTERNALDATE
# and shows its raw Date text (``date_raw``).
EARLIEST_DATE = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_DATE = datetime(2200, 1, 1, tzinfo=UTC)


def sane_date(value: datetime | None) -> datetime | None:
    """The date if it lies in the sane range, else None."""
    if value is None:
        return None
    try:
        return value if EARLIEST_DATE <= value < LATEST_DATE else None
    except (OverflowError, ValueError):
        return None


def _raw_date_text(value: str | None) -> str:
    if not value:
        return ""
    text = to_bytes(value).decode("utf-8", "replace")  # no lone surrogates in the cache
    return strip_line_breaks(" ".join(unfold(text).split())[:200])


def parse_date(value: str | None) -> datetime | None:
    """Parse a Date header; a missing zone (or ``-0000``) is read as UTC."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(" ".join(unfold(value).split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _attachment_hint(items: dict[str, list[str]]) -> bool:
    ms_hint = items.get("x-ms-has-attach", [""])[0].strip().lower()
    if ms_hint == "yes":
        return True
    content_type = parse_header_value(items.get("content-type", [None])[0])
    disposition = parse_header_value(items.get("content-disposition", [None])[0])
    if content_type.value in _ATTACHMENT_TYPES or disposition.value == "attachment":
        return True
    major = content_type.value.partition("/")[0]
    return major in ("application", "image", "audio", "video")


def collect_items(pairs: Iterable[tuple[str, object]]) -> dict[str, list[str]]:
    """Group raw header values by lower-cased name, in order of appearance."""
    items: dict[str, list[str]] = {}
    for name, value in pairs:
        items.setdefault(name.strip().lower(), []).append(str(value))
    return items


def header_info_from_items(items: dict[str, list[str]]) -> HeaderInfo:
    """Build a :class:`HeaderInfo` from :func:`collect_items` output."""

    def first(name: str) -> str | None:
        values = items.get(name)
        return values[0] if values else None

    addresses: dict[str, tuple[Address, ...]] = {}
    for name in _ADDRESS_HEADERS:
        found: list[Address] = []
        for value in items.get(name, []):
            found.extend(parse_address_list(value))
        addresses[name] = tuple(found)
    subject = first("subject")
    with softbank_sender(a.email for a in addresses["from"]):
        subject_text = decode_header_text(subject).strip() if subject is not None else ""
    return HeaderInfo(
        message_id=parse_msg_id(first("message-id")),
        in_reply_to=parse_msg_id(first("in-reply-to")),
        references=parse_references(first("references")),
        subject=subject_text,
        from_=addresses["from"],
        to=addresses["to"],
        cc=addresses["cc"],
        reply_to=addresses["reply-to"],
        date=(date := sane_date(parse_date(first("date")))),
        has_attachments_hint=_attachment_hint(items),
        date_raw=_raw_date_text(first("date")) if date is None else "",
    )


def header_info_from_message(message: Message) -> HeaderInfo:
    """Build a :class:`HeaderInfo` from a message parsed with ``compat32``."""
    return header_info_from_items(collect_items(message.raw_items()))


def _parse_headers_full(raw_header: bytes) -> HeaderInfo:
    """:func:`parse_headers` through ``email.parser`` and the full routines only."""
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    try:
        message = parser.parsebytes(raw_header, headersonly=True)
    except (RecursionError, ValueError, TypeError, LookupError):
        return header_info_from_items({})
    return header_info_from_message(message)


def _header_info_fast(items: dict[str, list[str]]) -> HeaderInfo:
    """:func:`header_info_from_items`, taking the fast path of each field when it can."""
    get = items.get
    addresses: list[tuple[Address, ...]] = []
    for name in _ADDRESS_HEADERS:
        values = get(name)
        if not values:
            addresses.append(())
        elif len(values) == 1:
            addresses.append(parse_addresses(values[0]))
        else:
            addresses.append(tuple(found for value in values for found in parse_addresses(value)))
    message_id = in_reply_to = subject = None
    references: tuple[str, ...] = ()
    date: datetime | None = None
    date_raw = ""
    if values := get("message-id"):
        message_id = msg_id_simple(values[0]) or parse_msg_id(values[0])
    if values := get("in-reply-to"):
        in_reply_to = msg_id_simple(values[0]) or parse_msg_id(values[0])
    if values := get("references"):
        simple_ids = references_simple(values[0])
        references = parse_references(values[0]) if simple_ids is None else simple_ids
    if values := get("subject"):
        value = values[0]
        if value.isascii() and "=?" not in value and "\x1b" not in value:
            # No encoded-word, 8-bit byte or JIS escape: no Shift_JIS to read, so the
            # sender's phone cannot matter (most subjects: skip deciding it)
            subject = decode_words(value).strip()
        else:
            with softbank_sender(a.email for a in addresses[0]):
                subject = decode_words(value).strip()
    if values := get("date"):
        simple, date = parse_date_simple(values[0])
        if not simple:
            date = parse_date(values[0])
        date = sane_date(date)
        if date is None:
            date_raw = _raw_date_text(values[0])
    hint = get("x-ms-has-attach", [""])[0].strip().lower() == "yes"
    if not hint:
        content_type = main_value(values[0] if (values := get("content-type")) else None)
        disposition = get("content-disposition")
        hint = (
            content_type in _ATTACHMENT_TYPES
            or main_value(disposition[0] if disposition else None) == "attachment"
            or content_type.partition("/")[0] in ("application", "image", "audio", "video")
        )
    from_, to, cc, reply_to = addresses
    return HeaderInfo(
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        subject=subject or "",
        from_=from_,
        to=to,
        cc=cc,
        reply_to=reply_to,
        date=date,
        has_attachments_hint=hint,
        date_raw=date_raw,
    )


def parse_headers(raw_header: bytes) -> HeaderInfo:
    """Parse a raw header block (``BODY.PEEK[HEADER]``); a body, if any, is ignored.

    Args:
        raw_header: the header bytes as fetched.

    Returns:
        The decoded summary. Never raises on malformed input.
    """
    items = split_fields(raw_header) if isinstance(raw_header, bytes) else None
    if items is None:
        return _parse_headers_full(raw_header)
    return _header_info_fast(items)
