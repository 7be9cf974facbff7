"""Settings: the UI language (switched at once), notifications, my signature, line wrapping."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.i18n import LANGUAGE_CHOICES

NOTIFY_KEYS = (
    "notify_new_mail",
    "notify_assigned",
    "notify_approvals",
    "notify_teammate_reply",
)
# Beyond this a line is no longer "wrapped" in any useful sense (RFC 5322: 78 recommended).
MAX_WRAP_COLUMNS = 200


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
        # System notifications, one switch per kind (ui/notifications.py).
        self.notify: dict[str, QCheckBox] = {}
        for key in NOTIFY_KEYS:
            box = QCheckBox(self)
            box.setObjectName(key)
            box.setChecked(bool(settings.get(key)))
            self.notify[key] = box
        # My signature; empty means the team's (policy "signature"), with my name filled in.
        self.signature = QPlainTextEdit(self)
        self.signature.setObjectName("signatureEdit")
        self.signature.setPlainText(str(settings.get("signature")))
        self.signature.setTabChangesFocus(True)
        self.signature.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.signature_label = QLabel(self)
        self.signature_label.setTextFormat(Qt.TextFormat.PlainText)
        # Outgoing text is wrapped when sent (send/line_wrap.py); 0 = as typed.
        self.wrap_columns = QSpinBox(self)
        self.wrap_columns.setObjectName("wrapColumns")
        self.wrap_columns.setRange(0, MAX_WRAP_COLUMNS)
        self.wrap_columns.setValue(min(MAX_WRAP_COLUMNS, max(0, int(settings.get("wrap_columns")))))
        self.wrap_label = QLabel(self)
        self.wrap_label.setTextFormat(Qt.TextFormat.PlainText)
        self.wrap_hint = QLabel(self)
        self.wrap_hint.setObjectName("wrapHint")
        self.wrap_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.wrap_hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.label, self.language)
        self.notify_label = QLabel(self)
        self.notify_label.setTextFormat(Qt.TextFormat.PlainText)
        for n, box in enumerate(self.notify.values()):
            form.addRow(self.notify_label if n == 0 else QLabel(self), box)
        form.addRow(self.signature_label, self.signature)
        form.addRow(self.wrap_label, self.wrap_columns)
        form.addRow(QLabel(self), self.wrap_hint)
        form.addRow(self.buttons)
        self.setWindowTitle(self.tr("Settings"))
        self.label.setText(self.tr("Language:"))
        self.notify_label.setText(self.tr("Notifications:"))
        self.notify["notify_new_mail"].setText(self.tr("New mail in the shared mailbox"))
        self.notify["notify_assigned"].setText(self.tr("A message given to me"))
        self.notify["notify_approvals"].setText(
            self.tr("Approval asked of me, and decisions on my mail")
        )
        self.notify["notify_teammate_reply"].setText(
            self.tr("A teammate's reply to a customer I am writing to")
        )
        self.signature_label.setText(self.tr("Signature:"))
        self.signature.setPlaceholderText(
            self.tr("Empty: the team's signature is used, with your name in it.")
        )
        self.wrap_label.setText(self.tr("Wrap sent text at:"))
        self.wrap_columns.setSuffix(self.tr(" columns"))
        self.wrap_columns.setSpecialValueText(self.tr("Off (lines as typed)"))
        self.wrap_hint.setText(
            self.tr(
                "A full-width character takes 2 columns: 72 columns are 36 Japanese "
                "characters, as business mail expects. Quotes and your signature are "
                "not wrapped."
            )
        )
        # Each language names itself, so a user who can't read the current one finds theirs.
        for index, text in enumerate((self.tr("Follow the system"), "日本語", "English")):
            self.language.setItemText(index, text)

    def apply(self) -> None:
        for key, box in self.notify.items():
            self.settings.set(key, box.isChecked())
        self.settings.set("signature", self.signature.toPlainText().strip())
        self.settings.set("wrap_columns", self.wrap_columns.value())
        choice = str(self.language.currentData())
        self.settings.set("language", choice)
        self.settings.save()
        if self.switch_language is not None:
            self.switch_language(choice)
        self.accept()
