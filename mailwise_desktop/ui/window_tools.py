"""The main window's day-to-day tools: drafts, templates and the keyboard shortcuts.

Built once by the main window from the parts it already has (menus, triage
actions, outbox, reply launcher), so :mod:`mailwise_desktop.ui.main_window`
stays a thin assembly and each tool keeps to its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMainWindow

from mailwise_desktop.core.settings import Settings
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.background import BackgroundOps
from mailwise_desktop.ui.drafts_view import DraftsMenu
from mailwise_desktop.ui.i18n import resolve_language
from mailwise_desktop.ui.outbox_controller import OutboxController
from mailwise_desktop.ui.reply_launcher import ReplyLauncher
from mailwise_desktop.ui.shortcuts_dialog import ShortcutsMenu
from mailwise_desktop.ui.template_manager import TemplatesMenu
from mailwise_desktop.ui.triage_actions import TriageActions
from mailwise_desktop.ui.triage_controller import TriageController
from mailwise_desktop.ui.window_menus import MainMenus
from mailwise_desktop.ui.workspace import Workspace


class WindowTools:
    """View ▸ Drafts…, Actions ▸ Templates…, Help ▸ Keyboard shortcuts, and the list's keys."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        menus: MainMenus,
        profile_root: Path,
        settings: Settings,
        workspace: Workspace,
        triage: TriageActions,
        controller: TriageController,
        outbox: OutboxController,
        replies: ReplyLauncher,
        ops: BackgroundOps,
        current_sending: Callable[[], SendingService | None],
    ) -> None:
        self.drafts = DraftsMenu(
            window,
            menus.view,
            profile_root=profile_root,
            services=lambda: outbox.services,
            open_draft=replies.open_draft,
            notice=workspace.notice,
        )
        replies.compose_opened.connect(self.drafts.watch)
        self.templates = TemplatesMenu(
            window,
            menus.actions,
            service_for=current_sending,
            selected=lambda: next(iter(controller.selected_summaries()), None),
            ops=ops,
            language=lambda: resolve_language(str(settings.get("language"))),
        )
        self.shortcuts = ShortcutsMenu(
            window, menus, triage, workspace.message_list, controller.model
        )
