"""The approval queue (確認者): mail teammates asked me to approve, as the customer gets it.

View ▸ Approvals… (Ctrl/Cmd+Shift+A). Reading the queue and deciding run on
the outbox's send worker (they talk to the team mailbox); the dialog shows
the result in plain words, including "someone decided first".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.send.approval_records import ApprovalCase, customer_view
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.approval_words import approval_text
from mailwise_desktop.ui.background import LocalOp
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.i18n import format_datetime
from mailwise_desktop.ui.outbox_controller import OutboxController

Entry = tuple[SendingService, ApprovalCase]


class ApprovalsDialog(QDialog):
    """Non-modal: the queue on the left, the selected mail below, Approve / Send back."""

    def __init__(self, outbox: OutboxController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalsDialog")
        self.outbox = outbox
        self.entries: list[Entry] = []
        self.loading = False

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("approvalsList")
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(4)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._show_selected)
        self.reasons = QLabel(self)
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("approvalsPreview")
        self.preview.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.preview)
        splitter.setSizes([160, 320])
        self.comment = QLineEdit(self)
        self.comment.setObjectName("approvalsComment")
        self.status = QLabel(self)
        self.status.setObjectName("approvalsStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(self)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approveButton")
        self.return_button = QPushButton(self)
        self.return_button.setObjectName("returnButton")
        self.refresh_button = QPushButton(self)
        for button in (self.approve_button, self.return_button, self.refresh_button):
            button.setAutoDefault(False)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.approve_button.clicked.connect(lambda: self.decide(approve=True))
        self.return_button.clicked.connect(lambda: self.decide(approve=False))
        self.refresh_button.clicked.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.reasons)
        layout.addWidget(self.comment)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._show_selected()
        self.resize(760, 600)

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        """Read the queue of every account on the send worker."""
        services = list(self.outbox.services.values())
        self.loading = True
        self._update_buttons()

        def work() -> list[Entry]:
            out: list[Entry] = []
            for service in services:
                out += [(service, case) for case in service.approvals.queue()]
            return out

        LocalOp(work).success(self._loaded).failure(self._load_failed).run_in(self.outbox.ops)

    def _loaded(self, entries: list[Entry]) -> None:
        self.loading = False
        self.entries = entries
        self._fill()

    def _load_failed(self, error: BaseException) -> None:
        self.loading = False
        self.status.setText(plain_error(error)[0])
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        for service, case in self.entries:
            who = service.roster().by_id(case.requester)
            row = QTreeWidgetItem(self.tree)
            row.setText(0, who.name if who is not None else case.requester)
            row.setText(1, case.subject or self.tr("(no subject)"))
            row.setText(2, ", ".join(case.recipients))
            row.setText(3, format_datetime(datetime.fromtimestamp(case.created), QLocale()))
            row.setData(0, Qt.ItemDataRole.UserRole, case.request_id)
        first = self.tree.topLevelItem(0)
        if first is not None:
            first.setSelected(True)
        for column in (0, 3):
            self.tree.resizeColumnToContents(column)
        self._show_selected()

    def selected(self) -> Entry | None:
        rows = self.tree.selectedItems()
        if not rows:
            return None
        wanted = rows[0].data(0, Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries if e[1].request_id == wanted), None)

    def _show_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            self.preview.setPlainText(
                self.tr("Nothing waits for your approval.") if not self.loading else ""
            )
            self.reasons.setText("")
        else:
            self.preview.setPlainText(customer_view(entry[1].raw))
            self.reasons.setText(
                self.tr("Why it needs approval: %1").replace(
                    "%1", " ".join(approval_text(r) for r in entry[1].reasons)
                )
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.selected() is not None and not self.loading
        self.approve_button.setEnabled(ready)
        self.return_button.setEnabled(ready)

    # ------------------------------------------------------------------ deciding

    def decide(self, *, approve: bool) -> None:
        entry = self.selected()
        if entry is None or self.loading:
            return
        comment = self.comment.text().strip()
        if not approve and not comment:
            self.status.setText(self.tr("Say what to change: sending back needs a comment."))
            self.comment.setFocus()
            return
        service, case = entry
        self.loading = True
        self._update_buttons()

        def work() -> ApprovalCase:
            return service.approvals.decide(case.request_id, approve=approve, comment=comment)

        LocalOp(work).success(lambda _case: self._decided(approve)).failure(
            self._decide_failed
        ).run_in(self.outbox.ops)

    def _decided(self, approve: bool) -> None:
        self.loading = False
        self.comment.clear()
        self.status.setText(
            self.tr("Approved: the sender's outbox sends it now.")
            if approve
            else self.tr("Sent back with your comment.")
        )
        self.refresh()

    def _decide_failed(self, error: BaseException) -> None:
        self.loading = False
        self.status.setText(plain_error(error)[0])
        self.refresh()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Approvals"))
        self.tree.setHeaderLabels(
            [self.tr("Requested by"), self.tr("Subject"), self.tr("To"), self.tr("Requested")]
        )
        self.comment.setPlaceholderText(self.tr("Comment (needed to send back)"))
        self.approve_button.setText(self.tr("Approve"))
        self.return_button.setText(self.tr("Send back"))
        self.refresh_button.setText(self.tr("Refresh"))
        self._show_selected()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._fill()
        super().changeEvent(event)


class ApprovalsMenu(QObject):
    """View ▸ Approvals… in a main window (its own action, retranslated with the window)."""

    def __init__(self, window: QMainWindow, menu: QMenu, outbox: OutboxController) -> None:
        super().__init__(window)
        self.window = window
        self.outbox = outbox
        self.dialog: ApprovalsDialog | None = None
        self.action = QAction(window)
        self.action.setObjectName("action_approvals")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.action.triggered.connect(self.show)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def show(self) -> ApprovalsDialog:
        if self.dialog is None:
            self.dialog = ApprovalsDialog(self.outbox, self.window)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.activateWindow()
        return self.dialog

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Approvals…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
