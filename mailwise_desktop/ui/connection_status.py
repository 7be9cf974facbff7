"""The status bar's connection words: online · last sync 10:43 / offline / reconnecting…

During a first sync it also shows a progress bar: messages stored of the
server's total and about how long is left. The bar is only a view: what was
stored stays stored (committed slice by slice), so closing the window
mid-sync loses nothing and the next start resumes.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from mailwise_desktop.core.errors import ConnectionLostError
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState, StatusCase
from mailwise_desktop.ui.error_words import plain_error
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
        self.progress = QProgressBar(self)
        self.progress.setObjectName("statusSyncProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("statusSyncProgressText")
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_label.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.progress)
        row.addWidget(self.progress_label)
        row.addWidget(self.details_button)
        self.statuses: dict[str, EngineStatus] = {}
        # account -> (monotonic seconds, done) at the first progress report: the rate.
        self._progress_start: dict[str, tuple[float, int]] = {}
        self.cached_sync: dict[str, float | None] = {}
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.details_button.setText(self.tr("Show details"))
        self.show_status()

    def set_accounts(self, last_syncs: dict[str, float | None]) -> None:
        """The accounts shown, with their last sync from the cache (before any engine reports)."""
        self.cached_sync = dict(last_syncs)
        self.statuses = {k: v for k, v in self.statuses.items() if k in last_syncs}
        self.show_status()

    def update_status(self, account_id: str, status: EngineStatus) -> None:
        self.statuses[account_id] = status
        if status.sync_total is None:
            self._progress_start.pop(account_id, None)
        elif account_id not in self._progress_start:
            self._progress_start[account_id] = (time.monotonic(), status.sync_done or 0)
        self.show_status()

    def progress_words(self, account_id: str, now: float | None = None) -> str:
        """``12,400 of 50,000 messages · about 2 min left`` for a first sync under way."""
        status = self.statuses[account_id]
        done, total = status.sync_done or 0, status.sync_total or 0
        text = self.tr("%1 of %2 messages").replace("%1", f"{done:,}").replace("%2", f"{total:,}")
        started = self._progress_start.get(account_id)
        if started is None:
            return text
        elapsed = (time.monotonic() if now is None else now) - started[0]
        rate = (done - started[1]) / elapsed if elapsed > 0 else 0.0
        if rate <= 0:
            return text
        left = (total - done) / rate
        if left < 60:
            eta = self.tr("less than a minute left")
        else:
            eta = self.tr("about %1 min left").replace("%1", str(round(left / 60)))
        return f"{text} · {eta}"

    def sentence(self, status: EngineStatus) -> str:
        """The status's own words in the window's language (the engine gives a case and data)."""
        if status.case is StatusCase.RESTARTING:
            seconds = f"{status.seconds or 0:.0f}"
            return self.tr(
                "Mailwise hit an unexpected problem and restarts the connection in %1 s."
            ).replace("%1", seconds)
        if status.case is StatusCase.ERROR and status.error is not None:
            error = status.error
            if isinstance(error, OSError):  # the line itself: no sentence of ours inside
                error = ConnectionLostError(str(error))
            return plain_error(error)[0]
        if status.case is StatusCase.TEAM_PROBLEM and status.problems:
            # Each failed check in the window's language (the message is the English fallback).
            return " ".join(plain_error(problem)[0] for problem in status.problems)
        return status.message

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
            if status.team_log_folders:
                text += " · " + self.tr("%1: who handles what is kept in the team log").replace(
                    "%1", ", ".join(status.team_log_folders)
                )
            said = self.sentence(status)
            return f"{text} · {said}" if said else text
        if status.state is LinkState.CONNECTING:
            return self.tr("Connecting…")
        if status.state is LinkState.RECONNECTING:
            return (
                self.tr("Reconnecting… (%1) · %2")
                .replace("%1", self.sentence(status))
                .replace("%2", when)
            )
        if status.sign_in_again:
            return self.tr("Not connected: the sign-in expired. Sign in again · %1").replace(
                "%1", when
            )
        return self.tr("Not connected: %1").replace("%1", self.sentence(status))

    def show_status(self) -> None:
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
        by_log = any(s.team_log_folders for s in self.statuses.values())
        self.label.setToolTip(
            self.tr(
                "This server does not keep labels on messages that every teammate can rely on, "
                "so Mailwise keeps who handles what as small records in the team mailbox "
                "(the team log). Claims still go to exactly one person; other mail apps do not "
                "show them."
            )
            if by_log
            else ""
        )
        syncing = [a for a, st in self.statuses.items() if st.sync_total]
        if syncing:
            status = self.statuses[syncing[0]]
            self.progress.setRange(0, status.sync_total or 0)
            self.progress.setValue(status.sync_done or 0)
            words = self.progress_words(syncing[0])
            self.progress_label.setText(words if len(accounts) == 1 else f"{syncing[0]}: {words}")
        self.progress.setVisible(bool(syncing))
        self.progress_label.setVisible(bool(syncing))

    def show_details(self) -> None:
        lines = [
            f"{a}: {self.sentence(s)}\n{s.message}\n{s.detail}"
            for a, s in self.statuses.items()
            if s.detail
        ]
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Connection details"), "", parent=self
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("What the mail server said:"))
        box.setDetailedText("\n\n".join(lines))
        box.open()
