"""Claim, release, hold, resume, done, no reply needed, reopen, transfer — from the window.

Each operation is the coordination service's engine job. The row shows
"claiming…" (never a fake success) until the server answers; a refusal says
who holds the message since when, with [Take over] behind a confirmation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QInputDialog, QWidget

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.core.states import OWNED_STATES, Operation, RefusalKind
from mailwise_desktop.store.summaries import MessageSummary
from mailwise_desktop.ui.background import EngineOp
from mailwise_desktop.ui.i18n import format_datetime
from mailwise_desktop.ui.plain_question import ask_yes_cancel
from mailwise_desktop.ui.state_badges import pending_words, state_label
from mailwise_desktop.ui.triage_actions import applicable
from mailwise_desktop.ui.triage_controller import TriageController

if TYPE_CHECKING:  # the coordination service is made on first use, after the first paint
    from mailwise_desktop.services.coordination import OperationOutcome


class OperationRunner(QObject):
    """Runs handling operations on the selection and reports how they ended."""

    def __init__(self, controller: TriageController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.last_outcome: OperationOutcome | None = None
        controller.actions.operation_requested.connect(self.run_on_selection)

    @property
    def window(self) -> QWidget:
        return self.controller.workspace

    def run_on_selection(self, operation: Operation) -> None:
        c = self.controller
        if c.current is None:
            return
        me = c.me()
        if me is None:
            c.workspace.notice.show_notice(
                self.tr("Say who you are first (Actions ▸ Who am I…), then try again."),
                kind="warning",
            )
            return
        targets = [s for s in c.selected_summaries() if applicable(operation, s, me.slot)]
        if not targets:
            return
        target_id: str | None = None
        take_over = False
        if operation is Operation.TRANSFER:
            teammate = self.choose_teammate(me)
            if teammate is None:
                return
            target_id = teammate.id
            held = [s for s in targets if s.owner_slot not in (None, me.slot)]
            if held:
                if not self.confirm_take_over(c.owner_name(held[0].owner_slot)):
                    return
                take_over = True
        for summary in targets:
            self.submit(operation, summary, target=target_id, take_over=take_over)

    def submit(
        self,
        operation: Operation,
        summary: MessageSummary,
        *,
        target: str | None = None,
        take_over: bool = False,
    ) -> None:
        """Send one operation for one message to the engine."""
        c = self.controller
        assert c.current is not None
        account_id, mailbox = c.current.account_id, c.current.mailbox
        if not c.bridge.is_online(account_id):
            c.workspace.notice.show_notice(
                self.tr(
                    "You are offline. Changing a message's state needs the mail server; "
                    "try again when the status bar says online."
                ),
                kind="warning",
            )
            return
        service = c.coordination[account_id]
        try:
            job = service.operation_job(
                operation, summary.uid, mailbox=mailbox, target=target, take_over=take_over
            )
        except MailwiseError as exc:
            c.show_error(exc)
            return
        c.model.set_pending(summary.id, pending_words(operation))
        c.workspace.notice.hide()

        def failed(error: BaseException) -> None:
            c.model.set_pending(summary.id, None)
            c.show_error(error, self.tr("The change was not made."))

        def done(outcome: OperationOutcome) -> None:
            c.model.set_pending(summary.id, None)
            self.finished(summary, outcome)

        EngineOp(account_id, job).success(done).failure(failed).run_in(c.ops)

    def finished(self, summary: MessageSummary, outcome: OperationOutcome) -> None:
        """The server answered: publish the outcome's Changes once, say why if it did not win."""
        c = self.controller
        self.last_outcome = outcome
        c.changes.publish(outcome.changes, self)
        if outcome.won:
            return
        if outcome.refusal is RefusalKind.HELD_BY_OTHER:
            self.show_held(summary, outcome)
        else:
            c.workspace.notice.show_notice(self.refusal_text(outcome), kind="warning")

    def held_text(self, outcome: OperationOutcome) -> str:
        who = outcome.owner.label if outcome.owner else self.tr("A teammate")
        if outcome.holder_since is not None:
            since = format_datetime(outcome.holder_since, QLocale())
            return (
                self.tr("%1 has been handling this since %2.")
                .replace("%1", who)
                .replace("%2", since)
            )
        return self.tr("%1 is handling this.").replace("%1", who)

    def show_held(self, summary: MessageSummary, outcome: OperationOutcome) -> None:
        c = self.controller
        actions = []
        if outcome.state in OWNED_STATES:
            actions.append((self.tr("Take over"), lambda: self.take_over(summary, outcome)))
        c.workspace.notice.show_notice(self.held_text(outcome), kind="warning", actions=actions)

    def refusal_text(self, outcome: OperationOutcome) -> str:
        if outcome.connection_lost:
            return self.tr(
                "The connection dropped before the change reached the server, "
                "so it was not made. Try again."
            )
        if outcome.lost_while_down:
            return self.tr(
                "A teammate changed this message while the connection was down, "
                "so yours was not made."
            )
        if outcome.refusal is None:
            return self.tr("Teammates changed this message at the same moment; try again.")
        state = state_label(outcome.state)
        if outcome.owner is not None:
            return (
                self.tr("Not possible now: the message is %1 (%2).")
                .replace("%1", state)
                .replace("%2", outcome.owner.label)
            )
        return self.tr("Not possible now: the message is %1.").replace("%1", state)

    def take_over(self, summary: MessageSummary, outcome: OperationOutcome) -> None:
        c = self.controller
        me = c.me()
        holder = outcome.owner.label if outcome.owner else self.tr("a teammate")
        if me is None or not self.confirm_take_over(holder):
            return
        self.submit(Operation.TRANSFER, summary, target=me.id, take_over=True)

    # -- dialogs (tests replace these) -----------------------------------

    def confirm_take_over(self, holder: str) -> bool:
        return ask_yes_cancel(
            self.window,
            self.tr("Take over?"),
            self.tr(
                "%1 is handling this message. Take it over? They will see that you did."
            ).replace("%1", holder),
        )

    def choose_teammate(self, me: Teammate) -> Teammate | None:
        c = self.controller
        assert c.current is not None
        team = [t for t in c.coordination[c.current.account_id].roster() if t.active]
        if not team:
            return None
        labels = [
            t.label if t.id != me.id else self.tr("%1 (me)").replace("%1", t.label) for t in team
        ]
        chosen, ok = QInputDialog.getItem(
            self.window,
            self.tr("Transfer to…"),
            self.tr("Hand the message over to:"),
            labels,
            0,
            False,
        )
        return team[labels.index(chosen)] if ok and chosen in labels else None
