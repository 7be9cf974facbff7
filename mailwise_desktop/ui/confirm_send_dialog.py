"""Confirm before sending (誤送信防止): every recipient and attachment ticked by hand.

The dialog shows the From address prominently, recipients grouped by domain
with external domains highlighted (a coloured band *and* the word "External"),
every attachment with its size, and the findings of the checks in the order of
SENDING.md. Send stays disabled until every recipient and attachment is
ticked; internal domains can be ticked in one go, external recipients one by
one. A blocking finding (blocked recipient, over the size limit …) keeps Send
disabled whatever is ticked.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.send.checks import Severity
from mailwise_desktop.services.sending import CheckReport
from mailwise_desktop.ui.approval_words import approval_text
from mailwise_desktop.ui.send_findings import finding_text, severity_text

EXTERNAL_BAND = QColor(255, 224, 178)  # light orange, readable in light and dark text
BLOCK_COLOUR = QColor(198, 40, 40)


def size_label(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} KB"
    return f"{size} B"


class ConfirmSendDialog(QDialog):
    """The modal confirmation for one mail.

    Args:
        report: the draft and its check results (``SendingService.check``).
        parent: the compose window.

    Attributes:
        recipient_items: one checkable item per recipient.
        attachment_items: one checkable item per attachment.
        send_button: enabled only when everything is ticked and nothing blocks.
    """

    def __init__(self, report: CheckReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmSendDialog")
        self.setModal(True)
        self.report = report
        self._updating = False
        draft = report.draft

        self.from_label = QLabel(self)
        self.from_label.setTextFormat(Qt.TextFormat.PlainText)
        self.from_label.setObjectName("confirmFrom")
        font = QFont(self.from_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.from_label.setFont(font)
        self.from_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subject_label = QLabel(self)
        self.subject_label.setWordWrap(True)
        self.subject_label.setTextFormat(Qt.TextFormat.PlainText)

        self.recipients_heading = QLabel(self)
        self.recipients_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.recipients = QTreeWidget(self)
        self.recipients.setObjectName("confirmRecipients")
        self.recipients.setColumnCount(2)
        self.recipients.setRootIsDecorated(False)
        self.recipients.setItemsExpandable(False)
        self.recipients.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.recipients.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.recipients.header().setStretchLastSection(False)
        self.recipient_items: list[QTreeWidgetItem] = []
        self.group_items: list[QTreeWidgetItem] = []
        self._external_groups: list[QTreeWidgetItem] = []
        for group in report.groups:
            top = QTreeWidgetItem(self.recipients)
            top.setData(0, Qt.ItemDataRole.UserRole, group.domain)
            top.setFirstColumnSpanned(False)
            font = QFont(top.font(0))
            font.setBold(True)
            top.setFont(0, font)
            if group.external:
                self._external_groups.append(top)
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
                for column in range(2):
                    top.setBackground(column, QBrush(EXTERNAL_BAND))
                    top.setForeground(column, QBrush(QColor(0, 0, 0)))
            else:
                top.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsAutoTristate
                )
                top.setCheckState(0, Qt.CheckState.Unchecked)
            self.group_items.append(top)
            for where, person in group.recipients:
                child = QTreeWidgetItem(top)
                child.setText(0, person.display())
                child.setData(0, Qt.ItemDataRole.UserRole, person.email)
                child.setData(1, Qt.ItemDataRole.UserRole, where)
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Unchecked)
                if group.external:
                    for column in range(2):
                        child.setBackground(column, QBrush(EXTERNAL_BAND))
                        child.setForeground(column, QBrush(QColor(0, 0, 0)))
                self.recipient_items.append(child)
            top.setExpanded(True)

        self.attachments_heading = QLabel(self)
        self.attachments_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.attachments = QListWidget(self)
        self.attachments.setObjectName("confirmAttachments")
        self.attachment_items: list[QListWidgetItem] = []
        for att in draft.attachments:
            item = QListWidgetItem(self.attachments)
            item.setData(Qt.ItemDataRole.UserRole, (att.filename, att.size))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.attachment_items.append(item)

        self.findings_heading = QLabel(self)
        self.findings_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.findings = QScrollArea(self)
        self.findings.setObjectName("confirmFindings")
        self.findings.setWidgetResizable(True)
        self._findings_box = QWidget(self.findings)
        self._findings_layout = QVBoxLayout(self._findings_box)
        self._findings_layout.setContentsMargins(6, 6, 6, 6)
        self.findings.setWidget(self._findings_box)
        self.finding_labels: list[QLabel] = []

        self.approval_label = QLabel(self)
        self.approval_label.setObjectName("confirmApproval")
        self.approval_label.setWordWrap(True)
        self.approval_label.setTextFormat(Qt.TextFormat.PlainText)
        self.approval_label.setVisible(bool(report.approval))
        bold = QFont(self.approval_label.font())
        bold.setBold(True)
        self.approval_label.setFont(bold)

        self.buttons = QDialogButtonBox(self)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("confirmSendButton")
        self.send_button.setDefault(False)
        self.send_button.setAutoDefault(False)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.from_label)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.recipients_heading)
        layout.addWidget(self.recipients, 3)
        layout.addWidget(self.attachments_heading)
        layout.addWidget(self.attachments, 1)
        layout.addWidget(self.findings_heading)
        layout.addWidget(self.findings, 2)
        layout.addWidget(self.approval_label)
        layout.addWidget(self.buttons)
        self.attachments_heading.setVisible(bool(self.attachment_items))
        self.attachments.setVisible(bool(self.attachment_items))

        self.recipients.itemChanged.connect(self._update)
        self.attachments.itemChanged.connect(self._update)
        self.retranslate()
        self.resize(640, 560)

    # ------------------------------------------------------------------ state

    def finding_texts(self) -> list[str]:
        return [label.text() for label in self.finding_labels]

    @property
    def blocked(self) -> bool:
        return bool(self.report.blocked)

    def all_ticked(self) -> bool:
        people = all(i.checkState(0) == Qt.CheckState.Checked for i in self.recipient_items)
        files = all(i.checkState() == Qt.CheckState.Checked for i in self.attachment_items)
        return people and files

    def _update(self, *_args: object) -> None:
        self.send_button.setEnabled(self.all_ticked() and not self.blocked)

    def external_domains(self) -> list[str]:
        """Domains shown as external (for tests and accessibility checks)."""
        return [str(g.data(0, Qt.ItemDataRole.UserRole)) for g in self._external_groups]

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        draft = self.report.draft
        self.setWindowTitle(self.tr("Confirm before sending"))
        self.from_label.setText(
            self.tr("From: %1").replace("%1", f"{draft.from_name} <{draft.from_address}>")
        )
        self.subject_label.setText(
            self.tr("Subject: %1").replace("%1", draft.subject or self.tr("(no subject)"))
        )
        self.recipients_heading.setText(
            self.tr(
                "Tick every recipient. Internal domains can be ticked at once; external ones one by one."
            )
        )
        self.recipients_heading.setWordWrap(True)
        self.recipients.setHeaderLabels([self.tr("Recipient"), self.tr("Field")])
        for top in self.group_items:
            domain = str(top.data(0, Qt.ItemDataRole.UserRole))
            external = top in self._external_groups
            label = self.tr("External: %1") if external else self.tr("Internal: %1")
            top.setText(0, label.replace("%1", domain or self.tr("(no domain)")))
            for n in range(top.childCount()):
                child = top.child(n)
                if child is None:
                    continue
                where = str(child.data(1, Qt.ItemDataRole.UserRole))
                child.setText(
                    1, {"to": self.tr("To"), "cc": self.tr("Cc"), "bcc": self.tr("Bcc")}[where]
                )
        self.attachments_heading.setText(self.tr("Tick every attachment:"))
        for item in self.attachment_items:
            name, size = item.data(Qt.ItemDataRole.UserRole)
            item.setText(f"{name}  ({size_label(int(size))})")
        self.findings_heading.setText(
            self.tr("Checks (%1 once encoded):").replace("%1", size_label(self.report.size))
        )
        for old in self.finding_labels:
            self._findings_layout.removeWidget(old)
            old.deleteLater()
        self.finding_labels = []
        lines = [
            (f"{severity_text(f.severity)}: {finding_text(f)}", f.severity is Severity.BLOCK)
            for f in self.report.findings
        ] or [(self.tr("Nothing to report."), False)]
        for text, block in lines:
            finding_label = QLabel(text, self._findings_box)
            finding_label.setWordWrap(True)
            finding_label.setTextFormat(Qt.TextFormat.PlainText)
            if block:
                font = QFont(finding_label.font())
                font.setBold(True)
                finding_label.setFont(font)
                palette = finding_label.palette()
                palette.setColor(QPalette.ColorRole.WindowText, BLOCK_COLOUR)
                finding_label.setPalette(palette)
            self._findings_layout.insertWidget(len(self.finding_labels), finding_label)
            self.finding_labels.append(finding_label)
        if self._findings_layout.count() == len(self.finding_labels):
            self._findings_layout.addStretch(1)
        if self.report.approval:
            names = self.tr(", ").join(self.report.approvers)
            self.approval_label.setText(
                self.tr("Needs approval by %1 before it goes out: %2")
                .replace("%1", names)
                .replace("%2", " ".join(approval_text(r) for r in self.report.approval))
            )
            self.send_button.setText(self.tr("Ask for approval"))
        else:
            self.send_button.setText(self.tr("Send"))
        self._update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
