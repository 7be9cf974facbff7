"""The side panel under the message: the team's notes (add one) and the history timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.ui.i18n import format_datetime
from mailwise_desktop.ui.state_badges import state_label

if TYPE_CHECKING:  # the team log's entries (mail.team_records) are read after the first paint
    from mailwise_desktop.services.team_history import HistoryEntry, NoteEntry


def operation_label(operation: str) -> str:
    """What a history event did, in the UI language."""
    labels = {
        "claim": QCoreApplication.translate("TeamPanel", "claimed"),
        "release": QCoreApplication.translate("TeamPanel", "released"),
        "transfer": QCoreApplication.translate("TeamPanel", "handed over"),
        "hold": QCoreApplication.translate("TeamPanel", "put on hold"),
        "resume": QCoreApplication.translate("TeamPanel", "resumed"),
        "done": QCoreApplication.translate("TeamPanel", "marked done"),
        "skip": QCoreApplication.translate("TeamPanel", "marked no reply needed"),
        "reopen": QCoreApplication.translate("TeamPanel", "reopened"),
        "repair": QCoreApplication.translate("TeamPanel", "repaired the state"),
    }
    return labels.get(operation, operation)


class TeamPanel(QTabWidget):
    """Notes and history of the selected message.

    Signals:
        note_submitted(str): the user wrote a note and pressed "Add note".
    """

    note_submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamPanel")
        self.notes_list = QListWidget(self)
        self.notes_list.setObjectName("notesList")
        self.notes_list.setWordWrap(True)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setMaximumHeight(64)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addNoteButton")
        self.add_button.clicked.connect(self.submit_note)
        self.sending_label = QLabel(self)
        self.sending_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sending_label.setObjectName("noteStatus")
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.note_edit)
        shortcut.activated.connect(self.submit_note)

        notes_page = QWidget(self)
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.setContentsMargins(4, 4, 4, 4)
        notes_layout.addWidget(self.notes_list, 1)
        notes_layout.addWidget(self.note_edit)
        row = QHBoxLayout()
        row.addWidget(self.sending_label, 1)
        row.addWidget(self.add_button)
        notes_layout.addLayout(row)

        self.history_list = QListWidget(self)
        self.history_list.setObjectName("historyList")
        self.history_list.setWordWrap(True)

        self.addTab(notes_page, "")
        self.addTab(self.history_list, "")
        self._notes: list[NoteEntry] = []
        self._history: list[HistoryEntry] = []
        self.set_enabled_for_message(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTabText(0, self.tr("Notes (%1)").replace("%1", str(len(self._notes))))
        self.setTabText(1, self.tr("History (%1)").replace("%1", str(len(self._history))))
        self.add_button.setText(self.tr("Add note"))
        self.note_edit.setPlaceholderText(self.tr("A note for the team (Ctrl+Enter adds it)"))
        self.show_entries(self._notes, self._history)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_enabled_for_message(self, enabled: bool) -> None:
        self.note_edit.setEnabled(enabled)
        self.add_button.setEnabled(enabled)

    def show_entries(self, notes: list[NoteEntry], history: list[HistoryEntry]) -> None:
        """Fill both lists (oldest first, like a conversation)."""
        self._notes, self._history = notes, history
        locale = QLocale()
        self.notes_list.clear()
        for note in notes:
            item = QListWidgetItem(
                f"{note.actor_name} · {format_datetime(note.at, locale)}\n{note.text}"
            )
            item.setData(Qt.ItemDataRole.UserRole, note.record_uid)
            self.notes_list.addItem(item)
        self.history_list.clear()
        for entry in history:
            self.history_list.addItem(self.history_line(entry, locale))
        self.setTabText(0, self.tr("Notes (%1)").replace("%1", str(len(notes))))
        self.setTabText(1, self.tr("History (%1)").replace("%1", str(len(history))))

    def history_line(self, entry: HistoryEntry, locale: QLocale) -> str:
        """``2026/11/29 (日) 10:42  佐藤: claimed (Unhandled → In progress, 佐藤)``."""
        change = ""
        if entry.from_state and entry.to_state:
            change = f"{state_label(entry.from_state)} → {state_label(entry.to_state)}"
        if entry.owner_name:
            change = f"{change}, {entry.owner_name}" if change else entry.owner_name
        words = f"{entry.actor_name}: {operation_label(entry.operation)}"
        return f"{format_datetime(entry.at, locale)}  {words}" + (f" ({change})" if change else "")

    def submit_note(self) -> None:
        text = self.note_edit.toPlainText().strip()
        if text and self.add_button.isEnabled():
            self.note_submitted.emit(text)

    def note_sending(self, sending: bool) -> None:
        self.add_button.setEnabled(not sending)
        self.sending_label.setText(self.tr("Adding the note…") if sending else "")

    def note_added(self) -> None:
        self.note_edit.clear()
        self.note_sending(False)
