"""The parts of the main window built after its first paint (issue 13: cold start).

The list, its tabs and counts, the status bar and the toolbar are built and
painted first (ui/main_window.py); these parts pull in SQLAlchemy, the IMAP
engine, the sending services and Jinja2, most of the cold start. The window
builds them on the event loop's turn after the first paint, or at once when
one of them is asked for earlier (``MainWindow.later``), so a click that
early waits for them instead of being lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from mailwise_desktop.core.keychain import KeychainCheck
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.ui.background import BackgroundOps
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.engine_bridge import EngineBridge
from mailwise_desktop.ui.triage_actions import TriageActions
from mailwise_desktop.ui.triage_controller import TriageController
from mailwise_desktop.ui.window_menus import MainMenus
from mailwise_desktop.ui.workspace import Workspace

if TYPE_CHECKING:
    from mailwise_desktop.core.accounts import Account
    from mailwise_desktop.core.report import Report
    from mailwise_desktop.services.sending import SendingService
    from mailwise_desktop.ui.address_book_view import AddressBookView
    from mailwise_desktop.ui.approvals_dialog import ApprovalsMenu
    from mailwise_desktop.ui.conversation_view import ConversationView
    from mailwise_desktop.ui.drafts_view import DraftsMenu
    from mailwise_desktop.ui.notifications import Notifier
    from mailwise_desktop.ui.outbox_controller import OutboxController
    from mailwise_desktop.ui.reply_launcher import ReplyLauncher
    from mailwise_desktop.ui.report_window import ReportMenu
    from mailwise_desktop.ui.shortcuts_dialog import ShortcutsMenu
    from mailwise_desktop.ui.sign_in_again import SignInAgain
    from mailwise_desktop.ui.team_dialogs import TeamDialogs
    from mailwise_desktop.ui.teammate_replies import TeammateReplyWatch
    from mailwise_desktop.ui.trash_action import TrashAction
    from mailwise_desktop.ui.window_tools import WindowTools


class StartingWindow(Protocol):
    """What the parts take from the main window (ui/main_window.py: MainWindow)."""

    ctx: AppContext
    profile: Profile
    settings: Settings
    icon: QIcon
    bridge: EngineBridge
    ops: BackgroundOps
    changes: ChangeBroadcast
    workspace: Workspace
    triage: TriageActions
    controller: TriageController
    menus: MainMenus
    view_menu: QMenu
    actions_menu: QMenu
    toolbar: QToolBar
    accounts: list[Account]

    @property
    def later(self) -> LaterParts: ...

    def show_account_setup(self) -> None: ...

    def show_outbox(self) -> None: ...

    def report(self, since: float) -> Report | None: ...

    def current_sending(self) -> SendingService | None: ...


@dataclass
class LaterParts:
    """What the main window builds after its first paint (read as ``window.<name>``)."""

    team_dialogs: TeamDialogs
    outbox: OutboxController
    sign_in_again: SignInAgain
    replies: ReplyLauncher
    approvals: ApprovalsMenu
    trash: TrashAction
    conversations: ConversationView
    reports: ReportMenu
    tools: WindowTools
    drafts: DraftsMenu
    shortcuts: ShortcutsMenu
    address_book: AddressBookView
    notifier: Notifier
    teammate_replies: TeammateReplyWatch
    #: The keychain check of this start (set right after the parts are built).
    keychain: KeychainCheck | None = field(default=None)


LATER_PART_NAMES = frozenset(f.name for f in fields(LaterParts))


def connect_reply_actions(window: StartingWindow) -> None:
    """Reply, Reply all, Forward and New mail: to the reply launcher, built at once if need be."""
    actions = window.triage

    def reply(kind: str) -> None:
        # send.draft (ReplyKind) is imported at the click: 20-50 ms of the cold start.
        from mailwise_desktop.send.draft import ReplyKind

        window.later.replies.reply(ReplyKind[kind])

    for action, kind in (
        (actions.reply, "REPLY"),
        (actions.reply_all, "REPLY_ALL"),
        (actions.forward, "FORWARD"),
    ):
        action.triggered.connect(lambda _=False, k=kind: reply(k))
    # A lambda: ``window.later`` must be read at the click, not now (it builds the parts).
    actions.new_mail.triggered.connect(lambda: window.later.replies.new_mail())  # noqa: PLW0108


def build_later_parts(window: StartingWindow, parent: QMainWindow) -> LaterParts:
    """Build the parts in the order the menus and the toolbar had them before."""
    from mailwise_desktop.ui.address_book_view import AddressBookView
    from mailwise_desktop.ui.approvals_dialog import ApprovalsMenu
    from mailwise_desktop.ui.conversation_view import ConversationView
    from mailwise_desktop.ui.notifications import Notifier
    from mailwise_desktop.ui.outbox_controller import OutboxController
    from mailwise_desktop.ui.reply_launcher import ReplyLauncher
    from mailwise_desktop.ui.report_window import ReportMenu
    from mailwise_desktop.ui.sign_in_again import SignInAgain
    from mailwise_desktop.ui.team_dialogs import TeamDialogs
    from mailwise_desktop.ui.teammate_replies import TeammateReplyWatch
    from mailwise_desktop.ui.trash_action import TrashAction
    from mailwise_desktop.ui.window_tools import WindowTools

    w, p = window, parent  # the same window: its parts, and as the Qt parent
    controller, ops, notice = w.controller, w.ops, w.workspace.notice
    team_dialogs = TeamDialogs(p, controller, ops, w.show_account_setup)
    outbox = OutboxController(w.ctx, ops, w.changes, notice, p)
    sign_in_again = SignInAgain(p, w.ctx, w.bridge, ops, notice)
    replies = ReplyLauncher(controller, outbox, p)
    replies.attach_to_toolbar(w.toolbar)
    outbox.open_requested.connect(w.show_outbox)
    approvals = ApprovalsMenu(p, w.view_menu, outbox)
    trash = TrashAction(p, w.actions_menu, controller, ops, notice)
    conversations = ConversationView(p, w.view_menu, w.ctx, controller)
    reports = ReportMenu(p, w.view_menu, w.report, ops=ops, ready=lambda: bool(w.accounts))
    tools = WindowTools(
        p,
        menus=w.menus,
        profile_root=w.profile.root,
        settings=w.settings,
        workspace=w.workspace,
        triage=w.triage,
        controller=controller,
        outbox=outbox,
        replies=replies,
        ops=ops,
        current_sending=w.current_sending,
    )
    address_book = AddressBookView(
        p, w.view_menu, ctx=w.ctx, controller=controller, ops=ops,
        reading_area=conversations.tabs,
    )  # fmt: skip
    notifier = Notifier(
        p,
        ctx=w.ctx,
        settings=w.settings,
        changes=w.changes,
        controller=controller,
        outbox=outbox,
        icon=w.icon,
        open_approvals=approvals.show,
    )
    teammate_replies = TeammateReplyWatch(
        notifier, ctx=w.ctx, controller=controller, replies=replies, changes=w.changes
    )
    return LaterParts(
        team_dialogs, outbox, sign_in_again, replies, approvals, trash, conversations, reports,
        tools, tools.drafts, tools.shortcuts, address_book, notifier, teammate_replies,
    )  # fmt: skip
