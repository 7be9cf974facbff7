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

from mailwise_desktop.core.log_modes import MODE_KIND, ModeEntry, mode_entry_from
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
        mailbox: the customer mailbox (None: written before records named it).
        seed: a Mode A history event: not a change of the log, but the state
            the log starts from when the mailbox switches to Mode B.
    """

    uid: int
    record_id: str
    target: str
    base: str | None
    actor: str
    state: HandlingState
    owner_slot: int | None
    mailbox: str | None = None
    seed: bool = False

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
        fenced: record ids of Mode B entries placed while their mailbox's
            chain said keywords (the writer missed a switch).
        chain: per mailbox, the head of its mode chain.
    """

    heads: dict[str, LogEntry] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)
    rejected: dict[str, str | None] = field(default_factory=dict)
    winner_of: dict[str, LogEntry] = field(default_factory=dict)
    fenced: set[str] = field(default_factory=set)
    chain: dict[str, ModeEntry] = field(default_factory=dict)

    def view(self, target: str) -> StateView:
        """The target's state: its head's, or unhandled with nobody when it has none."""
        head = self.heads.get(target)
        return head.view if head else StateView(HandlingState.UNHANDLED, None)

    def shows_log(self, mailbox: str) -> bool:
        """The mailbox's list shows the log's state (its chain says so)."""
        link = self.chain.get(mailbox)
        return link is not None and link.shows_log


def resolve(entries: Iterable[LogEntry | ModeEntry]) -> Resolution:
    """Apply ``entries`` in UID order; duplicates of a UID or record id count once.

    Mode links form a chain per mailbox (first placed on a head wins). Mode A
    events (``seed``) are remembered per mailbox while its chain is not on the
    log; when the chain moves to the log they become the heads, so the state
    the keywords held is where the log starts. A Mode B entry of a mailbox
    whose chain says keywords is fenced off.
    """
    result = Resolution()
    seen: set[str] = set()
    seeds: dict[str, dict[str, LogEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.uid):
        if entry.record_id in seen:
            continue
        seen.add(entry.record_id)
        if isinstance(entry, ModeEntry):
            _apply_link(result, seeds, entry)
            continue
        link = result.chain.get(entry.mailbox) if entry.mailbox else None
        if entry.seed:
            if entry.mailbox and (link is None or not link.log_writes_allowed):
                seeds.setdefault(entry.mailbox, {})[entry.target] = entry
            continue
        if link is not None and not link.log_writes_allowed:
            result.fenced.add(entry.record_id)
            continue
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


def _apply_link(result: Resolution, seeds: dict[str, dict[str, LogEntry]], link: ModeEntry) -> None:
    head = result.chain.get(link.mailbox)
    if link.base != (head.record_id if head else None):
        result.rejected[link.record_id] = head.record_id if head else None
        return
    result.chain[link.mailbox] = link
    result.accepted.add(link.record_id)
    was_log = head is not None and head.log_writes_allowed
    if link.log_writes_allowed and not was_log:
        # Onto the log: the Mode A state (its last events) is where the log starts.
        result.heads.update(seeds.pop(link.mailbox, {}))


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
    mailbox = payload.get("mailbox")
    if mailbox is not None and not isinstance(mailbox, str):
        return None
    view = _side(to)
    if view is None:
        return None
    return LogEntry(uid, record_id, target, base, actor, view.state, view.owner_slot, mailbox)


def seed_from(
    uid: int, record_id: str, target: str, actor: str, payload: Mapping[str, Any]
) -> LogEntry | None:
    """A Mode A history event as a seed (its ``to`` side); None when it has none."""
    if payload.get("mode") == LOG_MODE:
        return None
    to, mailbox = payload.get("to"), payload.get("mailbox")
    if not isinstance(to, Mapping) or not isinstance(mailbox, str) or not mailbox:
        return None
    view = _side(to)
    if view is None:
        return None
    return LogEntry(
        uid, record_id, target, None, actor, view.state, view.owner_slot, mailbox, seed=True
    )


def _side(side: Mapping[str, Any]) -> StateView | None:
    try:
        state = HandlingState(str(side.get("state")))
    except ValueError:
        return None
    slot = side.get("owner_slot")
    if slot is not None and (not isinstance(slot, int) or isinstance(slot, bool) or slot < 0):
        return None
    return StateView(state, slot)


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
    def kind(self) -> str: ...
    @property
    def created(self) -> float: ...
    @property
    def payload(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Record)


def log_items(records: Iterable[_Record]) -> list[LogEntry | ModeEntry]:
    """The resolution's inputs among team records (Mode B changes, Mode A events, mode links)."""
    found: list[LogEntry | ModeEntry] = []
    for r in records:
        if r.uid is None:
            continue
        item: LogEntry | ModeEntry | None = None
        if r.kind == MODE_KIND:
            item = mode_entry_from(r.uid, r.record_id, r.actor, r.payload, r.created)
        elif r.kind == "event":
            item = entry_from(r.uid, r.record_id, r.target, r.actor, r.payload) or seed_from(
                r.uid, r.record_id, r.target, r.actor, r.payload
            )
        if item is not None:
            found.append(item)
    return found


def resolve_records(records: Iterable[_Record]) -> Resolution:
    """:func:`resolve` over team records (other kinds are ignored)."""
    return resolve(log_items(records))


def drop_rejected(records: Sequence[R], chain: Sequence[_Record] = ()) -> list[R]:
    """``records`` without the Mode B ones every reader rejects (history must not show them).

    ``chain``: the account's mode records, so entries fenced off by a switch are known.
    """
    items = log_items([*records, *chain])
    if not any(isinstance(i, LogEntry) and not i.seed for i in items):
        return list(records)
    found = resolve(items)
    return [
        r for r in records if r.record_id not in found.rejected and r.record_id not in found.fenced
    ]
