"""The account dialog's paths against real parts: address-first look-up (local HTTPS
autoconfig), Sign in with Microsoft (the local OAuth2 provider and Dovecot's oauth2
passdb standing in for Entra ID and Exchange Online), plain words, and ja/en screenshots.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from mailwise_desktop.core.accounts import Security
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.signin import providers
from mailwise_desktop.signin.discovery import DiscoverySources
from mailwise_desktop.signin.token_source import load_tokens
from mailwise_desktop.ui.account_dialog import AccountDialog
from mailwise_desktop.ui.background import BackgroundOps
from tests.gui.ui_language import install_translation
from tests.harness.dns_responder import DnsResponder
from tests.harness.dovecot import DovecotServer, dovecot_available, start_dovecot
from tests.harness.oauth_provider import OAuthProvider, browser
from tests.harness.web_server import WebServer

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
DOMAIN = "example.test"


@pytest.fixture(scope="module")
def provider() -> Iterator[OAuthProvider]:
    with OAuthProvider() as running:
        yield running


@pytest.fixture(scope="module")
def oauth_dovecot(provider: OAuthProvider) -> Iterator[DovecotServer]:
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    server = start_dovecot(oauth_introspection_url=provider.introspection_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ctx(mailwise_home: Path) -> Iterator[AppContext]:
    context = AppContext.open(Profile(mailwise_home))
    yield context
    context.close()


@pytest.fixture
def dialog(qtbot, ctx: AppContext) -> Iterator[AccountDialog]:  # type: ignore[no-untyped-def]
    ops = BackgroundOps(None)
    shown = AccountDialog(ctx, ops=ops)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    ops.shutdown()


@pytest.fixture
def microsoft_here(
    monkeypatch: pytest.MonkeyPatch, provider: OAuthProvider, oauth_dovecot: DovecotServer
) -> None:
    """Microsoft's preset pointed at the local provider and the OAuth2 Dovecot."""
    local = dataclasses.replace(
        providers.PRESETS["microsoft"],
        authorize_url=provider.authorize_url,
        token_url=provider.token_url,
        imap=(oauth_dovecot.host, oauth_dovecot.imaps_port, Security.TLS),
    )
    monkeypatch.setitem(providers.PRESETS, "microsoft", local)
    monkeypatch.setenv("SSL_CERT_FILE", str(oauth_dovecot.ca_file))  # its test CA, as the system's


def save(dialog: AccountDialog, name: str, language: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    dialog.adjustSize()
    dialog.grab().save(str(SCREENSHOT_DIR / f"account-{name}-{language}.png"))


def test_address_first_finds_the_server_then_one_login_adds_it(
    qtbot, dialog: AccountDialog, ctx: AppContext, dovecot: DovecotServer
) -> None:
    user = dovecot.add_user(f"sales@{DOMAIN}")
    with WebServer() as web, DnsResponder() as dns_server:
        web.documents[f"/autoconfig.{DOMAIN}/mail/config-v1.1.xml"] = f"""<clientConfig>
<emailProvider><incomingServer type="imap"><hostname>127.0.0.1</hostname>
<port>{dovecot.imaps_port}</port><socketType>SSL</socketType>
<username>%EMAILADDRESS%</username></incomingServer></emailProvider></clientConfig>""".encode()
        dialog.discovery_sources = DiscoverySources(
            autoconfig_urls=(web.base + "/autoconfig.{domain}/mail/config-v1.1.xml",),
            ca_file=str(web.ca_file),
            resolver=dns_server.resolver(),
        )
        assert not dialog.host.isVisible()  # address first: no server fields yet
        dialog.address.setText(user.name)
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)  # Enter looks the address up
        qtbot.waitUntil(lambda: dialog.path.currentData() == "manual", timeout=15_000)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.path.currentData() == "manual" and dialog.host.isVisible()
    assert (dialog.host.text(), dialog.port.value(), dialog.user.text()) == (
        "127.0.0.1",
        dovecot.imaps_port,
        user.name,
    )
    assert dialog.result_bar.label.text().startswith("Settings found")
    dialog.ca_file.setText(str(dovecot.ca_file))
    dialog.password.setText(user.password)
    dialog.name.setText("sales")
    with qtbot.waitSignal(dialog.account_added, timeout=15_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert ctx.account("sales").imap.port == dovecot.imaps_port


def test_sign_in_with_microsoft_adds_the_shared_mailbox_with_tokens_in_the_keychain(
    qtbot,
    dialog: AccountDialog,
    ctx: AppContext,
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    microsoft_here: None,
) -> None:
    user = oauth_dovecot.add_user(f"support@{DOMAIN}")
    dialog.set_path("microsoft")
    assert dialog.signin.isVisible() and not dialog.host.isVisible()
    assert dialog.signin.button.text() == "Sign in with Microsoft"
    dialog.address.setText(user.name)
    dialog.signin.button.click()
    assert "client) ID" in dialog.result_bar.label.text()  # asked for, before any browser
    pages: list[str] = []
    dialog.open_browser = lambda url: pages.append(browser(url))
    dialog.signin.client_id.setText(provider.client_id)
    dialog.signin.tenant.setText("example.onmicrosoft.com")
    with qtbot.waitSignal(dialog.account_added, timeout=30_000):
        dialog.signin.button.click()
    assert "Close this tab" in pages[0]
    account = ctx.account("support")
    assert account.oauth is not None and account.imap.user == user.name
    tokens = load_tokens(ctx.keychain, "support")
    assert tokens is not None
    settings = ctx.profile.settings_file.read_text(encoding="utf-8")
    assert tokens.refresh_token not in settings and tokens.access_token not in settings
    assert ctx.settings.get("oauth_clients")["microsoft"]["client_id"] == provider.client_id


def test_admin_approval_needed_is_said_in_plain_words(
    qtbot,
    dialog: AccountDialog,
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    microsoft_here: None,
) -> None:
    dialog.set_path("microsoft")
    dialog.address.setText(f"info@{DOMAIN}")
    dialog.signin.client_id.setText(provider.client_id)
    dialog.open_browser = browser
    provider.deny_with = {"error": "consent_required", "error_description": "AADSTS65001"}
    dialog.signin.button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.result_bar.label.text().startswith("Your administrator must approve Mailwise")
    assert not dialog.ctx.accounts()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_account_dialog_screenshots(
    qtbot, ctx: AppContext, language: str, provider: OAuthProvider, microsoft_here: None
) -> None:
    translation = install_translation(language)
    try:
        ops = BackgroundOps(None)
        dialog = AccountDialog(ctx, ops=ops)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.address.setText("support@example.co.jp")
        save(dialog, "find", language)
        dialog.set_path("microsoft")
        dialog.signin.client_id.setText("0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f")
        dialog.signin.tenant.setText("example.onmicrosoft.com")
        dialog.signin.login.setText("sato@example.co.jp")
        save(dialog, "microsoft", language)
        dialog.set_path("google")
        save(dialog, "google", language)
        dialog.set_path("xserver")
        save(dialog, "xserver", language)
        dialog.set_path("microsoft")
        dialog.open_browser = browser
        dialog.signin.client_id.setText(provider.client_id)
        provider.deny_with = {"error": "access_denied", "error_description": "AADSTS90094"}
        dialog.signin.button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
        assert dialog.result_bar.isVisible()
        save(dialog, "approval", language)
        if language == "ja":
            assert dialog.signin.button.text() == "Microsoft でサインイン"
        ops.shutdown()
    finally:
        translation.remove()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_lapsed_sign_in_offers_sign_in_again_in_the_window_and_reconnects(
    qtbot,
    mailwise_home: Path,
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    language: str,
) -> None:
    from mailwise_desktop.core.accounts import Account, Auth, Endpoint, OAuthClient
    from mailwise_desktop.signin.token_endpoint import TokenSet
    from mailwise_desktop.signin.token_source import store_tokens
    from mailwise_desktop.ui.icons import app_icon
    from mailwise_desktop.ui.main_window import MainWindow
    from tests.harness.seed import make_message

    translation = install_translation(language)
    user = oauth_dovecot.add_user(f"desk-{language}@{DOMAIN}")
    oauth_dovecot.append(user, make_message(subject="ログインできません", body="本文\n"))
    endpoint = Endpoint(
        oauth_dovecot.host,
        oauth_dovecot.imaps_port,
        Security.TLS,
        user.name,
        ca_file=str(oauth_dovecot.ca_file),
        auth=Auth.XOAUTH2,
    )
    client = OAuthClient("custom", provider.client_id, provider.authorize_url,
                         provider.token_url, ("mail",), login_hint=user.name)  # fmt: skip
    ctx = AppContext.open(Profile(mailwise_home))
    ctx.settings.set("accounts", [Account("support", endpoint, endpoint, oauth=client).to_json()])
    ctx.settings.save()
    issued = provider.issue(user.name)
    store_tokens(ctx.keychain, "support", TokenSet(
        str(issued["access_token"]), str(issued["refresh_token"]), 4_000_000_000.0))  # fmt: skip
    window = MainWindow(ctx.profile, ctx.settings, app_icon())
    window.persist_state = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.bridge.is_online("support"), timeout=20_000)

    provider.revoke(user.name)  # an administrator withdrew the sign-in
    oauth_dovecot.doveadm("kick", user.name)  # the server drops the connection
    notice = window.workspace.notice
    words = {"en": "has expired or was withdrawn", "ja": "もう一度サインイン"}[language]
    qtbot.waitUntil(lambda: words in notice.label.text(), timeout=30_000)
    assert window.bridge.statuses["support"].sign_in_again
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    window.resize(1100, 640)
    window.grab().save(str(SCREENSHOT_DIR / f"sign-in-again-{language}.png"))
    window.sign_in_again.open_browser = browser
    again = window.sign_in_again.tr("Sign in again")
    buttons = [b for b in notice.findChildren(type(notice.details_button)) if b.text() == again]
    assert buttons
    buttons[0].click()
    qtbot.waitUntil(lambda: window.bridge.is_online("support"), timeout=30_000)
    assert notice.label.text() == window.sign_in_again.tr("Signed in again. Reconnecting…")
    window.close()
    ctx.close()
    translation.remove()


def test_joining_by_an_oauth_invitation_signs_in_in_the_browser(
    qtbot, ctx: AppContext, provider: OAuthProvider, oauth_dovecot: DovecotServer
) -> None:
    from mailwise_desktop.core.accounts import Account, Auth, Endpoint, OAuthClient
    from mailwise_desktop.core.invitation import for_account
    from mailwise_desktop.ui.join_dialog import JoinDialog

    user = oauth_dovecot.add_user(f"team@{DOMAIN}")
    imap = Endpoint(oauth_dovecot.host, oauth_dovecot.imaps_port, Security.TLS, user.name,
                    auth=Auth.XOAUTH2)  # fmt: skip
    client = OAuthClient("custom", provider.client_id, provider.authorize_url,
                         provider.token_url, ("mail",))  # fmt: skip
    code = for_account(
        Account("support", imap, imap, address=user.name, oauth=client),
        imap_ca_pem=Path(oauth_dovecot.ca_file).read_text(),
    ).to_code()
    ops = BackgroundOps(None)
    dialog = JoinDialog(ctx, ops)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.code.setText(code)
    assert not dialog.password.isVisible()  # no password: the browser signs in
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    provider.default_user = user.name  # who signs in on the provider's page
    dialog.open_browser = browser
    with qtbot.waitSignal(dialog.joined, timeout=30_000):
        dialog.join()
    assert ctx.account("support").oauth is not None
    assert load_tokens(ctx.keychain, "support") is not None
    provider.default_user = ""
    ops.shutdown()
