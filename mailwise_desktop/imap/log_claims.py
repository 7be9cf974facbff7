"""Mode B changes on the wire: APPEND a record, read the log back, say who won.

The writer EXAMINEs the team mailbox, finds the target's records (and the
mailbox's mode chain) with one header SEARCH, decides on the head's state
(``core/states.py: check``), APPENDs a record naming that head as its base,
learns its UID from APPENDUID (or, without UIDPLUS, by reading the records
that arrived since and finding its Message-ID), and reads back only what
arrived since its first read until its record is placed; then
``core/claim_log.py: resolve`` says whether it was accepted ("yours") or lost
to an earlier record ("taken by …"). Bodies already known (read before on
this connection, or cached locally) are never fetched again, so an
uncontended claim is EXAMINE + SEARCH + APPEND + SEARCH. A record rejected
because the head moved on while the operation still applies (someone
released in between) is retried on the new head a few times. A record placed
after the mailbox's mode chain moved to keywords is fenced off
(:attr:`LogStatus.FENCED`): the caller runs the operation in Mode A.
Rejected records stay in the log; every reader skips them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from imapclient import IMAPClient

from mailwise_desktop.core.claim_log import (
    LOG_MODE,
    LogEntry,
    Resolution,
    resolve_records,
)
from mailwise_desktop.core.errors import ProtocolError
from mailwise_desktop.core.log_modes import Authority, ModeEntry, Phase, mode_payload, mode_target
from mailwise_desktop.core.states import Operation, Refusal, StateView, Transition, check
from mailwise_desktop.mail.team_records import (
    RecordKind,
    TeamRecord,
    build_message,
    event_subject,
    parse_message,
)

_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")
READ_BACK_TIMEOUT = 10.0
#: Known record bodies by UID for a UIDVALIDITY (e.g. the local cache of the team mailbox).
KnownRecords = Callable[[int, Sequence[int]], Mapping[int, TeamRecord]]
#: A decision on the current state: the transition to write, or why not.
Decide = Callable[[StateView], Transition | Refusal]


class LogStatus(StrEnum):
    WON = "won"  # our record is the new head
    REFUSED = "refused"  # the head's state does not allow the operation
    UNCHANGED = "unchanged"  # already so: nothing written
    CONTENDED = "contended"  # still allowed, but every record lost a race
    FENCED = "fenced"  # the mailbox's mode chain says keywords: Mode B does not decide


@dataclass(frozen=True)
class LogResult:
    """How a Mode B change ended.

    Attributes:
        status: how it ended.
        view: the target's state now (ours after a win, the winner's otherwise).
        head: the head entry now (None when the target has none).
        refusal: why not, for :attr:`LogStatus.REFUSED`.
        attempts: records written.
        records: every record read or written on the way (to cache them).
        chain: the mailbox's mode chain head as read (None: none yet).
    """

    status: LogStatus
    view: StateView
    head: LogEntry | None
    refusal: Refusal | None = None
    attempts: int = 0
    records: tuple[TeamRecord, ...] = ()
    chain: ModeEntry | None = None


@dataclass
class _Reading:
    """What one change has read of the team mailbox so far."""

    uidvalidity: int = 0
    uidnext: int = 1  # UIDNEXT when it was examined: later UIDs are read back
    records: dict[int, TeamRecord] = field(default_factory=dict)


class LogClaims:
    """Mode B on one connection; the client is used from one thread only.

    Args:
        client: a logged-in connection (it EXAMINEs the team mailbox and leaves
            it selected: the caller reselects what it works in).
        team_mailbox: the team mailbox's name (it must exist).
        sender: cosmetic From of the records.
        mailbox: the customer mailbox the targets are in (its mode chain is
            read along; None: no chain, as in the protocol tests).
        known: bodies the caller already has, by UID (saves the FETCH).
    """

    def __init__(
        self,
        client: IMAPClient,
        team_mailbox: str,
        *,
        sender: str | None = None,
        mailbox: str | None = None,
        known: KnownRecords | None = None,
    ):
        self.client = client
        self.team_mailbox = team_mailbox
        self.sender = sender or "mailwise@mailwise.invalid"
        self.mailbox = mailbox
        self.known = known
        self._bodies: dict[tuple[int, int], TeamRecord | None] = {}
        self.round_trips = 0  # commands sent (the bench reports them)
        self._has_uidplus: bool | None = None

    # -- reading ----------------------------------------------------------

    def _examine(self) -> _Reading:
        info = self.client.select_folder(self.team_mailbox, readonly=True)
        self.round_trips += 1
        return _Reading(int(info.get(b"UIDVALIDITY", 0)), int(info.get(b"UIDNEXT", 1) or 1))

    def _criteria(self, target: str, since: int | None) -> list[Any]:
        by_target: list[Any] = ["HEADER", "X-Mailwise-Target", target]
        if self.mailbox is not None:
            chain = ["HEADER", "X-Mailwise-Target", mode_target(self.mailbox)]
            by_target = ["OR", *by_target, *chain]
        return (["UID", f"{since}:*"] if since is not None else []) + by_target

    def _read(self, reading: _Reading, target: str, since: int | None) -> list[int]:
        """SEARCH (from UID ``since`` on) and bring the bodies found into ``reading``."""
        self.round_trips += 1
        uids = sorted(int(u) for u in self.client.search(self._criteria(target, since)))
        if since is not None:
            uids = [u for u in uids if u >= since]  # "N:*" also names the last message
        wanted = [u for u in uids if (reading.uidvalidity, u) not in self._bodies]
        if wanted and self.known is not None:
            for uid, record in self.known(reading.uidvalidity, wanted).items():
                self._bodies[(reading.uidvalidity, uid)] = record
            wanted = [u for u in wanted if (reading.uidvalidity, u) not in self._bodies]
        if wanted:
            self.round_trips += 1
            for uid, data in self.client.fetch(wanted, ["BODY.PEEK[]"]).items():
                raw = data.get(b"BODY[]")
                parsed = parse_message(raw, int(uid)) if isinstance(raw, bytes) else None
                self._bodies[(reading.uidvalidity, int(uid))] = parsed
        chain_target = mode_target(self.mailbox) if self.mailbox is not None else None
        for uid in uids:
            body = self._bodies.get((reading.uidvalidity, uid))
            if body is not None and body.target in (target, chain_target):
                reading.records[uid] = body
        return uids

    def entries(self, target: str) -> list[TeamRecord]:
        """Every record about ``target`` (and the mode chain), in UID order (a fresh read)."""
        reading = self._examine()
        self._read(reading, target, None)
        return [reading.records[u] for u in sorted(reading.records)]

    def resolution(self, target: str) -> Resolution:
        return resolve_records(self.entries(target))

    def chain_head(self) -> ModeEntry | None:
        """The mailbox's mode chain head, read fresh (None: no link yet)."""
        assert self.mailbox is not None
        return resolve_records(self.entries(mode_target(self.mailbox))).chain.get(self.mailbox)

    def put_link(
        self,
        authority: Authority,
        phase: Phase,
        *,
        actor: str,
        actor_label: str,
        base: str | None,
        auto: bool,
    ) -> tuple[ModeEntry | None, bool, tuple[TeamRecord, ...]]:
        """APPEND a mode link on ``base``.

        Returns:
            The link that heads the chain afterwards, whether it is ours, and
            every record read.
        """
        assert self.mailbox is not None
        target = mode_target(self.mailbox)
        reading = self._examine()
        self._read(reading, target, None)
        head = resolve_records(reading.records.values()).chain.get(self.mailbox)
        if (head.record_id if head else None) != base:
            return head, False, tuple(reading.records.values())
        words = {Authority.LOG: "the team log", Authority.KEYWORDS: "labels on each message"}
        record = TeamRecord(
            kind=RecordKind.MODE,
            target=target,
            actor=actor,
            payload=mode_payload(self.mailbox, authority, phase, base, auto=auto),
            subject=f"[mailwise] {actor_label}: {self.mailbox} → {words[authority]} ({phase})",
        )
        uid = self._append(record)
        placed = self._read_back(reading, target, record, uid)
        now = placed.chain.get(self.mailbox)
        ours = now is not None and now.record_id == record.record_id
        return now, ours, tuple(reading.records.values())

    # -- writing ----------------------------------------------------------

    def change(
        self,
        target: str,
        operation: Operation | str,
        *,
        actor: str,
        actor_label: str,
        me: int,
        subject: str = "",
        target_slot: int | None = None,
        take_over: bool = False,
        retries: int = 3,
        decide: Decide | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> LogResult:
        """Apply ``operation`` by teammate ``actor`` (owner slot ``me``) to ``target``.

        Args:
            decide: decides instead of ``core/states.py: check`` (e.g. "sent":
                done by me whatever the state); ``operation`` then only names it.
            extra: more payload fields for the record (e.g. the reply's Message-ID).
        """
        reading = self._examine()
        self._read(reading, target, None)
        attempts = 0
        while True:
            known = resolve_records(reading.records.values())
            head = known.heads.get(target)
            current = known.view(target)
            link = known.chain.get(self.mailbox) if self.mailbox is not None else None
            done = self._result(reading, head, current, attempts, link)
            if link is not None and not link.log_writes_allowed:
                return done(LogStatus.FENCED)
            if decide is not None:
                decided = decide(current)
            else:
                decided = check(Operation(operation), current, me, target_slot, take_over)
            if isinstance(decided, Refusal):
                return done(LogStatus.REFUSED, decided)
            if decided.after == current:
                return done(LogStatus.UNCHANGED)
            if attempts > retries:
                return done(LogStatus.CONTENDED)
            attempts += 1
            record = self._record(
                target,
                operation=str(operation),
                actor=actor,
                actor_label=actor_label,
                subject=subject,
                head=head,
                decided=decided,
                extra=extra or {},
            )
            uid = self._append(record)
            placed = self._read_back(reading, target, record, uid)
            if record.record_id in placed.accepted:
                mine = placed.heads[target]
                return self._result(
                    reading, mine, mine.view, attempts, placed.chain.get(self.mailbox or "")
                )(LogStatus.WON)
            # Lost (someone's record was placed first) or fenced: decide again.

    def _result(
        self,
        reading: _Reading,
        head: LogEntry | None,
        view: StateView,
        attempts: int,
        link: ModeEntry | None,
    ) -> Callable[..., LogResult]:
        def make(status: LogStatus, refusal: Refusal | None = None) -> LogResult:
            records = tuple(reading.records[u] for u in sorted(reading.records))
            return LogResult(status, view, head, refusal, attempts, records, link)

        return make

    def _record(
        self,
        target: str,
        *,
        operation: str,
        actor: str,
        actor_label: str,
        subject: str,
        head: LogEntry | None,
        decided: Transition,
        extra: Mapping[str, Any],
    ) -> TeamRecord:
        def side(view: StateView) -> dict[str, Any]:
            return {"state": str(view.state), "owner_slot": view.owner_slot}

        payload: dict[str, Any] = {
            **extra,
            "mode": LOG_MODE,
            "operation": operation,
            "base": head.record_id if head else None,
            "from": side(decided.before),
            "to": side(decided.after),
            "subject": subject,
        }
        if self.mailbox is not None:
            payload["mailbox"] = self.mailbox
        return TeamRecord(
            kind=RecordKind.EVENT,
            target=target,
            actor=actor,
            payload=payload,
            subject=event_subject(actor_label, operation, subject),
        )

    def _append(self, record: TeamRecord) -> int | None:
        self.round_trips += 1
        reply = self.client.append(
            self.team_mailbox, build_message(record, sender=self.sender), flags=("\\Seen",)
        )
        found = _APPENDUID.search(reply or b"")
        if found is None or not self._uidplus():
            return None  # without UIDPLUS an APPENDUID is not the server's promise
        return int(found.group(1))

    def _uidplus(self) -> bool:
        if self._has_uidplus is None:
            self._has_uidplus = bool(self.client.has_capability("UIDPLUS"))
        return self._has_uidplus

    def _read_back(
        self, reading: _Reading, target: str, record: TeamRecord, uid: int | None
    ) -> Resolution:
        """Read what arrived since the first read until our record is in it; resolve up to it.

        With APPENDUID our record is known by its UID and its body is not
        fetched; without, it is found among the new records by its Message-ID.
        """
        deadline = time.monotonic() + READ_BACK_TIMEOUT
        if uid is not None:
            self._bodies[(reading.uidvalidity, uid)] = replace(record, uid=uid)
        while True:
            found = self._read(reading, target, reading.uidnext)
            if uid is None:  # no UIDPLUS: find our record by its Message-ID
                uid = next(
                    (
                        u
                        for u in found
                        if reading.records.get(u, _NONE).record_id == record.record_id
                    ),
                    None,
                )
            if uid is not None and uid in found:
                return resolve_records(r for u, r in reading.records.items() if u <= uid)
            if time.monotonic() > deadline:
                raise ProtocolError(
                    "The team mailbox did not show our change; try again.",
                    detail=f"record {record.record_id} not found after APPEND",
                )
            self.client.noop()  # let the session see what was added
            self.round_trips += 1
            time.sleep(0.02)


_NONE = TeamRecord(kind="", target="", actor="", payload={}, subject="", record_id="")
