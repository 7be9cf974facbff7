"""The window's answer to a lapsed OAuth2 sign-in: plain words and a "Sign in again" button.

A refresh token lapses (Microsoft: after 90 days unused), or an administrator
withdraws the sign-in; the engine then reports ``sign_in_again``. The button
runs the browser sign-in off the UI thread (``AccountService.sign_in_again``),
then restarts the account's engine.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from PySide6.QtCore import QObject

from mailwise_desktop.imap.engine_status import EngineStatus
from mailwise_desktop.services.accounts import AccountService
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.ui.background import BackgroundOps, Lane, LocalOp
from mailwise_desktop.ui.engine_bridge import EngineBridge
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar


class SignInAgain(QObject):
    """Watches the engines' status; offers the browser sign-in when one lapsed."""

    def __init__(
        self,
        parent: QObject,
        ctx: AppContext,
        bridge: EngineBridge,
        ops: BackgroundOps,
        notice: NoticeBar,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.bridge, self.ops, self.notice = ctx, bridge, ops, notice
        #: opens the sign-in page (tests: an HTTP client following the redirect)
        self.open_browser: Callable[[str], object] = webbrowser.open
        #: accounts whose sign-in is under way (one browser at a time per account)
        self.pending: set[str] = set()
        bridge.status_changed.connect(self._status_changed)

    def _status_changed(self, account_id: str, status: EngineStatus) -> None:
        if not status.sign_in_again or account_id in self.pending:
            return
        text = self.tr(
            "The sign-in for %1 has expired or was withdrawn (long unused, a password change "
            "or by your administrator). Sign in again to keep working."
        ).replace("%1", account_id)
        self.notice.show_notice(
            text,
            kind="warning",
            actions=[(self.tr("Sign in again"), lambda: self.sign_in(account_id))],
            detail=status.detail or status.message,
        )

    def sign_in(self, account_id: str) -> None:
        """Open the browser sign-in for ``account_id``; reconnect when it is done."""
        self.pending.add(account_id)
        service, opener = AccountService(self.ctx), self.open_browser
        self.notice.show_notice(self.tr("Finish signing in in your browser…"), kind="info")
        # Its own lane: the browser wait may be long; short work goes on meanwhile.
        LocalOp(lambda: service.sign_in_again(account_id, opener), lane=Lane.SIGN_IN).success(
            lambda _account: self._done(account_id)
        ).failure(lambda error: self._failed(account_id, error)).run_in(self.ops)

    def _failed(self, account_id: str, error: BaseException) -> None:
        self.pending.discard(account_id)
        text, detail = plain_error(error)
        self.notice.show_notice(
            text,
            kind="error",
            actions=[(self.tr("Sign in again"), lambda: self.sign_in(account_id))],
            detail=detail,
        )

    def _done(self, account_id: str) -> None:
        self.pending.discard(account_id)
        self.notice.show_notice(self.tr("Signed in again. Reconnecting…"), kind="info")
        self.bridge.restart(account_id)
