"""OAuth2 sign-in against real parts: Dovecot's oauth2 passdb, aiosmtpd, a local provider.

The provider (tests/harness/oauth_provider.py) issues codes, tokens and
answers RFC 7662 introspection; Dovecot and the SMTP server both ask it
whether a token is valid. The "browser" is an HTTP client that follows the
authorization redirect to the app's real loopback listener.
"""

from __future__ import annotations

import json
import logging
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Auth, Endpoint, OAuthClient, Security
from mailwise_desktop.core.errors import (
    AdminApprovalError,
    AuthError,
    CancelledError,
    ExitCode,
    SignInAgainError,
)
from mailwise_desktop.core.keychain import Keychain
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.send.submission import submit
from mailwise_desktop.signin.authorization import LoopbackRedirect, Pkce, authorize_url, sign_in
from mailwise_desktop.signin.token_endpoint import TokenSet, exchange_code
from mailwise_desktop.signin.token_source import TokenSource, store_tokens
from tests.harness.dovecot import DovecotServer, TestUser, dovecot_available, start_dovecot
from tests.harness.oauth_provider import OAuthProvider, browser
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer

MAILWISE = [sys.executable, "-m", "mailwise_desktop.cli"]


@pytest.fixture(scope="module")
def provider() -> Iterator[OAuthProvider]:
    with OAuthProvider() as running:
        yield running


@pytest.fixture(scope="module")
def oauth_dovecot(provider: OAuthProvider) -> Iterator[DovecotServer]:
    """A Dovecot whose oauth2 passdb introspects tokens at the test provider."""
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    server = start_dovecot(oauth_introspection_url=provider.introspection_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def person(oauth_dovecot: DovecotServer, provider: OAuthProvider) -> TestUser:
    provider.access_lifetime = 3600
    return oauth_dovecot.add_user()


@pytest.fixture
def oauth_smtp(smtp_server: SmtpServer, provider: OAuthProvider) -> SmtpServer:
    smtp_server.reset()
    smtp_server.oauth_introspection_url = provider.introspection_url
    return smtp_server


def client_for(provider: OAuthProvider, user: str) -> OAuthClient:
    return OAuthClient(
        provider="custom",
        client_id=provider.client_id,
        authorize_url=provider.authorize_url,
        token_url=provider.token_url,
        scopes=("mail", "offline_access"),
        login_hint=user,
    )


def imap_endpoint(dovecot: DovecotServer, user: str, auth: Auth = Auth.XOAUTH2) -> Endpoint:
    return Endpoint(
        dovecot.host,
        dovecot.imaps_port,
        Security.TLS,
        user,
        ca_file=str(dovecot.ca_file),
        auth=auth,
    )


# ---------------------------------------------------------------------- the browser flow


def test_sign_in_in_the_browser_gives_tokens_that_dovecot_accepts(
    provider: OAuthProvider, oauth_dovecot: DovecotServer, person: TestUser
) -> None:
    pages: list[str] = []
    before = provider.requests["authorization_code"]
    tokens = sign_in(client_for(provider, person.name), lambda url: pages.append(browser(url)))
    assert "Close this tab" in pages[0]
    assert provider.requests["authorization_code"] == before + 1
    for auth in (Auth.XOAUTH2, Auth.OAUTHBEARER):
        client = open_imap(imap_endpoint(oauth_dovecot, person.name, auth), tokens.access_token)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        client.logout()
    assert f"user=<{person.name}>, method=OAUTHBEARER" in oauth_dovecot.log()


def test_a_redirect_with_a_wrong_state_is_refused_and_the_right_one_still_counts() -> None:
    with LoopbackRedirect("the-state") as loopback:
        wrong = loopback.redirect_uri + "?code=stolen&state=forged"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong, timeout=10)
        assert refused.value.code == 400
        threading.Thread(
            target=browser, args=(loopback.redirect_uri + "?code=good&state=the-state",)
        ).start()
        assert loopback.wait(30)["code"] == "good"


def test_the_wait_ends_when_cancelled() -> None:
    with LoopbackRedirect("s") as loopback:
        loopback.cancel()
        with pytest.raises(CancelledError, match="cancelled"):
            loopback.wait(30)


def test_the_provider_checks_pkce_a_wrong_verifier_gets_no_tokens(
    provider: OAuthProvider, person: TestUser
) -> None:
    client = client_for(provider, person.name)
    redirect_uri = "http://127.0.0.1:9/"  # never contacted: the redirect is read, not followed

    def code_for(pkce: Pkce) -> str:
        url = authorize_url(client, redirect_uri=redirect_uri, state="s", pkce=pkce)
        opener = urllib.request.build_opener(_NoRedirect())
        with pytest.raises(urllib.error.HTTPError) as stopped:
            opener.open(url, timeout=10)
        location = stopped.value.headers["Location"]
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["code"]

    pkce = Pkce.new()
    with pytest.raises(SignInAgainError):
        exchange_code(client, code_for(pkce), redirect_uri=redirect_uri, code_verifier="x" * 50)
    tokens = exchange_code(
        client, code_for(pkce), redirect_uri=redirect_uri, code_verifier=pkce.verifier
    )
    assert provider.active_user(tokens.access_token) == person.name


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 302 itself is raised as an HTTPError


def test_admin_consent_needed_is_said_in_plain_words(
    provider: OAuthProvider, person: TestUser
) -> None:
    provider.deny_with = {
        "error": "access_denied",
        "error_description": "AADSTS90094: The grant requires admin permission.",
    }
    with pytest.raises(AdminApprovalError) as caught:
        sign_in(client_for(provider, person.name), browser)
    assert "administrator must approve" in caught.value.message
    assert caught.value.exit_code == ExitCode.ADMIN_APPROVAL


# ---------------------------------------------------------------------- refresh


def test_a_refused_token_is_renewed_silently_and_a_revoked_sign_in_says_sign_in_again(
    provider: OAuthProvider, oauth_dovecot: DovecotServer, person: TestUser
) -> None:
    keychain = Keychain("svc-refresh")
    issued = provider.issue(person.name)
    store_tokens(keychain, "a", _tokens(issued))
    source = TokenSource(keychain, "a", client_for(provider, person.name))
    endpoint = imap_endpoint(oauth_dovecot, person.name)
    refreshes = provider.requests["refresh_token"]
    open_imap(endpoint, source).logout()
    assert provider.requests["refresh_token"] == refreshes  # still valid: no refresh

    provider.expire_access_tokens()  # Dovecot refuses the stored one; the clock says it is fine
    open_imap(endpoint, source).logout()
    assert provider.requests["refresh_token"] == refreshes + 1

    provider.revoke(person.name)
    with pytest.raises(SignInAgainError) as caught:
        open_imap(endpoint, source)
    assert "Sign in again" in caught.value.message


def test_a_token_about_to_expire_is_refreshed_before_the_login(
    provider: OAuthProvider, oauth_dovecot: DovecotServer, person: TestUser
) -> None:
    provider.access_lifetime = 60  # inside the five-minute margin: refresh before use
    keychain = Keychain("svc-early")
    store_tokens(keychain, "a", _tokens(provider.issue(person.name)))
    source = TokenSource(keychain, "a", client_for(provider, person.name))
    before = provider.requests["refresh_token"]
    open_imap(imap_endpoint(oauth_dovecot, person.name), source).logout()
    assert provider.requests["refresh_token"] == before + 1
    assert f"user=<{person.name}>, method=XOAUTH2" in oauth_dovecot.log()
    assert "auth failed" not in _lines_of(oauth_dovecot, person.name)


def _lines_of(dovecot: DovecotServer, user: str) -> str:
    return "\n".join(line for line in dovecot.log().splitlines() if user in line)


def _tokens(issued: dict[str, object]) -> TokenSet:
    return TokenSet(
        str(issued["access_token"]),
        str(issued["refresh_token"]),
        time.time() + float(str(issued["expires_in"])),
    )


# ---------------------------------------------------------------------- SMTP


@pytest.mark.parametrize("auth", [Auth.XOAUTH2, Auth.OAUTHBEARER])
def test_smtp_token_sign_in_sends_for_the_shared_address_with_the_delegates_token(
    provider: OAuthProvider, oauth_smtp: SmtpServer, person: TestUser, auth: Auth
) -> None:
    shared = "support@example.jp"
    oauth_smtp.send_as[person.name] = {shared}
    keychain = Keychain("svc-smtp")
    store_tokens(keychain, "a", _tokens(provider.issue(person.name)))
    source = TokenSource(keychain, "a", client_for(provider, person.name))
    endpoint = Endpoint(
        oauth_smtp.host,
        oauth_smtp.port,
        Security.STARTTLS,
        shared,
        ca_file=str(oauth_smtp.ca_file),
        auth=auth,
    )
    message = make_message(subject="OAuth2 で送信", body="本文\n", sender=("サポート", shared))
    provider.expire_access_tokens()  # the first token is refused: renewed, then sent
    submit(endpoint, source, mail_from=shared, rcpt_to=["c@example.com"], message=message)
    assert [m.auth_user for m in oauth_smtp.messages] == [shared]
    mechanism = auth.value.upper()
    assert oauth_smtp.oauth_attempts == [(mechanism, shared), (mechanism, shared)]
    oauth_smtp.send_as.clear()
    with pytest.raises(AuthError, match="Send As"):
        submit(endpoint, "bad-token", mail_from=shared, rcpt_to=["c@example.com"], message=message)


def test_smtp_sign_in_switched_off_for_the_organisation(oauth_smtp: SmtpServer) -> None:
    oauth_smtp.token_auth_reply = (
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
        "for the Tenant."
    )
    endpoint = Endpoint(
        oauth_smtp.host,
        oauth_smtp.port,
        Security.STARTTLS,
        "support@example.jp",
        ca_file=str(oauth_smtp.ca_file),
        auth=Auth.XOAUTH2,
    )
    with pytest.raises(AuthError) as caught:
        submit(endpoint, "t", mail_from="support@example.jp", rcpt_to=["c@x.jp"], message=b"x")
    assert "SMTP sign-in is switched off for your organisation" in caught.value.message
    assert oauth_smtp.messages == []


# ---------------------------------------------------------------------- the CLI, end to end


def mailwise(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAILWISE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_cli_add_by_oauth_sync_claim_send_refresh_and_revoke(
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    person: TestUser,
    oauth_smtp: SmtpServer,
    cli_env: dict[str, str],
    mailwise_home: Path,
    tmp_path: Path,
) -> None:
    shared = "support@example.jp"
    oauth_smtp.send_as[person.name] = {shared}
    env = {**cli_env, "BROWSER": f"{shlex.quote(sys.executable)} -m tests.harness.oauth_browser %s"}
    added = mailwise(
        env,
        "account", "add", "support", "--oauth", "custom",
        "--host", oauth_dovecot.host, "--port", str(oauth_dovecot.imaps_port),
        "--ca-file", str(oauth_dovecot.ca_file), "--user", person.name, "--login", person.name,
        "--address", shared, "--client-id", provider.client_id,
        "--authorize-url", provider.authorize_url, "--token-url", provider.token_url,
        "--scope", "mail", "--scope", "offline_access",
        "--smtp-host", oauth_smtp.host, "--smtp-port", str(oauth_smtp.port),
        "--smtp-security", "starttls", "--smtp-ca-file", str(oauth_smtp.ca_file),
        "--smtp-user", shared,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "signed in with custom" in added.stdout
    assert provider.authorize_url in added.stderr  # the address, for when no browser opens

    roster = tmp_path / "team.csv"
    roster.write_text("id,name,email\nsato,佐藤,sato@example.jp\n", encoding="utf-8")
    for step in (("team", "import", str(roster)), ("me", "sato")):
        done = mailwise(env, *step)
        assert done.returncode == 0, done.stderr
    uid = oauth_dovecot.append(
        person,
        make_message(subject="見積のお願い", body="よろしくお願いします。\n",
                     sender=("山田 太郎", "taro@example.com"), message_id="<q1@example.com>"),
    )  # fmt: skip
    synced = mailwise(env, "sync")
    assert synced.returncode == 0, synced.stderr
    claimed = mailwise(env, "claim", str(uid))
    assert claimed.returncode == 0, claimed.stderr
    mailwise(env, "policy", "set", "undo_seconds", "0")
    body = tmp_path / "body.txt"
    body.write_text("お見積りを添付いたします。\n", encoding="utf-8")
    sent = mailwise(env, "reply", str(uid), "--body-file", str(body), "--send", "--yes")
    assert sent.returncode == 0, sent.stderr + sent.stdout
    assert [(m.auth_user, m.rcpt_tos) for m in oauth_smtp.messages] == [
        (shared, ("taro@example.com",))
    ]

    refreshes = provider.requests["refresh_token"]
    provider.expire_access_tokens()
    again = mailwise(env, "sync")
    assert again.returncode == 0, again.stderr
    assert provider.requests["refresh_token"] == refreshes + 1  # silently, no browser

    # No token anywhere in the profile folder: only in the keychain (the test's file backend).
    keyring_file = Path(cli_env["MAILWISE_TEST_KEYRING_FILE"]).read_text(encoding="utf-8")
    assert any(token in keyring_file for token in provider.issued)
    for path in mailwise_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaked = [t for t in provider.issued if t.encode() in data]
            assert not leaked, f"a token was written to {path}"

    provider.revoke(person.name)
    provider.expire_access_tokens()
    lapsed = mailwise(env, "sync")
    assert lapsed.returncode == ExitCode.SIGN_IN_AGAIN, lapsed.stderr
    assert "Sign in again: mailwise account signin support" in lapsed.stderr
    assert "Traceback" not in lapsed.stderr

    back = mailwise(env, "account", "signin", "support")
    assert back.returncode == 0, back.stderr
    assert mailwise(env, "sync").returncode == 0
    listed = json.loads(mailwise(env, "account", "list", "--json").stdout)
    assert listed[0]["oauth"]["client_id"] == provider.client_id
    assert listed[0]["imap"]["auth"] == "xoauth2"

    plain = mailwise(env, "account", "list").stdout
    assert "signs in with custom (xoauth2)" in plain

    assert mailwise(env, "account", "remove", "support", "--yes").returncode == 0
    keyring_file = Path(cli_env["MAILWISE_TEST_KEYRING_FILE"]).read_text(encoding="utf-8")
    assert not any(token in keyring_file for token in provider.issued)  # forgotten too


def test_no_token_reaches_the_log(
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    person: TestUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = sign_in(client_for(provider, person.name), browser)
    keychain = Keychain("svc-log")
    store_tokens(keychain, "a", tokens)
    source = TokenSource(keychain, "a", client_for(provider, person.name))
    provider.expire_access_tokens()
    open_imap(imap_endpoint(oauth_dovecot, person.name), source).logout()  # renewed once
    assert "access token refreshed" in caplog.text  # the log was captured at all
    assert not [t for t in provider.issued if t in caplog.text]


def test_an_exchange_like_server_signed_in_by_oauth_gets_mode_b(provider: OAuthProvider) -> None:
    """OAuth2 sign-in to a server without keywords or CONDSTORE: the team log decides."""
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    from mailwise_desktop.core.accounts import Account
    from mailwise_desktop.imap.coordination_mode import CoordinationMode
    from mailwise_desktop.services.accounts import AccountService
    from mailwise_desktop.services.context import AppContext

    server = start_dovecot(exchange_like=True, oauth_introspection_url=provider.introspection_url)
    try:
        user = server.add_user("support@contoso.test")
        client = client_for(provider, user.name)
        tokens = sign_in(client, browser)
        imap = imap_endpoint(server, user.name)
        ctx = AppContext.open()
        added = AccountService(ctx).add(Account("support", imap, imap, oauth=client), tokens)
        assert [m.mode for m in added.modes] == [CoordinationMode.LOG]
        ctx.close()
    finally:
        server.stop()


def test_without_a_keychain_the_browser_is_never_opened(
    provider: OAuthProvider, cli_env: dict[str, str], person: TestUser
) -> None:
    env = {
        **cli_env,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "BROWSER": f"{shlex.quote(sys.executable)} -m tests.harness.oauth_browser %s",
    }
    before = provider.requests["authorize"]
    refused = mailwise(
        env, "account", "add", "support", "--oauth", "custom", "--host", "127.0.0.1",
        "--address", "support@example.jp", "--client-id", provider.client_id,
        "--authorize-url", provider.authorize_url, "--token-url", provider.token_url,
    )  # fmt: skip
    assert refused.returncode == ExitCode.KEYCHAIN, refused.stderr
    assert provider.requests["authorize"] == before  # no sign-in whose tokens could not be kept


def test_an_invitation_carries_the_registration_and_the_teammate_signs_in_as_themselves(
    provider: OAuthProvider,
    oauth_dovecot: DovecotServer,
    person: TestUser,
    cli_env: dict[str, str],
) -> None:
    from mailwise_desktop.core.accounts import Account
    from mailwise_desktop.core.invitation import for_account, parse

    client = client_for(provider, "inviter@example.jp")
    imap = imap_endpoint(oauth_dovecot, person.name)
    account = Account("support", imap, imap, address=person.name, oauth=client)
    invitation = for_account(account, imap_ca_pem=Path(oauth_dovecot.ca_file).read_text())
    code = invitation.to_code()
    parsed = parse(code)
    assert parsed.account.oauth is not None
    assert parsed.account.oauth.client_id == provider.client_id
    assert parsed.account.oauth.login_hint == ""  # not the inviter's name
    assert parsed.account.imap.auth is Auth.XOAUTH2

    env = {**cli_env, "BROWSER": f"{shlex.quote(sys.executable)} -m tests.harness.oauth_browser %s"}
    before = provider.requests["authorization_code"]
    joined = mailwise(env, "join", code, "--login", person.name)
    assert joined.returncode == 0, joined.stderr
    assert provider.requests["authorization_code"] == before + 1  # signed in, no password asked
    synced = mailwise(env, "sync")
    assert synced.returncode == 0, synced.stderr
