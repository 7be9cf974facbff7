"""Settings: the UI language (system / 日本語 / English), switched at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.i18n import LANGUAGE_CHOICES


class SettingsDialog(QDialog):
    """Language choice; saved in the ``language`` setting and applied right away."""

    def __init__(
        self,
        settings: Settings,
        switch_language: Callable[[str], None] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.settings = settings
        self.switch_language = switch_language
        self.language = QComboBox(self)
        self.language.setObjectName("languageChoice")
        for choice in LANGUAGE_CHOICES:
            self.language.addItem("", choice)
        current = settings.get("language")
        self.language.setCurrentIndex(
            max(0, LANGUAGE_CHOICES.index(current) if current in LANGUAGE_CHOICES else 0)
        )
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.label, self.language)
        form.addRow(self.buttons)
        self.setWindowTitle(self.tr("Settings"))
        self.label.setText(self.tr("Language:"))
        # Each language names itself, so a user who can't read the current one finds theirs.
        for index, text in enumerate((self.tr("Follow the system"), "日本語", "English")):
            self.language.setItemText(index, text)

    def apply(self) -> None:
        choice = str(self.language.currentData())
        self.settings.set("language", choice)
        self.settings.save()
        if self.switch_language is not None:
            self.switch_language(choice)
        self.accept()
