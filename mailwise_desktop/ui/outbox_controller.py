"""The outbox while the window is open: sends due mail, asks the user when a mail needs them.

One :class:`OutboxController` per main window. It processes the outbox of
every account on the SMTP lane (``ui/background.py``) — at start (mail left from a previous run),
when a compose window queued a mail (at the end of its undo window) and every
few seconds — so a mail is sent even after its compose window was closed.
Held, failed and unknown mails are announced once in the main window's notice
bar with what the user can do; ``ui/outbox_dialog.py`` lists them all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.send.outbox import NEEDS_USER, OutboxItem, OutboxState
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sending import OutboxRun, SendingService
from mailwise_desktop.ui.background import BackgroundOps, Lane, LocalOp
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.plain_question import ask_yes_cancel

log = logging.getLogger(__name__)

#: How often the outbox is looked at while the window is open.
PROCESS_SECONDS = 5


class OutboxController(QObject):
    """Drives the outbox of the profile's accounts from the main window.

    A send's compare-and-set on the original (answered, done) comes back as
    Changes and is published once on the window's change broadcast, with this
    controller as its initiator; the list merges that one row.

    Signals:
        changed: outbox rows may have changed (views refresh).
        edit_requested(SendingService, Draft): a mail went back to the editor.
        open_requested: the user wants to see the outbox.
    """

    changed = Signal()
    edit_requested = Signal(object, object)
    open_requested = Signal()

    def __init__(
        self,
        ctx: AppContext,
        ops: BackgroundOps,
        changes: ChangeBroadcast,
        notice: NoticeBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.ops = ops
        self.changes = changes
        self.notice = notice
        self.window = window
        self.services: dict[str, SendingService] = {}
        self.processing = False
        self._again = False
        self._told: dict[int, tuple[str, float]] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(PROCESS_SECONDS * 1000)
        self.timer.timeout.connect(self.process)

    # -- accounts ----------------------------------------------------------

    def set_accounts(self, services: list[AccountServices]) -> None:
        self.services = {s.account.id: s.sending for s in services}

    def service(self, account_id: str) -> SendingService:
        return self.services[account_id]

    def start(self) -> None:
        """Process now (mail left from a previous run) and then every few seconds."""
        self.timer.start()
        self.process()

    def stop(self) -> None:
        self.timer.stop()

    def items(self) -> list[OutboxItem]:
        """Every mail not yet sent, of every account (a short local read)."""
        out: list[OutboxItem] = []
        for service in self.services.values():
            out += service.outbox.items(service.account.id)
        return out

    # -- processing ----------------------------------------------------------

    def schedule(self, item: OutboxItem) -> None:
        """Process right after ``item``'s undo window (a compose window queued it)."""
        self.changed.emit()
        wait_ms = max(0, int((item.send_after - time.time()) * 1000))
        QTimer.singleShot(wait_ms + 20, self, self.process)

    def process(self) -> None:
        """Send every due mail of every account on the send worker (one run at a time)."""
        if self.processing:
            self._again = True
            return
        services = list(self.services.values())
        if not services or self.ops.stopped:
            return
        self.processing = True
        self.changed.emit()

        def work() -> OutboxRun:
            run = OutboxRun([], Changes())
            for service in services:
                for item in service.outbox.items(service.account.id, [OutboxState.UNKNOWN]):
                    try:
                        service.resolve_unknown(item.id)
                    except MailwiseError as exc:
                        log.info("unknown mail %s not resolved: %s", item.id, exc)
                done = service.run_outbox()
                run = OutboxRun(run.items + done.items, run.changes.merged(done.changes))
            return run

        started = LocalOp(work, lane=Lane.SMTP).success(self._processed).failure(self._failed)
        if started.run_in(self.ops) is None:
            self.processing = False

    def _processed(self, run: OutboxRun) -> None:
        # The originals marked answered/done: one published change, merged by the views.
        self.changes.publish(run.changes, self)
        self._ran()

    def _failed(self, error: BaseException) -> None:
        log.warning("outbox run failed: %r", error)
        message, detail = plain_error(error)
        self.notice.show_notice(
            self.tr("The outbox could not be sent. %1").replace("%1", message),
            kind="error",
            detail=detail or None,
        )
        self._ran()

    def _ran(self) -> None:
        self.processing = False
        self.changed.emit()
        self.tell_user()
        if self._again:
            self._again = False
            self.process()

    # -- asking the user -----------------------------------------------------

    def tell_user(self) -> None:
        """Announce each mail that newly needs the user (once per state change)."""
        for item in self.items():
            if item.state not in NEEDS_USER:
                continue
            key = (item.state.value, item.updated)
            if self._told.get(item.id) == key:
                continue
            self._told[item.id] = key
            self.ask(item)

    def ask(self, item: OutboxItem) -> None:
        subject = item.subject or self.tr("(no subject)")
        open_ = (self.tr("Open outbox"), self.open_requested.emit)
        if item.state is OutboxState.HELD:
            text = self.tr(
                "“%1” was not sent: a teammate replied or took over meanwhile. "
                "Send it anyway, edit it, or discard it?"
            ).replace("%1", subject)
            actions = [
                (self.tr("Send anyway"), lambda: self.send_anyway(item.id)),
                (self.tr("Edit"), lambda: self.edit(item.id)),
                (self.tr("Discard"), lambda: self.discard(item.id)),
            ]
            self.notice.show_notice(text, kind="warning", actions=actions, detail=item.last_error)
        elif item.state is OutboxState.FAILED:
            text = self.tr(
                "“%1” was not sent: the server refused it. It stays in the outbox."
            ).replace("%1", subject)
            detail = "\n".join(x for x in (item.last_error, item.server_reply) if x)
            actions = [(self.tr("Retry"), lambda: self.retry(item.id)), open_]
            self.notice.show_notice(text, kind="error", actions=actions, detail=detail or None)
        else:
            text = self.tr(
                "The connection dropped while “%1” was being sent; the server may or may "
                "not have it. Decide in the outbox."
            ).replace("%1", subject)
            self.notice.show_notice(text, kind="warning", actions=[open_], detail=item.last_error)

    # -- the user's decisions (also used by the outbox view) --------------------

    def _act(self, item_id: int, act: Callable[[SendingService], None]) -> bool:
        try:
            item = self._item(item_id)
            act(self.services[item.account_id])
        except MailwiseError as exc:
            message, detail = plain_error(exc)
            self.notice.show_notice(message, kind="error", detail=detail or None)
            self.changed.emit()
            return False
        self.notice.hide()
        self.changed.emit()
        return True

    def _item(self, item_id: int) -> OutboxItem:
        service = next(iter(self.services.values()), None)
        if service is None:
            raise MailwiseError(self.tr("There is no shared mailbox."))
        return service.outbox.get(item_id)  # one outbox per profile

    def retry(self, item_id: int) -> None:
        if self._act(item_id, lambda s: s.outbox.retry(item_id)):
            self.process()

    def send_anyway(self, item_id: int) -> None:
        if self._act(item_id, lambda s: s.send_anyway(item_id)):
            self.process()

    def send_again(self, item_id: int) -> None:
        """An unknown mail, sent again with the same Message-ID (after a confirmation)."""
        question = self.tr(
            "The server may already have this mail. Send it again? If the first copy "
            "did arrive, the customer gets it twice (recognisably the same mail)."
        )
        if self.confirm(question) and self._act(
            item_id, lambda s: s.outbox.retry(item_id, resend_unknown=True)
        ):
            self.process()

    def mark_sent(self, item_id: int) -> None:
        """The user checked that an unknown mail did arrive: file it and mark the original."""
        if self._act(item_id, lambda s: s.outbox.confirm_sent(item_id)):
            self.process()

    def edit(self, item_id: int) -> None:
        """Take the mail back into a compose window (Undo)."""

        def back(service: SendingService) -> None:
            self.edit_requested.emit(service, service.undo(item_id))

        self._act(item_id, back)

    def discard(self, item_id: int) -> None:
        """Throw the mail away (after a confirmation); nothing was sent."""
        if not self.confirm(self.tr("Discard this mail? It has not been sent.")):
            return

        def drop(service: SendingService) -> None:
            draft = service.undo(item_id)
            service.drafts.delete(draft.id)

        self._act(item_id, drop)

    def confirm(self, question: str) -> bool:
        """Yes/No (tests replace this)."""
        return ask_yes_cancel(
            self.window,
            self.tr("Outbox"),
            question,
        )
