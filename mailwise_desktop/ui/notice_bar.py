"""An inline bar above a pane: a plain sentence, a few buttons, details on demand.

Used for blocked remote content ("load once / always for this sender"), a
refused claim ("佐藤さんが 10:42 から担当しています [Take over]") and errors in
plain words with "Show details" (never a traceback dialog).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

_KIND_COLOURS = {
    "info": ("#e0f2fe", "#0c4a6e"),
    "warning": ("#fef3c7", "#78350f"),
    "error": ("#fee2e2", "#7f1d1d"),
}


class NoticeBar(QFrame):
    """A dismissible message bar; hidden until :meth:`show_notice`."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setObjectName(f"{object_name}Text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.buttons_row = QHBoxLayout()
        self.buttons_row.setSpacing(6)
        self.details_button = QPushButton(self)
        self.details_button.setObjectName(f"{object_name}Details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName(f"{object_name}Close")
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(90)
        self.details.hide()

        # The sentence gets the whole width (long Japanese lines and fingerprints
        # must not be squeezed by buttons); the buttons sit under it.
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.label, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.buttons_row.addStretch(1)
        self.buttons_row.addWidget(self.details_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 5, 4, 5)
        outer.setSpacing(4)
        outer.addLayout(top)
        outer.addLayout(self.buttons_row)
        outer.addWidget(self.details)
        self._extra: list[QPushButton] = []
        self.hide()

    def show_notice(
        self,
        text: str,
        *,
        kind: str = "info",
        actions: list[tuple[str, Callable[[], None]]] | None = None,
        detail: str | None = None,
    ) -> None:
        """Show a sentence with buttons (label, callback) and optional details."""
        background, foreground = _KIND_COLOURS.get(kind, _KIND_COLOURS["info"])
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: {background}; border-radius: 4px; }}"
            f"#{self.objectName()} QLabel {{ color: {foreground}; }}"
        )
        self.label.setText(text)
        for button in self._extra:
            button.deleteLater()
        self._extra = []
        for label, callback in actions or []:
            button = QPushButton(label, self)
            button.clicked.connect(callback)
            self.buttons_row.insertWidget(self.buttons_row.count() - 1, button)
            self._extra.append(button)
        self.details_button.setText(self.tr("Show details"))
        self.details_button.setChecked(False)
        self.details_button.setVisible(bool(detail))
        self.details.setPlainText(detail or "")
        self.show()

    def action_buttons(self) -> list[QPushButton]:
        return list(self._extra)

    def _toggle_details(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setText(self.tr("Hide details") if on else self.tr("Show details"))
