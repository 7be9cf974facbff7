"""The address book window (アドレス帳): contacts, the shared card, and each contact's history.

Left: every contact (shared cards and senders the cache knows, merged by
address), filtered as you type, several selectable for a bulk edit. Right:
the card any teammate may edit (saved as a team-mailbox record by the
engine) and the contact page: every conversation with its state, owner,
first-response and resolution times and the team's notes. Import and
export (CSV UTF-8 / Shift_JIS, vCard) are on the buttons below the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.contact_cards import ContactCard, canonical_address, card_from
from mailwise_desktop.core.contact_files import SHIFT_JIS, write_csv, write_vcards
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.services.address_book import SaveOutcome
from mailwise_desktop.services.contact_history import ContactHistory, ConversationLine
from mailwise_desktop.ui.background import BackgroundOps, LocalOp
from mailwise_desktop.ui.contact_import_dialog import ContactImportDialog
from mailwise_desktop.ui.state_badges import state_label

#: Runs an engine job (the window: an EngineOp); success or failure follows on the UI thread.
RunJob = Callable[
    [
        Callable[[EngineContext], SaveOutcome],
        Callable[[SaveOutcome], object],
        Callable[[BaseException], object],
    ],
    None,
]


def hours(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 3600:.1f} h"


class ContactWindow(QDialog):
    """Contacts and their handling history; edits go through ``run_job``."""

    def __init__(
        self,
        history: ContactHistory,
        run_job: RunJob,
        parent: QWidget | None = None,
        ops: BackgroundOps | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactWindow")
        self.history = history
        self.run_job = run_job
        self.ops = ops
        self.entries: list[tuple[str, ContactCard | None, int, int, str]] = []
        self.current: ContactCard | None = None
        self.loaded: ContactCard | None = None  # what the editor started from
        self.resize(1180, 640)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("contactTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.import_button = QPushButton(self)
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(self._export_clicked)
        self.bulk_button = QPushButton(self)
        self.bulk_button.clicked.connect(self.bulk_edit)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for button in (self.import_button, self.export_button, self.bulk_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        self.address = QLabel(self)
        self.address.setTextFormat(Qt.TextFormat.PlainText)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = {
            n: QLineEdit(self) for n in ("name", "company", "department", "phone", "tags")
        }
        self.memo = QPlainTextEdit(self)
        self.memo.setFixedHeight(64)
        self.vip = QCheckBox(self)
        self.do_not_contact = QCheckBox(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.form = QFormLayout()
        self.labels = {n: QLabel(self) for n in ("address", *self.fields, "memo")}
        for label in self.labels.values():
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(self.labels["address"], self.address)
        for name, edit in self.fields.items():
            self.form.addRow(self.labels[name], edit)
        self.form.addRow(self.labels["memo"], self.memo)
        marks = QHBoxLayout()
        marks.addWidget(self.vip)
        marks.addWidget(self.do_not_contact)
        marks.addStretch(1)
        marks.addWidget(self.status)
        marks.addWidget(self.save_button)
        self.history_heading = QLabel(self)
        self.history_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.conversations = QTreeWidget(self)
        self.conversations.setObjectName("contactConversations")
        self.conversations.setColumnCount(6)
        self.conversations.setRootIsDecorated(True)
        self.conversations.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            self.conversations.header().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.conversations.header().setStretchLastSection(False)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(self.form)
        right_layout.addLayout(marks)
        right_layout.addWidget(self.history_heading)
        right_layout.addWidget(self.conversations, 1)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslate()

    # -- data -------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read contacts again (cards and senders), keeping or choosing the selection.

        On the quick local lane when ``ops`` is given (every sender of
        50,000 mails is a GROUP BY of some tenths of a second).
        """
        chosen = select or (self.current.key if self.current else None)
        if self.ops is None:
            self._listed(self._entries(), chosen)
            return
        LocalOp(self._entries).success(lambda entries: self._listed(entries, chosen)).failure(
            lambda error: self._listed(None, chosen, error)
        ).run_in(self.ops)

    def _entries(self) -> list[tuple[str, ContactCard | None, int, int, str]]:
        cards = self.history.book.cards()
        derived = {c.address: c for c in self.history.derived.contacts()}
        keys = sorted(
            set(cards) | set(derived), key=lambda k: (-(derived[k].mails if k in derived else 0), k)
        )
        entries = []
        for key in keys:
            card, seen = cards.get(key), derived.get(key)
            name = (card.name if card else "") or (seen.name if seen else "")
            company = (card.company if card else "") or (seen.organisation if seen else "")
            mails, open_ = (seen.mails, seen.open) if seen else (0, 0)
            entries.append((key, card, mails, open_, f"{name}\t{company}"))
        return entries

    def _listed(
        self, entries: object, select: str | None, error: BaseException | None = None
    ) -> None:
        if error is not None or not isinstance(entries, list):
            message = str(getattr(error, "message", error)) if error else ""
            self.status.setText(
                self.tr("The contacts could not be read: %1").replace("%1", message)
            )
            return
        self.entries = entries
        self._fill(select)

    def _fill(self, select: str | None) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.entries))
        for row, (key, card, mails, open_, text) in enumerate(self.entries):
            name, company = text.split("\t")
            star = "★ " if card and card.vip else ""
            stop = f" ({self.tr('do not contact')})" if card and card.do_not_contact else ""
            values = (f"{star}{name}{stop}".strip(), key, company, str(mails), str(open_))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self._filter(self.search.text())
        for row, entry in enumerate(self.entries):
            if entry[0] == select:
                self.table.selectRow(row)
                break
        else:
            if self.entries:
                self.table.selectRow(0)

    def _filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        for row, (key, _card, _m, _o, other) in enumerate(self.entries):
            self.table.setRowHidden(
                row, bool(wanted) and wanted not in f"{key}\t{other}".casefold()
            )

    def selected_addresses(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.entries[r][0] for r in rows if r < len(self.entries)]

    def _selected(self) -> None:
        chosen = self.selected_addresses()
        if chosen:
            self.show_contact(chosen[0])

    def show_contact(self, address: str) -> None:
        """Show one contact: its card in the form and its conversations."""
        key = canonical_address(address) or address
        card = self.history.book.card(key)
        self.loaded = card
        self.current = card or ContactCard(key)
        if card is None:
            seen = next((e for e in self.entries if e[0] == key), None)
            name = seen[4].split("\t")[0] if seen else ""
            self.current = ContactCard(key, name=name)
        c = self.current
        self.address.setText(c.address)
        for name, edit in self.fields.items():
            edit.setText("; ".join(c.tags) if name == "tags" else str(getattr(c, name)))
        self.memo.setPlainText(c.memo)
        self.vip.setChecked(c.vip)
        self.do_not_contact.setChecked(c.do_not_contact)
        self.status.clear()
        self.show_conversations(self.history.conversations({key}))

    def show_conversations(self, lines: list[ConversationLine]) -> None:
        self.conversations.clear()
        for line in lines:
            when = line.last.astimezone().strftime("%Y/%m/%d %H:%M") if line.last else "–"
            count = f" ({line.mails})" if line.mails > 1 else ""
            item = QTreeWidgetItem([
                f"{line.subject}{count}", state_label(line.state), line.owner or "–", when,
                hours(line.first_response_seconds), hours(line.resolution_seconds),
            ])  # fmt: skip
            for note in line.notes:
                QTreeWidgetItem(item, [f"✎ {note}"])
            self.conversations.addTopLevelItem(item)
            for index in range(item.childCount()):  # a note reads across the whole row
                child = item.child(index)
                if child is not None:
                    child.setFirstColumnSpanned(True)
            item.setExpanded(True)

    def edited(self) -> ContactCard:
        """The card as the form shows it now."""
        values: dict[str, Any] = {n: e.text() for n, e in self.fields.items()}
        assert self.current is not None
        return card_from({
            **values, "address": self.current.address, "memo": self.memo.toPlainText(),
            "vip": self.vip.isChecked(), "do_not_contact": self.do_not_contact.isChecked(),
        })  # fmt: skip

    # -- actions ----------------------------------------------------------------

    def save(self) -> None:
        if self.current is None:
            return
        after = self.edited()
        self.status.setText(self.tr("Saving…"))
        self.save_button.setEnabled(False)
        self.run_job(self.history.book.edit_job(self.loaded, after), self._saved, self._not_saved)

    def _not_saved(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(
            self.tr("Not saved: %1").replace("%1", str(getattr(error, "message", error)))
        )

    def _saved(self, _result: SaveOutcome) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Saved for the whole team."))
        self.reload()

    def bulk_edit(self) -> None:
        addresses = self.selected_addresses()
        if not addresses:
            return
        tag, ok = QInputDialog.getText(
            self, self.tr("Bulk edit"),
            self.tr("Tag to add to %1 contacts (leave empty for none):").replace("%1", str(len(addresses))),
        )  # fmt: skip
        if not ok:
            return
        company, ok = QInputDialog.getText(
            self, self.tr("Bulk edit"), self.tr("Company for all of them (leave empty to keep):")
        )
        if not ok:
            return
        job = self.history.book.bulk_job(
            addresses, add_tags=[tag] if tag.strip() else [], company=company.strip() or None
        )
        self.run_job(job, self._saved, self._not_saved)

    def _import_clicked(self) -> None:
        self.import_file()

    def _export_clicked(self) -> None:
        self.export_file()

    def import_file(self, path: str | None = None) -> ContactImportDialog | None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Import contacts"), "", self.tr("Contacts (*.csv *.vcf)")
            )
        if not path:
            return None
        dialog = ContactImportDialog(path, self)
        dialog.accepted.connect(
            lambda: self.run_job(
                self.history.book.save_job(dialog.cards, keep_existing=True),
                self._saved,
                self._not_saved,
            )
        )
        dialog.open()
        return dialog

    def export_file(self, path: str | None = None, chosen: str | None = None) -> list[str]:
        """Write every card; returns the characters Shift_JIS could not hold (shown to the user)."""
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(
                self, self.tr("Export contacts"), "contacts.csv",
                ";;".join((self.tr("CSV, UTF-8 (*.csv)"), self.tr("CSV for Excel, Shift_JIS (*.csv)"),
                           self.tr("vCard 4 (*.vcf)"))),
            )  # fmt: skip
        if not path:
            return []
        cards = sorted(self.history.book.cards().values(), key=lambda c: c.key)
        lost: list[str] = []
        if path.lower().endswith(".vcf"):
            data = write_vcards(cards)
        else:
            sjis = bool(chosen) and "Shift_JIS" in str(chosen)
            data, missing = write_csv(cards, SHIFT_JIS if sjis else "utf-8-sig")
            lost = [f"{m.character} ({m.column}, {m.row})" for m in missing]
        with open(path, "wb") as out:
            out.write(data)
        if lost:
            QMessageBox.warning(
                self, self.tr("Export contacts"),
                self.tr("These characters are not in Shift_JIS and were written as “?”: %1\n"
                        "Export as UTF-8 to keep them.").replace("%1", ", ".join(lost[:20])),
            )  # fmt: skip
        return lost

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Address book"))
        self.search.setPlaceholderText(self.tr("Search name, address or company"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Address"),
                self.tr("Company"),
                self.tr("Mails"),
                self.tr("Open"),
            ]
        )
        self.import_button.setText(self.tr("&Import…"))
        self.export_button.setText(self.tr("&Export…"))
        self.bulk_button.setText(self.tr("&Bulk edit…"))
        names = {"address": self.tr("Address"), "name": self.tr("Name"), "company": self.tr("Company"),
                 "department": self.tr("Department"), "phone": self.tr("Phone"),
                 "tags": self.tr("Tags"), "memo": self.tr("Memo")}  # fmt: skip
        for key, label in self.labels.items():
            label.setText(names[key])
        self.fields["tags"].setPlaceholderText(self.tr("separated by ;"))
        self.vip.setText(self.tr("VIP"))
        self.do_not_contact.setText(self.tr("Do not contact"))
        self.save_button.setText(self.tr("&Save"))
        self.history_heading.setText(self.tr("Handling history"))
        self.conversations.setHeaderLabels(
            [self.tr("Conversation"), self.tr("State"), self.tr("Owner"), self.tr("Last"),
             self.tr("First reply"), self.tr("Resolved in")]
        )  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
