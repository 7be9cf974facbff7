"""First run: add a shared mailbox — address first, then sign in or enter the server.

Four paths: "Find from the address" looks the settings up (autoconfig, SRV,
MX) and continues on the path that fits; Microsoft 365 and Google sign in in
the system browser (:mod:`mailwise_desktop.ui.signin_panel`); a rental server
(Xserver) needs only its server name; "Other server" is the full form.

The password (or the sign-in's tokens) goes to the system keychain
(``AccountService.add``), never to the settings. Look-ups, the connection
test, the sign-in and the adding run on the window's one-worker executor;
failures are explained in plain words with the server's reply behind "Show
details". An untrusted certificate can be pinned after the user has seen its
SHA-256 fingerprint.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.accounts import IMAP_PORTS, Account, Endpoint, Security, default_smtp
from mailwise_desktop.imap.capabilities import ServerCapabilities, probe
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.services.accounts import AccountService, AddedAccount, is_loopback
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.signin.authorization import LoopbackRedirect
from mailwise_desktop.signin.discovery import Discovery, DiscoverySources, discover
from mailwise_desktop.signin.ispdb import ServerGuess
from mailwise_desktop.signin.providers import PRESETS, RENTAL_PRESETS, endpoints
from mailwise_desktop.ui.account_discovery import show_found, use_app_password
from mailwise_desktop.ui.background import BackgroundOps, Lane, LocalOp
from mailwise_desktop.ui.error_words import fingerprint_in, plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.signin_panel import SignInPanel

#: the paths of the dialog, in the order of its "Mail service" choice
PATHS = ("auto", "microsoft", "google", "xserver", "manual")


def test_connection(endpoint: Endpoint, password: str) -> ServerCapabilities:
    """Log in once and read the server's capabilities (runs off the UI thread)."""
    client = open_imap(endpoint, password, timeout=20)
    try:
        return probe(client)
    finally:
        try:
            client.logout()
        except Exception:  # the answer counts, not a clean goodbye
            client.shutdown()


class AccountDialog(QDialog):
    """Server, port, security (TLS by default), login, private CA / pinned fingerprint.

    Signals:
        account_added(Account): the account was checked and saved.
    """

    account_added = Signal(object)

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, ops: BackgroundOps
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.ctx = ctx
        self.ops = ops
        #: opens the sign-in page (tests: an HTTP client following the redirect)
        self.open_browser: Callable[[str], object] = webbrowser.open
        self.loopback: LoopbackRedirect | None = None
        #: where settings are looked up (None: the Internet; tests: local servers)
        self.discovery_sources: DiscoverySources | None = None
        #: the SMTP server found with the settings, when one was
        self.found_smtp: ServerGuess | None = None
        self.path = QComboBox(self)
        self.path.setObjectName("accountPath")
        for key in PATHS:
            self.path.addItem("", key)
        self.path.currentIndexChanged.connect(self._path_changed)
        self.name = QLineEdit("support", self)
        self.address = QLineEdit(self)
        self.find_button = QPushButton(self)
        self.find_button.setObjectName("findSettingsButton")
        self.find_button.clicked.connect(self.find_settings)
        # Enter in the address looks it up (address first), on that path only.
        self.address.returnPressed.connect(
            lambda: self.find_settings() if self._path() == "auto" else None
        )
        self.host = QLineEdit(self)
        self.security = QComboBox(self)
        for security in (Security.TLS, Security.STARTTLS, Security.PLAIN):
            self.security.addItem("", security)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(IMAP_PORTS[Security.TLS])
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit(self)
        self.ca_browse = QPushButton(self)
        self.ca_browse.clicked.connect(self._browse_ca)
        self.pin = QLineEdit(self)
        self.pin.setPlaceholderText("AB:CD:…")
        for widget, name in (
            (self.name, "accountName"),
            (self.address, "accountAddress"),
            (self.host, "accountHost"),
            (self.security, "accountSecurity"),
            (self.port, "accountPort"),
            (self.user, "accountUser"),
            (self.password, "accountPassword"),
            (self.ca_file, "accountCaFile"),
            (self.pin, "accountPin"),
        ):
            widget.setObjectName(name)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)
        address_row = QHBoxLayout()
        address_row.addWidget(self.address, 1)
        address_row.addWidget(self.find_button)

        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(10)]
        rows: list[QWidget | QHBoxLayout] = [
            self.path, address_row, self.name, self.host, self.security, self.port,
            self.user, self.password, ca_row, self.pin,
        ]  # fmt: skip
        for label, field in zip(self.labels, rows, strict=True):
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.form.addRow(label, field)
        self.signin = SignInPanel(self, self.form)
        self.signin.button.clicked.connect(self.sign_in)
        self.signin.app_password.clicked.connect(self._use_app_password)
        #: the server rows, shown for a password sign-in only
        self.server_rows: list[QWidget | QHBoxLayout] = [
            self.host, self.security, self.port, self.user, self.password, ca_row, self.pin,
        ]  # fmt: skip
        self.warning = QLabel(self)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setObjectName("insecureWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b91c1c;")
        self.warning.hide()
        self.result_bar = NoticeBar("connectionResult", self)
        self.test_button = QPushButton(self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self.run_test)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.add_account)
        self.buttons.rejected.connect(self.reject)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.warning)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.buttons)
        self.busy = False
        self.retranslate()
        self._path_changed()
        self.setMinimumWidth(560)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add shared mailbox"))
        self.intro.setText(
            self.tr(
                "Enter the shared mailbox's address: Mailwise finds the settings. "
                "Ask your administrator if unsure."
            )
        )
        texts = (
            self.tr("Mail service:"), self.tr("Mailbox address:"), self.tr("Account name:"),
            self.tr("Server:"), self.tr("Security:"), self.tr("Port:"), self.tr("User name:"),
            self.tr("Password:"), self.tr("Private CA file:"), self.tr("Pinned fingerprint:"),
        )  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        paths = (
            self.tr("Find from the address"),
            PRESETS["microsoft"].title,
            PRESETS["google"].title,
            self.tr("Xserver (rental server)"),
            self.tr("Other server (enter the settings)"),
        )
        for index, text in enumerate(paths):
            self.path.setItemText(index, text)
        self.find_button.setText(self.tr("Find settings"))
        self.signin.retranslate()
        names = (
            self.tr("TLS (recommended)"),
            self.tr("STARTTLS"),
            self.tr("None — this computer only, for testing"),
        )
        for index, text in enumerate(names):
            self.security.setItemText(index, text)
        self.address.setPlaceholderText("support@example.jp")
        self.host.setPlaceholderText(
            RENTAL_PRESETS["xserver"].host_hint if self._path() == "xserver" else "imap.example.jp"
        )
        self.ca_file.setPlaceholderText(self.tr("optional: your company's CA (PEM)"))
        self.ca_browse.setText(self.tr("Browse…"))
        self.test_button.setText(self.tr("Test connection"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Add mailbox"))
        self.warning.setText(
            self.tr(
                "Without encryption your password and mail cross the network readable by anyone. Only for a test server on this computer."
            )
        )

    # -- paths -------------------------------------------------------------

    def _path(self) -> str:
        return str(self.path.currentData())

    def set_path(self, path: str) -> None:
        self.path.setCurrentIndex(PATHS.index(path))

    def _path_changed(self) -> None:
        path = self._path()
        oauth = path in ("microsoft", "google")
        for row in self.server_rows:
            self.form.setRowVisible(row, path in ("manual", "xserver"))
        self.signin.set_visible(oauth)
        self.find_button.setVisible(path == "auto")
        self.test_button.setVisible(path in ("manual", "xserver"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setVisible(
            path in ("manual", "xserver")
        )
        if oauth:
            self.signin.set_provider(path)
            self.signin.fill_saved(self.ctx.settings.get("oauth_clients"))
        if path == "xserver":
            rental = RENTAL_PRESETS["xserver"]
            self.security.setCurrentIndex(0)
            self.port.setValue(rental.imap[0])
            self.host.setPlaceholderText(rental.host_hint)
            if not self.user.text():
                self.user.setText(self.address.text().strip())
        else:
            self.host.setPlaceholderText("imap.example.jp")

    def find_settings(self) -> None:
        """Look the address up (autoconfig, SRV, MX) and continue on the path that fits."""
        address = self.address.text().strip()
        if "@" not in address:
            self.result_bar.show_notice(
                self.tr("Enter the mailbox's address first."), kind="warning"
            )
            return
        self._set_busy(True, self.tr("Looking up the settings of %1…").replace("%1", address))
        sources = self.discovery_sources
        LocalOp(lambda: discover(address, sources)).success(self._discovered).failure(
            self._failed
        ).run_in(self.ops)

    def _discovered(self, found: Discovery) -> None:
        self._set_busy(False)
        show_found(self, found)

    def _use_app_password(self) -> None:
        use_app_password(self)

    def sign_in(self) -> None:
        """Sign in in the browser, check one login, and add the account."""
        address, name = self.address.text().strip(), self.name.text().strip()
        if "@" not in address or not name:
            text = self.tr("Enter the mailbox's address and name the account.")
            self.result_bar.show_notice(text, kind="warning")
            return
        provider = self._path()
        saved = self.ctx.settings.get("oauth_clients").get(provider)
        if not self.signin.client_id.text().strip() and not isinstance(saved, dict):
            text = self.tr(
                "Enter the application (client) ID your administrator gave you "
                "(docs/PROVIDERS.md explains the registration)."
            )
            self.result_bar.show_notice(text, kind="warning")
            self.signin.client_id.setFocus()
            return
        try:
            client = self.signin.client(address, self.ctx.settings.get("oauth_clients"))
        except Exception as exc:  # no client id: plain words, as for any failure
            self._show_failure(exc)
            return
        imap, smtp = endpoints(provider, address)
        account = Account(name, imap, smtp, address=address, oauth=client)
        service, opener = AccountService(self.ctx), self.open_browser

        def work() -> AddedAccount:
            tokens = service.sign_in(client, opener, started=self._waiting)
            return service.add(account, tokens)

        self._set_busy(True, self.tr("Finish signing in in your browser…"))
        # Its own lane: the wait for the browser may be long and must not hold up
        # short work (a reply draft) meanwhile.
        LocalOp(work, lane=Lane.SIGN_IN).success(self._added).failure(self._failed).run_in(self.ops)

    def _waiting(self, loopback: LoopbackRedirect) -> None:
        self.loopback = loopback  # so Cancel can stop the wait

    def reject(self) -> None:
        if self.loopback is not None:
            self.loopback.cancel()
        super().reject()

    # -- inputs ------------------------------------------------------------

    def _security_changed(self) -> None:
        security = Security(self.security.currentData())
        self.port.setValue(IMAP_PORTS[security])
        self.warning.setVisible(security is Security.PLAIN)

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Private CA file"), "", self.tr("Certificates (*.pem *.crt *.cer)")
        )
        if path:
            self.ca_file.setText(path)

    def endpoint(self) -> Endpoint:
        return Endpoint(
            host=self.host.text().strip(),
            port=self.port.value(),
            security=Security(self.security.currentData()),
            user=self.user.text().strip(),
            ca_file=self.ca_file.text().strip() or None,
            pin_sha256=self.pin.text().strip() or None,
        )

    def account(self) -> Account:
        imap = self.endpoint()
        smtp = default_smtp(imap)
        found = self.found_smtp
        if self._path() == "xserver":
            port, security = RENTAL_PRESETS["xserver"].smtp
            smtp = default_smtp(imap, port=port, security=security)
        elif found is not None:
            smtp = default_smtp(imap, host=found.host, port=found.port, security=found.security)
        return Account(self.name.text().strip(), imap, smtp, address=self.address.text().strip())

    def _problem(self) -> str | None:
        if not self.host.text().strip() or not self.user.text().strip():
            return self.tr("Enter the server and the user name.")
        if not self.password.text():
            return self.tr("Enter the password.")
        endpoint = self.endpoint()
        if endpoint.security is Security.PLAIN and not is_loopback(endpoint.host):
            return self.tr("Unencrypted connections are only allowed to this computer.")
        return None

    # -- test and add --------------------------------------------------------

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.test_button.setEnabled(not busy)
        self.find_button.setEnabled(not busy)
        self.signin.button.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        if busy:
            self.result_bar.show_notice(text, kind="info")

    def run_test(self) -> None:
        problem = self._problem()
        if problem:
            self.result_bar.show_notice(problem, kind="warning")
            return
        endpoint, password = self.endpoint(), self.password.text()
        self._set_busy(True, self.tr("Connecting to %1…").replace("%1", endpoint.host))
        LocalOp(lambda: test_connection(endpoint, password)).success(self._tested).failure(
            self._failed
        ).run_in(self.ops)

    def _tested(self, caps: ServerCapabilities) -> None:
        self._set_busy(False)
        if caps.condstore and caps.custom_keywords:
            text = self.tr("Connected. This server can share handling state with your team.")
            self.result_bar.show_notice(text, kind="info")
        else:
            # Mode B (docs/COORDINATION.md): the team log decides; claims work the same.
            text = self.tr(
                "Connected. This server cannot keep handling state on messages (it lacks CONDSTORE or custom keywords), so your team's claims are kept in the team log in the team mailbox instead. Claims still go to exactly one person; other mail apps do not show them."
            )
            self.result_bar.show_notice(text, kind="info")

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.loopback = None
        self._show_failure(error)

    def _show_failure(self, error: BaseException) -> None:
        text, detail = plain_error(error)
        actions = []
        fingerprint = fingerprint_in(error)
        if fingerprint:
            parts = fingerprint.split(":")
            lines = "\n".join(":".join(parts[i : i + 8]) for i in range(0, len(parts), 8))
            text += "\n" + self.tr("Its SHA-256 fingerprint is %1.").replace("%1", "\n" + lines)
            actions.append((self.tr("Trust this certificate"), lambda: self._pin(fingerprint)))
        self.result_bar.show_notice(text, kind="error", actions=actions, detail=detail)

    def _pin(self, fingerprint: str) -> None:
        self.pin.setText(fingerprint)
        self.run_test()

    def add_account(self) -> None:
        problem = self._problem() or (
            None if self.name.text().strip() else self.tr("Name the account.")
        )
        if problem:
            self.result_bar.show_notice(problem, kind="warning")
            return
        account, password = self.account(), self.password.text()
        self._set_busy(True, self.tr("Checking the login and saving…"))
        service = AccountService(self.ctx)
        LocalOp(lambda: service.add(account, password)).success(self._added).failure(
            self._failed
        ).run_in(self.ops)

    def _added(self, added: AddedAccount) -> None:
        self._set_busy(False)
        self.loopback = None
        self.added = added
        self.account_added.emit(added.account)
        self.accept()
