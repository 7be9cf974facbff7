"""The panel shown while the profile has no shared mailbox yet."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.keychain import KeychainCheck, check_keychain
from mailwise_desktop.ui.error_words import no_keychain_sentence
from mailwise_desktop.ui.notice_bar import NoticeBar

# Wide enough for one calm sentence, narrow enough to stay readable on a big window.
_TEXT_WIDTH = 460
_ICON_SIZE = 96
# The heading is sized relative to the platform font, never a hard-coded family.
_HEADING_SCALE = 1.6


log = logging.getLogger(__name__)


class EmptyState(QWidget):
    """A friendly "add your shared mailbox" panel with one primary button.

    Signals:
        add_account_requested: the user asked to add a shared mailbox.
        join_requested: the user has an invitation from a teammate.
    """

    add_account_requested = Signal()
    join_requested = Signal()

    def __init__(self, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")

        self.icon_label = QLabel(self)
        self.icon_label.setTextFormat(Qt.TextFormat.PlainText)
        self.icon_label.setPixmap(icon.pixmap(QSize(_ICON_SIZE, _ICON_SIZE)))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setObjectName("emptyStateHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.heading.setWordWrap(True)
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * _HEADING_SCALE)
        heading_font.setWeight(QFont.Weight.DemiBold)
        self.heading.setFont(heading_font)

        self.explanation = QLabel(self)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setObjectName("emptyStateText")
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.explanation.setWordWrap(True)

        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addAccountButton")
        # The one thing to do here: Enter triggers it, and styles draw it as primary.
        self.add_button.setDefault(True)
        self.add_button.setAutoDefault(True)
        self.add_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.add_button.clicked.connect(self.add_account_requested)
        self.join_button = QPushButton(self)
        self.join_button.setObjectName("joinTeamButton")
        self.join_button.setFlat(True)
        self.join_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.join_button.clicked.connect(self.join_requested)

        # Shown at first start when passwords could not be kept (no system keychain).
        self.keychain_notice = QLabel(self)
        self.keychain_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.keychain_notice.setObjectName("keychainNotice")
        self.keychain_notice.setWordWrap(True)
        self.keychain_notice.setStyleSheet(
            "#keychainNotice { background: #fef3c7; color: #78350f; border-radius: 4px;"
            " padding: 8px; }"
        )
        self.keychain_notice.hide()

        column = QWidget(self)
        column.setMaximumWidth(_TEXT_WIDTH)
        # Centred by stretches rather than an alignment flag: an aligned item gets
        # its size hint only, which ignores the height wrapped text needs and clips it.
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        inner.addWidget(self.icon_label)
        inner.addWidget(self.heading)
        inner.addWidget(self.explanation)
        inner.addWidget(self.keychain_notice)
        inner.addSpacing(8)
        inner.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignHCenter)

        row = QHBoxLayout()
        # The column's stretch wins until it reaches its maximum width; the two
        # spacers then share what is left equally, which centres it.
        row.addStretch(1)
        row.addWidget(column, 1000)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)

        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current UI language."""
        self.heading.setText(self.tr("Add your shared mailbox"))
        self.explanation.setText(
            self.tr(
                "Mailwise connects to the mailbox your team answers (support@, sales@ …), "
                "downloads its messages and shows who is handling each one."
            )
        )
        self.add_button.setText(self.tr("Add shared mailbox…"))
        self.join_button.setText(self.tr("I have an invitation from my team…"))
        self.keychain_notice.setText(no_keychain_sentence())

    def check_keychain(self, notice: NoticeBar) -> KeychainCheck:
        """Check the system keychain; without a usable one, say so here and in ``notice``."""
        found = check_keychain()
        if not found.usable:
            log.warning("no usable keychain: %s (%s)", found.backend, found.reason)
            self.show_keychain_problem()
            detail = f"{found.backend}: {found.reason}"
            notice.show_notice(no_keychain_sentence(), kind="warning", detail=detail)
        return found

    def show_keychain_problem(self) -> None:
        """Say that no system keychain can keep the password (checked at start)."""
        self.keychain_notice.show()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a language switch while running."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
