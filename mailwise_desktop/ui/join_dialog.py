"""Join a team from an invitation: paste the code or open the file, type the password once.

The invitation is read as the user types (it is outside input: a damaged one
is explained, never trusted); joining — the login, the roster read and "who am
I" — runs in the background through :class:`InvitationService`, the same
service ``mailwise join`` uses.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.invitation import FILE_SUFFIX, Invitation, InvitationError, parse
from mailwise_desktop.services.accounts import AccountService
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.invitations import InvitationService, Joined, read_invitation
from mailwise_desktop.ui.background import BackgroundOps, Lane, LocalOp
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar


class JoinDialog(QDialog):
    """The invitation (code or file), the password, and a Join button.

    Signals:
        joined(object): the :class:`~mailwise_desktop.services.invitations.Joined` result.
    """

    joined = Signal(object)

    def __init__(self, ctx: AppContext, ops: BackgroundOps, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.ctx = ctx
        self.ops = ops
        #: opens the sign-in page of an OAuth2 invitation (tests: an HTTP client)
        self.open_browser: Callable[[str], object] = webbrowser.open
        self.invitation: Invitation | None = None
        self.intro = QLabel(self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        # One line: a code is one token (a code wrapped by a mail program pastes
        # with spaces where the breaks were, which the reader ignores).
        self.code = QLineEdit(self)
        self.code.setObjectName("invitationCode")
        self.code.setMaxLength(200_000)
        self.code.textChanged.connect(self._read_code)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openInvitationButton")
        self.open_button.clicked.connect(self._open_file)
        self.summary = QLabel(self)
        self.summary.setObjectName("invitationSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("joinPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.textChanged.connect(self._update_buttons)
        self.password_label = QLabel(self)
        self.password_label.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow(self.password_label, self.password)
        self.result_bar = NoticeBar("joinResult", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.join)
        self.buttons.rejected.connect(self.reject)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.code)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.buttons)
        self.busy = False
        self.retranslate()
        self._update_buttons()
        self.setMinimumWidth(520)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Join a team"))
        self.intro.setText(
            self.tr(
                "Paste the invitation code you were sent, or open the invitation file. It holds the server settings, never the password."
            )
        )
        self.code.setPlaceholderText("MWINV1-…")
        self.open_button.setText(self.tr("Open file…"))
        self.password_label.setText(self.tr("Password:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Join"))
        self._describe()

    # -- the invitation ------------------------------------------------------

    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Invitation file"),
            "",
            self.tr("Invitations (*%1)").replace("%1", FILE_SUFFIX),
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        """Read an invitation file (also used by tests and a double-clicked file)."""
        try:
            self.invitation = read_invitation(path)
        except InvitationError as exc:
            self.invitation = None
            self.result_bar.show_notice(exc.message, kind="warning")
        except Exception as exc:  # an unreadable file is explained, not raised
            self.invitation = None
            self.result_bar.show_notice(plain_error(exc)[0], kind="warning")
        else:
            self.result_bar.hide()
        self._describe()

    def _read_code(self) -> None:
        text = self.code.text().strip()
        if not text:
            self.invitation = None
            self.result_bar.hide()
        else:
            try:
                self.invitation = parse(text)
                self.result_bar.hide()
            except InvitationError as exc:
                self.invitation = None
                self.result_bar.show_notice(exc.message, kind="warning")
        self._describe()

    def _describe(self) -> None:
        inv = self.invitation
        if inv is None:
            self.summary.setText("")
            self.summary.hide()
        else:
            account = inv.account
            text = self.tr("Team mailbox %1 on %2, signing in as %3.")
            text = text.replace("%1", account.address or account.id)
            text = text.replace("%2", account.imap.host).replace("%3", account.imap.user)
            if inv.teammate:
                text += " " + self.tr("For: %1.").replace("%1", inv.teammate)
            if inv.invited_by:
                text += " " + self.tr("From: %1.").replace("%1", inv.invited_by)
            self.summary.setText(text)
            self.summary.show()
        self._update_buttons()

    def _by_browser(self) -> bool:
        """The invitation signs in with OAuth2: the browser, not a password."""
        return self.invitation is not None and self.invitation.account.oauth is not None

    def _update_buttons(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        browser = self._by_browser()
        self.password.setVisible(not browser)
        self.password_label.setVisible(not browser)
        ready = browser or bool(self.password.text())
        ok.setEnabled(not self.busy and self.invitation is not None and ready)

    # -- joining -------------------------------------------------------------

    def join(self) -> None:
        """Log in with the invitation's settings and the password, in the background."""
        invitation, password = self.invitation, self.password.text()
        if invitation is None or not (password or self._by_browser()):
            return
        self.busy = True
        self._update_buttons()
        service = InvitationService(self.ctx)
        client, opener = invitation.account.oauth, self.open_browser
        if client is not None:
            # The team's app registration came with the invitation: sign in as yourself.
            self.result_bar.show_notice(self.tr("Finish signing in in your browser…"), kind="info")
            LocalOp(
                lambda: service.join(invitation, AccountService.sign_in(client, opener)),
                lane=Lane.SIGN_IN,
            ).success(self._done).failure(self._failed).run_in(self.ops)
            return
        self.result_bar.show_notice(
            self.tr("Connecting to %1…").replace("%1", invitation.account.imap.host), kind="info"
        )
        LocalOp(lambda: service.join(invitation, password)).success(self._done).failure(
            self._failed
        ).run_in(self.ops)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        text, _detail = plain_error(error)
        self.result_bar.show_notice(text, kind="error")

    def _done(self, joined: Joined) -> None:
        self.busy = False
        self._update_buttons()
        self.password.clear()
        self.joined.emit(joined)
        self.accept()


def open_join_dialog(
    parent: QWidget,
    ctx: AppContext,
    ops: BackgroundOps,
    account_added: Callable[[Account], None],
) -> JoinDialog:
    """Open the join dialog window-modal; ``account_added`` runs once joined."""
    dialog = JoinDialog(ctx, ops, parent)
    dialog.joined.connect(lambda joined: account_added(joined.added.account))
    dialog.open()
    return dialog
