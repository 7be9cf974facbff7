"""Delete (Del / Backspace): the selected messages go to Trash, with Undo in the notice bar.

The IMAP work is ``services/trash.py``'s, run on the account's engine thread;
the list applies the returned Changes. Nothing is ever expunged here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.services.trash import Trashed, to_trash_job, undo_job
from mailwise_desktop.ui.background import BackgroundOps, EngineOp
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.triage_controller import TriageController


class TrashAction(QObject):
    """The Delete action of a main window and its Undo.

    Attributes:
        last: what the last delete moved (None once undone), for Undo.
    """

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        controller: TriageController,
        ops: BackgroundOps,
        notice: NoticeBar,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.ops = ops
        self.notice = notice
        self.last: tuple[str, Trashed] | None = None
        self.busy = False
        self.action = QAction(window)
        self.action.setObjectName("action_trash")
        self.action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        # Only while the list has focus: Backspace in the search box stays editing.
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.triggered.connect(self.delete_selected)
        menu.addAction(self.action)
        controller.workspace.message_list.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def delete_selected(self) -> None:
        current = self.controller.current
        selection = self.controller.selected_summaries()
        if current is None or not selection or self.busy:
            return
        account_id, mailbox = current.account_id, current.mailbox
        job = to_trash_job(mailbox, [s.uid for s in selection], [s.message_id for s in selection])
        self.busy = True
        EngineOp(account_id, job).success(lambda t: self._deleted(account_id, t)).failure(
            self._delete_failed
        ).run_in(self.ops)

    def _delete_failed(self, error: BaseException) -> None:
        self.busy = False
        message, detail = plain_error(error)
        lead = self.tr("Not moved to Trash.")
        self.notice.show_notice(f"{lead} {message}", kind="error", detail=detail or None)

    def _deleted(self, account_id: str, trashed: Trashed) -> None:
        self.busy = False
        self.last = (account_id, trashed)
        self.controller.changes.publish(trashed.changes, self)
        text = self.tr("Moved %1 message(s) to %2.").replace("%1", str(trashed.count))
        self.notice.show_notice(
            text.replace("%2", trashed.trash), actions=[(self.tr("Undo"), self.undo)]
        )

    def undo(self) -> None:
        if self.last is None or self.busy:
            return
        account_id, trashed = self.last
        self.busy = True
        EngineOp(account_id, undo_job(trashed)).success(self._undone).failure(
            self._undo_failed
        ).run_in(self.ops)

    def _undo_failed(self, error: BaseException) -> None:
        self.busy = False
        self.last = None
        message, detail = plain_error(error)
        self.notice.show_notice(message, kind="error", detail=detail or None)

    def _undone(self, changes: Changes) -> None:
        self.busy = False
        self.last = None
        self.controller.changes.publish(changes, self)
        self.notice.show_notice(self.tr("Put back from Trash."))

    def retranslate(self) -> None:
        self.action.setText(self.tr("Move to &Trash"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
