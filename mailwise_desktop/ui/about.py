"""The About Mailwise dialog."""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop import APP_NAME, __version__

_ICON_SIZE = 64


class AboutDialog(QDialog):
    """Name, version, what the app is for, the Qt it runs on, and where its data lives.

    Args:
        profile_root: the profile folder (shown so support can find logs and settings).
        icon: the application icon.
        parent: the main window.
    """

    def __init__(self, profile_root: Path, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About %1").replace("%1", APP_NAME))

        icon_label = QLabel(self)
        icon_label.setPixmap(icon.pixmap(QSize(_ICON_SIZE, _ICON_SIZE)))
        icon_label.setAlignment(Qt.AlignmentFlag.AlignTop)

        name = QLabel(APP_NAME, self)
        name_font = name.font()
        name_font.setPointSizeF(name_font.pointSizeF() * 1.4)
        name_font.setBold(True)
        name.setFont(name_font)

        self.version_label = QLabel(self.tr("Version %1").replace("%1", __version__), self)
        self.version_label.setObjectName("aboutVersion")

        description = QLabel(
            self.tr(
                "A shared-mailbox client for support teams: who handles which message "
                "is kept on your own mail server."
            ),
            self,
        )
        description.setWordWrap(True)

        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        qt_label = QLabel(f"Qt {qVersion()} · PySide6 {PySide6.__version__}", self)
        qt_label.setObjectName("aboutQtVersion")
        details.addRow(self.tr("Runs on:"), qt_label)
        self.profile_label = QLabel(str(profile_root), self)
        self.profile_label.setObjectName("aboutProfile")
        self.profile_label.setWordWrap(True)
        # Support asks for this path; let people copy it.
        self.profile_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.addRow(self.tr("Profile folder:"), self.profile_label)

        text = QVBoxLayout()
        text.addWidget(name)
        text.addWidget(self.version_label)
        text.addSpacing(6)
        text.addWidget(description)
        text.addSpacing(6)
        text.addLayout(details)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(icon_label)
        body.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
