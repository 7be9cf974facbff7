"""The whole conversation beside the message: customer mails, our replies, notes, collapsible.

Reads :meth:`services.conversations.ConversationService.thread` (cache only,
so it is called on the UI thread like the reading pane's ``load``). Each
entry is a card with a header button (who, when, state) that folds its text
away; the selected message and the newest mail start open, the rest folded.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QLocale, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.services.conversations import EntryKind, ThreadEntry
from mailwise_desktop.ui.i18n import format_datetime
from mailwise_desktop.ui.state_badges import state_label

# Left stripe colour per kind: customer blue, our reply green, a note amber.
_STRIPE = {EntryKind.CUSTOMER: "#3b73b9", EntryKind.OURS: "#3a8f5c", EntryKind.NOTE: "#c98a1b"}
_BACKGROUND = {EntryKind.CUSTOMER: "#ffffff", EntryKind.OURS: "#f1f8f3", EntryKind.NOTE: "#fdf6e7"}
# Room the header keeps for its arrow, the gap beside it and its frame, beyond the icon size.
_HEADER_CHROME = 16
# Narrowest the header asks for: the arrow and a few characters (the rest is elided).
_HEADER_MIN_CHARS = 4


def plain_tooltip(lines: Sequence[str]) -> str:
    """Lines shown as they are: Qt would take a subject such as "<b>…" for rich text."""
    return "<qt>" + "<br>".join(html.escape(line) for line in lines if line) + "</qt>"


class ElidedHeader(QToolButton):
    """A header button whose text is cut with "…" to its width (full text in the tooltip).

    A QToolButton's minimum width is its whole text: a long subject or name would
    hold the conversation column wider than the window gives it, and clip it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""

    def full_text(self) -> str:
        return self._full_text

    def set_full_text(self, text: str) -> None:
        self._full_text = text
        self._elide()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(
            self._chrome() + self.fontMetrics().horizontalAdvance(self._full_text), hint.height()
        )

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        room = self.fontMetrics().averageCharWidth() * _HEADER_MIN_CHARS
        return QSize(self._chrome() + room, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _chrome(self) -> int:
        return self.iconSize().width() + _HEADER_CHROME

    def _elide(self) -> None:
        width = max(0, self.width() - self._chrome())
        shown = self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight, width)
        # Names and subjects come from outside: "&" is a character, not a mnemonic.
        self.setText(shown.replace("&", "&&"))


class EntryCard(QFrame):
    """One mail or note: a header button that folds the text below it."""

    def __init__(self, entry: ThreadEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("conversationEntry")
        self.setProperty("kind", str(entry.kind))
        stripe, background = _STRIPE[entry.kind], _BACKGROUND[entry.kind]
        self.setStyleSheet(
            f"#conversationEntry {{ border-left: 4px solid {stripe}; background: {background};"
            " border-top: 1px solid #d8d8d8; }"
        )
        self.header = ElidedHeader(self)
        self.header.setObjectName("conversationEntryHeader")
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.header.toggled.connect(self.set_open)
        self.body = QLabel(self)
        self.body.setObjectName("conversationEntryText")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setContentsMargins(22, 0, 6, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.retranslate()

    def kind_text(self) -> str:
        if self.entry.kind is EntryKind.OURS:
            return self.tr("Our reply")
        if self.entry.kind is EntryKind.NOTE:
            return self.tr("Note")
        return self.tr("Customer")

    def retranslate(self) -> None:
        e = self.entry
        parts = [self.kind_text(), e.who]
        if e.at is not None:
            parts.append(format_datetime(e.at, QLocale()))
        if e.state:
            parts.append(state_label(e.state) + (f" · {e.owner}" if e.owner else ""))
        full = "  ·  ".join(p for p in parts if p)
        self.header.set_full_text(full)
        self.header.setToolTip(plain_tooltip([full, e.subject]))
        text = e.text.strip()
        if e.kind is not EntryKind.NOTE and not text:
            text = self.tr("(The text is not downloaded yet: open the message to fetch it.)")
        if e.subject and e.kind is not EntryKind.NOTE:
            text = f"{e.subject}\n\n{text}"
        self.body.setText(text)

    @property
    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, open_: bool) -> None:
        if self.header.isChecked() != open_:
            self.header.setChecked(open_)  # re-enters through toggled
            return
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)


class ConversationPane(QScrollArea):
    """The conversation of the selected message, oldest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPane")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cards: list[EntryCard] = []
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("conversationTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self._holder = QWidget(self)
        self._column = QVBoxLayout(self._holder)
        self._column.setContentsMargins(8, 8, 8, 8)
        self._column.setSpacing(4)
        self._column.addWidget(self.title)
        self._column.addStretch(1)
        self.setWidget(self._holder)
        self.show_entries([], 0)

    def show_entries(self, entries: Sequence[ThreadEntry], selected_row: int) -> None:
        """Replace the cards; ``selected_row`` (a cache id) and the newest mail start open."""
        for card in self.cards:
            self._column.removeWidget(card)
            card.deleteLater()
        self.cards = []
        mails = [e for e in entries if e.kind is not EntryKind.NOTE]
        newest = mails[-1].row_id if mails else 0
        for entry in entries:
            card = EntryCard(entry, self._holder)
            card.set_open(entry.kind is EntryKind.NOTE or entry.row_id in {selected_row, newest})
            self._column.insertWidget(self._column.count() - 1, card)
            self.cards.append(card)
        self._retitle()

    def _retitle(self) -> None:
        mails = sum(1 for c in self.cards if c.entry.kind is not EntryKind.NOTE)
        notes = len(self.cards) - mails
        if not self.cards:
            self.title.setText(self.tr("Select a message to see its conversation."))
            return
        subject = next((c.entry.subject for c in self.cards if c.entry.subject), "")
        counts = self.tr("Messages: %1").replace("%1", str(mails))
        if notes:
            counts += " · " + self.tr("Notes: %1").replace("%1", str(notes))
        self.title.setText(f"{subject}\n{counts}" if subject else counts)

    def set_all_open(self, open_: bool) -> None:
        for card in self.cards:
            card.set_open(open_)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            for card in self.cards:
                card.retranslate()
            self._retitle()
        super().changeEvent(event)
