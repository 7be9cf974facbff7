"""A customer's follow-up goes to whoever holds the conversation (COORDINATION.md, "Follow-ups").

When a new mail arrives in a conversation a teammate holds (in progress or
on hold), every client that sees it writes the same thing with the same
compare-and-set: the follow-up becomes in progress, owned by that holder. One
client wins and appends a ``follow_up`` event naming the holder (their
notice); the others re-read a message that is no longer unhandled and write
nothing. A follow-up in a conversation that is done reopens to its last
owner, unless the conversation was last active more than the team's
``reopen_days`` ago: then it stays unhandled for anyone to take.

Only messages nobody touched are routed: unhandled, and no history event
for them. A follow-up a teammate released on purpose stays released.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.conversations import split_subject
from mailwise_desktop.core.errors import NotFoundError, UsageError
from mailwise_desktop.core.roster import Roster
from mailwise_desktop.core.states import (
    OWNED_STATES,
    HandlingState,
    Operation,
    StateView,
    Transition,
)
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.cas import CasResult, CasStatus, Outcome
from mailwise_desktop.imap.coordination_check import prepare
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.keywords import Decoded
from mailwise_desktop.imap.log_claims import LogStatus
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import FRESH_SECONDS, CoordinationService
from mailwise_desktop.services.handling_cas import HandlingCas, event_record
from mailwise_desktop.services.log_operations import change_by_log
from mailwise_desktop.services.mode_switch import cached_link
from mailwise_desktop.store import conversations as conv_store
from mailwise_desktop.store import queries, team_cache
from mailwise_desktop.store.conversation_ids import update
from mailwise_desktop.store.conversations import MemberRow
from mailwise_desktop.store.service_rows import follow_up_candidate_rows

RULES_KIND = "conversation-rules"
RULES_TARGET = "conversation-rules"
FOLLOW_UP = "follow_up"
_CLOSED = frozenset({HandlingState.DONE.value, HandlingState.NO_REPLY_NEEDED.value})


@dataclass(frozen=True)
class ConversationRules:
    """Team rules for follow-ups (a team-mailbox record, like the approval rules).

    Attributes:
        reopen_days: a follow-up to a conversation done at most this many days
            ago reopens to its last owner; older ones stay unhandled (0: never reopen).
        route_follow_ups: give follow-ups to the conversation's holder at all.
    """

    reopen_days: int = 14
    route_follow_ups: bool = True

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConversationRules:
        """Read stored rules; a missing or bad value keeps its default (outside input)."""
        days = data.get("reopen_days", cls.reopen_days)
        route = data.get("route_follow_ups", cls.route_follow_ups)
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            days = cls.reopen_days
        if not isinstance(route, bool):
            route = cls.route_follow_ups
        return cls(days, route)

    def with_value(self, key: str, value: str) -> ConversationRules:
        """One rule changed from CLI text; UsageError in plain words when it does not fit."""
        if key == "reopen_days":
            if not value.isdigit() or not 0 <= int(value) <= 3650:
                raise UsageError("reopen_days is a number of days from 0 to 3650.")
            return ConversationRules(int(value), self.route_follow_ups)
        if key == "route_follow_ups":
            if value.lower() not in {"true", "false", "yes", "no", "on", "off"}:
                raise UsageError("route_follow_ups is on or off.")
            return ConversationRules(self.reopen_days, value.lower() in {"true", "yes", "on"})
        raise UsageError("Conversation rules are reopen_days and route_follow_ups.")

    def to_json(self) -> dict[str, Any]:
        return {"reopen_days": self.reopen_days, "route_follow_ups": self.route_follow_ups}


@dataclass(frozen=True)
class Route:
    """Where a follow-up goes: owner slot, why, and the message it follows."""

    slot: int
    reason: str  # "held" or "reopened"
    follows: MemberRow


def route_for(
    candidate: MemberRow,
    others: Sequence[MemberRow],
    roster: Roster,
    rules: ConversationRules,
    now: float,
) -> Route | None:
    """Who a follow-up belongs to, or None (leave it unhandled). Pure.

    ``others`` are the rest of its conversation (any folder). Messages newer
    than the candidate do not count: a later mail is not what it follows.
    """
    earlier = [
        m for m in others if m.id != candidate.id and (m.date or 0.0) <= (candidate.date or now)
    ]
    active = {t.slot for t in roster.teammates if t.active}
    held = [m for m in earlier if m.state in OWNED_STATES and m.owner_slot in active]
    if held:
        last = max(held, key=lambda m: (m.date or 0.0, m.id))
        assert last.owner_slot is not None
        return Route(last.owner_slot, "held", last)
    if rules.reopen_days == 0 or any(
        m.state not in _CLOSED for m in earlier if m.mailbox == candidate.mailbox
    ):
        return None  # something is still open and nobody holds it: stays for anyone
    closed = [m for m in earlier if m.state == HandlingState.DONE.value and m.owner_slot in active]
    if not closed:
        return None
    last = max(closed, key=lambda m: (m.date or 0.0, m.id))
    latest_activity = max((m.date or 0.0) for m in earlier)
    if now - latest_activity > rules.reopen_days * 86400.0:
        return None
    assert last.owner_slot is not None
    return Route(last.owner_slot, "reopened", last)


@dataclass(frozen=True)
class FollowUpOutcome:
    """What routing one follow-up did (``routed``: this client wrote it)."""

    uid: int
    routed: bool
    owner: str | None
    reason: str | None
    changes: Changes


class FollowUpService:
    """Finds follow-ups in an account's folders and gives them to the conversation's holder."""

    def __init__(
        self,
        ctx: AppContext,
        account: Account,
        coordination: CoordinationService | None = None,
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.coordination = coordination or CoordinationService(ctx, account)
        #: Row ids already decided in this process (a decision is re-made after a restart).
        self.decided: set[int] = set()
        #: Test hook passed to the compare-and-set: called with (uid, modseq) before each STORE.
        self.before_store: Callable[[int, int], None] | None = None

    def rules(self) -> ConversationRules:
        with self.ctx.cache.transaction() as session:
            found = team_cache.latest_by_target(session, self.account.id, RULES_KIND)
        record = found.get(RULES_TARGET)
        return (
            ConversationRules() if record is None else ConversationRules.from_json(record.payload)
        )

    def set_rule_job(self, key: str, value: str) -> Callable[[EngineContext], ConversationRules]:
        """The job that changes one conversation rule for the whole team."""

        def job(ectx: EngineContext) -> ConversationRules:
            me = self.coordination.require_me(ectx)
            self.coordination.log.refresh(ectx)
            rules = self.rules().with_value(key, value)
            record = TeamRecord(
                kind=RULES_KIND,
                target=RULES_TARGET,
                actor=me.id,
                payload=rules.to_json(),
                subject=f"[Mailwise] conversation rules: {key} changed",
            )
            self.coordination.log.write(ectx, record)
            self.coordination.log.refresh(ectx)
            return rules

        return job

    def candidates(self, mailbox: str = "INBOX") -> list[int]:
        """Row ids that may be follow-ups: unhandled, not decided yet, replying to something."""
        with self.ctx.cache.transaction() as session:
            try:
                box = queries.mailbox(session, self.account.id, mailbox)
            except NotFoundError:
                return []
            out = []
            rows = follow_up_candidate_rows(session, box.id, HandlingState.UNHANDLED.value)
            for row_id, refs, reply_to, subject in rows:
                if row_id in self.decided:
                    continue
                if refs or reply_to or split_subject(subject or "")[1]:
                    out.append(row_id)
                else:
                    self.decided.add(row_id)  # a new conversation: nothing to route
            return out

    def plan(
        self, mailbox: str = "INBOX", now: float | None = None
    ) -> list[tuple[MemberRow, Route]]:
        """The follow-ups of ``mailbox`` and where each goes (offline; marks the rest decided)."""
        rules = self.rules()
        todo = self.candidates(mailbox)
        if not rules.route_follow_ups or not todo:
            self.decided.update(todo)
            return []
        roster = self.coordination.log.roster()
        moment = time.time() if now is None else now
        with self.ctx.cache.transaction() as session:
            # The stored conversation ids, brought up to date with what just arrived
            # (a few rows), instead of regrouping the whole account on the engine thread.
            update(session, self.account.id, self.account.address)
        with self.ctx.cache.transaction() as session:
            plans: list[tuple[MemberRow, Route]] = []
            for row_id in todo:
                keys = conv_store.conversation_members(session, row_id)
                rows = conv_store.member_rows(session, keys)
                candidate = next((r for r in rows if r.id == row_id), None)
                route = None
                if candidate is not None and len(rows) > 1:
                    route = route_for(candidate, rows, roster, rules, moment)
                if candidate is None or route is None:
                    self.decided.add(row_id)
                else:
                    plans.append((candidate, route))
        return plans

    def route_job(
        self, mailbox: str = "INBOX", now: float | None = None
    ) -> Callable[[EngineContext], list[FollowUpOutcome]]:
        """The job that routes every follow-up the cache shows in ``mailbox``."""

        def job(ectx: EngineContext) -> list[FollowUpOutcome]:
            if self.candidates(mailbox) and self.coordination.log.read_age() > FRESH_SECONDS:
                # The roster and history decide who holds what: never route on a stale copy.
                self.coordination.log.refresh(ectx)
            if self.coordination.me() is None:
                return []  # only a teammate who said who they are writes handling state
            outcomes = []
            for candidate, route in self.plan(mailbox, now):
                with contextlib.suppress(NotFoundError):  # expunged meanwhile
                    outcomes.append(self._route(ectx, mailbox, candidate, route))
                self.decided.add(candidate.id)
            return outcomes

        return job

    def _route(
        self, ectx: EngineContext, mailbox: str, candidate: MemberRow, route: Route
    ) -> FollowUpOutcome:
        me = self.coordination.require_me(ectx)
        cas = HandlingCas(self.coordination, ectx, mailbox, candidate.uid)
        if self.coordination.log.records(cas.target_key(), [RecordKind.EVENT]):
            # Someone already acted on it (a release on purpose, a claim): leave it.
            return FollowUpOutcome(candidate.uid, False, None, None, Changes())
        link = cached_link(self.coordination, mailbox)
        if link is not None and link.log_writes_allowed:
            return self._route_by_log(ectx, cas, candidate, route)
        prepare(ectx, mailbox)

        def decide(flags: tuple[str, ...], decoded: Decoded) -> Outcome:
            cas.before = current = cas.interpret(decoded)
            if current.state is not HandlingState.UNHANDLED or current.owner_slot is not None:
                return flags  # a teammate routed (or took) it first: nothing to write
            return keywords.apply(flags, HandlingState.IN_PROGRESS, route.slot)

        def record(won: CasResult) -> TeamRecord:
            event = event_record(cas, FOLLOW_UP, me, won, False)
            holder = cas.roster.by_slot(route.slot)
            event.payload["reason"] = route.reason
            event.payload["follows"] = {"mailbox": route.follows.mailbox, "uid": route.follows.uid}
            event.payload["notify"] = [holder.id] if holder else []
            return event

        # The event is written ahead of the STORE and sent after a win (HandlingCas).
        result = cas.run_decide(decide, self.before_store, record)
        changes = cas.cache_result(result)
        owner = cas.roster.by_slot(result.decoded.owner_slot)
        routed = result.status is CasStatus.WON
        if routed:
            cas.deliver()
            changes = changes.merged(Changes(team_records=1))
        return FollowUpOutcome(
            candidate.uid, routed, owner.id if owner else None, route.reason, changes
        )

    def _route_by_log(
        self, ectx: EngineContext, cas: HandlingCas, candidate: MemberRow, route: Route
    ) -> FollowUpOutcome:
        """Mode B: the same decision as one log change (first placed wins, the rest see it)."""
        me = self.coordination.require_me(ectx)
        choice = self.coordination.modes.choice(ectx, cas.mailbox)

        def decide(current: StateView) -> Transition:
            if current.state is not HandlingState.UNHANDLED or current.owner_slot is not None:
                return Transition(Operation.CLAIM, current, current)  # routed or taken first
            return Transition(
                Operation.CLAIM, current, StateView(HandlingState.IN_PROGRESS, route.slot)
            )

        holder = cas.roster.by_slot(route.slot)
        extra = {
            "reason": route.reason,
            "follows": {"mailbox": route.follows.mailbox, "uid": route.follows.uid},
            "notify": [holder.id] if holder else [],
            "uid": cas.uid,
        }
        result, changes = change_by_log(
            self.coordination, ectx, cas, FOLLOW_UP, me, choice, decide=decide, extra=extra
        )
        owner = cas.roster.by_slot(result.view.owner_slot)
        routed = result.status is LogStatus.WON
        return FollowUpOutcome(
            candidate.uid, routed, owner.id if owner else None, route.reason, changes
        )
