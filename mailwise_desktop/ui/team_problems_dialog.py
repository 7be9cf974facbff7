"""Actions ▸ Team mailbox problems: the records nobody's app uses, and why.

The same answer as ``mailwise team check``: the job reads the whole team
mailbox on the engine and lists each refused record's UID, kind and reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.imap.team_mailbox import RecordProblem
from mailwise_desktop.ui.problem_words import record_problem_text


class TeamProblemsDialog(QDialog):
    """Lists refused team-mailbox records; filled in when the engine answers."""

    def __init__(self, mailbox: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamProblems")
        self.mailbox = mailbox
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(3)
        self.table.setHeaderLabels([self.tr("UID"), self.tr("Kind"), self.tr("What is wrong")])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Team mailbox problems"))
        self.summary.setText(self.tr("Reading the team mailbox…"))
        self.resize(720, 360)

    def show_problems(self, problems: Sequence[RecordProblem]) -> None:
        self.table.clear()
        for p in problems:
            said = [record_problem_text(x) for x in p.problems]
            item = QTreeWidgetItem([str(p.uid), p.kind or "-", "; ".join(said)])
            item.setToolTip(2, "\n".join(said))
            self.table.addTopLevelItem(item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        if problems:
            text = self.tr(
                "%1 record(s) in %2 are not used by anyone's app. "
                "Whoever wrote them can write them again correctly."
            )
            self.summary.setText(text.replace("%1", str(len(problems))).replace("%2", self.mailbox))
        else:
            self.summary.setText(
                self.tr("Every record in the team mailbox %1 is fine.").replace("%1", self.mailbox)
            )

    def show_error(self, message: str) -> None:
        self.summary.setText(
            self.tr("The team mailbox could not be read: %1").replace("%1", message)
        )
