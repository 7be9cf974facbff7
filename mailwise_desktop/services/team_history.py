"""History and notes of one customer message, read from the cached team records.

Events are written after every won change (``services/coordination.py``) and
read back here in UID order: who did what, when, and who held the message
since when (the "held by 佐藤 since 10:42" of a refused claim). The history
also answers the repair rule's "latest accepted claim".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mailwise_desktop.core.roster import Roster
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a message's state or owner.

    Attributes:
        record_uid: the event's UID in the team mailbox (its order).
        at: when it happened (the writer's clock).
        actor: teammate id of who did it; ``actor_name`` their display name.
        operation: ``claim``, ``release``, … or ``repair``.
        from_state, to_state: handling states before and after.
        owner: teammate id owning it afterwards (None: nobody); ``owner_name``.
        summary: the human-readable line (the record's subject).
    """

    record_uid: int
    at: datetime
    actor: str
    actor_name: str
    operation: str
    from_state: str | None
    to_state: str | None
    owner: str | None
    owner_name: str | None
    summary: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class NoteEntry:
    """A note a teammate left on a message."""

    record_uid: int
    at: datetime
    actor: str
    actor_name: str
    text: str


def _at(record: TeamRecord) -> datetime:
    return datetime.fromtimestamp(record.created, UTC)


def _side(payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key)
    return value if isinstance(value, dict) else {}


def _slot(side: dict[str, Any]) -> int | None:
    value = side.get("owner_slot")
    return value if isinstance(value, int) else None


def history_entries(records: Sequence[TeamRecord], roster: Roster) -> list[HistoryEntry]:
    """Event records (UID order) as history entries, names from the roster."""
    entries = []
    for r in records:
        if r.kind != RecordKind.EVENT or r.uid is None:
            continue
        before, after = _side(r.payload, "from"), _side(r.payload, "to")
        actor = roster.by_id(r.actor)
        owner = roster.by_slot(_slot(after))
        owner_id = owner.id if owner else after.get("owner")
        entries.append(
            HistoryEntry(
                record_uid=r.uid,
                at=_at(r),
                actor=r.actor,
                actor_name=actor.label if actor else r.actor,
                operation=str(r.payload.get("operation", "")),
                from_state=before.get("state"),
                to_state=after.get("state"),
                owner=owner_id if isinstance(owner_id, str) else None,
                owner_name=owner.label if owner else None,
                summary=r.subject,
                payload=r.payload,
            )
        )
    return entries


def note_entries(records: Sequence[TeamRecord], roster: Roster) -> list[NoteEntry]:
    """Note records (UID order) as note entries; a tombstone hides the note it names."""
    deleted = {
        str(r.payload.get("supersedes"))
        for r in records
        if r.kind == RecordKind.NOTE and r.payload.get("deleted") is True
    }
    notes = []
    for r in records:
        if r.kind != RecordKind.NOTE or r.uid is None or r.payload.get("deleted") is True:
            continue
        if r.record_id in deleted:
            continue
        actor = roster.by_id(r.actor)
        notes.append(NoteEntry(r.uid, _at(r), r.actor, actor.label if actor else r.actor, _text(r)))
    return notes


def _text(record: TeamRecord) -> str:
    value = record.payload.get("text", "")
    return value if isinstance(value, str) else str(value)


def latest_owner_slot(records: Sequence[TeamRecord]) -> int | None:
    """The owner the history last accepted (the repair rule's "latest accepted claim").

    The latest event's resulting owner: a later release means nobody, not the
    claim before it.
    """
    events = [r for r in records if r.kind == RecordKind.EVENT]
    return _slot(_side(events[-1].payload, "to")) if events else None


def holder_since(records: Sequence[TeamRecord], slot: int) -> datetime | None:
    """When ``slot`` became the owner in its current run of ownership, if the history says."""
    since: datetime | None = None
    for r in records:
        if r.kind != RecordKind.EVENT:
            continue
        before, after = _slot(_side(r.payload, "from")), _slot(_side(r.payload, "to"))
        if after != slot:
            since = None
        elif before != slot or since is None:
            since = _at(r)
    return since


def clock(moment: datetime, now: datetime | None = None) -> str:
    """``10:42`` today, ``2026-11-28 10:42`` on another day (local time)."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
