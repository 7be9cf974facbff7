"""One compare-and-set on one message, as the coordination services run it.

:class:`HandlingCas` ties the pieces together for a single UID: the cached
row (synced first when missing), its target key for team records, the roster
and history (read from the server when the keywords name a slot the cache does
not know, or need repair), the decision handed to ``imap/cas.py``, the cache
update from the CAS result, and the history event after a win.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.core.repair import repair
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import Operation, StateView, Transition, check
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.cas import CasResult, Decide, Outcome, compare_and_set
from mailwise_desktop.imap.coordination_check import prepare
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.keywords import Decoded
from mailwise_desktop.imap.message_rows import flag_update
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord, event_subject, target_key
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_history import latest_owner_slot
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries
from mailwise_desktop.store.queries import MessageSummary


class HandlingOwner(Protocol):
    """What a compare-and-set needs of its service: the profile, the account, the team log.

    The coordination service has them; so does any service that changes
    handling state (no import of services/coordination.py: no circle).
    """

    ctx: AppContext
    account: Account
    log: TeamLog


class NeedTeamRecordsError(Exception):
    """Raised inside a decision: the roster or history must be read from the server first."""


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
                    "(run mailwise sync, or it was moved or deleted)."
                )
        return self._summary

    def _cached(self) -> MessageSummary | None:
        with self.service.ctx.cache.transaction() as session:
            try:
                box = queries.mailbox(session, self.service.account.id, self.mailbox)
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

    def interpret(self, decoded: Decoded) -> StateView:
        """(state, owner) as the repair rules read the keywords, with history and roster.

        Raises:
            NeedTeamRecordsError: the keywords need repair or name an unknown slot,
                and the roster / history were not read from the server yet.
        """
        known = self.roster.known_slots
        unknown = decoded.owner_slot is not None and decoded.owner_slot not in known
        self.problems = tuple(str(p) for p in decoded.problems) + (
            ("unknown_slot",) if unknown else ()
        )
        if not self.problems:
            return decoded.view
        if not self.refreshed and self.ectx is not None:
            raise NeedTeamRecordsError
        latest = latest_owner_slot(self.records())
        fixed = repair(
            decoded.reading,
            latest_claim=latest if latest in known else None,
            known_slots=known,
        )
        return StateView(fixed.state, fixed.owner_slot)

    def decider(
        self, operation: Operation, me: int, target_slot: int | None, take_over: bool
    ) -> Decide:
        def decide(flags: tuple[str, ...], decoded: Decoded) -> Outcome:
            self.before = current = self.interpret(decoded)
            result = check(operation, current, me, target_slot, take_over)
            if isinstance(result, Transition):
                return keywords.apply(flags, result.after.state, result.after.owner_slot)
            return result

        return decide

    def run(
        self,
        operation: Operation,
        me: int,
        target_slot: int | None,
        take_over: bool,
        before_store: Callable[[int, int], None] | None = None,
    ) -> CasResult:
        return self.run_decide(self.decider(operation, me, target_slot, take_over), before_store)

    def run_decide(
        self, decide: Decide, before_store: Callable[[int, int], None] | None = None
    ) -> CasResult:
        """compare_and_set with ``decide``; reads the team mailbox once if a decision asks."""
        assert self.ectx is not None
        while True:
            try:
                return compare_and_set(
                    self.ectx.session.client, self.uid, decide, before_store=before_store
                )
            except NeedTeamRecordsError:
                self.refresh_team()
                prepare(self.ectx, self.mailbox)  # the refresh may have EXAMINEd the team mailbox

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
