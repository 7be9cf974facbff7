"""Importing contacts: what the file holds, before anything is written to the team.

Shows the encoding found (UTF-8 with or without BOM, Shift_JIS), every card
read (address, name, company, tags, VIP, do-not-contact) and every line not
taken with the reason. OK imports: a non-empty field of the file wins over
the team's card, tags are added.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.contact_cards import merged
from mailwise_desktop.core.contact_files import (
    SHIFT_JIS,
    FileProblem,
    decode_csv,
    read_csv,
    read_vcards,
)


class ContactImportDialog(QDialog):
    """A preview of ``path``; :attr:`cards` are what OK imports."""

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactImportDialog")
        self.path = Path(path)
        self.resize(760, 460)
        self.problems: list[FileProblem] = []
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            data, self.problems = b"", [FileProblem(0, exc.strerror or str(exc))]
        self.vcard = self.path.suffix.lower() in (".vcf", ".vcard")
        self.encoding = "utf-8" if self.vcard else decode_csv(data)[1]
        cards, problems = read_vcards(data) if self.vcard else read_csv(data)
        self.cards = list(merged(cards).values())  # one card per address
        self.problems += problems
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(len(self.cards), 6, self)
        self.table.setObjectName("importPreview")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        yes = self.tr("yes")
        for row, card in enumerate(self.cards):
            values = (card.address, card.name, card.company, "; ".join(card.tags),
                      yes if card.vip else "", yes if card.do_not_contact else "")  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.problem_heading = QLabel(self)
        self.problem_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_list = QListWidget(self)
        self.problem_list.setObjectName("importProblems")
        self.problem_list.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.cards))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem_heading)
        layout.addWidget(self.problem_list)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import contacts"))
        kind = {
            "utf-8-sig": self.tr("CSV, UTF-8 with BOM"),
            "utf-8": self.tr("vCard") if self.vcard else self.tr("CSV, UTF-8"),
            SHIFT_JIS: self.tr("CSV, Shift_JIS"),
        }.get(self.encoding, self.encoding)
        self.summary.setText(
            self.tr("%1 (%2): %3 contacts to import. A filled-in field replaces the team's; "
                    "tags are added.")
            .replace("%1", self.path.name).replace("%2", kind).replace("%3", str(len(self.cards)))
        )  # fmt: skip
        self.table.setHorizontalHeaderLabels(
            [self.tr("Address"), self.tr("Name"), self.tr("Company"), self.tr("Tags"),
             self.tr("VIP"), self.tr("Do not contact")]
        )  # fmt: skip
        self.problem_heading.setText(
            self.tr("Lines not imported: %1").replace("%1", str(len(self.problems)))
        )
        self.problem_list.clear()
        for problem in self.problems:
            reason = {
                "not_address": self.tr("“%1” is not an email address").replace("%1", problem.value),
                "no_email_column": self.tr("no column named email (or メールアドレス)"),
                "no_email": self.tr("a card without an email address"),
            }.get(problem.code, problem.reason)
            self.problem_list.addItem(
                self.tr("Line %1: %2").replace("%1", str(problem.line)).replace("%2", reason)
            )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Import"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
