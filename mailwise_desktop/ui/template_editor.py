"""Template editor with live preview and errors while writing, and the quick picker (Ctrl+T)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.templates.records import TemplateRecord, filter_names
from mailwise_desktop.templates.variables import VARIABLE_HELP, sample_variables
from mailwise_desktop.ui.problem_words import template_problem_text


class _CheckSignals(QObject):
    """Carries a background check's result back to the UI thread (queued connection)."""

    done = Signal(int, list, str)


class TemplateEditor(QDialog):
    """Write a template; the preview fills it with sample values as you type.

    Checking and previewing run on a worker thread, so a hostile template
    (``{{ 'x' * 10**9 }}``) never freezes the window; the bounded sandbox
    (``templates/bounded.py``) stops it within its time budget and the error
    line says why. Results of an older text are dropped.

    Args:
        template: the template to edit (a new one has an empty name).
        save: called with the finished record when the user saves.
    """

    def __init__(
        self,
        template: TemplateRecord,
        save: object = None,
        parent: QWidget | None = None,
        *,
        language: str = "ja",
        preview_values: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        # The preview fills the template with these (a chosen message); the
        # strict check always uses the complete sample set.
        self.preview_values = preview_values
        self.template = template
        self._save = save
        self.language = language
        self.name_edit = QLineEdit(template.name, self)
        self.shared_box = QCheckBox(self)
        self.shared_box.setChecked(template.shared)
        self.subject_edit = QLineEdit(template.subject, self)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body_edit.setPlainText(template.body)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setObjectName("templateError")
        self.error_label.setWordWrap(True)
        self.help_label = QLabel(self)
        self.help_label.setTextFormat(Qt.TextFormat.PlainText)
        self.help_label.setWordWrap(True)
        self.help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.form.addRow("", self.name_edit)
        self.form.addRow("", self.subject_edit)
        self.form.addRow("", self.shared_box)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.body_edit)
        split.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(split, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.help_label)
        layout.addWidget(self.buttons)

        self._generation = 0
        self._answered = -1
        self._problems: list[str] = [""]  # nothing checked yet: Save stays off
        self._signals = _CheckSignals(self)
        self._signals.done.connect(self._on_checked)
        self.checked = self._signals.done
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        for edit in (self.name_edit, self.subject_edit):
            edit.textChanged.connect(self._timer.start)
        self.body_edit.textChanged.connect(self._timer.start)
        self.retranslate()
        self.refresh()
        self.resize(820, 520)

    def record(self) -> TemplateRecord:
        return TemplateRecord(
            name=self.name_edit.text().strip(),
            body=self.body_edit.toPlainText(),
            subject=self.subject_edit.text(),
            to=self.template.to,
            cc=self.template.cc,
            attachments_expected=self.template.attachments_expected,
            fallbacks=self.template.fallbacks,
            shared=self.shared_box.isChecked(),
        )

    def problems(self) -> list[str]:
        """The problems found by the last finished check (the worker's answer)."""
        return list(self._problems)

    def refresh(self) -> None:
        """Re-check and re-render on a worker thread (called shortly after each change)."""
        self._generation += 1
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        texts = (
            (self.tr("Body"), self.body_edit.toPlainText()),
            (self.tr("Subject"), self.subject_edit.text()),
        )
        line_word = self.tr(" line %1")
        no_name = "" if self.name_edit.text().strip() else self.tr("Give the template a name.")
        job = _Check(
            self._generation,
            texts,
            line_word=line_word,
            no_name=no_name,
            template=self.template,
            language=self.language,
            preview_values=self.preview_values,
        )
        threading.Thread(
            target=job.run, args=(self._signals,), name="template-check", daemon=True
        ).start()

    def checked_current(self) -> bool:
        """The shown problems and preview belong to the text as it is now."""
        return not self._timer.isActive() and self._answered == self._generation

    def _on_checked(self, generation: int, problems: list[str], preview: str) -> None:
        if generation != self._generation:
            return  # the text changed since: a newer check is on its way
        self._answered = generation
        self._problems = problems
        self.error_label.setText("\n".join(template_problem_text(p) for p in problems))
        self.error_label.setVisible(bool(problems))
        self.preview.setPlainText(preview)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)

    def _on_save(self) -> None:
        if self._timer.isActive() or self._answered != self._generation or self.problems():
            return
        if callable(self._save):
            self._save(self.record())
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Template"))
        labels = [self.tr("Name:"), self.tr("Subject:"), ""]
        for row, text in enumerate(labels):
            item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setText(text)
        self.shared_box.setText(self.tr("Shared with the team"))
        names = ", ".join("{{ " + name + " }}" for name, _ in VARIABLE_HELP)
        self.help_label.setText(self.tr("Values you can use: %1").replace("%1", names))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _Check:
    """One check of the editor's texts, run on a worker thread (no widgets touched)."""

    def __init__(
        self,
        generation: int,
        texts: tuple[tuple[str, str], ...],
        *,
        line_word: str,
        no_name: str,
        template: TemplateRecord,
        language: str,
        preview_values: dict[str, Any] | None = None,
    ) -> None:
        self.generation, self.texts, self.line_word = generation, texts, line_word
        self.no_name, self.template, self.language = no_name, template, language
        self.preview_values = preview_values

    def run(self, signals: _CheckSignals) -> None:
        # Jinja2 on first use: this module is imported at the window's start.
        from mailwise_desktop.templates.render import check_template, render_template

        variables = sample_variables(self.language)
        found = []
        for where, text in self.texts:
            for p in check_template(text, variables):
                line = self.line_word.replace("%1", str(p.line)) if p.line else ""
                found.append(f"{where}{line}: {p.message}")
        if self.no_name:
            found.append(self.no_name)
        try:
            preview = render_template(
                self.texts[0][1],
                self.preview_values or variables,
                fallbacks=self.template.fallbacks,
                language=self.language,
            )
        except MailwiseError as exc:
            preview = exc.message
        except Exception as exc:  # outside input: never let a worker die silently
            preview = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(RuntimeError):  # the editor was closed meanwhile
            signals.done.emit(self.generation, found, preview)


class TemplatePicker(QDialog):
    """Insert a template by name: type to filter, Enter to choose."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePicker")
        self.names = names
        self.filter_edit = QLineEdit(self)
        self.list = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.returnPressed.connect(self._choose)
        self.list.itemActivated.connect(lambda _item: self._choose())
        self.setWindowTitle(self.tr("Insert template"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by name…"))
        self._filter("")

    def _filter(self, text: str) -> None:
        self.list.clear()
        self.list.addItems(filter_names(self.names, text))
        if self.list.count():
            self.list.setCurrentRow(0)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None

    def _choose(self) -> None:
        if self.chosen() is not None:
            self.accept()
