"""A Yes/Cancel question whose text is shown as plain text, whatever names it carries.

``QMessageBox.question`` guesses rich text (``Qt.AutoText``), so a teammate
name or subject from outside such as ``<b>IT</b>`` would render as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask_yes_cancel(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask ``text`` (plain text); True when the user chose Yes. Cancel is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes
