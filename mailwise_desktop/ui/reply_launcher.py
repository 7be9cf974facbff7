"""Reply / Reply all / Forward / New mail from the main window, and the compose windows.

Replying claims the selected message first (the coordination service's
engine job, like the Claim button: the row says "Claiming…" until the
server answers). A teammate's claim does not stop the reply: the compose
window opens with the take-over banner. The draft is then built on the send
worker (the body may need downloading) and the window opens. The toolbar's
Reply button has a menu: reply all, forward and "reply with template".
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.states import Operation
from mailwise_desktop.send.draft import Draft, ReplyKind
from mailwise_desktop.services.coordination import OperationOutcome
from mailwise_desktop.services.reply_drafts import claim_outcome
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.background import EngineOp, LocalOp
from mailwise_desktop.ui.compose_window import ComposeWindow
from mailwise_desktop.ui.outbox_controller import OutboxController
from mailwise_desktop.ui.state_badges import pending_words
from mailwise_desktop.ui.triage_controller import TriageController


class ReplyLauncher(QObject):
    """Opens compose windows for the selection (or a new mail) and keeps them alive.

    Signals:
        compose_opened(Draft, ComposeWindow): a compose window was shown for a draft.
    """

    compose_opened = Signal(object, object)

    def __init__(
        self, controller: TriageController, outbox: OutboxController, window: QWidget
    ) -> None:
        super().__init__(window)
        self.controller = controller
        self.outbox = outbox
        self.window = window
        self.windows: list[ComposeWindow] = []
        # The Reply / Reply all / Forward / New mail actions reach reply() and new_mail()
        # through the main window (ui/window_parts.py: connect_reply_actions), which
        # builds this launcher when one is used before the first paint is done.
        outbox.edit_requested.connect(self.open_draft)
        self.reply_menu = QMenu(window)
        self.reply_menu.setObjectName("replyMenu")
        self.reply_menu.aboutToShow.connect(self._fill_reply_menu)

    # -- the toolbar's "Reply ▾ template" -----------------------------------

    def attach_to_toolbar(self, toolbar: QToolBar) -> None:
        button = toolbar.widgetForAction(self.controller.actions.reply)
        if isinstance(button, QToolButton):
            button.setMenu(self.reply_menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

    def _fill_reply_menu(self) -> None:
        menu, actions = self.reply_menu, self.controller.actions
        menu.clear()
        menu.addAction(actions.reply_all)
        menu.addAction(actions.forward)
        menu.addSeparator()
        current = self.controller.current
        service = self.outbox.services.get(current.account_id) if current else None
        names = [t.name for t in service.templates()] if service is not None else []
        title = menu.addAction(self.tr("Reply with template:"))
        title.setEnabled(False)
        for name in names:
            action = QAction(name, menu)
            action.setEnabled(actions.reply.isEnabled())
            action.triggered.connect(
                lambda _c=False, n=name: self.reply(ReplyKind.REPLY, template=n)
            )
            menu.addAction(action)
        if not names:
            none = menu.addAction(self.tr("(no templates yet)"))
            none.setEnabled(False)

    # -- opening -------------------------------------------------------------

    def reply(self, kind: ReplyKind, template: str | None = None) -> None:
        """Claim the selected message, then open the reply (or forward) to it."""
        c = self.controller
        selection = c.selected_summaries()
        if c.current is None or len(selection) != 1:
            return
        summary, account_id, mailbox = selection[0], c.current.account_id, c.current.mailbox
        me = c.me()
        if me is None:
            c.workspace.notice.show_notice(
                self.tr("Say who you are first (Actions ▸ Who am I…), then try again."),
                kind="warning",
            )
            return
        if not c.bridge.is_online(account_id):
            c.workspace.notice.show_notice(
                self.tr(
                    "You are offline. Replying claims the message on the mail server; "
                    "try again when the status bar says online."
                ),
                kind="warning",
            )
            return
        try:
            job = c.coordination[account_id].operation_job(
                Operation.CLAIM, summary.uid, mailbox=mailbox
            )
        except MailwiseError as exc:
            c.show_error(exc)
            return
        c.model.set_pending(summary.id, pending_words(Operation.CLAIM))
        c.workspace.notice.hide()

        def claim_failed(error: BaseException) -> None:
            c.model.set_pending(summary.id, None)
            c.show_error(error, self.tr("The reply was not started."))

        def claimed(outcome: OperationOutcome) -> None:
            c.model.set_pending(summary.id, None)
            c.changes.publish(outcome.changes, self)
            held_by = claim_outcome(outcome, me).held_by
            service = self.outbox.service(account_id)

            def build() -> Draft:
                draft = service.reply_draft(summary.uid, mailbox, kind=kind, template=template)
                return service.with_snapshot(draft)

            # The quick lane: a reply draft never waits behind an SMTP send.
            LocalOp(build).success(lambda draft: self.open_draft(service, draft, held_by)).failure(
                lambda error: c.show_error(error, self.tr("The reply was not started."))
            ).run_in(self.outbox.ops)

        EngineOp(account_id, job).success(claimed).failure(claim_failed).run_in(self.outbox.ops)

    def new_mail(self) -> None:
        c = self.controller
        account_id = c.current.account_id if c.current else next(iter(self.outbox.services), None)
        if account_id is None:
            return
        service = self.outbox.service(account_id)
        try:
            draft = service.new_draft()
        except MailwiseError as exc:
            c.show_error(exc)
            return
        self.open_draft(service, draft)

    def open_draft(
        self, service: SendingService, draft: Draft, held_by: str | None = None
    ) -> ComposeWindow:
        """Show a compose window for ``draft`` (a new reply, or a mail back from the outbox)."""
        window = ComposeWindow(
            service, draft, held_by=held_by, ops=self.outbox.ops, outbox=self.outbox
        )
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _o=None, w=window: self._forget(w))
        self.windows.append(window)
        window.show()
        window.activateWindow()
        self.compose_opened.emit(draft, window)
        return window

    def _forget(self, window: ComposeWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def close_all(self) -> None:
        for window in list(self.windows):
            window.close()
