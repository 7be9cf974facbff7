"""The template manager: every shared and personal template, previewed with a chosen message.

Left, the templates in two groups (shared with the team, personal); right,
the chosen one rendered for the message picked above the preview (the one
selected in the main window, or a sample customer), its problems in plain
words, and the variables a template can use. New, Edit (the live editor),
Duplicate and Delete act through the same :class:`SendingService` as
``mailwise template``; saving a shared template writes to the team mailbox in
the background, and rendering runs on a worker thread (a hostile template is
stopped by the bounded sandbox, never freezing the window).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.store.summaries import MessageSummary
from mailwise_desktop.templates.records import TemplateRecord
from mailwise_desktop.templates.variables import VARIABLE_HELP, preview_variables, sample_variables
from mailwise_desktop.ui.background import BackgroundOps, LocalOp
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.plain_question import ask_yes_cancel
from mailwise_desktop.ui.problem_words import template_problem_text
from mailwise_desktop.ui.template_editor import TemplateEditor, _Check, _CheckSignals

_ROLE = Qt.ItemDataRole.UserRole


class TemplateManager(QDialog):
    """Browse, preview, create, edit, duplicate and delete templates.

    Args:
        service: the account's sending service (templates, team mailbox).
        ops: runs the background work (saving a shared template writes a team record).
        message: the message selected in the main window (offered for the preview).
        language: the UI language (sample values, date formats).
    """

    def __init__(
        self,
        service: SendingService,
        ops: BackgroundOps,
        parent: QWidget | None = None,
        *,
        message: MessageSummary | None = None,
        language: str = "ja",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templateManager")
        self.service = service
        self.ops = ops
        self.message = message
        self.language = language
        self.templates: list[TemplateRecord] = []
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("templateList")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(lambda _a, _b: self._show_current())
        self.tree.itemDoubleClicked.connect(lambda _i, _c: self.edit_current())
        self.preview_with = QComboBox(self)
        self.preview_with.setObjectName("previewWith")
        self.preview_with.currentIndexChanged.connect(lambda _i: self._show_current())
        self.preview_label = QLabel(self)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        self.problems = QLabel(self)
        self.problems.setObjectName("templateProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b91c1c;")
        self.variables = QTreeWidget(self)
        self.variables.setObjectName("templateVariables")
        self.variables.setColumnCount(2)
        self.variables.setRootIsDecorated(False)
        self.notice = NoticeBar("templateNotice", self)
        self.new_button, self.edit_button = QPushButton(self), QPushButton(self)
        self.copy_button, self.delete_button = QPushButton(self), QPushButton(self)
        for button, slot in (
            (self.new_button, self.new_template),
            (self.edit_button, self.edit_current),
            (self.copy_button, self.duplicate_current),
            (self.delete_button, self.delete_current),
        ):
            button.clicked.connect(slot)
        self._layout()
        self._signals = _CheckSignals(self)
        self._signals.done.connect(self._on_rendered)
        self._generation = 0
        self.editor: TemplateEditor | None = None
        self.retranslate()
        self.reload()
        self.resize(900, 600)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.copy_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.tree, 1)
        left_column.addLayout(buttons)
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        chooser = QHBoxLayout()
        chooser.addWidget(self.preview_label)
        chooser.addWidget(self.preview_with, 1)
        right_column.addLayout(chooser)
        right_column.addWidget(self.preview, 3)
        right_column.addWidget(self.problems)
        right_column.addWidget(self.variables, 2)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([300, 600])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        layout.addWidget(close)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Templates"))
        self.new_button.setText(self.tr("New…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.copy_button.setText(self.tr("Duplicate"))
        self.delete_button.setText(self.tr("Delete…"))
        self.preview_label.setText(self.tr("Preview for:"))
        self.preview_with.blockSignals(True)
        self.preview_with.clear()
        if self.message is not None:
            who = self.message.from_name or self.message.from_email
            self.preview_with.addItem(f"{who} — {self.message.subject}", "message")
        self.preview_with.addItem(self.tr("A sample customer"), "sample")
        self.preview_with.blockSignals(False)
        self.variables.setHeaderLabels([self.tr("You can use"), self.tr("What it is")])
        self.variables.clear()
        meanings = self._meanings()
        for name, meaning in VARIABLE_HELP:
            QTreeWidgetItem(self.variables, ["{{ " + name + " }}", meanings.get(name, meaning)])
        self.variables.resizeColumnToContents(0)

    def _meanings(self) -> dict[str, str]:
        return {
            "customer.name": self.tr("the customer's name"),
            "customer.email": self.tr("the customer's e-mail address"),
            "customer.company": self.tr("the customer's company"),
            "original.subject": self.tr("the subject of the mail being answered"),
            "original.date": self.tr("when it was sent"),
            "original.from": self.tr("who sent it"),
            "original.quoted": self.tr("its text, quoted with > "),
            "me.name": self.tr("your name"),
            "me.email": self.tr("your e-mail address"),
            "me.signature": self.tr("your signature"),
            "team.name": self.tr("the team's name"),
            "team.address": self.tr("the shared address"),
            "today": self.tr("today's date"),
        }

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.reload()
        super().changeEvent(event)

    # -- the list ----------------------------------------------------------

    def reload(self, select: tuple[str, bool] | None = None) -> None:
        """Read the templates again and keep (or move to) the chosen one."""
        keep = select or self._key(self.current())
        try:
            self.templates = self.service.templates()
        except MailwiseError as exc:
            self.templates = []
            self.notice.show_notice(plain_error(exc)[0], kind="error")
        self.tree.clear()
        groups = {
            True: QTreeWidgetItem(self.tree, [self.tr("Shared with the team")]),
            False: QTreeWidgetItem(self.tree, [self.tr("Personal")]),
        }
        for group in groups.values():
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
        chosen: QTreeWidgetItem | None = None
        first: QTreeWidgetItem | None = None
        for template in self.templates:
            item = QTreeWidgetItem(groups[template.shared], [template.name])
            item.setData(0, _ROLE, (template.name, template.shared))
            first = first or item
            if (template.name, template.shared) == keep:
                chosen = item
        chosen = chosen or first
        self.tree.expandAll()
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_current()

    @staticmethod
    def _key(template: TemplateRecord | None) -> tuple[str, bool] | None:
        return None if template is None else (template.name, template.shared)

    def current(self) -> TemplateRecord | None:
        item = self.tree.currentItem()
        key = item.data(0, _ROLE) if item is not None else None
        if not key:
            return None
        return next((t for t in self.templates if (t.name, t.shared) == tuple(key)), None)

    def names(self) -> list[tuple[str, bool]]:
        """(name, shared) of every listed template, in order (for tests)."""
        return [(t.name, t.shared) for t in self.templates]

    # -- preview -------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        m = self.message
        if m is None or self.preview_with.currentData() != "message":
            return sample_variables(self.language)
        return preview_variables(
            self.language,
            from_name=m.from_name,
            from_email=m.from_email,
            subject=m.subject,
            sent=m.date,
        )

    def _show_current(self) -> None:
        template = self.current()
        for button in (self.edit_button, self.copy_button, self.delete_button):
            button.setEnabled(template is not None)
        self._generation += 1
        # Nothing of the previous template stays shown while this one renders.
        self.preview.setPlainText("")
        self.problems.hide()
        if template is None:
            return
        check = _Check(
            self._generation,
            ((self.tr("Body"), template.body), (self.tr("Subject"), template.subject)),
            line_word=self.tr(" line %1"),
            no_name="",
            template=template,
            language=self.language,
            preview_values=self._values(),
        )
        threading.Thread(
            target=check.run, args=(self._signals,), name="template-preview", daemon=True
        ).start()

    def _on_rendered(self, generation: int, problems: list[str], preview: str) -> None:
        if generation != self._generation:
            return
        self.preview.setPlainText(preview)
        self.problems.setText("\n".join(template_problem_text(p) for p in problems))
        self.problems.setVisible(bool(problems))

    # -- actions -------------------------------------------------------------

    def _open_editor(self, template: TemplateRecord) -> TemplateEditor:
        editor = TemplateEditor(
            template,
            save=self._save,
            parent=self,
            language=self.language,
            preview_values=self._values(),
        )
        editor.open()
        self.editor = editor
        return editor

    def new_template(self) -> TemplateEditor:
        return self._open_editor(TemplateRecord(name="", body="", shared=False))

    def edit_current(self) -> TemplateEditor | None:
        template = self.current()
        return None if template is None else self._open_editor(template)

    def duplicate_current(self) -> TemplateEditor | None:
        template = self.current()
        if template is None:
            return None
        copy = self.tr("%1 (copy)").replace("%1", template.name)
        return self._open_editor(replace(template, name=copy, shared=False))

    def delete_current(self) -> None:
        template = self.current()
        if template is None:
            return
        where = self.tr("for the whole team") if template.shared else self.tr("personal")
        question = self.tr("Delete the template “%1” (%2)?").replace("%1", template.name)
        if not ask_yes_cancel(self, self.tr("Delete template"), question.replace("%2", where)):
            return
        name, shared = template.name, template.shared
        # A shared template is a team record: written through the engine, waited for
        # on the quick lane (never on the UI thread).
        LocalOp(lambda: self.service.remove_template(name, shared=shared)).success(
            lambda _r: self._done(None, None)
        ).failure(lambda error: self._done(error, None)).run_in(self.ops)

    def _save(self, record: TemplateRecord) -> None:
        LocalOp(lambda: self.service.save_template(record)).success(
            lambda _r: self._done(None, (record.name, record.shared))
        ).failure(lambda error: self._done(error, (record.name, record.shared))).run_in(self.ops)

    def _done(self, error: BaseException | None, select: tuple[str, bool] | None) -> None:
        if error is not None:
            self.notice.show_notice(plain_error(error)[0], kind="error")
        else:
            self.notice.hide()
        self.reload(select)


class TemplatesMenu(QObject):
    """Actions ▸ Templates… in the main window: the manager for the current account.

    Args:
        window: the main window; menu: where the entry goes.
        service_for: the sending service of the current account (None: no account yet).
        selected: the message selected in the list, if any (offered for the preview).
        ops: the window's background operations.
        language: the UI language.
    """

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        *,
        service_for: Callable[[], SendingService | None],
        selected: Callable[[], MessageSummary | None],
        ops: BackgroundOps,
        language: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.service_for, self.selected = service_for, selected
        self.ops, self.language = ops, language
        self.dialog: TemplateManager | None = None
        self.action = QAction(window)
        self.action.setObjectName("actionTemplates")
        self.action.triggered.connect(self._show)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def show(self) -> TemplateManager | None:
        service = self.service_for()
        if service is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = TemplateManager(
            service,
            self.ops,
            self.window,
            message=self.selected(),
            language=self.language(),
        )
        self.dialog.show()
        return self.dialog

    def _show(self) -> None:
        self.show()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Templat&es…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
