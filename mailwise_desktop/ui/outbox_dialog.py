"""The Outbox view: every mail not yet sent, why, and what the user can do about it.

Queued (undo window, or waiting for the server), held by the collision check,
refused by the server, or of unknown outcome. The buttons follow the selected
mail's state: Undo/Edit, Retry, Send anyway, Discard, Send again, Mark as sent.
The work itself is :class:`OutboxController`'s.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.send.outbox import OutboxItem, OutboxState
from mailwise_desktop.ui.i18n import format_datetime
from mailwise_desktop.ui.outbox_controller import OutboxController


def state_words(item: OutboxItem, sending: bool) -> str:
    """The state column, in the user's words."""

    if item.state is OutboxState.QUEUED:
        return (
            QCoreApplication.translate("OutboxDialog", "Sending…")
            if sending
            else QCoreApplication.translate("OutboxDialog", "Queued")
        )
    words = {
        OutboxState.CHECKING: QCoreApplication.translate("OutboxDialog", "Sending…"),
        OutboxState.SUBMITTING: QCoreApplication.translate("OutboxDialog", "Sending…"),
        OutboxState.ACCEPTED: QCoreApplication.translate("OutboxDialog", "Sent, filing…"),
        OutboxState.SENT: QCoreApplication.translate("OutboxDialog", "Sent"),
        OutboxState.HELD: QCoreApplication.translate("OutboxDialog", "Held"),
        OutboxState.FAILED: QCoreApplication.translate("OutboxDialog", "Not sent"),
        OutboxState.UNKNOWN: QCoreApplication.translate("OutboxDialog", "Unknown"),
        OutboxState.APPROVAL: QCoreApplication.translate("OutboxDialog", "Waiting for approval"),
    }
    return words[item.state]


class OutboxDialog(QDialog):
    """A non-modal list of the outbox, refreshed whenever the outbox changes.

    The outbox says "changed" often (every run starts and ends); the list is
    drawn again only when a row it shows differs.

    Signals:
        redrawn: the rows shown changed.
    """

    redrawn = Signal()

    def __init__(self, outbox: OutboxController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxDialog")
        self.outbox = outbox
        self.items: list[OutboxItem] = []
        self._rows: list[list[str]] | None = None
        self.empty_label = QLabel(self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(4)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 200)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.reason = QPlainTextEdit(self)
        self.reason.setReadOnly(True)
        self.reason.setMaximumHeight(90)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key in ("retry", "send_anyway", "edit", "discard", "send_again", "mark_sent"):
            button = QPushButton(self)
            button.setObjectName(f"outbox_{key}")
            button.clicked.connect(lambda _c=False, k=key: self._act(k))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.reason)
        layout.addLayout(row)
        layout.addWidget(close)
        outbox.changed.connect(self.refresh)
        self.retranslate()
        self.refresh()
        self.resize(820, 420)

    def refresh(self) -> None:
        """Read the outbox again (a short local read), keeping the selection."""
        selected = self.selected()
        keep = selected.id if selected else None
        items = self.outbox.items()
        rows = [
            [
                state_words(item, self.outbox.processing),
                item.subject or self.tr("(no subject)"),
                ", ".join(item.rcpt),
                format_datetime(datetime.fromtimestamp(item.created), QLocale()),
                str(item.id),
            ]
            for item in items
        ]
        if rows == self._rows:
            self.items = items  # same rows shown; reasons and buttons follow the latest
            self._update_buttons()
            return
        self.items, self._rows = items, rows
        self.tree.clear()
        for item, texts in zip(self.items, rows, strict=True):
            row = QTreeWidgetItem(texts[:4])
            row.setData(0, Qt.ItemDataRole.UserRole, item.id)
            self.tree.addTopLevelItem(row)
            if item.id == keep:
                row.setSelected(True)
        first = self.tree.topLevelItem(0)
        if keep is None and first is not None:
            first.setSelected(True)
        self.empty_label.setVisible(not self.items)
        for column in (0, 3):  # sized to the longest text (bold when selected), plus room
            self.tree.resizeColumnToContents(column)
            self.tree.header().resizeSection(column, self.tree.header().sectionSize(column) + 16)
        self._update_buttons()
        self.redrawn.emit()

    def selected(self) -> OutboxItem | None:
        rows = self.tree.selectedItems()
        if not rows:
            return None
        item_id = rows[0].data(0, Qt.ItemDataRole.UserRole)
        return next((i for i in self.items if i.id == item_id), None)

    def _update_buttons(self) -> None:
        item = self.selected()
        state = item.state if item else None
        allowed_by_state: dict[OutboxState, set[str]] = {
            OutboxState.QUEUED: {"edit"},
            OutboxState.APPROVAL: {"edit"},
            OutboxState.HELD: {"send_anyway", "edit", "discard"},
            OutboxState.FAILED: {"retry", "edit", "discard"},
            OutboxState.UNKNOWN: {"send_again", "mark_sent"},
        }
        allowed = allowed_by_state.get(state, set()) if state is not None else set()
        for key, button in self.buttons.items():
            button.setVisible(key in allowed)
        reason = ""
        if item is not None:
            reason = item.last_error or ""
            if item.server_reply and item.server_reply not in reason:
                reason = f"{reason}\n{item.server_reply}".strip()
        self.reason.setPlainText(reason)
        self.reason.setVisible(bool(reason))

    def _act(self, key: str) -> None:
        item = self.selected()
        if item is None:
            return
        getattr(self.outbox, key)(item.id)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Outbox"))
        self.tree.setHeaderLabels([self.tr("State"), self.tr("Subject"), self.tr("To"), ""])
        self.empty_label.setText(self.tr("The outbox is empty: every mail has been sent."))
        texts = {
            "retry": self.tr("Retry"),
            "send_anyway": self.tr("Send anyway"),
            "edit": self.tr("Undo and edit"),
            "discard": self.tr("Discard"),
            "send_again": self.tr("Send again"),
            "mark_sent": self.tr("Mark as sent"),
        }
        for key, button in self.buttons.items():
            button.setText(texts[key])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)
