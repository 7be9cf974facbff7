"""Plain values read from the cache: folders, attachments, bodies, the list's sort keys.

No SQLAlchemy here, so the window can show its first page (through
store/direct_list.py) before SQLAlchemy is imported; store/queries.py
builds the same values through the ORM and re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SortKey = Literal["date", "subject", "from", "size", "state"]

#: The messages column each sort key orders by (uid breaks ties).
SORT_COLUMN_NAMES: dict[str, str] = {
    "date": "date",
    "subject": "subject",
    "from": "from_name",
    "size": "size",
    "state": "state",
}


@dataclass(frozen=True)
class MailboxInfo:
    id: int
    account_id: str
    name: str
    synced: bool
    special_use: str | None
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    exists: int
    last_sync: float | None


@dataclass(frozen=True)
class AttachmentSummary:
    part_id: str
    filename: str
    content_type: str
    size: int
    content_id: str | None
    inline: bool


@dataclass(frozen=True)
class CachedBody:
    raw: bytes
    text: str
    html: str | None
    defects: tuple[str, ...]
    attachments: tuple[AttachmentSummary, ...]
