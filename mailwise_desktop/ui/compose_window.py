"""The compose window: reply / reply-all / forward / new mail from the shared address.

Opened by ``ui/reply_launcher.py`` (which claims the message first). The
draft is saved at once and every few seconds while it changes; Send runs the
checks and the server's collision check on the SMTP lane, shows
:class:`ConfirmSendDialog`, queues the mail with the undo window (Undo brings
it back here) and then lets the outbox send it — the main window's
:class:`OutboxController` when there is one, so closing this window loses
nothing. No network step runs on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.errors import MailwiseError, StorageError
from mailwise_desktop.send.compose import parse_recipients
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.send.drafts import AUTOSAVE_SECONDS
from mailwise_desktop.send.outbox import UNDOABLE, OutboxItem
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.address_completion import AddressCompletion
from mailwise_desktop.ui.background import BackgroundOps, LocalOp
from mailwise_desktop.ui.compose_sending import ComposeSending
from mailwise_desktop.ui.compose_status import status_line
from mailwise_desktop.ui.confirm_send_dialog import size_label
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.plain_question import ask_yes_cancel
from mailwise_desktop.ui.problem_words import template_problem_text
from mailwise_desktop.ui.template_editor import TemplatePicker

if TYPE_CHECKING:
    from mailwise_desktop.ui.outbox_controller import OutboxController


class ComposeWindow(ComposeSending, QWidget):
    """One mail being written.

    Args:
        service: the account's sending service.
        draft: the draft to edit.
        held_by: a teammate's name when they own the message (banner + take-over).
        ops: runs the slow steps (default: lanes of its own, no engine).
        outbox: the main window's outbox (it sends the mail after the undo
            window, even when this window is closed); without it this window
            processes the outbox itself.

    Signals:
        queued(int): the mail went to the outbox (its id).
    """

    queued = Signal(int)

    def _address_completion(self, service: SendingService) -> list[AddressCompletion]:
        """To / Cc / Bcc complete from the address book (a cache read; never fails the window)."""
        try:
            choices = service.contact_history.completions()
        except Exception:  # a broken cache or record must not stop composing
            choices = []
        return [AddressCompletion(e, choices) for e in (self.to_edit, self.cc_edit, self.bcc_edit)]

    def __init__(
        self,
        service: SendingService,
        draft: Draft,
        *,
        held_by: str | None = None,
        ops: BackgroundOps | None = None,
        outbox: OutboxController | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("composeWindow")
        self.setAcceptDrops(True)
        self.service = service
        self.draft = draft
        self.held_by = held_by
        self.outbox_item: OutboxItem | None = None
        self.ops = ops or BackgroundOps(None, self)
        self.outbox = outbox
        #: What runs in the background now ("checking", "queuing", "taking_over") or None.
        self.busy: str | None = None
        self._dirty = False
        self._save_failed = False
        self.notice = NoticeBar("composeNotice", self)

        self.banner = QLabel(self)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setObjectName("composeBanner")
        self.banner.setWordWrap(True)
        self.take_over_button = QPushButton(self)
        self.take_over_button.clicked.connect(self.take_over)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.take_over_button)

        self.from_label = QLabel(self)
        self.from_label.setTextFormat(Qt.TextFormat.PlainText)
        self.from_label.setObjectName("composeFrom")
        self.to_edit = QLineEdit(self)
        self.cc_edit = QLineEdit(self)
        self.bcc_edit = QLineEdit(self)
        self.subject_edit = QLineEdit(self)
        self.address_completions = self._address_completion(service)
        self.body_edit = QPlainTextEdit(self)
        self.quoted_view = QPlainTextEdit(self)
        self.quoted_view.setReadOnly(True)
        self.quoted_view.setMaximumHeight(160)
        self.attachments = QListWidget(self)
        self.attachments.setMaximumHeight(90)
        self.attach_button = QPushButton(self)
        self.attach_button.clicked.connect(self.choose_files)
        self.template_button = QPushButton(self)
        self.template_button.clicked.connect(self.pick_template)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("composeSend")
        self.send_button.clicked.connect(self.send)
        self.undo_bar = QLabel(self)
        self.undo_bar.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton(self)
        self.undo_button.clicked.connect(self.undo)

        self.form = QFormLayout()
        self.form_labels: list[QLabel] = []
        for widget in (
            self.from_label,
            self.to_edit,
            self.cc_edit,
            self.bcc_edit,
            self.subject_edit,
        ):
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(widget)
            self.form_labels.append(label)
            self.form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_bar, 1)
        undo_row.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(banner_row)
        layout.addLayout(self.form)
        layout.addWidget(self.body_edit, 3)
        layout.addWidget(self.quoted_view, 1)
        layout.addWidget(self.attachments)
        layout.addLayout(buttons)
        layout.addLayout(undo_row)

        QShortcut(QKeySequence("Ctrl+T"), self, self.pick_template)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.send)
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_SECONDS * 1000)
        self.autosave.timeout.connect(self.save_if_changed)
        self.autosave.start()
        self.send_timer = QTimer(self)
        self.send_timer.setSingleShot(True)
        self.send_timer.timeout.connect(self.process_outbox)
        if outbox is not None:
            outbox.changed.connect(self.refresh_item)

        self.load(draft)
        for edit in (self.to_edit, self.cc_edit, self.bcc_edit, self.subject_edit):
            edit.textChanged.connect(self._changed)
        self.body_edit.textChanged.connect(self._changed)
        self.retranslate()
        self.save_draft()  # saved at once: a crash right now loses nothing
        self.resize(760, 680)

    # ------------------------------------------------------------------ draft <-> widgets

    def load(self, draft: Draft) -> None:
        self.draft = draft
        self.to_edit.setText(", ".join(r.display() for r in draft.to))
        self.cc_edit.setText(", ".join(r.display() for r in draft.cc))
        self.bcc_edit.setText(", ".join(r.display() for r in draft.bcc))
        self.subject_edit.setText(draft.subject)
        self.body_edit.setPlainText(draft.body)
        self.quoted_view.setPlainText(draft.quoted)
        self.quoted_view.setVisible(bool(draft.quoted))
        self._show_attachments()

    def current(self) -> Draft:
        """The draft as the widgets show it now."""
        subject = " ".join(self.subject_edit.text().splitlines())
        return self.draft.with_changes(
            to=parse_recipients(self.to_edit.text()),
            cc=parse_recipients(self.cc_edit.text()),
            bcc=parse_recipients(self.bcc_edit.text()),
            subject=subject,
            body=self.body_edit.toPlainText(),
            take_over=self.draft.take_over,
        )

    def _show_attachments(self) -> None:
        self.attachments.clear()
        for att in self.draft.attachments:
            self.attachments.addItem(f"{att.filename}  ({size_label(att.size)})")
        self.attachments.setVisible(bool(self.draft.attachments))

    def _changed(self) -> None:
        self._dirty = True

    def save_draft(self) -> bool:
        """Save the draft now; False (and plain words in the notice bar) when it could not be."""
        try:
            self.draft = self.current()
            self.service.drafts.save(self.draft)
        except StorageError as exc:
            # The text stays here and unsaved; the autosave timer keeps trying.
            self._save_failed = True
            self.notice.show_notice(
                self.tr(
                    "The draft could not be saved: the disk is full or cannot be written. "
                    "Your text stays in this window, and Mailwise saves it as soon as it can."
                ),
                kind="error",
                detail="\n".join(x for x in (exc.message, exc.detail) if x),
            )
            return False
        except MailwiseError as exc:
            self._error(exc)
            return False
        self._dirty = False
        if self._save_failed:
            self._save_failed = False
            self.notice.hide()
        return True

    def save_if_changed(self) -> None:
        if self._dirty:
            self.save_draft()

    # ------------------------------------------------------------------ actions

    def add_files(self, paths: list[str]) -> None:
        draft = self.current()
        for path in paths:
            try:
                draft = self.service.attach(draft, path)
            except MailwiseError as exc:
                self._error(exc)
        self.draft = draft
        self._show_attachments()
        self.save_draft()

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        if paths:
            self.add_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()

    def insert_template(self, name: str) -> None:
        """Fill the draft from a template on the worker, never on the UI thread.

        Rendering is bounded (``templates/bounded.py``: its time budget and
        limits); a stopped template is reported in plain words and the draft
        stays as it was. The text is read-only until the answer comes.
        """
        if self.busy is not None:
            return
        draft = self.current()
        self._start("template")
        self.body_edit.setReadOnly(True)
        self.template_button.setEnabled(False)
        # The quick lane: a template fills in even while the SMTP lane sends.
        LocalOp(lambda: self.service.apply_template(draft, name)).success(
            self._template_applied
        ).failure(self._template_failed).run_in(self.ops)

    def _template_done(self) -> None:
        self.body_edit.setReadOnly(False)
        self.template_button.setEnabled(True)
        self._start(None)

    def _template_failed(self, error: BaseException) -> None:
        self._template_done()
        # Imported here: Jinja2 stays out of the window's start (bench/ui.py).
        from mailwise_desktop.templates.render import TemplateProblemError

        if isinstance(error, TemplateProblemError):
            self.notice.show_notice(template_problem_text(error.message), kind="error")
        else:
            self._error(error)

    def _template_applied(self, filled: Draft) -> None:
        self._template_done()
        self.load(filled)
        self.save_draft()

    def pick_template(self) -> None:
        names = [t.name for t in self.service.templates()]
        picker = TemplatePicker(names, self)
        if picker.exec() and picker.chosen():
            self.insert_template(str(picker.chosen()))

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.draft.subject or self.tr("New mail"))
        labels = [
            self.tr("From:"),
            self.tr("To:"),
            self.tr("Cc:"),
            self.tr("Bcc:"),
            self.tr("Subject:"),
        ]
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        self.from_label.setText(f"{self.draft.from_name} <{self.draft.from_address}>")
        held = self.held_by is not None
        self.banner.setVisible(held)
        self.take_over_button.setVisible(held)
        self.send_button.setEnabled(not held and self.outbox_item is None and self.busy is None)
        self.take_over_button.setEnabled(self.busy is None)
        if held:
            self.banner.setText(
                self.tr("%1 is handling this message. Take it over to send your reply.").replace(
                    "%1", str(self.held_by)
                )
            )
        self.take_over_button.setText(self.tr("Take over"))
        self.attach_button.setText(self.tr("Attach…"))
        self.template_button.setText(self.tr("Insert template…"))
        self.send_button.setText(self.tr("Send…"))
        self.undo_button.setText(self.tr("Undo"))
        mail = self.outbox_item
        line = status_line(mail, self.busy)
        self.undo_bar.setVisible(line is not None)
        self.undo_bar.setText(line or "")
        self.undo_button.setVisible(mail is not None and mail.state in UNDOABLE)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.outbox_item is None and self._dirty and not self.save_draft():
            lose = ask_yes_cancel(
                self,
                self.tr("Draft not saved"),
                self.tr(
                    "The draft could not be saved (the disk is full or cannot be written). "
                    "Close anyway and lose the changes since the last save?"
                ),
            )
            if not lose:
                event.ignore()
                return
        self.autosave.stop()
        super().closeEvent(event)
