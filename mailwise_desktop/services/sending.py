"""Replying and sending, shared by the CLI and the UI (SENDING.md).

Draft from a cached message → template → mis-send checks → outbox (undo
window) → collision check against the server → SMTP → Sent copy → original
``\\Answered`` + done in one CAS → ``sent`` history event. The outbox's
exactly-once rules live in ``send/outbox.py``; this module drives it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.contact_cards import canonical_address
from mailwise_desktop.core.errors import (
    BlockedError,
    MailwiseError,
    NotFoundError,
    StorageError,
    TooLargeError,
)
from mailwise_desktop.core.process_lock import ProcessLock
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.send import checks
from mailwise_desktop.send.approval_rules import Reason, mime_hash
from mailwise_desktop.send.checks import CheckInput, Collision, Finding, RecipientGroup, Severity
from mailwise_desktop.send.compose import FileData, build_message, full_text, new_message_id
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.send.drafts import DraftStore
from mailwise_desktop.send.outbox import Outbox, OutboxItem, OutboxState
from mailwise_desktop.send.policy import TeamPolicy, normalize_address
from mailwise_desktop.send.submission import SubmissionError, submit
from mailwise_desktop.services import outbox_jobs
from mailwise_desktop.services.address_book import AddressBookService
from mailwise_desktop.services.approvals import ApprovalService
from mailwise_desktop.services.contact_history import ContactHistory
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team_templates import TeamTemplates
from mailwise_desktop.store import handling_queries
from mailwise_desktop.templates.records import PersonalTemplates

log = logging.getLogger(__name__)
T = TypeVar("T")
Runner = Callable[[Callable[[EngineContext], T]], T]
#: How long a second sender of one profile (the window and a CLI) waits for the first.
OUTBOX_LOCK_SECONDS = 60.0


@dataclass(frozen=True)
class OutboxRun:
    """What one outbox run did: the outbox rows touched and the cache rows changed."""

    items: list[OutboxItem]
    changes: Changes


@dataclass(frozen=True)
class CheckReport:
    """The checks' result for one draft, as the confirm dialog and the CLI show it."""

    draft: Draft
    findings: tuple[Finding, ...]
    groups: tuple[RecipientGroup, ...]
    size: int
    policy: TeamPolicy
    #: Why the mail needs a teammate's approval (empty: it does not), and who may give it.
    approval: tuple[Reason, ...] = ()
    approvers: tuple[str, ...] = ()
    #: The text exactly as it will be sent (wrapped per the ``wrap_columns`` setting).
    text: str = ""

    @property
    def blocked(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.BLOCK]


class SendingService(TeamTemplates):
    """Sending for one account.

    Args:
        ctx: the application context.
        account: the shared mailbox sending.
        runner: how IMAP jobs run (default: one session per call, the CLI's way;
            the UI passes the engine's ``submit(...).result``).
    """

    def __init__(
        self,
        ctx: AppContext,
        account: Account,
        runner: Runner[object] | None = None,
        coordination: CoordinationService | None = None,
        contact_history: ContactHistory | None = None,
    ) -> None:
        super().__init__(ctx, account, coordination or CoordinationService(ctx, account))
        #: The team's address book ("do not contact") and address completion.
        self.contact_history = contact_history or ContactHistory(
            ctx, account, book=AddressBookService(ctx, account, self.coordination)
        )
        self.outbox = Outbox(ctx.local)
        self.drafts = DraftStore(ctx.local)
        self.personal = PersonalTemplates(ctx.local)
        self._runner = runner
        self.approvals = ApprovalService(self)

    def run(self, job: Callable[[EngineContext], T]) -> T:
        if self._runner is not None:
            return self._runner(job)  # type: ignore[return-value]
        return run_once(self.ctx, self.account, job)

    # ------------------------------------------------------------------ team data

    def roster(self) -> Roster:
        return self.coordination.log.roster()

    def me(self) -> Teammate:
        """Who I am on the team (setting ``me`` + roster).

        Raises:
            NotConfiguredError: ``me`` is not set or not on the roster.
        """
        return self.coordination.require_me()

    # ------------------------------------------------------------------ checks

    def known_recipients(self) -> frozenset[str]:
        """Addresses this mailbox has mailed before: its cached Sent folder and our outbox."""
        found = set(self.outbox.sent_recipients(self.account.id))
        with self.ctx.cache.transaction() as session:
            found |= handling_queries.sent_folder_addresses(session, self.account.id)
        out = set()
        for address in found:
            try:
                out.add(normalize_address(address))
            except MailwiseError:
                continue
        return frozenset(out)

    def check(
        self, draft: Draft, *, collision: Collision | None = None, exact_size: bool = False
    ) -> CheckReport:
        """Run every check of SENDING.md on ``draft`` (no network unless asked by the caller)."""
        policy = self.policy()
        size = self.message_size(draft) if exact_size else checks.estimated_size(draft)
        data = CheckInput(
            draft=draft,
            policy=policy,
            known_recipients=self.known_recipients(),
            collision=collision,
            message_size=size,
        )
        findings = checks.run_checks(data)
        missing = [a.filename for a in draft.attachments if not Path(a.path).is_file()]
        if missing:
            findings.append(
                Finding(
                    "attachment_missing_file",
                    Severity.BLOCK,
                    f"The attached file is no longer there: {', '.join(missing)}",
                    {"files": ", ".join(missing)},
                    tuple(missing),
                )
            )
        findings += self.do_not_contact(draft)
        groups = tuple(checks.group_recipients(draft, policy))
        why, names = self.approvals.summary(draft)
        return CheckReport(
            draft, tuple(findings), groups, size, policy, why, names, text=self.sent_text(draft)
        )

    def wrap_columns(self) -> int:
        """The ``wrap_columns`` setting (0: lines go out as typed)."""
        return max(0, int(self.ctx.settings.get("wrap_columns")))

    def sent_text(self, draft: Draft) -> str:
        """The body text as the recipient will get it (wrapped, quote below)."""
        return full_text(draft, wrap_columns=self.wrap_columns(), signature=self.signature())

    def do_not_contact(self, draft: Draft) -> list[Finding]:
        """A finding per recipient the team's address book marks "do not contact"."""
        cards = self.contact_history.book.cards()
        out = []
        for recipient in draft.recipients:
            card = cards.get(canonical_address(recipient.email))
            if card is not None and card.do_not_contact:
                out.append(
                    Finding(
                        "do_not_contact",
                        Severity.CONFIRM,
                        f"{recipient.email} is marked 'do not contact' in the address book.",
                        {"address": recipient.email},
                        (recipient.email,),
                    )
                )
        return out

    def server_collision(self, draft: Draft) -> Collision | None:
        """Check 12 against the server now (None for a mail that answers nothing)."""
        if draft.original is None:
            return None
        me, roster = self.me(), self.roster()
        return self.run(lambda e: outbox_jobs.collision(e, draft.original, me, roster))  # type: ignore[arg-type]

    def message_size(self, draft: Draft) -> int:
        """The real encoded size (builds the message; reads the attachments)."""
        return len(self._build(draft, "size-check@mailwise.invalid"))

    def _files(self, draft: Draft) -> list[FileData]:
        files = []
        for att in draft.attachments:
            try:
                data = Path(att.path).read_bytes()
            except OSError as exc:
                raise StorageError(
                    f"The attachment {att.filename} cannot be read.", detail=str(exc)
                ) from exc
            files.append(FileData(att.filename, att.content_type, data))
        return files

    def _build(self, draft: Draft, message_id: str) -> bytes:
        return build_message(
            draft,
            self._files(draft),
            message_id=message_id,
            wrap_columns=self.wrap_columns(),
            signature=self.signature(),
        )

    # ------------------------------------------------------------------ outbox

    def enqueue(self, draft: Draft, report: CheckReport) -> OutboxItem:
        """Queue a confirmed draft; refuses (nothing queued) when a check blocks.

        The caller shows ``report`` and gets the user's confirmation first.

        Raises:
            TooLargeError: over the size limit (sizes in the message).
            BlockedError: another blocking finding.
        """
        policy = self.policy()
        for finding in report.blocked:
            raise (TooLargeError if finding.code == "too_large" else BlockedError)(finding.message)
        # Attachments may have changed since the dialog: the real size decides.
        accepted = self.check(draft, exact_size=True)
        for finding in accepted.blocked:
            raise (TooLargeError if finding.code == "too_large" else BlockedError)(finding.message)
        message_id = new_message_id(draft.from_address)
        raw = self._build(draft, message_id)
        why = self.approvals.reasons(draft)
        # Approval is asked for the very bytes the outbox will send (hash-checked there).
        approval = self.approvals.request(draft, raw, message_id, why) if why else None
        return self.outbox.enqueue(
            draft,
            raw=raw,
            message_id=message_id,
            mail_from=draft.from_address,
            rcpt=[r.email for r in draft.recipients],
            undo_seconds=policy.undo_seconds,
            approval=approval,
        )

    def undo(self, item_id: int) -> Draft:
        """Take a mail back into the editor; a pending approval request is withdrawn."""
        item = self.outbox.get(item_id)
        draft = self.outbox.undo(item_id)
        if item.state is OutboxState.APPROVAL:
            try:
                self.approvals.withdraw(item)
            except MailwiseError as exc:  # the draft is back either way
                log.warning("approval request not withdrawn: %s", exc.message)
        return draft

    def process_outbox(self, now: float | None = None) -> list[OutboxItem]:
        """Send every due mail once and finish accepted ones; returns the rows touched."""
        return self.run_outbox(now).items

    def run_outbox(self, now: float | None = None) -> OutboxRun:
        """:meth:`process_outbox`, with the cache changes of the originals marked answered.

        One process of a profile sends at a time (:class:`ProcessLock` on
        ``outbox.lock``; a second waits up to ``OUTBOX_LOCK_SECONDS``, then
        leaves the mail queued). Holding the lock, nothing else is mid-send,
        so a row left "checking" or "submitting" is a killed process's: it is
        recovered at once instead of after ``STALE_SECONDS``.
        """
        lock = ProcessLock(self.ctx.profile.outbox_lock, timeout=OUTBOX_LOCK_SECONDS)
        if not lock.acquire():
            log.info("another process is sending this outbox; the mail stays queued for it")
            return OutboxRun([], Changes())
        try:
            return self._run_outbox(now)
        finally:
            lock.release()

    def _run_outbox(self, now: float | None) -> OutboxRun:
        changes = Changes()
        self.outbox.recover(self.account.id, stale_seconds=0)
        try:
            decided = self.approvals.update_outbox(self.policy().undo_seconds)
        except MailwiseError as exc:  # offline: waiting mail keeps waiting
            log.warning("approvals not read: %s", exc.message)
            decided = []
        touched = [self.outbox.get(i) for i in decided]
        touched = [i for i in touched if i.state is not OutboxState.QUEUED]
        for item in self.outbox.due(self.account.id, now):
            if item.state is OutboxState.QUEUED:
                if not self.outbox.claim(item.id, now):
                    continue
                self._send_one(item)
            if self.outbox.get(item.id).state is OutboxState.ACCEPTED:
                changes = changes.merged(self._finish(self.outbox.get(item.id)))
            touched.append(self.outbox.get(item.id))
        return OutboxRun(touched, changes)

    def _send_one(self, item: OutboxItem) -> None:
        approval = item.steps.get("approval")
        if approval is not None and approval.get("approved_sha256") != mime_hash(item.raw):
            self.outbox.hold(item.id, "The mail is not the one approved; it needs approval again.")
            return
        original = item.draft.original
        if original is not None and not item.steps.get("collision_accepted"):
            try:
                found = self.server_collision(item.draft)
            except NotFoundError as exc:
                self.outbox.hold(item.id, exc.message)
                return
            except MailwiseError as exc:
                self.outbox.release_check(item.id, exc.message)
                return
            if found is not None and found.any:
                reason = "; ".join(f.message for f in checks.collision_findings(found, item.draft))
                self.outbox.hold(item.id, reason)
                return
        if not self.outbox.start_submitting(item.id):
            return
        try:
            result = submit(
                self.account.smtp,
                self.ctx.smtp_password(self.account),
                mail_from=item.mail_from,
                rcpt_to=item.rcpt,
                message=item.raw,
            )
        except SubmissionError as exc:
            if exc.outcome_unknown:
                self.outbox.mark_unknown(item.id, exc.message)
            else:
                self.outbox.mark_failed(item.id, exc.message, exc.server_reply)
            return
        except MailwiseError as exc:
            self.outbox.mark_failed(item.id, exc.message, exc.detail)
            return
        reply = result.reply
        if result.refused:
            reply += " | refused: " + "; ".join(f"{a}: {r}" for a, r in result.refused.items())
        self.outbox.mark_accepted(item.id, reply)

    def _finish(self, item: OutboxItem) -> Changes:
        """The follow-up steps after acceptance, each recorded once done.

        Returns:
            The cache rows the original's compare-and-set changed.
        """
        changes = Changes()
        files_sent = self.account.id in self.ctx.settings.get("server_files_sent")
        try:
            if not item.steps.get("sent_copy") and not files_sent:
                self.run(lambda e: outbox_jobs.append_to_sent(e, item.raw, item.message_id))
                self.outbox.record_step(item.id, "sent_copy")
            original = item.draft.original
            if original is not None and not item.steps.get("original"):
                me, done = self.me(), self.policy().done_after_reply
                _result, changes = self.run(
                    lambda e: outbox_jobs.mark_answered_done(
                        e,
                        self.coordination,
                        original,
                        me,
                        done=done,
                        message_id=item.message_id,
                        recipients=list(item.rcpt),
                        template=item.draft.template,
                    )
                )
                self.outbox.record_step(item.id, "original")
        except MailwiseError as exc:
            self.outbox.note_error(item.id, f"Sent, but not yet filed: {exc.message}")
            return changes
        self.outbox.mark_sent(item.id)
        return changes

    def send_anyway(self, item_id: int) -> None:
        """The user saw the collision and sends regardless (held → queued)."""
        self.outbox.record_step(item_id, "collision_accepted")
        self.outbox.retry(item_id)

    def resolve_unknown(self, item_id: int) -> bool:
        """Look for an ``unknown`` mail in Sent (servers that file sent mail themselves).

        Returns:
            True when it was found (now accepted); False: the user must decide.
        """
        item = self.outbox.get(item_id)
        if item.state is not OutboxState.UNKNOWN:
            return item.state in (OutboxState.ACCEPTED, OutboxState.SENT)
        if self.account.id not in self.ctx.settings.get("server_files_sent"):
            return False  # we file Sent copies only after acceptance: absence proves nothing
        if self.run(lambda e: outbox_jobs.find_in_sent(e, item.message_id)):
            self.outbox.confirm_sent(item_id)
            return True
        return False

    def wait_and_process(
        self, item: OutboxItem, sleep: Callable[[float], None] = time.sleep
    ) -> OutboxItem:
        """CLI: wait out the undo window, then process; returns the row afterwards."""
        delay = item.send_after - time.time()
        if delay > 0:
            sleep(delay)
        self.process_outbox()
        return self.outbox.get(item.id)

    def with_snapshot(self, draft: Draft) -> Draft:
        """The draft with its original's snapshot taken from the cache now."""
        if draft.original is None:
            return draft
        fresh = self.snapshot(draft.original.mailbox, draft.original.uid)
        return replace(draft, original=fresh)
