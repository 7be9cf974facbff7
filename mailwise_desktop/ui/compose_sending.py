"""The compose window's sending flow: take over, checks, confirm, queue, undo, outbox state.

A part of :class:`~mailwise_desktop.ui.compose_window.ComposeWindow` (it
provides the widgets). Every slow step runs on the send worker; results come
back on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

from mailwise_desktop.core.errors import (
    ConnectionLostError,
    MailwiseError,
    NotFoundError,
    UnreachableError,
)
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.send.outbox import OutboxItem, OutboxState
from mailwise_desktop.services.reply_drafts import ClaimOutcome
from mailwise_desktop.services.sending import CheckReport, SendingService
from mailwise_desktop.ui.background import BackgroundOps, Lane, LocalOp
from mailwise_desktop.ui.confirm_send_dialog import ConfirmSendDialog
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar

if TYPE_CHECKING:
    from mailwise_desktop.ui.outbox_controller import OutboxController


class ComposeSending:
    """Sending for the compose window (mixed into it; no widgets of its own)."""

    queued: SignalInstance
    service: SendingService
    draft: Draft
    held_by: str | None
    outbox_item: OutboxItem | None
    ops: BackgroundOps
    outbox: OutboxController | None
    busy: str | None
    notice: NoticeBar
    autosave: QTimer
    send_timer: QTimer

    if TYPE_CHECKING:  # provided by ComposeWindow / QWidget

        def current(self) -> Draft: ...
        def load(self, draft: Draft) -> None: ...
        def retranslate(self) -> None: ...
        def close(self) -> bool: ...

    def take_over(self) -> None:
        """Take the message over from the teammate (on the worker), then allow sending."""
        original = self.draft.original
        if original is None or self.busy:
            return
        service, draft = self.service, self.current()

        def work() -> tuple[ClaimOutcome, Draft]:
            claim = service.claim_for_reply(original.uid, original.mailbox, take_over=True)
            return claim, service.with_snapshot(draft)

        self._start("taking_over")
        LocalOp(work, lane=Lane.SMTP).success(self._taken_over).failure(
            self._take_over_failed
        ).run_in(self.ops)

    def _take_over_failed(self, error: BaseException) -> None:
        self._start(None)
        self._error(
            error, QCoreApplication.translate("ComposeWindow", "The message was not taken over.")
        )

    def _taken_over(self, result: tuple[ClaimOutcome, Draft]) -> None:
        self._start(None)
        claim, fresh = result
        if claim.claimed:
            self.held_by = None
            self.draft = fresh.with_changes(take_over=True)
        else:
            self._error(
                MailwiseError(claim.note),
                QCoreApplication.translate("ComposeWindow", "The message was not taken over."),
            )
        self.retranslate()

    def send(self) -> None:
        """Checks (and the server's collision check) → confirm dialog → outbox with undo window."""
        if self.busy or self.outbox_item is not None or self.held_by is not None:
            return
        try:
            draft = self.current()
        except MailwiseError as exc:
            self._error(exc)
            return
        service = self.service

        def work() -> CheckReport:
            try:
                collision = service.server_collision(draft)
            except (ConnectionLostError, UnreachableError):
                collision = None  # offline: the outbox checks again before SMTP
            return service.check(draft, collision=collision)

        self.notice.hide()
        self._start("checking")
        LocalOp(work, lane=Lane.SMTP).success(lambda report: self._checked(draft, report)).failure(
            lambda error: self._failed(
                error, QCoreApplication.translate("ComposeWindow", "The mail was not sent.")
            )
        ).run_in(self.ops)

    def _failed(self, error: BaseException, lead: str) -> None:
        self._start(None)
        self._error(error, lead)

    def _checked(self, draft: Draft, report: CheckReport) -> None:
        self._start(None)
        if not self.confirm(report):
            return
        service = self.service
        self._start("queuing")
        LocalOp(
            lambda: service.enqueue(service.with_snapshot(draft), report), lane=Lane.SMTP
        ).success(self._queued).failure(
            lambda error: self._failed(
                error, QCoreApplication.translate("ComposeWindow", "The mail was not queued.")
            )
        ).run_in(self.ops)

    def confirm(self, report: CheckReport) -> bool:
        """The confirm-before-send dialog (tests replace this)."""
        dialog = ConfirmSendDialog(report, cast(QWidget, self))
        return dialog.exec() == ConfirmSendDialog.DialogCode.Accepted

    def _queued(self, item: OutboxItem) -> None:
        self._start(None)
        self.outbox_item = item
        self.queued.emit(item.id)
        self.autosave.stop()
        if self.outbox is not None:
            self.outbox.schedule(item)
        else:
            wait_ms = max(0, int((item.send_after - item.created) * 1000))
            self.send_timer.start(wait_ms)
        self.retranslate()

    def undo(self) -> None:
        if self.outbox_item is None:
            return
        try:
            draft = self.service.undo(self.outbox_item.id)
        except MailwiseError as exc:
            self._error(exc)
            return
        self.send_timer.stop()
        self.outbox_item = None
        self.load(draft)
        self.autosave.start()
        self.retranslate()
        if self.outbox is not None:
            self.outbox.changed.emit()

    def process_outbox(self) -> None:
        """Without a main window: send the due mail on the worker, then show how it went."""
        LocalOp(self.service.process_outbox, lane=Lane.SMTP).success(
            lambda _items: self.refresh_item()
        ).failure(self._process_failed).run_in(self.ops)

    def _process_failed(self, error: BaseException) -> None:
        self._error(error)
        self.refresh_item()

    def refresh_item(self) -> None:
        """Show the queued mail's state; close once the server has it."""
        if self.outbox_item is None:
            return
        try:
            item = self.service.outbox.get(self.outbox_item.id)
        except NotFoundError:  # taken back from the outbox view
            self.outbox_item = None
            self.retranslate()
            return
        self.outbox_item = item
        if item.state in (OutboxState.SENT, OutboxState.ACCEPTED):
            self.close()
            return
        self.retranslate()

    def _start(self, what: str | None) -> None:
        self.busy = what
        self.retranslate()

    def _error(self, error: BaseException, lead: str = "") -> None:
        """Plain words in the window's notice bar, the details behind "Show details"."""
        message, detail = plain_error(error)
        self.notice.show_notice(f"{lead} {message}".strip(), kind="error", detail=detail or None)
