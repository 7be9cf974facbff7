"""The main window: menus, toolbar, the workspace and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mailwise_desktop import APP_NAME
from mailwise_desktop.core.accounts import Account, parse_accounts
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.keychain import Keychain
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.imap.engine_status import EngineStatus
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.reading import ReadingService
from mailwise_desktop.store.direct_list import DirectListReader
from mailwise_desktop.ui.background import BackgroundOps, engine_runner
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.connection_status import ConnectionStatus
from mailwise_desktop.ui.empty_state import EmptyState
from mailwise_desktop.ui.engine_bridge import EngineBridge
from mailwise_desktop.ui.operations import OperationRunner
from mailwise_desktop.ui.triage_actions import TriageActions
from mailwise_desktop.ui.triage_controller import TriageController
from mailwise_desktop.ui.window_menus import build_menus, window_action
from mailwise_desktop.ui.window_parts import (
    LATER_PART_NAMES,
    LaterParts,
    build_later_parts,
    connect_reply_actions,
)
from mailwise_desktop.ui.window_state import (
    restore_window_state,
    save_window_state,
    wait_for_first_sync,
)
from mailwise_desktop.ui.workspace import Workspace

# Imported after the first paint (ui/window_parts.py): the services pull in SQLAlchemy,
# the IMAP engine, sending and Jinja2, most of the cold start (bench/RESULTS.md).
if TYPE_CHECKING:
    from mailwise_desktop.core.report import Report
    from mailwise_desktop.services.sending import SendingService
    from mailwise_desktop.ui.about import AboutDialog

CLI_SETUP_COMMAND = "mailwise account add"

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Mailwise's one main window.

    Shows the empty state while the profile has no account, else the
    three-pane workspace. Engines connect when the window is first shown
    (unless :attr:`connect_on_show` is False). Geometry, splitters, columns
    and the last filter are kept in the ``window_state`` setting.

    Signals:
        add_account_requested: the user asked to add a shared mailbox.
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
        self.connect_on_show = True
        #: Set by the app: switches the UI language at run time.
        self.switch_language: Callable[[str], None] | None = None
        self._connected = False
        self.setWindowIcon(icon)
        self.ctx = AppContext(profile, settings, Keychain(profile.keyring_service, settings))
        self.bridge = EngineBridge(self.ctx, self)
        self.bridge.connect_status_memory()
        self.ops = BackgroundOps(self.bridge, self)
        #: The one road of every change to the views (engine finds, operation results).
        self.changes = ChangeBroadcast(self)
        self.bridge.changes_arrived.connect(self.changes.publish)

        self.empty_state = EmptyState(icon, self)
        self.workspace = Workspace(ReadingService(self.ctx), self)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.empty_state)
        self.central.addWidget(self.workspace)
        self.setCentralWidget(self.central)

        self.status = ConnectionStatus(self)
        self.connection_label = self.status.label
        self.statusBar().addWidget(self.status, 1)
        self.bridge.status_changed.connect(self._status_changed)

        self.triage = TriageActions(self)
        # The list reads the cache with plain sqlite3 (None: a missing or older cache,
        # which the ORM path creates or rebuilds), so the first page needs no SQLAlchemy.
        self.direct = DirectListReader.open(profile.cache_db)
        self.controller = TriageController(
            self.ctx, self.bridge, self.workspace, self.triage, ops=self.ops,
            changes=self.changes, direct=self.direct,
        )  # fmt: skip
        self.operations = OperationRunner(self.controller)
        self._create_actions()
        self._create_menus()
        self._create_toolbar()
        connect_reply_actions(self)
        self.empty_state.add_account_requested.connect(self.add_account_requested)
        self.empty_state.join_requested.connect(self.show_join)
        self.add_account_requested.connect(self.show_account_setup)

        self.retranslate()
        self.accounts: list[Account] = []
        self.services: dict[str, AccountServices] = {}
        #: True once the parts after the first paint are built (:meth:`finish_start`).
        self.started = False
        self._later: LaterParts | None = None
        self.load_accounts()
        self._restore_state()
        # The rest is built on the event loop's next turn after the first paint, or at
        # once when something asks for one of its parts first (__getattr__).
        self.central.installEventFilter(self)
        self.bridge.ensure_started = self.finish_start

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """After the first paint of the window's content: build the rest on the next turn."""
        if watched is self.central and event.type() == QEvent.Type.Paint:
            self.central.removeEventFilter(self)
            QTimer.singleShot(0, self.finish_start)
        return super().eventFilter(watched, event)

    @property
    def later(self) -> LaterParts:
        """The parts built after the first paint; asked for before, built now (no lost click)."""
        self.finish_start()
        if self._later is None:
            raise RuntimeError("a part built after the first paint was asked for while building")
        return self._later

    def __getattr__(self, name: str) -> object:
        """``window.outbox`` and the other :class:`LaterParts` read through :attr:`later`."""
        if name in LATER_PART_NAMES and "started" in self.__dict__:
            return getattr(self.later, name)
        raise AttributeError(name)

    def finish_start(self) -> None:
        """Build what the first paint does not need: services, dialogs, engines (idempotent)."""
        if self.started:
            return
        self.started = True
        self._later = build_later_parts(self, self)
        self._services_loaded()
        # Checked at every start; never a silent fallback to a file (core/keychain.py).
        self._later.keychain = self.empty_state.check_keychain(self.workspace.notice)
        if self._connected:
            self.connect_accounts()

    # -- building ----------------------------------------------------------

    def _create_actions(self) -> None:
        # Windows has no standard Quit key (Alt+F4 closes windows); Ctrl+Q is the
        # cross-platform habit there, and stays visible in the menu.
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        role = QAction.MenuRole
        self.action_add_account = window_action(self, "actionAddAccount")
        self.action_add_account.triggered.connect(self.add_account_requested)
        self.action_join = window_action(self, "actionJoinTeam", self.show_join)
        self.action_identity = window_action(self, "actionIdentity", self.show_identity)
        self.action_team_problems = window_action(
            self, "actionTeamProblems", self.show_team_problems
        )
        self.action_settings = window_action(
            self,
            "actionSettings",
            self.show_settings,
            role=role.PreferencesRole,
            keys=preferences or [QKeySequence("Ctrl+,")],
        )
        self.action_quit = window_action(
            self,
            "actionQuit",
            self.close,
            role=role.QuitRole,
            keys=quit_keys or [QKeySequence("Ctrl+Q")],
        )
        self.action_full_screen = window_action(
            self,
            "actionFullScreen",
            keys=QKeySequence.keyBindings(QKeySequence.StandardKey.FullScreen),
        )
        self.action_full_screen.setCheckable(True)
        self.action_full_screen.toggled.connect(self._set_full_screen)
        self.action_about = window_action(self, "actionAbout", self.show_about, role=role.AboutRole)
        self.action_about_qt = window_action(
            self, "actionAboutQt", QApplication.aboutQt, role=role.AboutQtRole
        )
        self.triage.find.triggered.connect(self._focus_search)
        self.triage.refresh.triggered.connect(self.refresh_now)
        self.triage.note.triggered.connect(self.workspace.team_panel.note_edit.setFocus)
        self.triage.outbox.triggered.connect(self.show_outbox)

    def _create_menus(self) -> None:
        self.menus = build_menus(
            self,
            self.triage,
            self.workspace.message_list,
            account_actions=(self.action_add_account, self.action_join, self.action_settings),
            quit_action=self.action_quit,
            full_screen=self.action_full_screen,
            team_actions=(self.action_identity, self.action_team_problems),
            help_actions=(self.action_about, self.action_about_qt),
        )
        self.file_menu, self.view_menu = self.menus.file, self.menus.view
        self.actions_menu, self.help_menu = self.menus.actions, self.menus.help

    def _create_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("triageToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for operation in self.triage.toolbar_operations:
            self.toolbar.addAction(self.triage.by_operation[operation])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.triage.reply)  # the reply launcher adds its menu later
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def report(self, since: float) -> Report | None:
        """The report of the first account (None: no account set up)."""
        if not self.accounts:
            return None
        return self.services[self.accounts[0].id].reports.report(since)

    def retranslate(self) -> None:
        """Set every text in the current UI language."""
        self.setWindowTitle(APP_NAME)
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.actions_menu.setTitle(self.tr("&Actions"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.toolbar.setWindowTitle(self.tr("Actions"))
        self.action_add_account.setText(self.tr("&Add shared mailbox…"))
        self.action_join.setText(self.tr("&Join a team with an invitation…"))
        self.action_identity.setText(self.tr("&Who am I…"))
        self.action_team_problems.setText(self.tr("Team mailbox &problems…"))
        self.action_settings.setText(self.tr("&Settings…"))
        self.action_quit.setText(self.tr("&Quit"))
        self.action_full_screen.setText(self.tr("&Full Screen"))
        self.action_about.setText(self.tr("&About Mailwise"))
        self.action_about_qt.setText(self.tr("About &Qt"))
        self.triage.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a language switch while running."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.controller.model.locale = QLocale()
            self.controller.model.repaint()
            self.controller.refresh_counts()
        super().changeEvent(event)

    # -- accounts and engines ---------------------------------------------

    def load_accounts(self) -> None:
        """Read the accounts from the settings and show them (or the empty state)."""
        self.accounts = parse_accounts(self.settings.get("accounts"))
        # One AccountServices per account, kept while the account stays (built once;
        # each service in it is made on first use, after the first paint).
        self.services = {
            a.id: self.services.get(a.id)
            or AccountServices(self.ctx, a, runner=engine_runner(self.bridge, a.id))
            for a in self.accounts
        }
        self.show_accounts(bool(self.accounts))
        if self.accounts:
            self.controller.set_accounts(
                list(self.services.values()), self.settings.get("window_state")
            )
        last = {}
        for account in self.accounts:
            folders = self.controller.folders.folders(account.id)
            syncs = [f.last_sync for f in folders if f.last_sync]
            last[account.id] = max(syncs) if syncs else None
        self.status.set_accounts(last)
        if self.started:
            self._services_loaded()
            if self._connected:
                self.connect_accounts()

    def _services_loaded(self) -> None:
        """Hand the accounts to the parts built after the first paint."""
        self.controller.cached_team = None  # names and identity from the team log now
        self.later.outbox.set_accounts(list(self.services.values()))
        self.later.drafts.accounts_loaded()
        self.later.notifier.remember_owners()  # who I am is known now

    def show_accounts(self, has_accounts: bool) -> None:
        """Show the workspace when there is an account, else the empty state."""
        self.central.setCurrentWidget(self.workspace if has_accounts else self.empty_state)
        self.toolbar.setVisible(has_accounts)
        if not has_accounts:
            self.empty_state.add_button.setFocus()

    def connect_accounts(self) -> None:
        """Start an engine per account (idempotent; after the first paint, see showEvent)."""
        self._connected = True
        if not self.started:
            return  # finish_start connects them
        for services in self.services.values():
            self.bridge.start(services)
        if self.accounts and not self.later.outbox.timer.isActive():
            self.later.outbox.start()  # mail left from a previous run, then every few seconds

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.connect_on_show and not self._connected:
            self.connect_accounts()  # the engines start once the first page is painted

    def _status_changed(self, account_id: str, status: EngineStatus) -> None:
        self.status.update_status(account_id, status)
        if self.bridge.is_online(account_id) and self._connected:
            self.later.outbox.process()  # back online: what waited for the server goes now
        self.controller.actions.update_for(
            self.controller.selected_summaries(),
            (me.slot if (me := self.controller.me()) else None),
        )

    def refresh_now(self) -> None:
        self.finish_start()  # a click before the engines started still syncs
        for account in self.accounts:
            engine = self.bridge.engines.get(account.id)
            if engine is not None:
                engine.request_sync()

    def _focus_search(self) -> None:
        self.workspace.filter_bar.search.setFocus()
        self.workspace.filter_bar.search.selectAll()

    # -- dialogs -----------------------------------------------------------

    def show_account_setup(self) -> None:
        from mailwise_desktop.ui.account_dialog import AccountDialog

        dialog = AccountDialog(self.ctx, self, ops=self.ops)
        dialog.account_added.connect(self._account_added)
        dialog.open()
        self.setup_dialog: QDialog = dialog

    def show_join(self) -> None:
        """Set the profile up from an invitation (code or file): one password."""
        from mailwise_desktop.ui.join_dialog import open_join_dialog

        self.setup_dialog = open_join_dialog(self, self.ctx, self.ops, self._account_added)

    def _account_added(self, account: Account) -> None:
        self.load_accounts()
        if self.controller.me(account.id) is None:
            self.show_identity()

    def current_sending(self) -> SendingService | None:
        services = self.later.team_dialogs.current()
        return None if services is None else services.sending

    def show_identity(self) -> None:
        self.later.team_dialogs.show_identity()

    def show_team_problems(self) -> None:
        self.later.team_dialogs.show_team_problems()

    def show_settings(self) -> None:
        from mailwise_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.switch_language, self)
        dialog.open()
        self.settings_dialog = dialog

    def show_outbox(self) -> None:
        from mailwise_desktop.ui.outbox_dialog import OutboxDialog

        dialog = getattr(self, "outbox_dialog", None)
        if dialog is None:
            dialog = OutboxDialog(self.later.outbox, self)
            self.outbox_dialog = dialog
        dialog.refresh()
        dialog.show()
        dialog.activateWindow()

    def show_about(self) -> AboutDialog:
        """Open the About dialog (window-modal) and return it."""
        from mailwise_desktop.ui.about import AboutDialog

        dialog = AboutDialog(self.profile.root, self.icon, self)
        dialog.open()
        return dialog

    def _set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # -- remembered state --------------------------------------------------

    def _restore_state(self) -> None:
        restore_window_state(self, self.workspace, self.settings)

    def save_state(self) -> None:
        """Store geometry, splitters, columns and the last filter in ``window_state``."""
        save_window_state(self, self.controller, self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window, stop the engines."""
        if self.persist_state:
            try:
                self.save_state()
            except MailwiseError as exc:
                # Losing the window size must never keep the user from quitting.
                log.warning("window state not saved: %s (%s)", exc, exc.detail)
        if self.started:  # else no draft, reply window or outbox timer was ever made
            self.later.replies.close_all()
            self.later.drafts.clean_exit()
            self.later.outbox.stop()
        self.ops.shutdown()
        self.bridge.stop_all()
        if self.direct is not None:
            self.direct.close()
            self.direct = None
        self.ctx.close()
        event.accept()

    def before_screenshot(self, timeout: float = 10.0) -> None:
        """For ``--screenshot``: wait for the first sync (or time out), open the first message."""
        self.finish_start()
        wait_for_first_sync(self.bridge, self.controller, self.settings, timeout)
