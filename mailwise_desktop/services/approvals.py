"""Approval before sending (確認者), shared by the CLI and the window.

The sender's side: :meth:`ApprovalService.reasons` says whether a confirmed
mail needs approval; :meth:`request` files the exact bytes in the team
mailbox; :meth:`update_outbox` turns decisions into outbox moves (approved →
queued, sent back → held). The approver's side: :meth:`queue`,
:meth:`decide`. The rules of who decides are in ``send/approval_records.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol, TypeVar

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.errors import (
    ErrorCase,
    NotAllowedError,
    NotConfiguredError,
    NotFoundError,
    UsageError,
)
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.mail.team_records import PREFIX, TeamRecord
from mailwise_desktop.send import approval_records as ar
from mailwise_desktop.send.approval_records import ApprovalCase, CaseState
from mailwise_desktop.send.approval_rules import (
    RULES_KIND,
    RULES_TARGET,
    ApprovalRules,
    Reason,
    mime_hash,
    reasons,
)
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.send.outbox import Outbox, OutboxItem, OutboxState
from mailwise_desktop.send.policy import TeamPolicy
from mailwise_desktop.services import outbox_jobs
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import team_cache

T = TypeVar("T")


class _Coordination(Protocol):
    log: TeamLog


class SendingSide(Protocol):
    """What approvals use of the sending service (no import of it: no circle)."""

    ctx: AppContext
    account: Account
    outbox: Outbox

    @property
    def coordination(self) -> _Coordination: ...

    def run(self, job: Callable[[EngineContext], T]) -> T: ...

    def refresh_team(self) -> None: ...

    def roster(self) -> Roster: ...

    def me(self) -> Teammate: ...

    def policy(self) -> TeamPolicy: ...

    def known_recipients(self) -> frozenset[str]: ...


class ApprovalService:
    """Approvals of one account, over the sending service's connection and team log."""

    def __init__(self, sending: SendingSide) -> None:
        self.sending = sending
        self.ctx = sending.ctx
        self.account = sending.account

    # ------------------------------------------------------------------ rules

    def rules(self) -> ApprovalRules:
        with self.ctx.cache.transaction() as session:
            found = team_cache.latest_by_target(session, self.account.id, RULES_KIND)
        record = found.get(RULES_TARGET)
        return ApprovalRules() if record is None else ApprovalRules.from_json(record.payload)

    def set_rule(self, key: str, value: object) -> ApprovalRules:
        """Change one approval rule for the whole team (a new record)."""
        self.sending.refresh_team()
        rules = self.rules().with_value(key, value)
        roster = self.sending.roster()
        unknown = [t for t in (*rules.approvers, *rules.always_for) if roster.by_id(t) is None]
        if unknown:
            raise UsageError(
                f"Not on the roster: {', '.join(unknown)}.",
                case=ErrorCase.UNKNOWN_TEAMMATES,
                data={"ids": ", ".join(unknown)},
            )
        self._write(
            TeamRecord(
                kind=RULES_KIND,
                target=RULES_TARGET,
                actor=self.sending.me().id,
                payload=rules.to_json(),
                subject=f"{PREFIX} approval rules: {key} changed",
            )
        )
        return rules

    def reasons(self, draft: Draft) -> list[Reason]:
        """Why this draft needs approval before it goes out (empty: it does not)."""
        try:
            requester = self.sending.me().id
        except NotConfiguredError:
            requester = ""  # nobody chose who they are: only the per-mail rules apply
        return reasons(
            self.rules(),
            draft,
            requester=requester,
            policy=self.sending.policy(),
            known_recipients=self.sending.known_recipients(),
        )

    def summary(self, draft: Draft) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
        """For the confirm dialog: why approval is needed, and the approvers' names."""
        why = self.reasons(draft)
        if not why:
            return (), ()
        try:
            me = self.sending.me().id
        except NotConfiguredError:
            me = ""
        return tuple(why), tuple(t.name for t in self.approvers_for(me))

    def approvers_for(self, requester: str) -> list[Teammate]:
        """Active teammates who may approve ``requester``'s mail (never themselves)."""
        rules = self.rules()
        return [t for t in self.sending.roster().active if rules.may_approve(t.id, requester)]

    # ------------------------------------------------------------------ sender

    def request(
        self, draft: Draft, raw: bytes, message_id: str, why: list[Reason]
    ) -> dict[str, str]:
        """File the exact bytes for approval; returns what the outbox row keeps.

        Raises:
            NotAllowedError: nobody on the roster may approve this mail.
        """
        me = self.sending.me()
        approvers = self.approvers_for(me.id)
        if not approvers:
            raise NotAllowedError(
                "This mail needs approval, but nobody else on the team may approve it. "
                "Ask an administrator to name approvers.",
                case=ErrorCase.NO_APPROVERS,
            )
        request_id = uuid.uuid4().hex
        record = ar.request_record(
            request_id=request_id,
            requester=me.id,
            requester_name=me.name,
            approvers=[t.id for t in approvers] if self.rules().approvers else [],
            reasons=why,
            subject=draft.subject,
            recipients=[r.email for r in draft.recipients],
            message_id=message_id,
            raw=raw,
        )
        self._write(record)
        return {"request_id": request_id, "sha256": mime_hash(raw)}

    def withdraw(self, item: OutboxItem) -> None:
        """The sender took a waiting mail back: its request leaves the approvers' queue."""
        found = self.cases().get(str(item.steps.get("approval", {}).get("request_id", "")))
        if found is None or found.state is not CaseState.PENDING:
            return
        me = self.sending.me()
        self._write(ar.withdraw_record(found, actor=me.id, actor_name=me.name))

    def update_outbox(self, undo_seconds: float = 0.0) -> list[int]:
        """Apply decisions to this profile's waiting mail; ids of rows that moved.

        An approved mail gets the team's undo window again from the moment it
        was approved (the sender may still take it back), then goes out.
        """
        waiting = self.sending.outbox.items(self.account.id, [OutboxState.APPROVAL])
        if not waiting:
            return []
        self.sending.refresh_team()
        cases, moved = self.cases(), []
        for item in waiting:
            step = item.steps.get("approval", {})
            case = cases.get(str(step.get("request_id", "")))
            if case is None or case.decided is None:
                continue
            decided = case.decided
            name = self._name(decided.actor)
            if case.state is CaseState.APPROVED and case.sha256 == mime_hash(item.raw):
                done = self.sending.outbox.approved(
                    item.id,
                    {**step, "approved_by": decided.actor, "approved_sha256": case.sha256},
                    undo_seconds,
                )
            elif case.state is CaseState.RETURNED:
                note = f": {decided.comment}" if decided.comment else "."
                done = self.sending.outbox.returned(item.id, f"Sent back by {name}{note}")
            else:
                continue
            if done:
                moved.append(item.id)
        return moved

    # ------------------------------------------------------------------ approver

    def cases(self) -> dict[str, ApprovalCase]:
        with self.ctx.cache.transaction() as session:
            found = team_cache.records(session, self.account.id, kinds=[ar.APPROVAL_KIND])
        return ar.resolve(found)

    def queue(self, *, refresh: bool = True) -> list[ApprovalCase]:
        """Requests waiting for me, oldest first (my own are never in it)."""
        if refresh:
            self.sending.refresh_team()
        me = self.sending.me().id
        return sorted(
            (
                c
                for c in self.cases().values()
                if c.state is CaseState.PENDING
                and c.requester != me
                and (not c.approvers or me in c.approvers)
            ),
            key=lambda c: c.created,
        )

    def mine(self) -> list[ApprovalCase]:
        """Everything I asked for, newest first (history)."""
        me = self.sending.me().id
        found = [c for c in self.cases().values() if c.requester == me]
        return sorted(found, key=lambda c: -c.created)

    def find(self, request_id: str) -> ApprovalCase:
        """A request by its id or a unique start of it (as ``mailwise approvals`` lists it)."""
        cases = self.cases()
        hits = [c for k, c in cases.items() if k.startswith(request_id.strip().lower())]
        if len(hits) != 1 or not request_id.strip():
            raise NotFoundError(
                f"There is no single approval request {request_id!r}.",
                case=ErrorCase.NO_SUCH_APPROVAL,
                data={"id": request_id},
            )
        return hits[0]

    def decide(self, request_id: str, *, approve: bool, comment: str = "") -> ApprovalCase:
        """Approve or send back; returns the case as the team mailbox now decides it.

        Raises:
            NotAllowedError: my own mail, not an approver, a return without a
                comment, or someone decided first (the message names them).
        """
        self.sending.refresh_team()
        case = self.find(request_id)
        me = self.sending.me()
        if case.requester == me.id:
            raise NotAllowedError("Nobody approves their own mail: ask a teammate.")
        if case.approvers and me.id not in case.approvers:
            raise NotAllowedError("You are not one of the approvers of this mail.")
        if not approve and not comment.strip():
            raise UsageError("Say what to change: sending back needs a comment.")
        if case.state is not CaseState.PENDING:
            raise NotAllowedError(self._already(case))
        record = ar.decision_record(
            case, actor=me.id, actor_name=me.name, approve=approve, comment=comment.strip()
        )
        self._write(record)
        self.sending.refresh_team()
        after = self.find(case.request_id)
        decided = after.decided
        if decided is None or decided.record_id != record.record_id:
            raise NotAllowedError(self._already(after))
        return after

    # ------------------------------------------------------------------ helpers

    def _already(self, case: ApprovalCase) -> str:
        decided = case.decided
        if case.state is CaseState.WITHDRAWN:
            return "The sender took this mail back; there is nothing to decide."
        if decided is None:
            return "This request was not decided."
        verb = "approved" if case.state is CaseState.APPROVED else "sent it back"
        return f"{self._name(decided.actor)} {verb} first; your decision does not count."

    def _name(self, teammate_id: str) -> str:
        found = self.sending.roster().by_id(teammate_id)
        return found.name if found is not None else teammate_id

    def _write(self, record: TeamRecord) -> None:
        log = self.sending.coordination.log
        self.sending.run(lambda e: outbox_jobs.team_append(e, log, record))
