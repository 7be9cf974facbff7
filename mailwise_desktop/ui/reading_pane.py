"""The reading pane: header with the state chip, safe body, remote-content bar, attachments."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.mail.display_text import for_display, html_too_big_to_clean, html_too_heavy
from mailwise_desktop.mail.filenames import Risk
from mailwise_desktop.mail.html_sanitize import sanitize_html
from mailwise_desktop.services.reading import OpenedMessage, ReadingService
from mailwise_desktop.store.cache_values import AttachmentSummary
from mailwise_desktop.ui.i18n import format_datetime, format_size
from mailwise_desktop.ui.message_browser import MessageBrowser
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.read_problem_words import read_problem_notice
from mailwise_desktop.ui.source_dialog import SourceDialog
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

        self.more_button = QToolButton(self)
        self.more_button.setObjectName("readingMore")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.source_action = more.addAction("", self.open_source)
        self.eml_action = more.addAction("", self.save_eml_as)
        self.more_button.setMenu(more)
        self.problem_bar = NoticeBar("readProblemBar", self)
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
        chip_row = QHBoxLayout()
        chip_row.setContentsMargins(0, 0, 0, 0)
        chip_row.addWidget(self.chip)
        chip_row.addStretch(1)
        chip_row.addWidget(self.more_button)
        column.addLayout(chip_row)
        column.addWidget(self.meta)
        column.addWidget(self.problem_bar)
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
        self.more_button.setText(self.tr("More"))
        self.source_action.setText(self.tr("Show source"))
        self.eml_action.setText(self.tr("Save as .eml…"))
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
        whole = message.body is not None
        self.source_action.setEnabled(whole)
        self.eml_action.setEnabled(whole)
        if summary.read_problem:
            self.problem_bar.show_notice(
                read_problem_notice(),
                kind="warning",
                actions=[
                    (self.tr("Show source"), self.open_source),
                    (self.tr("Save as .eml…"), self.save_eml_as),
                ]
                if whole
                else [],
                detail=summary.read_problem,
            )
        else:
            self.problem_bar.hide()
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
        sanitized = None
        if body.html and not html_too_big_to_clean(body.html):
            allow = summary.id in self._remote_once or self.reading.remote_allowed(
                message.account_id, summary
            )
            sanitized = sanitize_html(body.html, allow_remote=allow)
            if html_too_heavy(sanitized.html):
                sanitized = None  # Qt would lay it out for minutes: its text instead
        if sanitized is not None:
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
            text, left_out = for_display(body.text or "")
            if left_out:
                text += "\n\n" + self.tr(
                    "[%1 more characters are not shown here. "
                    "Show source or Save as .eml has the whole message.]"
                ).replace("%1", QLocale().toString(left_out))
            if not text.strip() and body.html:
                text = self.tr(
                    "This HTML message is too large to show here. "
                    "Show source or Save as .eml has the whole message."
                )
            self.browser.show_text(text)
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

    # -- the whole message ---------------------------------------------------

    def open_source(self) -> None:
        """Show source (menu and bar buttons: no arguments)."""
        self.show_source()

    def show_source(self) -> SourceDialog | None:
        """Open the message's source (raw, never rendered) in a dialog."""
        if self.message is None or self.message.body is None:
            return None
        summary = self.message.summary
        dialog = SourceDialog(
            summary.subject or self.tr("(no subject)"),
            self.reading.source_text(self.message.body),
            self,
        )
        dialog.show()
        return dialog

    def save_eml_as(self) -> None:
        """Save as .eml, asking where (menu and bar buttons: no arguments)."""
        self.save_eml()

    def save_eml(self, path: Path | None = None) -> Path | None:
        """Save the message as it arrived (``.eml``); asks where when ``path`` is None."""
        if self.message is None or self.message.body is None:
            return None
        if path is None:
            suggested = str(Path.home() / self.reading.eml_name(self.message.summary))
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save as .eml"), suggested, self.tr("Mail messages (*.eml)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            return self.reading.save_eml(self.message.body, path)
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
