"""The main window: menus, the central area and the status bar."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from mailwise_desktop import APP_NAME
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.about import AboutDialog
from mailwise_desktop.ui.empty_state import EmptyState
from mailwise_desktop.ui.workspace import Workspace

DEFAULT_SIZE = (1100, 700)
CLI_SETUP_COMMAND = "mailwise account add"

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Mailwise's one main window.

    Shows the empty state while the profile has no account, else the
    three-pane workspace. Window geometry and splitter sizes are kept in the
    ``window_state`` setting when the window closes.

    Args:
        profile: the profile whose data the window shows.
        settings: the profile's settings (read for accounts, written on close).
        icon: the application icon.
        parent: normally None.

    Signals:
        add_account_requested: the user asked to add a shared mailbox (menu or
            the empty state's button).
    """

    add_account_requested = Signal()

    def __init__(
        self, profile: Profile, settings: Settings, icon: QIcon, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.profile = profile
        self.settings = settings
        self.icon = icon
        # Diagnostic runs (--self-test, --screenshot) must not rewrite the user's profile.
        self.persist_state = True
        self.setup_notice: QMessageBox | None = None
        self.setWindowIcon(icon)

        self.empty_state = EmptyState(icon, self)
        self.workspace = Workspace(self)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.empty_state)
        self.central.addWidget(self.workspace)
        self.setCentralWidget(self.central)

        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("statusConnection")
        self.statusBar().addWidget(self.connection_label)

        self._create_actions()
        self._create_menus()
        self.empty_state.add_account_requested.connect(self.add_account_requested)
        # Until the account dialog exists, point people at the CLI that does the job.
        self.add_account_requested.connect(self.show_setup_notice)

        self.retranslate()
        self.show_accounts(bool(settings.get("accounts")))
        self._restore_state()

    def _create_actions(self) -> None:
        self.action_add_account = QAction(self)
        self.action_add_account.setObjectName("actionAddAccount")
        self.action_add_account.triggered.connect(self.add_account_requested)

        self.action_quit = QAction(self)
        self.action_quit.setObjectName("actionQuit")
        # Windows has no standard Quit key (Alt+F4 closes windows); Ctrl+Q is the
        # cross-platform habit there, and stays visible in the menu.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        self.action_quit.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.action_quit.triggered.connect(self.close)

        self.action_full_screen = QAction(self)
        self.action_full_screen.setObjectName("actionFullScreen")
        self.action_full_screen.setCheckable(True)
        self.action_full_screen.setShortcut(QKeySequence.StandardKey.FullScreen)
        self.action_full_screen.toggled.connect(self._set_full_screen)

        self.action_about = QAction(self)
        self.action_about.setObjectName("actionAbout")
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.action_about.triggered.connect(self.show_about)

        self.action_about_qt = QAction(self)
        self.action_about_qt.setObjectName("actionAboutQt")
        self.action_about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)
        self.action_about_qt.triggered.connect(QApplication.aboutQt)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.file_menu.setObjectName("menuFile")
        self.file_menu.addAction(self.action_add_account)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_quit)

        self.view_menu = QMenu(self)
        self.view_menu.setObjectName("menuView")
        self.view_menu.addAction(self.action_full_screen)

        # Claim, hold, done, reply… arrive with the issues that implement them.
        self.actions_menu = QMenu(self)
        self.actions_menu.setObjectName("menuActions")

        self.help_menu = QMenu(self)
        self.help_menu.setObjectName("menuHelp")
        self.help_menu.addAction(self.action_about)
        self.help_menu.addAction(self.action_about_qt)

        for menu in (self.file_menu, self.view_menu, self.actions_menu, self.help_menu):
            bar.addMenu(menu)

    def retranslate(self) -> None:
        """Set every text in the current UI language."""
        self.setWindowTitle(APP_NAME)
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.actions_menu.setTitle(self.tr("&Actions"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.action_add_account.setText(self.tr("&Add shared mailbox…"))
        self.action_quit.setText(self.tr("&Quit"))
        self.action_full_screen.setText(self.tr("&Full Screen"))
        self.action_about.setText(self.tr("&About Mailwise"))
        self.action_about_qt.setText(self.tr("About &Qt"))
        # Nothing connects yet: with or without accounts the honest state is offline.
        self.connection_label.setText(self.tr("Offline"))

    def changeEvent(self, event: QEvent) -> None:
        """Follow a language switch while running."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_accounts(self, has_accounts: bool) -> None:
        """Show the workspace when there is an account, else the empty state."""
        self.central.setCurrentWidget(self.workspace if has_accounts else self.empty_state)
        if not has_accounts:
            self.empty_state.add_button.setFocus()

    def show_setup_notice(self) -> None:
        """Tell the user how to add a mailbox until the setup dialog exists."""
        box = QMessageBox(self)
        box.setObjectName("setupNotice")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Add shared mailbox"))
        box.setText(self.tr("Mailbox setup in the window is coming soon."))
        # The <code> tag makes Qt render this label as rich text (auto-detected).
        box.setInformativeText(
            self.tr(
                "For now, add the mailbox from a terminal with %1, then restart Mailwise."
            ).replace("%1", f"<code>{CLI_SETUP_COMMAND}</code>")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        # Window-modal and non-blocking: no nested event loop to trap tests or callers.
        box.open()
        self.setup_notice = box

    def show_about(self) -> AboutDialog:
        """Open the About dialog (window-modal) and return it."""
        dialog = AboutDialog(self.profile.root, self.icon, self)
        dialog.open()
        return dialog

    def _set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _restore_state(self) -> None:
        state: dict[str, Any] = self.settings.get("window_state")
        geometry = state.get("geometry")
        if not (
            isinstance(geometry, str)
            and self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        ):
            self.resize(*DEFAULT_SIZE)
        splitter = state.get("splitter")
        if isinstance(splitter, str):
            self.workspace.restore_sizes(splitter)

    def save_state(self) -> None:
        """Store geometry and splitter sizes in ``window_state`` and save the settings.

        Other keys of ``window_state`` (columns, last filter…) are kept as they are.
        """
        state: dict[str, Any] = self.settings.get("window_state")
        state["geometry"] = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        state["splitter"] = self.workspace.save_sizes()
        self.settings.set("window_state", state)
        self.settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window before it goes."""
        if self.persist_state:
            try:
                self.save_state()
            except MailwiseError as exc:
                # Losing the window size must never keep the user from quitting.
                log.warning("window state not saved: %s (%s)", exc, exc.detail)
        event.accept()
