"""The status bar's connection words: online · last sync 10:43 / offline / reconnecting…"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from mailwise_desktop.imap.engine_status import EngineStatus, LinkState
from mailwise_desktop.ui.i18n import format_datetime


class ConnectionStatus(QWidget):
    """One line for all accounts ("support: Online · last sync 10:43"), details on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("statusConnection")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_button = QPushButton(self)
        self.details_button.setObjectName("statusDetails")
        self.details_button.setFlat(True)
        self.details_button.clicked.connect(self.show_details)
        self.details_button.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.details_button)
        self.statuses: dict[str, EngineStatus] = {}
        self.cached_sync: dict[str, float | None] = {}
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.details_button.setText(self.tr("Show details"))
        self.render()

    def set_accounts(self, last_syncs: dict[str, float | None]) -> None:
        """The accounts shown, with their last sync from the cache (before any engine reports)."""
        self.cached_sync = dict(last_syncs)
        self.statuses = {k: v for k, v in self.statuses.items() if k in last_syncs}
        self.render()

    def update_status(self, account_id: str, status: EngineStatus) -> None:
        self.statuses[account_id] = status
        self.render()

    def words(self, account_id: str) -> str:
        status = self.statuses.get(account_id)
        last = status.last_sync if status and status.last_sync else self.cached_sync.get(account_id)
        when = (
            self.tr("last sync %1").replace(
                "%1", format_datetime(datetime.fromtimestamp(last).astimezone(), QLocale())
            )
            if last
            else self.tr("not synced yet")
        )
        if status is None or status.state is LinkState.OFFLINE:
            return self.tr("Offline — showing saved mail · %1").replace("%1", when)
        if status.state is LinkState.ONLINE:
            text = self.tr("Online · %1").replace("%1", when)
            return f"{text} · {status.message}" if status.message else text
        if status.state is LinkState.CONNECTING:
            return self.tr("Connecting…")
        if status.state is LinkState.RECONNECTING:
            return (
                self.tr("Reconnecting… (%1) · %2").replace("%1", status.message).replace("%2", when)
            )
        return self.tr("Not connected: %1").replace("%1", status.message)

    def render(self) -> None:
        accounts = list(self.cached_sync) or list(self.statuses)
        if not accounts:
            self.label.setText(self.tr("Offline"))
            self.details_button.hide()
            return
        if len(accounts) == 1:
            self.label.setText(self.words(accounts[0]))
        else:
            self.label.setText("   |   ".join(f"{a}: {self.words(a)}" for a in accounts))
        self.details_button.setVisible(any(s.detail for s in self.statuses.values()))

    def show_details(self) -> None:
        lines = [f"{a}: {s.message}\n{s.detail}" for a, s in self.statuses.items() if s.detail]
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Connection details"), "", parent=self
        )
        box.setText(self.tr("What the mail server said:"))
        box.setDetailedText("\n\n".join(lines))
        box.open()
