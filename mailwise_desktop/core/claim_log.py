"""Mode B: the team mailbox's log is the authority on handling state (COORDINATION.md).

Where a server keeps no custom keywords or has no CONDSTORE, each change of
state or owner is one APPENDed record naming its target message and the
record it supersedes (its *base*). Every reader applies the records in UID
order and accepts one only when its base is the target's current head, so of
two records written against the same head exactly the first placed wins —
without clocks, on any server that assigns UIDs in order.

Pure: no I/O. ``imap/log_claims.py`` writes and reads the records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from mailwise_desktop.core.states import HandlingState, StateView

#: payload["mode"] of a Mode B record; Mode A history events have none.
LOG_MODE = "log"


@dataclass(frozen=True)
class LogEntry:
    """One Mode B change as read from the team mailbox.

    Attributes:
        uid: its UID in the team mailbox (the order of application).
        record_id: its Message-ID (what later records name as their base).
        target: the customer message's key.
        base: the record_id it supersedes; None when it claims the first head.
        actor: teammate id of the writer.
        state: the state it sets.
        owner_slot: the owner slot it sets (None: nobody).
    """

    uid: int
    record_id: str
    target: str
    base: str | None
    actor: str
    state: HandlingState
    owner_slot: int | None

    @property
    def view(self) -> StateView:
        return StateView(self.state, self.owner_slot)


@dataclass
class Resolution:
    """The log applied in UID order.

    Attributes:
        heads: per target, the last accepted entry.
        accepted: record ids of accepted entries.
        rejected: record id → the head (record id or None) that was current
            when it was read, for entries whose base was stale.
        winner_of: record id of a rejected entry → the accepted entry it lost to
            (the one that was head when it arrived).
    """

    heads: dict[str, LogEntry] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)
    rejected: dict[str, str | None] = field(default_factory=dict)
    winner_of: dict[str, LogEntry] = field(default_factory=dict)

    def view(self, target: str) -> StateView:
        """The target's state: its head's, or unhandled with nobody when it has none."""
        head = self.heads.get(target)
        return head.view if head else StateView(HandlingState.UNHANDLED, None)


def resolve(entries: Iterable[LogEntry]) -> Resolution:
    """Apply ``entries`` in UID order; duplicates of a UID or record id count once."""
    result = Resolution()
    seen: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.uid):
        if entry.record_id in seen:
            continue
        seen.add(entry.record_id)
        head = result.heads.get(entry.target)
        current = head.record_id if head else None
        if entry.base == current:
            result.heads[entry.target] = entry
            result.accepted.add(entry.record_id)
        else:
            result.rejected[entry.record_id] = current
            if head is not None:
                result.winner_of[entry.record_id] = head
    return result


def entry_from(
    uid: int, record_id: str, target: str, actor: str, payload: Mapping[str, Any]
) -> LogEntry | None:
    """A :class:`LogEntry` from a team record's parts; None when it is not a valid Mode B record.

    Outside input: anything malformed is skipped, never raised.
    """
    if payload.get("mode") != LOG_MODE:
        return None
    to = payload.get("to")
    base = payload.get("base")
    if not isinstance(to, Mapping) or not (base is None or isinstance(base, str)):
        return None
    try:
        state = HandlingState(str(to.get("state")))
    except ValueError:
        return None
    slot = to.get("owner_slot")
    if slot is not None and (not isinstance(slot, int) or isinstance(slot, bool) or slot < 0):
        return None
    return LogEntry(uid, record_id, target, base, actor, state, slot)


class _Record(Protocol):
    @property
    def uid(self) -> int | None: ...
    @property
    def record_id(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Record)


def drop_rejected(records: Sequence[R]) -> list[R]:
    """``records`` without the Mode B ones every reader rejects (history must not show them)."""
    entries = [
        e
        for r in records
        if r.uid is not None
        and (e := entry_from(r.uid, r.record_id, r.target, r.actor, r.payload)) is not None
    ]
    if not entries:
        return list(records)
    rejected = resolve(entries).rejected
    return [r for r in records if r.record_id not in rejected]
