"""The main window: menus, toolbar, the workspace and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, QSize, Qt, Signal
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
from mailwise_desktop.core.report import Report
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.imap.engine_status import EngineStatus
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.reading import ReadingService
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.about import AboutDialog
from mailwise_desktop.ui.address_book_view import AddressBookView
from mailwise_desktop.ui.approvals_dialog import ApprovalsMenu
from mailwise_desktop.ui.background import BackgroundOps, engine_runner
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.connection_status import ConnectionStatus
from mailwise_desktop.ui.conversation_view import ConversationView
from mailwise_desktop.ui.empty_state import EmptyState
from mailwise_desktop.ui.engine_bridge import EngineBridge
from mailwise_desktop.ui.join_dialog import open_join_dialog
from mailwise_desktop.ui.notifications import Notifier
from mailwise_desktop.ui.operations import OperationRunner
from mailwise_desktop.ui.outbox_controller import OutboxController
from mailwise_desktop.ui.reply_launcher import ReplyLauncher
from mailwise_desktop.ui.report_window import ReportMenu
from mailwise_desktop.ui.sign_in_again import SignInAgain
from mailwise_desktop.ui.team_dialogs import TeamDialogs
from mailwise_desktop.ui.teammate_replies import TeammateReplyWatch
from mailwise_desktop.ui.trash_action import TrashAction
from mailwise_desktop.ui.triage_actions import TriageActions
from mailwise_desktop.ui.triage_controller import TriageController
from mailwise_desktop.ui.window_menus import build_menus, window_action
from mailwise_desktop.ui.window_state import (
    restore_window_state,
    save_window_state,
    wait_for_first_sync,
)
from mailwise_desktop.ui.window_tools import WindowTools
from mailwise_desktop.ui.workspace import Workspace

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
        self.controller = TriageController(
            self.ctx, self.bridge, self.workspace, self.triage, ops=self.ops, changes=self.changes
        )
        self.operations = OperationRunner(self.controller)
        self.team_dialogs = TeamDialogs(self, self.controller, self.ops, self.show_account_setup)
        self.outbox = OutboxController(
            self.ctx, self.ops, self.changes, self.workspace.notice, self
        )
        self.sign_in_again = SignInAgain(
            self, self.ctx, self.bridge, self.ops, self.workspace.notice
        )
        self.replies = ReplyLauncher(self.controller, self.outbox, self)
        self.outbox.open_requested.connect(self.show_outbox)
        self._create_actions()
        self._create_menus()
        self.approvals = ApprovalsMenu(self, self.view_menu, self.outbox)
        self.trash = TrashAction(
            self, self.actions_menu, self.controller, self.ops, self.workspace.notice
        )
        self.conversations = ConversationView(self, self.view_menu, self.ctx, self.controller)
        self.reports = ReportMenu(
            self, self.view_menu, self._report,
            ops=self.ops, ready=lambda: bool(self.accounts),
        )  # fmt: skip
        self.tools = WindowTools(
            self,
            menus=self.menus,
            profile_root=self.profile.root,
            settings=self.settings,
            workspace=self.workspace,
            triage=self.triage,
            controller=self.controller,
            outbox=self.outbox,
            replies=self.replies,
            ops=self.ops,
            current_sending=self._current_sending,
        )
        self.drafts, self.shortcuts = self.tools.drafts, self.tools.shortcuts
        self.address_book = AddressBookView(
            self, self.view_menu, ctx=self.ctx, controller=self.controller, ops=self.ops,
            reading_area=self.conversations.tabs,
        )  # fmt: skip
        self.notifier = Notifier(
            self,
            ctx=self.ctx,
            settings=self.settings,
            changes=self.changes,
            controller=self.controller,
            outbox=self.outbox,
            icon=self.icon,
            open_approvals=self.approvals.show,
        )
        self.teammate_replies = TeammateReplyWatch(
            self.notifier, ctx=self.ctx, controller=self.controller, replies=self.replies,
            changes=self.changes,
        )  # fmt: skip
        self._create_toolbar()
        self.empty_state.add_account_requested.connect(self.add_account_requested)
        self.empty_state.join_requested.connect(self.show_join)
        self.add_account_requested.connect(self.show_account_setup)

        self.retranslate()
        self.accounts: list[Account] = []
        self.services: dict[str, AccountServices] = {}
        self.load_accounts()
        self._restore_state()
        # Checked at every start; never a silent fallback to a file (core/keychain.py).
        self.keychain = self.empty_state.check_keychain(self.workspace.notice)

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
        self.toolbar.addAction(self.triage.reply)
        self.replies.attach_to_toolbar(self.toolbar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _report(self, since: float) -> Report | None:
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
        # One AccountServices per account, kept while the account stays (built once).
        self.services = {
            a.id: self.services.get(a.id)
            or AccountServices(self.ctx, a, runner=engine_runner(self.bridge, a.id))
            for a in self.accounts
        }
        services = list(self.services.values())
        self.outbox.set_accounts(services)
        self.drafts.accounts_loaded()
        self.show_accounts(bool(self.accounts))
        if self.accounts:
            self.controller.set_accounts(services, self.settings.get("window_state"))
        self.notifier.remember_owners()  # who I am is known now
        last = {}
        for account in self.accounts:
            folders = self.controller.folders.folders(account.id)
            syncs = [f.last_sync for f in folders if f.last_sync]
            last[account.id] = max(syncs) if syncs else None
        self.status.set_accounts(last)
        if self._connected:
            self.connect_accounts()

    def show_accounts(self, has_accounts: bool) -> None:
        """Show the workspace when there is an account, else the empty state."""
        self.central.setCurrentWidget(self.workspace if has_accounts else self.empty_state)
        self.toolbar.setVisible(has_accounts)
        if not has_accounts:
            self.empty_state.add_button.setFocus()

    def connect_accounts(self) -> None:
        """Start an engine per account (idempotent)."""
        self._connected = True
        for services in self.services.values():
            self.bridge.start(services)
        if self.accounts and not self.outbox.timer.isActive():
            self.outbox.start()  # mail left from a previous run, then every few seconds

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.connect_on_show and not self._connected:
            self.connect_accounts()

    def _status_changed(self, account_id: str, status: EngineStatus) -> None:
        self.status.update_status(account_id, status)
        if self.bridge.is_online(account_id) and self._connected:
            self.outbox.process()  # back online: what waited for the server goes now
        self.controller.actions.update_for(
            self.controller.selected_summaries(),
            (me.slot if (me := self.controller.me()) else None),
        )

    def refresh_now(self) -> None:
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
        self.setup_dialog = open_join_dialog(self, self.ctx, self.ops, self._account_added)

    def _account_added(self, account: Account) -> None:
        self.load_accounts()
        if self.controller.me(account.id) is None:
            self.show_identity()

    def _current_sending(self) -> SendingService | None:
        services = self.team_dialogs.current()
        return None if services is None else services.sending

    def show_identity(self) -> None:
        self.team_dialogs.show_identity()

    def show_team_problems(self) -> None:
        self.team_dialogs.show_team_problems()

    def show_settings(self) -> None:
        from mailwise_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.switch_language, self)
        dialog.open()
        self.settings_dialog = dialog

    def show_outbox(self) -> None:
        from mailwise_desktop.ui.outbox_dialog import OutboxDialog

        dialog = getattr(self, "outbox_dialog", None)
        if dialog is None:
            dialog = OutboxDialog(self.outbox, self)
            self.outbox_dialog = dialog
        dialog.refresh()
        dialog.show()
        dialog.activateWindow()

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
        self.replies.close_all()
        self.drafts.clean_exit()
        self.outbox.stop()
        self.ops.shutdown()
        self.bridge.stop_all()
        self.ctx.close()
        event.accept()

    def before_screenshot(self, timeout: float = 10.0) -> None:
        """For ``--screenshot``: wait for the first sync (or time out), open the first message."""
        wait_for_first_sync(self.bridge, self.controller, self.settings, timeout)
