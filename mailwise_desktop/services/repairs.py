"""Repairing invalid keyword combinations by compare-and-set (COORDINATION.md, "Repair").

Every client that sees an invalid combination writes the same repaired
(state, owner) — decided by ``core/repair.py`` from the keywords, the
history's latest accepted owner and the roster's known slots — with the same
compare-and-set, so concurrent repairers converge: one wins and appends a
``repair`` event, the others re-read a valid message and write nothing.
The roster and history are read from the server before deciding, so a
teammate added a moment ago is never "repaired" away as an unknown slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import CapabilityError, NotAllowedError, NotFoundError
from mailwise_desktop.core.log_modes import Authority
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.cas import CasResult, CasStatus
from mailwise_desktop.imap.coordination_check import prepare
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.handling_decision import repair_decider
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.follow_ups import FollowUpService
from mailwise_desktop.services.handling_cas import HandlingCas, event_record
from mailwise_desktop.services.log_operations import note_log_mode
from mailwise_desktop.services.mode_switch import authority, cached_link
from mailwise_desktop.store import handling_queries, queries
from mailwise_desktop.store.conversation_ids import update


@dataclass(frozen=True)
class RepairOutcome:
    """What a repair of one message did."""

    uid: int
    repaired: bool  # this client wrote the repair
    problems: tuple[str, ...]  # what was wrong (empty: it was valid)
    state: str
    owner: str | None  # teammate id afterwards
    changes: Changes


class RepairService:
    """Finds and repairs invalid handling keywords in an account's mailboxes."""

    def __init__(
        self,
        ctx: AppContext,
        account: Account,
        coordination: CoordinationService | None = None,
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.coordination = coordination or CoordinationService(ctx, account)

    def suspects(self, mailbox: str = "INBOX", limit: int = 50) -> list[int]:
        """UIDs whose cached keywords are invalid or name a slot not on the roster."""
        known = sorted(self.coordination.log.roster().known_slots)
        with self.ctx.cache.transaction() as session:
            try:
                box = queries.mailbox(session, self.account.id, mailbox)
            except NotFoundError:
                return []
            return handling_queries.suspect_uids(session, box.id, known, limit)

    def repair_job(
        self, uid: int, *, mailbox: str = "INBOX"
    ) -> Callable[[EngineContext], RepairOutcome]:
        """The job that repairs message ``uid`` if its keywords are invalid."""

        def job(ectx: EngineContext) -> RepairOutcome:
            return self._repair(ectx, uid, mailbox)

        return job

    def repair_found_job(
        self, mailbox: str = "INBOX", limit: int = 50
    ) -> Callable[[EngineContext], Changes]:
        """The job that repairs every suspect the cache shows (the engine runs it)."""

        def job(ectx: EngineContext) -> Changes:
            changes = Changes()
            for uid in self.suspects(mailbox, limit):
                try:
                    changes = changes.merged(self._repair(ectx, uid, mailbox).changes)
                except NotFoundError:
                    continue  # expunged meanwhile; the next sync forgets it
            return changes

        return job

    def _repair(self, ectx: EngineContext, uid: int, mailbox: str) -> RepairOutcome:
        me = self.coordination.require_me(ectx)
        cas = HandlingCas(self.coordination, ectx, mailbox, uid)
        cas.summary()
        cas.refresh_team()  # roster and history as the server has them now
        prepare(ectx, mailbox)

        def record(won: CasResult) -> TeamRecord:
            event = event_record(cas, "repair", me, won, False)
            involved = {me.id}
            for side in (event.payload["from"], event.payload["to"]):
                if side.get("owner"):
                    involved.add(side["owner"])
            event.payload["involved"] = sorted(involved)
            event.payload["problems"] = list(cas.problems)
            read = won.read or ()
            event.payload["keywords_before"] = sorted(
                f.lower() for f in read if keywords.is_ours(f)
            )
            return event

        # The event is written ahead of the STORE and sent after a win (HandlingCas).
        result = cas.run_made(repair_decider, record=record)
        changes = cas.cache_result(result)
        problems = cas.problems
        repaired = result.status is CasStatus.WON
        if repaired:
            cas.deliver()
            changes = changes.merged(Changes(team_records=1))
        owner = cas.roster.by_slot(result.decoded.owner_slot)
        return RepairOutcome(
            uid, repaired, problems, str(result.decoded.state), owner.id if owner else None, changes
        )


#: Seconds between two reads of the team mailbox while a mailbox is in Mode B.
LOG_POLL_INTERVAL = 0.5


def _log_mailboxes(
    coordination: CoordinationService,
    ectx: EngineContext,
    me: Teammate | None,
    checked: dict[str, CapabilityError | None],
) -> set[str]:
    """The folders the team log decides in; automatic switches happen here (with ``me``)."""
    found: set[str] = set()
    for mailbox in coordination.account.folders:
        if checked.get(mailbox) is not None:
            continue  # handling is off there (the status says why)
        try:
            if me is None:
                link = cached_link(coordination, mailbox)
                if link is not None and link.shows_log:
                    found.add(mailbox)
                continue
            choice = coordination.modes.choice(ectx, mailbox)
            if authority(coordination, ectx, mailbox, choice, me, may_switch_back=True) is (
                Authority.LOG
            ):
                found.add(mailbox)
        except NotAllowedError:
            found.add(mailbox)  # a switch is under way: no Mode A repairs meanwhile
    return found


def live_team_job(
    coordination: CoordinationService, repairs: RepairService, follow_ups: FollowUpService
) -> Callable[[EngineContext], Changes]:
    """What the engine runs every few seconds: new team records, the capability check
    of each synced folder once per connection, and repairs of suspects where it passed.

    A folder that cannot carry handling state is reported in ``Changes.status``
    (plain English) and ``Changes.problems`` (the errors, with case and data),
    which the engine shows as the account's status.
    """
    account = coordination.account
    refresh = coordination.refresh_team_job()
    checked: dict[str, CapabilityError | None] = {}  # mailbox -> problem, this connection
    session_seen: list[object] = [None]

    def job(ectx: EngineContext) -> Changes:
        if session_seen[0] is not ectx.session:
            session_seen[0] = ectx.session
            checked.clear()
        changes = refresh(ectx)
        with coordination.ctx.cache.transaction() as session:
            # Mail that arrived since the last tick joins its conversation (a few rows).
            update(session, account.id, account.address)
        for mailbox in account.folders:
            if mailbox not in checked:
                try:
                    prepare(ectx, mailbox)
                    coordination.modes.assume_keywords(ectx, mailbox)
                    checked[mailbox] = None
                except CapabilityError as exc:
                    # A Mode B mailbox is ready (the team log decides), not off.
                    ready = note_log_mode(coordination.modes, ectx, mailbox)
                    checked[mailbox] = None if ready else exc
                except NotFoundError:
                    checked[mailbox] = None  # the sync reports a deleted folder itself
        problems = tuple(p for p in checked.values() if p is not None)
        if problems:
            said = " ".join(p.message for p in problems)
            changes = changes.merged(Changes(status=said, problems=problems))
        me = coordination.me()
        by_log = _log_mailboxes(coordination, ectx, me, checked)
        # Mode B: a teammate's claim is a record in the team mailbox, read by polling.
        ectx.team_poll = LOG_POLL_INTERVAL if by_log else None
        ectx.team_log_folders = tuple(sorted(by_log))
        if me is None:
            return changes
        for mailbox in account.folders:
            if mailbox in by_log:
                if checked.get(mailbox) is None:
                    for outcome in follow_ups.route_job(mailbox)(ectx):
                        changes = changes.merged(outcome.changes)
                continue
            if mailbox in ectx.primed and repairs.suspects(mailbox, 1):
                changes = changes.merged(repairs.repair_found_job(mailbox)(ectx))
            if mailbox in ectx.primed and checked.get(mailbox) is None:
                for outcome in follow_ups.route_job(mailbox)(ectx):
                    changes = changes.merged(outcome.changes)
        return changes

    return job
