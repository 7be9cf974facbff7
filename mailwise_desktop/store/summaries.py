"""The message list's row, built from a cache row's plain column values.

No SQLAlchemy here: the CLI's direct sqlite3 reader (store/direct_read.py)
and the ORM queries (store/queries.py) build the same value from the same
columns through :func:`summary_of`, so both print identically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

OwnerFilter = int | Literal["none"] | None

#: The messages columns :func:`summary_of` takes, in its argument order.
SUMMARY_COLUMNS = (
    "id",
    "mailbox_id",
    "uid",
    "message_id",
    "in_reply_to",
    "references",
    "subject",
    "from_name",
    "from_email",
    "to_json",
    "cc_json",
    "date",
    "size",
    "flags",
    "seen",
    "answered",
    "has_attachments",
    "state",
    "owner_slot",
    "state_problem",
    "body_status",
    "modseq",
    "date_raw",
    "read_problem",
)


@dataclass(frozen=True)
class MessageSummary:
    """One row of the message list."""

    id: int
    mailbox_id: int
    uid: int
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    from_name: str
    from_email: str
    to: tuple[tuple[str, str], ...]
    cc: tuple[tuple[str, str], ...]
    date: datetime | None
    size: int
    flags: tuple[str, ...]
    seen: bool
    answered: bool
    has_attachments: bool
    state: str
    owner_slot: int | None
    state_problem: str | None
    body_status: str
    modseq: int
    # The Date header as sent when it could not be used: ``date`` is then the
    # INTERNALDATE (for sorting) and this text is what is shown
    date_raw: str = ""
    read_problem: str | None = None  # set: the message could not be read fully


def _as_datetime(stamp: float | None) -> datetime | None:
    # A cached stamp from anywhere must not break a summary (year 10000 raises)
    if stamp is None:
        return None
    try:
        return datetime.fromtimestamp(stamp, UTC)
    except (OverflowError, ValueError, OSError):
        return None


def summary_of(values: Sequence[Any]) -> MessageSummary:
    """The summary of one cached message from its :data:`SUMMARY_COLUMNS` values, in order.

    Booleans may come as SQLite's 0/1 (the direct reader) or as bool (the ORM).
    """
    (
        row_id,
        mailbox_id,
        uid,
        message_id,
        in_reply_to,
        references,
        subject,
        from_name,
        from_email,
        to_json,
        cc_json,
        date,
        size,
        flags,
        seen,
        answered,
        has_attachments,
        state,
        owner_slot,
        state_problem,
        body_status,
        modseq,
        date_raw,
        read_problem,
    ) = values
    return MessageSummary(
        id=row_id,
        mailbox_id=mailbox_id,
        uid=uid,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=tuple(references.split()),
        subject=subject,
        from_name=from_name,
        from_email=from_email,
        to=tuple((n, e) for n, e in json.loads(to_json)),
        cc=tuple((n, e) for n, e in json.loads(cc_json)),
        date=_as_datetime(date),
        size=size,
        flags=tuple(flags.split()),
        seen=bool(seen),
        answered=bool(answered),
        has_attachments=bool(has_attachments),
        state=state,
        owner_slot=owner_slot,
        state_problem=state_problem,
        body_status=body_status,
        modseq=modseq,
        date_raw=date_raw,
        read_problem=read_problem,
    )
