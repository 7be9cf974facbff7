"""Claim, release, hold, resume, done, skip, reopen, transfer, notes: one service for CLI and UI.

Each operation is an engine job (``docs/SERVICES.md``): the CLI runs it with
``run_once``, the GUI with ``engine.submit``. A job checks the mailbox can
carry handling state (``imap/coordination_check.py``), runs one
compare-and-set on the UID (``imap/cas.py``) with a decision that sees the
message as the repair rules and the history interpret it, updates the cached
row at once from the CAS result (so the list changes without waiting for
IDLE), and after a win appends a history event to the team mailbox (queued
locally if that fails; the keyword change stands).
"""

from __future__ import annotations

from collections.abc import Callable

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import (
    CapabilityError,
    ErrorCase,
    NotConfiguredError,
    UsageError,
)
from mailwise_desktop.core.log_modes import Authority
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import Operation, RefusalKind
from mailwise_desktop.imap.cas import CasInDoubtError, CasResult, CasStatus, resolve_in_doubt
from mailwise_desktop.imap.coordination_check import prepare
from mailwise_desktop.imap.engine import EngineContext, ResumeAfterReconnectError
from mailwise_desktop.imap.team_mailbox import RecordProblem
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord, note_subject
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.handling_cas import HandlingCas, event_record
from mailwise_desktop.services.handling_outcome import DONE_WORDS, OperationOutcome
from mailwise_desktop.services.log_operations import MailboxModes, note_log_mode, operate_by_log
from mailwise_desktop.services.mode_switch import authority
from mailwise_desktop.services.team_history import (
    HistoryEntry,
    NoteEntry,
    clock,
    history_entries,
    holder_since,
    note_entries,
)
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import team_cache
from mailwise_desktop.store.team_cache import CoordinationCheck

__all__ = ["CoordinationService", "OperationOutcome"]

#: A refusal re-reads the team mailbox for "since when" only if the cache is older.
FRESH_SECONDS = 2.0
#: An operation reads the team mailbox first when the cache is older than this, so a
#: switch of the mailbox's mode is seen (the engine reads it every 2 s: no cost there;
#: mode_switch.SWITCH_GRACE is longer).
MODE_FRESH_SECONDS = 4.0


class CoordinationService:
    """Handling state, owner, notes and history of one account's messages."""

    def __init__(self, ctx: AppContext, account: Account, log: TeamLog | None = None) -> None:
        self.ctx = ctx
        self.account = account
        self.log = log if log is not None else TeamLog(ctx, account)
        #: Test hook passed to compare_and_set: called with (uid, modseq) before each STORE.
        self.before_store: Callable[[int, int], None] | None = None
        #: Test hook: called with (uid, new modseq) right after a winning STORE.
        self.after_store: Callable[[int, int], None] | None = None
        self.modes = MailboxModes()

    # -- offline ---------------------------------------------------------

    def roster(self) -> list[Teammate]:
        return self.log.roster().teammates

    def me(self) -> Teammate | None:
        return self.log.identity().teammate

    def readiness(self, mailbox: str = "INBOX") -> CoordinationCheck | None:
        """The last capability check of ``mailbox`` (None: not checked yet)."""
        with self.ctx.cache.transaction() as session:
            return team_cache.check(session, self.account.id, mailbox)

    def history(self, uid: int, *, mailbox: str = "INBOX") -> list[HistoryEntry]:
        cas = HandlingCas(self, None, mailbox, uid)
        return history_entries(self.log.records(cas.target_key()), self.log.roster())

    def notes(self, uid: int, *, mailbox: str = "INBOX") -> list[NoteEntry]:
        cas = HandlingCas(self, None, mailbox, uid)
        records = self.log.records(cas.target_key(), [RecordKind.NOTE])
        return note_entries(records, self.log.roster())

    # -- jobs ------------------------------------------------------------

    def refresh_team_job(self) -> Callable[[EngineContext], Changes]:
        """Deliver queued records and read new ones (roster, notes, history, templates, policy)."""

        def job(ectx: EngineContext) -> Changes:
            added = self.log.refresh(ectx)
            return self.log.take_row_changes().merged(Changes(team_records=added))

        return job

    def team_problems_job(self) -> Callable[[EngineContext], list[RecordProblem]]:
        """The job that lists team-mailbox records refused by their schema (never applied)."""

        def job(ectx: EngineContext) -> list[RecordProblem]:
            return self.log.mailbox(ectx).problems()

        return job

    def check_job(self) -> Callable[[EngineContext], list[CoordinationCheck]]:
        """The job that reads the team mailbox and checks every synced folder anew."""

        def job(ectx: EngineContext) -> list[CoordinationCheck]:
            self.log.refresh(ectx)
            for name in self.account.folders:
                ectx.primed.discard(name)
                try:
                    prepare(ectx, name)
                except CapabilityError:
                    note_log_mode(self.modes, ectx, name)  # Mode B is ready, not off
            return [c for c in map(self.readiness, self.account.folders) if c is not None]

        return job

    def operation_job(
        self,
        operation: Operation,
        uid: int,
        *,
        mailbox: str = "INBOX",
        target: str | None = None,
        take_over: bool = False,
    ) -> Callable[[EngineContext], OperationOutcome]:
        """The job that applies ``operation`` to message ``uid`` (``target``: transfer's new owner)."""
        if operation is Operation.TRANSFER and target is None:
            raise UsageError(
                "A transfer needs the teammate to hand it to.",
                case=ErrorCase.TRANSFER_NEEDS_TARGET,
            )
        if operation is not Operation.TRANSFER and target is not None:
            raise UsageError(
                "Only a transfer takes a teammate.", case=ErrorCase.TARGET_WITHOUT_TRANSFER
            )

        def job(ectx: EngineContext) -> OperationOutcome:
            return self._operate(ectx, operation, uid, mailbox, target, take_over)

        return job

    def note_job(
        self, uid: int, text: str, *, mailbox: str = "INBOX"
    ) -> Callable[[EngineContext], Changes]:
        """The job that leaves a note on message ``uid`` for the team."""
        if not text.strip():
            raise UsageError("A note needs some text.")

        def job(ectx: EngineContext) -> Changes:
            me = self.require_me(ectx)
            cas = HandlingCas(self, ectx, mailbox, uid)
            summary = cas.summary()
            record = TeamRecord(
                kind=RecordKind.NOTE,
                target=cas.target_key(),
                actor=me.id,
                payload={"text": text, "mailbox": mailbox, "uid": uid, "subject": summary.subject},
                subject=note_subject(me.label, summary.subject),
            )
            self.log.flush(ectx)
            self.log.write(ectx, record)
            return Changes(team_records=1)

        return job

    # -- internals -------------------------------------------------------

    def require_me(
        self, ectx: EngineContext | None = None, roster: Roster | None = None
    ) -> Teammate:
        """Who this profile is; reads the roster from the server once if the cache lacks it.

        Raises:
            NotConfiguredError: nobody chose who they are, or they are not (or no
                longer) on the roster.
        """
        identity = self.log.identity(roster)
        if identity.teammate is None and ectx is not None:
            self.log.refresh(ectx)
            identity = self.log.identity()
        declared = self.ctx.settings.get("me")
        if identity.teammate is None:
            if declared:
                raise NotConfiguredError(
                    f"{declared!r} is not on the team roster.",
                    case=ErrorCase.NOT_ON_ROSTER,
                    data={"id": str(declared)},
                )
            raise NotConfiguredError("Say who you are first.", case=ErrorCase.IDENTITY_MISSING)
        if not identity.teammate.active:
            raise NotConfiguredError(
                f"{identity.teammate.id} was removed from the roster.",
                case=ErrorCase.REMOVED_FROM_ROSTER,
                data={"id": identity.teammate.id},
            )
        return identity.teammate

    def _operate(  # noqa: PLR0917 - private, called from one place
        self,
        ectx: EngineContext,
        operation: Operation,
        uid: int,
        mailbox: str,
        target: str | None,
        take_over: bool,
    ) -> OperationOutcome:
        roster = self.log.roster()
        me = self.require_me(ectx, roster)
        if roster.by_id(me.id) is None:  # require_me read the roster from the server
            roster = self.log.roster()
        cas = HandlingCas(self, ectx, mailbox, uid, roster)
        cas.summary()  # the row, synced first when it is not cached yet
        target_slot = None
        if target is not None:
            teammate = cas.roster.by_id(target) or (cas.refresh_team() and cas.roster.by_id(target))
            if not teammate or not teammate.active:
                raise UsageError(
                    f"{target!r} is not an active teammate.",
                    case=ErrorCase.NOT_A_TEAMMATE,
                    data={"id": target},
                )
            target_slot = teammate.slot
        choice = self.modes.choice(ectx, mailbox)
        if self.log.read_age() > MODE_FRESH_SECONDS:
            self.log.refresh(ectx)  # a switch of the mailbox's mode is seen before acting
        if authority(self, ectx, mailbox, choice, me) is Authority.LOG:
            self.log.flush(ectx)  # Mode B: the team log decides
            found = operate_by_log(self, ectx, cas, operation, me, target_slot, take_over, choice)
            if found is not None:
                return found
            # The team switched the mailbox to keywords meanwhile: Mode A from here.
        self.log.flush(ectx)  # before prepare: settling an orphan selects its mailbox

        def record(won: CasResult) -> TeamRecord:
            return event_record(cas, operation, me, won, take_over)

        prepare(ectx, mailbox)
        try:
            result = cas.run(operation, me.slot, target_slot, take_over, self.before_store, record)
        except CasInDoubtError as doubt:
            in_doubt = doubt

            def resume(again: EngineContext) -> OperationOutcome:
                # A new connection: read the message again and say what happened.
                cas.ectx = again
                prepare(again, mailbox)
                found = resolve_in_doubt(again.session.client, in_doubt)
                cas.settle(found)  # the event written ahead: sendable or dropped
                return self._outcome(again, cas, operation, me, found, take_over)

            raise ResumeAfterReconnectError(resume, doubt.message, detail=doubt.detail) from doubt
        return self._outcome(ectx, cas, operation, me, result, take_over)

    def _outcome(  # noqa: PLR0917 - private, called from two places
        self,
        ectx: EngineContext,
        cas: HandlingCas,
        operation: Operation,
        me: Teammate,
        result: CasResult,
        take_over: bool,
    ) -> OperationOutcome:
        """Cache, history and words for a CAS that ended (after a reconnect too)."""
        uid, summary = cas.uid, cas.summary()
        changes = cas.cache_result(result)
        owner = cas.roster.by_slot(result.decoded.owner_slot)
        state = result.decoded.state
        if result.status is CasStatus.WON:
            cas.deliver()  # its event, written ahead of the STORE
            words = DONE_WORDS[operation]
            if operation is Operation.TRANSFER and owner is not None:
                words = f"Handed over to {owner.label}"
            return OperationOutcome(
                operation, uid, True, state, owner, None, f"{words}: {summary.subject}", changes
            )
        if result.status is CasStatus.CONTENDED:
            text = "Teammates kept changing this message at the same moment; try again."
            return OperationOutcome(operation, uid, False, state, owner, None, text, changes)
        if result.status is CasStatus.NOT_APPLIED:
            text = "The connection dropped before the change reached the server; it was not made."
            return OperationOutcome(
                operation, uid, False, state, owner, None, text, changes, connection_lost=True
            )
        if result.status is CasStatus.LOST:
            text = (
                "A teammate changed this message while the connection was down; yours was not made."
            )
            return OperationOutcome(
                operation, uid, False, state, owner, None, text, changes, lost_while_down=True
            )
        refusal = result.refusal
        kind = refusal.kind if refusal is not None else RefusalKind.NOT_ALLOWED
        if kind is RefusalKind.HELD_BY_OTHER and refusal is not None:
            holder = cas.roster.by_slot(refusal.holder_slot)
            since = None
            if refusal.holder_slot is not None:
                since = holder_since(cas.records(), refusal.holder_slot)
                # Their event may be on the server but not here yet; if the cache
                # was read moments ago, the claim is just as recent: no need to ask.
                stale = self.log.read_age() > FRESH_SECONDS
                if since is None and stale and cas.refresh_team():
                    since = holder_since(cas.records(), refusal.holder_slot)
            who = holder.label if holder else f"owner slot {refusal.holder_slot}"
            text = f"{who} has held this since {clock(since)}." if since else f"{who} holds this."
            return OperationOutcome(
                operation, uid, False, state, holder, since, text, changes, kind
            )
        text = f"Cannot {operation.value}: the message is {state.value.replace('_', ' ')}" + (
            f" ({owner.label})." if owner else "."
        )
        return OperationOutcome(operation, uid, False, state, owner, None, text, changes, kind)
