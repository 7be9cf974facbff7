"""One compare-and-set on one message, as the coordination services run it.

:class:`HandlingCas` ties the pieces together for a single UID: the cached
row (synced first when missing), its target key for team records, the roster
and history (read from the server when the keywords name a slot the cache does
not know, or need repair), the pure decision (imap/handling_decision.py) handed
to ``imap/cas.py`` with the facts read before it, and after the CAS returns:
the cache update from its result and the history event after a win.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.errors import ErrorCase, NotFoundError
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import Operation, StateView
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.cas import (
    CasResult,
    CasStatus,
    Decide,
    Intend,
    compare_and_set,
)
from mailwise_desktop.imap.coordination_check import prepare
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.handling_decision import (
    MakeDecide,
    NeedTeamRecordsError,
    TeamFacts,
    interpret,
    operation_decider,
)
from mailwise_desktop.imap.keywords import Decoded
from mailwise_desktop.imap.message_rows import flag_update
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord, event_subject, target_key
from mailwise_desktop.services import intended_records
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_history import latest_owner_slot
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries, team_queue
from mailwise_desktop.store.queries import MessageSummary

#: Builds the history event of a won CAS from its result.
RecordOf = Callable[[CasResult], TeamRecord]


class HandlingOwner(Protocol):
    """What a compare-and-set needs of its service: the profile, the account, the team log.

    The coordination service has them; so does any service that changes
    handling state (no import of services/coordination.py: no circle).
    """

    ctx: AppContext
    account: Account
    log: TeamLog


class HandlingCas:
    """The state of one operation on one message (not reused across messages)."""

    def __init__(
        self,
        service: HandlingOwner,
        ectx: EngineContext | None,
        mailbox: str,
        uid: int,
        roster: Roster | None = None,
    ) -> None:
        self.service = service
        self.ectx = ectx
        self.mailbox = mailbox
        self.uid = uid
        self.roster: Roster = roster or service.log.roster()
        self.refreshed = False
        self.before: StateView | None = None  # what the last decision saw
        self.problems: tuple[str, ...] = ()
        self._summary: MessageSummary | None = None
        self._box_uidvalidity: int | None = None
        #: The history event written ahead of the running STORE: (queue row, record).
        self.ahead: tuple[int, TeamRecord] | None = None
        #: The event of a won CAS, sendable, for :meth:`deliver`.
        self.won_event: tuple[int, TeamRecord] | None = None
        self._record_of: RecordOf | None = None
        #: Test hook: called with (uid, new modseq) right after a winning STORE.
        self.after_store: Callable[[int, int], None] | None = getattr(service, "after_store", None)

    # -- the message -----------------------------------------------------

    def summary(self) -> MessageSummary:
        """The cached row; synced from the server first when it is not cached yet."""
        if self._summary is None:
            self._summary = self._cached()
            if self._summary is None and self.ectx is not None:
                self.ectx.mailbox(self.mailbox).sync()
                self._summary = self._cached()
            if self._summary is None:
                raise NotFoundError(
                    f"No message with UID {self.uid} in {self.mailbox} "
                    "(not synced yet, or moved or deleted).",
                    case=ErrorCase.MESSAGE_NOT_CACHED,
                    data={"uid": str(self.uid), "mailbox": self.mailbox},
                )
        return self._summary

    def _cached(self) -> MessageSummary | None:
        with self.service.ctx.cache.transaction() as session:
            try:
                box = queries.mailbox(session, self.service.account.id, self.mailbox)
                self._box_uidvalidity = box.uidvalidity  # read with the row: one transaction
                return queries.message_by_uid(session, box.id, self.uid)
            except NotFoundError:
                return None

    def target_key(self) -> str:
        m = self.summary()
        return target_key(
            m.message_id, m.date.timestamp() if m.date else None, m.from_email, m.subject
        )

    def records(self) -> list[TeamRecord]:
        return self.service.log.records(self.target_key(), [RecordKind.EVENT])

    def refresh_team(self) -> bool:
        """Read new team records (roster, history) from the server; True when it could."""
        if self.ectx is None:
            return False
        self.service.log.refresh(self.ectx)
        self.roster = self.service.log.roster()
        self.refreshed = True
        return True

    # -- deciding --------------------------------------------------------

    def facts(self) -> TeamFacts:
        """The roster and history as this change knows them now, for a pure decision."""
        can_read_more = not self.refreshed and self.ectx is not None
        # The history is only consulted once it is fresh (or cannot be): no
        # cache read on the common path, where the keywords are valid.
        latest = None if can_read_more else latest_owner_slot(self.records())
        return TeamFacts(frozenset(self.roster.known_slots), latest, can_read_more)

    def interpret(self, decoded: Decoded) -> StateView:
        """(state, owner) as the repair rules read the keywords, with history and roster.

        Sets :attr:`problems`. Raises NeedTeamRecordsError as
        :func:`~mailwise_desktop.imap.handling_decision.interpret` does.
        """
        view, self.problems = interpret(decoded, self.facts())
        return view

    def run(  # noqa: PLR0917 - the operation's parts, then the hooks
        self,
        operation: Operation,
        me: int,
        target_slot: int | None,
        take_over: bool,
        before_store: Callable[[int, int], None] | None = None,
        record: RecordOf | None = None,
    ) -> CasResult:
        """``operation`` by slot ``me``: the pure transition decision, handed to the CAS.

        ``record``: the history event a win writes (see :meth:`run_made`).
        """

        def make(facts: TeamFacts) -> Decide:
            return operation_decider(
                operation, me, facts, target_slot=target_slot, take_over=take_over
            )

        return self.run_made(make, before_store, record)

    def run_made(
        self,
        make: MakeDecide,
        before_store: Callable[[int, int], None] | None = None,
        record: RecordOf | None = None,
    ) -> CasResult:
        """compare_and_set with ``make(facts)``; reads the team mailbox once if a decision asks.

        After it returns, :attr:`before` and :attr:`problems` say what the last
        decision saw (from the result, not from inside the decision).

        ``record``: the history event a win writes, built from a (won) result.
        It is written ahead, before each STORE, as an intended row
        (services/intended_records.py), and settled when the CAS returns: won
        → sendable (:meth:`deliver` APPENDs it), anything else → dropped. If the
        line drops mid-STORE the row stays intended until :meth:`settle`.
        """
        assert self.ectx is not None
        intend = None if record is None else self._intender(record)
        cached = self._cached_pair()
        while True:
            try:
                result = compare_and_set(
                    self.ectx.session.client,
                    self.uid,
                    make(self.facts()),
                    before_store=before_store,
                    intend=intend,
                    after_store=self.after_store,
                    cached=cached,
                )
                break
            except NeedTeamRecordsError:
                self.refresh_team()
                prepare(self.ectx, self.mailbox)  # the refresh may have EXAMINEd the team mailbox
            except BaseException:
                # In doubt (the line dropped mid-STORE) or failed otherwise: a row
                # written ahead is settled by the resume step, or else by a flush.
                if self.ahead is not None:
                    intended_records.end(self.ahead[0])
                    self.service.log.note_intended()
                raise
        if result.read is not None:
            self.before, self.problems = interpret(keywords.decode(result.read), self.facts())
        if record is not None:
            self.settle(result)
        return result

    def _cached_pair(self) -> tuple[tuple[str, ...], int] | None:
        """The cached row's (flags, MODSEQ) for a STORE without a FETCH first, if trustworthy.

        Only when the row is already read and its MODSEQ is not above the
        HIGHESTMODSEQ of this connection's last SELECT, under the same UIDVALIDITY:
        a server whose sequences went back (an index rebuilt without a new
        UIDVALIDITY) must not let a stale pair win. One round trip fewer per
        claim when the cache is current.
        """
        assert self.ectx is not None
        status = self.ectx.mailbox(self.mailbox).status
        row = self._summary
        if row is None or status is None or status.highestmodseq is None:
            return None
        if not 0 < row.modseq <= status.highestmodseq:
            return None
        if status.uidvalidity != self._uidvalidity():
            return None  # the row is of an earlier generation of the mailbox's UIDs
        return row.flags, row.modseq

    def run_decide(
        self,
        decide: Decide,
        before_store: Callable[[int, int], None] | None = None,
        record: RecordOf | None = None,
    ) -> CasResult:
        """compare_and_set with a decision of the caller's (it may call :meth:`interpret`)."""
        return self.run_made(lambda _facts: decide, before_store, record)

    # -- the history event, written ahead --------------------------------

    def _intender(self, record: RecordOf) -> Intend:
        self._record_of = record

        def intend(uid: int, modseq: int, read: tuple[str, ...], new: tuple[str, ...]) -> None:
            # What a win of this STORE would record, from the flags it was decided on.
            self.before, self.problems = interpret(keywords.decode(read), self.facts())
            won = CasResult(CasStatus.WON, uid, new, modseq, keywords.decode(new), None, 0, read)
            event = self._stable(record(won))
            intent = {
                "mailbox": self.mailbox,
                "uid": uid,
                "uidvalidity": self._store_uidvalidity(),
                "modseq": modseq,
                "flags": list(new),
            }
            local = self.service.ctx.local
            if self.ahead is None:
                headers = self.service.log.writer_headers(event)
                row = team_queue.queue_intended(
                    local,
                    self.service.account.id,
                    event.kind,
                    event.subject,
                    headers,
                    event.payload,
                    intent,
                )
                intended_records.begin(row)
                self.ahead = (row, event)
            else:  # a retry after a lost race: the same row, the new STORE
                team_queue.update_intended(
                    local, self.ahead[0], event.subject, event.payload, intent
                )
                self.ahead = (self.ahead[0], event)

        return intend

    def _stable(self, event: TeamRecord) -> TeamRecord:
        """Every build of the event keeps the first one's Message-ID and date (one record)."""
        if self.ahead is None:
            return event
        first = self.ahead[1]
        return replace(event, record_id=first.record_id, created=first.created)

    def _store_uidvalidity(self) -> int | None:
        """The UIDVALIDITY the STORE runs under: the selected mailbox's, else the cache's."""
        status = None if self.ectx is None else self.ectx.mailbox(self.mailbox).status
        return status.uidvalidity if status is not None else self._uidvalidity()

    def _uidvalidity(self) -> int | None:
        """The cached mailbox's UIDVALIDITY as read with the row (the row belongs to it)."""
        if self._box_uidvalidity is None:
            with self.service.ctx.cache.transaction() as session:
                box = queries.mailbox(session, self.service.account.id, self.mailbox)
                self._box_uidvalidity = box.uidvalidity
        return self._box_uidvalidity

    def settle(self, result: CasResult) -> None:
        """The intended event's CAS ended as ``result``: sendable after a win, else dropped."""
        if self.ahead is None:
            return
        row = self.ahead[0]
        local = self.service.ctx.local
        if result.status is CasStatus.WON and self._record_of is not None:
            final = self._stable(self._record_of(result))
            headers = self.service.log.writer_headers(final)
            if team_queue.make_sendable(local, row, final.subject, headers, final.payload):
                self.won_event = (row, final)
        else:
            team_queue.drop_intended(local, row)
        intended_records.end(row)
        self.ahead = None

    def deliver(self) -> bool:
        """APPEND the event a won CAS made sendable (False: it stays queued for a retry)."""
        if self.won_event is None or self.ectx is None:
            return False
        row, event = self.won_event
        self.won_event = None
        return self.service.log.send_queued(self.ectx, row, event)

    # -- after the STORE -------------------------------------------------

    def cache_result(self, result: CasResult) -> Changes:
        """Write the flags the CAS ended with into the cached row (only if newer)."""
        summary = self.summary()
        with self.service.ctx.cache.transaction() as session:
            changed = store.apply_flag_updates(
                session, summary.mailbox_id, [flag_update(self.uid, result.flags, result.modseq)]
            )
        box = MailboxChanges(self.service.account.id, self.mailbox, changed=frozenset(changed))
        return Changes((box,))

    def side(self, view: StateView | None) -> dict[str, Any]:
        if view is None:
            return {"state": None, "owner": None, "owner_slot": None}
        owner = self.roster.by_slot(view.owner_slot)
        return {
            "state": str(view.state),
            "owner": owner.id if owner else None,
            "owner_slot": view.owner_slot,
        }


def event_record(
    cas: HandlingCas, operation: Operation | str, me: Teammate, result: CasResult, take_over: bool
) -> TeamRecord:
    """The history event for a won change (``operation`` may be ``"repair"``)."""
    summary = cas.summary()
    after = StateView(result.decoded.state, result.decoded.owner_slot)
    new_owner = cas.roster.by_slot(after.owner_slot)
    op = str(operation)
    payload: dict[str, Any] = {
        "operation": op,
        "mailbox": cas.mailbox,
        "uid": cas.uid,
        "subject": summary.subject,
        "from": cas.side(cas.before),
        "to": cas.side(after),
        "modseq": result.modseq,
    }
    if take_over:
        payload["take_over"] = True
    if cas.problems:
        payload["problems"] = list(cas.problems)
    to = new_owner.label if new_owner and op == Operation.TRANSFER else None
    return TeamRecord(
        kind=RecordKind.EVENT,
        target=cas.target_key(),
        actor=me.id,
        payload=payload,
        subject=event_subject(me.label, op, summary.subject, to=to),
    )
