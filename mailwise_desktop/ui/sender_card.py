"""The sender's card beside the mail: who wrote, from which company, what is open with them.

Name and company (the team's shared card, else the From name and the
domain), how many of their conversations are open, who last handled their
mail, and the VIP / do-not-contact marks in words (colour is never the only
cue). "Contact page" opens the address book on them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from mailwise_desktop.services.contact_history import SenderCard

_VIP_STYLE = "background:#fff3c4; color:#5c4400; border-radius:3px; padding:1px 4px;"
_DNC_STYLE = "background:#fde2e1; color:#8a1c17; border-radius:3px; padding:1px 4px;"


class SenderCardPanel(QFrame):
    """The card; :meth:`show_card` fills it, ``open_contact(address)`` asks for the page."""

    open_contact = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("senderCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(200)
        self.setMaximumWidth(230)
        self.card: SenderCard | None = None
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.name.setFont(font)
        self.company = QLabel(self)
        self.company.setTextFormat(Qt.TextFormat.PlainText)
        self.address = QLabel(self)
        self.address.setTextFormat(Qt.TextFormat.PlainText)
        self.vip = QLabel(self)
        self.vip.setTextFormat(Qt.TextFormat.PlainText)
        self.vip.setStyleSheet(_VIP_STYLE)
        self.do_not_contact = QLabel(self)
        self.do_not_contact.setTextFormat(Qt.TextFormat.PlainText)
        self.do_not_contact.setStyleSheet(_DNC_STYLE)
        self.open_count = QLabel(self)
        self.open_count.setTextFormat(Qt.TextFormat.PlainText)
        self.last_handled = QLabel(self)
        self.last_handled.setTextFormat(Qt.TextFormat.PlainText)
        self.tags = QLabel(self)
        self.tags.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.heading, self.name, self.company, self.address, self.vip,
                      self.do_not_contact, self.open_count, self.last_handled, self.tags):  # fmt: skip
            label.setWordWrap(True)
        self.page_button = QPushButton(self)
        self.page_button.clicked.connect(self._open)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.name, self.company, self.address, self.vip,
                       self.do_not_contact, self.open_count, self.last_handled, self.tags):  # fmt: skip
            layout.addWidget(widget)
        layout.addWidget(self.page_button)
        layout.addStretch(1)
        self.retranslate()
        self.show_card(None)

    def show_card(self, card: SenderCard | None) -> None:
        self.card = card
        self.setVisible(card is not None)
        self._fill()

    def _fill(self) -> None:
        card = self.card
        if card is None:
            return
        self.name.setText(card.name or card.address)
        self.company.setText(card.company)
        self.company.setVisible(bool(card.company))
        self.address.setText(card.address)
        self.vip.setVisible(card.vip)
        self.do_not_contact.setVisible(card.do_not_contact)
        self.open_count.setText(
            self.tr("Open conversations: %1 of %2")
            .replace("%1", str(card.open_conversations))
            .replace("%2", str(card.conversations))
        )
        self.last_handled.setText(
            self.tr("Last handled by: %1").replace("%1", card.last_handled_by or "–")
        )
        tags = card.card.tags if card.card else ()
        self.tags.setText(self.tr("Tags: %1").replace("%1", ", ".join(tags)))
        self.tags.setVisible(bool(tags))

    def _open(self) -> None:
        if self.card is not None:
            self.open_contact.emit(self.card.address)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sender"))
        self.vip.setText(self.tr("★ VIP"))
        self.do_not_contact.setText(self.tr("Do not contact"))
        self.page_button.setText(self.tr("Contact page…"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
