"""Actions ▸ Who am I… and Actions ▸ Team mailbox problems…, for the open account.

Both work on the account of the open folder (else the first one) and its
:class:`~mailwise_desktop.services.account_services.AccountServices`; with no
account yet, the window's account setup opens instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.ui.background import BackgroundOps, EngineOp
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.identity_dialog import IdentityDialog
from mailwise_desktop.ui.team_problems_dialog import TeamProblemsDialog
from mailwise_desktop.ui.triage_controller import TriageController


class TeamDialogs(QObject):
    """Opens the identity and team-problems dialogs of the current account.

    Args:
        window: the main window (the dialogs' parent).
        controller: knows the open folder's account.
        ops: runs the dialogs' background work.
        no_account: called instead when no account is set up (opens the setup).
    """

    def __init__(
        self,
        window: QWidget,
        controller: TriageController,
        ops: BackgroundOps,
        no_account: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.ops = ops
        self.no_account = no_account
        self.identity_dialog: IdentityDialog | None = None
        self.team_problems_dialog: TeamProblemsDialog | None = None

    def current(self) -> AccountServices | None:
        """The open folder's account, else the first (None: asks to add one)."""
        services = self.controller.services
        if not services:
            self.no_account()
            return None
        current = self.controller.current
        aid = current.account_id if current is not None else None
        return services.get(aid or "") or next(iter(services.values()))

    def show_identity(self) -> None:
        services = self.current()
        if services is None:
            return
        dialog = IdentityDialog(services, self.window, ops=self.ops)
        dialog.identity_chosen.connect(lambda _t: self.controller.reload_list())
        dialog.open()
        self.identity_dialog = dialog

    def show_team_problems(self) -> None:
        """List the team-mailbox records that are refused (``mailwise team check``)."""
        services = self.current()
        if services is None:
            return
        coordination = services.coordination
        dialog = TeamProblemsDialog(coordination.log.name, self.window)
        EngineOp(services.account.id, coordination.team_problems_job()).success(
            dialog.show_problems
        ).failure(lambda error: dialog.show_error(plain_error(error)[0])).run_in(self.ops)
        dialog.open()
        self.team_problems_dialog = dialog
