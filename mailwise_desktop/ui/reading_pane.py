"""The reading pane: header with the state chip, safe body, remote-content bar, attachments."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.mail.filenames import Risk
from mailwise_desktop.mail.html_sanitize import sanitize_html
from mailwise_desktop.services.reading import OpenedMessage, ReadingService
from mailwise_desktop.store.queries import AttachmentSummary
from mailwise_desktop.ui.i18n import format_datetime, format_size
from mailwise_desktop.ui.message_browser import MessageBrowser
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.state_badges import badge_style_sheet, state_label


def risk_text(risk: Risk) -> str:
    """Why an attachment is risky, in the UI language."""
    texts = {
        Risk.EXECUTABLE: QCoreApplication.translate(
            "ReadingPane", "This file is a program; opening it can run anything."
        ),
        Risk.SCRIPT: QCoreApplication.translate(
            "ReadingPane", "This file is a script; opening it can run commands."
        ),
        Risk.MACRO_DOCUMENT: QCoreApplication.translate(
            "ReadingPane", "This document contains macros that can run code."
        ),
        Risk.CONTAINER: QCoreApplication.translate(
            "ReadingPane", "This disk image or archive can hide programs."
        ),
        Risk.SHORTCUT: QCoreApplication.translate(
            "ReadingPane", "This shortcut can start a program."
        ),
        Risk.DOUBLE_EXTENSION: QCoreApplication.translate(
            "ReadingPane", "This file name hides a program behind a second extension."
        ),
        Risk.UNSCANNED_ENCRYPTED: QCoreApplication.translate(
            "ReadingPane", "This archive is password-protected and was not checked."
        ),
    }
    return texts[risk]


class ReadingPane(QFrame):
    """Shows one message safely.

    Signals:
        download_requested(int): the body is not cached; fetch this cache id.
        message_shown(str, int): a message (account id, cache id) is now shown.
    """

    download_requested = Signal(int)
    message_shown = Signal(str, int)

    def __init__(self, reading: ReadingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingPane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.reading = reading
        self.message: OpenedMessage | None = None
        self.owner_label = ""
        self._remote_once: set[int] = set()

        self.placeholder = QLabel(self)
        self.placeholder.setTextFormat(Qt.TextFormat.PlainText)
        self.placeholder.setObjectName("readingPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        self.subject = QLabel(self)
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setObjectName("readingSubject")
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.subject.setFont(font)
        self.chip = QLabel(self)
        self.chip.setTextFormat(Qt.TextFormat.PlainText)
        self.chip.setObjectName("readingStateChip")
        self.chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.meta = QLabel(self)
        self.meta.setObjectName("readingMeta")
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)

        self.remote_bar = NoticeBar("remoteContentBar", self)
        self.notice = NoticeBar("readingNotice", self)
        self.browser = MessageBrowser(self)
        self.hover_label = QLabel(self)
        self.hover_label.setObjectName("linkTarget")
        self.hover_label.setTextFormat(Qt.TextFormat.PlainText)
        self.browser.link_hovered.connect(self.hover_label.setText)
        self.attachments = QListWidget(self)
        self.attachments.setObjectName("attachmentList")
        self.attachments.setMaximumHeight(96)
        self.attachments.itemActivated.connect(self._save_item)

        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 8, 8, 4)
        column.addWidget(self.subject)
        column.addWidget(self.chip)
        column.addWidget(self.meta)
        column.addWidget(self.remote_bar)
        column.addWidget(self.notice)
        column.addWidget(self.browser, 1)
        column.addWidget(self.hover_label)
        column.addWidget(self.attachments)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.retranslate()

    def retranslate(self) -> None:
        self.placeholder.setText(self.tr("Select a message to read it."))
        if self.message is not None:
            self.show_message(self.message, self.owner_label)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def clear(self) -> None:
        self.message = None
        self.stack.setCurrentWidget(self.placeholder)

    def show_message(self, message: OpenedMessage, owner_label: str = "") -> None:
        """Show the header, the body (sanitised) and the attachments of a message."""
        first_show = self.message is None or self.message.summary.id != message.summary.id
        self.message, self.owner_label = message, owner_label
        summary = message.summary
        self.stack.setCurrentIndex(1)
        self.subject.setText(summary.subject or self.tr("(no subject)"))
        chip = state_label(summary.state)
        if owner_label:
            chip = f"{chip} · {owner_label}"
        self.chip.setText(chip)
        self.chip.setStyleSheet(badge_style_sheet(summary.state))
        sender = (
            f"{summary.from_name} <{summary.from_email}>"
            if summary.from_name
            else summary.from_email
        )
        to = ", ".join(f"{n} <{e}>" if n else e for n, e in summary.to)
        when = summary.date_raw or (
            format_datetime(summary.date, QLocale()) if summary.date else ""
        )
        lines = [self.tr("From: %1").replace("%1", sender), self.tr("To: %1").replace("%1", to)]
        lines.append(self.tr("Date: %1").replace("%1", when))
        self.meta.setText("\n".join(lines))
        if first_show:
            self.notice.hide()
            self.hover_label.clear()
        self._show_body(message)
        self.message_shown.emit(message.account_id, summary.id)

    def _show_body(self, message: OpenedMessage) -> None:
        body, summary = message.body, message.summary
        self.remote_bar.hide()
        self.attachments.clear()
        if body is None:
            self.browser.show_text(
                self.tr("The message body has not been downloaded yet. Downloading…")
                if summary.body_status != "failed"
                else self.tr("The message body could not be downloaded.")
            )
            self.attachments.hide()
            self.download_requested.emit(summary.id)
            return
        if body.html:
            allow = summary.id in self._remote_once or self.reading.remote_allowed(
                message.account_id, summary
            )
            sanitized = sanitize_html(body.html, allow_remote=allow)
            cids = {}
            for attachment in body.attachments:
                if attachment.content_id and attachment.content_id in sanitized.cid_refs:
                    try:
                        cids[attachment.content_id] = self.reading.attachment_data(body, attachment)
                    except MailwiseError:
                        continue
            self.browser.show_html(sanitized, cids)
            if sanitized.remote_blocked:
                self._offer_remote(message, sanitized.remote_blocked)
        else:
            self.browser.show_text(body.text)
        shown = [a for a in body.attachments if not (a.inline and a.content_id)]
        for attachment in shown:
            self._add_attachment(attachment)
        self.attachments.setVisible(bool(shown))

    def _offer_remote(self, message: OpenedMessage, count: int) -> None:
        sender = message.summary.from_email
        self.remote_bar.show_notice(
            self.tr("Remote images were blocked to protect your privacy (%1).").replace(
                "%1", str(count)
            ),
            kind="info",
            actions=[
                (self.tr("Load once"), self.load_remote_once),
                (self.tr("Always for %1").replace("%1", sender), self.load_remote_always),
            ],
        )

    def load_remote_once(self) -> None:
        if self.message is not None:
            self._remote_once.add(self.message.summary.id)
            self._show_body(self.message)

    def load_remote_always(self) -> None:
        if self.message is not None:
            self.reading.allow_remote_always(self.message.summary.from_email)
            self._show_body(self.message)

    # -- attachments -------------------------------------------------------

    def _add_attachment(self, attachment: AttachmentSummary) -> None:
        name = self.reading.suggested_name(attachment)
        size = format_size(attachment.size, QLocale())
        risk = self.reading.risk(attachment)
        text = f"{name}  ({size})"
        if risk is not None:
            text = f"⚠ {text} — {risk_text(risk)}"
        item = QListWidgetItem(text, self.attachments)
        item.setData(Qt.ItemDataRole.UserRole, attachment)
        item.setToolTip(self.tr("Double-click or press Enter to save this file."))

    def _save_item(self, item: QListWidgetItem) -> None:
        attachment = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(attachment, AttachmentSummary):
            self.save_attachment(attachment)

    def save_attachment(self, attachment: AttachmentSummary) -> Path | None:
        """Ask where to save (a safe name suggested), warn about risky types, write the file."""
        if self.message is None or self.message.body is None:
            return None
        body = self.message.body
        try:
            data = self.reading.attachment_data(body, attachment)
        except MailwiseError as exc:
            self.notice.show_notice(exc.message, kind="error", detail=exc.detail)
            return None
        risk = self.reading.risk(attachment, data)
        if risk is not None and not self.confirm_risky(attachment, risk):
            return None
        suggested = str(Path.home() / self.reading.suggested_name(attachment))
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save attachment"), suggested)
        if not chosen:
            return None
        try:
            return self.reading.save_attachment(body, attachment, Path(chosen))
        except MailwiseError as exc:
            self.notice.show_notice(exc.message, kind="error", detail=exc.detail)
            return None

    def confirm_risky(self, attachment: AttachmentSummary, risk: Risk) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Risky attachment"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(risk_text(risk))
        box.setInformativeText(
            self.tr("Only save %1 if you expected it from this sender.").replace(
                "%1", self.reading.suggested_name(attachment)
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Save
