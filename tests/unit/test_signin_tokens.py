"""OAuth2 pieces without servers: SASL strings, PKCE, error words, token refresh, keychain parts."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest

from mailwise_desktop.core.accounts import Account, Auth, Endpoint, OAuthClient, Security
from mailwise_desktop.core.errors import (
    AdminApprovalError,
    ExitCode,
    NotConfiguredError,
    SignInAgainError,
    UsageError,
)
from mailwise_desktop.core.keychain import PART_CHARS, Keychain, LongSecrets
from mailwise_desktop.signin import sasl
from mailwise_desktop.signin.authorization import Pkce, authorize_url
from mailwise_desktop.signin.providers import MICROSOFT_SCOPES, endpoints, oauth_client
from mailwise_desktop.signin.token_endpoint import TokenSet, check_endpoint_url, refused
from mailwise_desktop.signin.token_source import TokenSource, load_tokens, store_tokens
from tests.harness.keyring_backend import MemoryKeyring

CLIENT = OAuthClient(
    provider="custom",
    client_id="cid",
    authorize_url="https://idp.example/authorize",
    token_url="https://idp.example/token",
    scopes=("mail",),
)


def test_xoauth2_carries_the_shared_address_as_user_and_the_delegates_token() -> None:
    assert sasl.xoauth2("support@contoso.jp", "TOKEN") == (
        b"user=support@contoso.jp\x01auth=Bearer TOKEN\x01\x01"
    )
    assert sasl.oauthbearer("a,b=c@x.jp", "T", "imap.x.jp", 993) == (
        b"n,a=a=2Cb=3Dc@x.jp,\x01host=imap.x.jp\x01port=993\x01auth=Bearer T\x01\x01"
    )


def test_sasl_responder_answers_an_error_challenge_with_an_empty_line() -> None:
    answer = sasl.responder(b"first")
    assert answer(b"") == b"first"
    assert answer(b'{"status":"401"}') == b""


def test_pkce_challenge_is_s256_of_the_verifier() -> None:
    pkce = Pkce.new()
    assert 43 <= len(pkce.verifier) <= 128
    digest = hashlib.sha256(pkce.verifier.encode()).digest()
    assert pkce.challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert Pkce.new().verifier != pkce.verifier


def test_authorize_url_asks_for_offline_google_access_and_hints_the_delegate() -> None:
    client = oauth_client("google", {"google": {"client_id": "g-id", "client_secret": "s"}})
    url = authorize_url(client, redirect_uri="http://127.0.0.1:5/", state="st", pkce=Pkce.new())
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert "access_type=offline" in url and "code_challenge_method=S256" in url
    assert "scope=https%3A%2F%2Fmail.google.com%2F" in url and "state=st" in url


def test_microsoft_preset_uses_the_tenant_and_the_issue_scopes() -> None:
    client = oauth_client(
        "microsoft", {}, client_id="m-id", tenant="contoso.onmicrosoft.com", login_hint="d@c.jp"
    )
    assert client.authorize_url == (
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
    )
    assert client.scopes == MICROSOFT_SCOPES and "offline_access" in client.scopes
    imap, smtp = endpoints("microsoft", "support@contoso.jp")
    assert (imap.host, imap.port, imap.auth) == ("outlook.office365.com", 993, Auth.XOAUTH2)
    assert (smtp.host, smtp.port, smtp.security) == ("smtp.office365.com", 587, Security.STARTTLS)
    assert imap.user == "support@contoso.jp"  # the shared address, not the delegate


def test_a_missing_client_id_points_to_the_administrator_steps() -> None:
    with pytest.raises(NotConfiguredError, match=r"PROVIDERS\.md"):
        oauth_client("microsoft", {})


def test_endpoint_urls_must_be_https_except_to_this_computer() -> None:
    check_endpoint_url("https://login.microsoftonline.com/x")
    check_endpoint_url("http://127.0.0.1:8080/token")
    with pytest.raises(UsageError):
        check_endpoint_url("http://idp.example/token")


@pytest.mark.parametrize(
    ("answer", "kind", "code"),
    [
        ({"error": "invalid_grant", "error_description": "AADSTS700082: expired due to inactivity"},
         SignInAgainError, ExitCode.SIGN_IN_AGAIN),
        ({"error": "invalid_grant", "error_description": "AADSTS65001: consent"},
         AdminApprovalError, ExitCode.ADMIN_APPROVAL),
        ({"error": "access_denied", "error_description": "AADSTS90094: admin approval"},
         AdminApprovalError, ExitCode.ADMIN_APPROVAL),
        ({"error": "admin_policy_enforced"}, AdminApprovalError, ExitCode.ADMIN_APPROVAL),
        ({"error": "invalid_client"}, NotConfiguredError, ExitCode.NOT_CONFIGURED),
    ],
)  # fmt: skip
def test_provider_errors_in_plain_words(answer: dict[str, str], kind: type, code: int) -> None:
    error = refused(answer, "login.microsoftonline.com")
    assert type(error) is kind and error.exit_code == code
    assert "AADSTS" not in error.message  # codes go to the detail, not the sentence
    assert answer["error"] in (error.detail or "")


def test_account_json_round_trip_keeps_the_registration_and_no_token() -> None:
    imap, smtp = endpoints("google", "info@example.jp")
    account = Account("info", imap, smtp, address="info@example.jp", oauth=CLIENT)
    data = account.to_json()
    assert Account.from_json(data) == account
    assert "token" not in str({k: v for k, v in data["oauth"].items() if k != "token_url"})
    plain = Account(
        "p", Endpoint("h", 993, Security.TLS, "u"), Endpoint("h", 465, Security.TLS, "u")
    )
    assert "oauth" not in plain.to_json() and Account.from_json(plain.to_json()) == plain


def _keychain() -> Keychain:
    import keyring

    keyring.set_keyring(MemoryKeyring())
    return Keychain("svc")


def test_long_secrets_are_split_below_the_windows_limit_and_shrink_cleanly() -> None:
    keychain = _keychain()
    secrets = LongSecrets(keychain)
    token = "x" * (PART_CHARS * 3 + 5)
    secrets.set("a/oauth", token)
    assert secrets.get("a/oauth") == token
    assert keychain.get_password("a/oauth#3") == "x" * 5
    secrets.set("a/oauth", "short")
    assert secrets.get("a/oauth") == "short"
    assert keychain.get_password("a/oauth#0") is None
    secrets.delete("a/oauth")
    assert secrets.get("a/oauth") is None


class _Refresher:
    def __init__(self, *, refuse: set[str] | None = None) -> None:
        self.calls: list[str] = []
        self.refuse = refuse or set()

    def __call__(self, client: OAuthClient, refresh_token: str) -> TokenSet:
        self.calls.append(refresh_token)
        if refresh_token in self.refuse:
            raise SignInAgainError("expired", detail="invalid_grant")
        n = len(self.calls)
        return TokenSet(f"access-{n}", f"refresh-{n}", time.time() + 3600)


def test_token_source_refreshes_before_expiry_and_keeps_the_rotated_token() -> None:
    keychain = _keychain()
    store_tokens(keychain, "a", TokenSet("old", "r0", time.time() + 3600))
    refresher = _Refresher()
    source = TokenSource(keychain, "a", CLIENT, refresher=refresher)
    assert source() == "old" and refresher.calls == []
    store_tokens(keychain, "a", TokenSet("soon", "r0", time.time() + 60))  # inside the margin
    assert source() == "access-1" and refresher.calls == ["r0"]
    assert load_tokens(keychain, "a") == TokenSet("access-1", "refresh-1", pytest.approx(
        time.time() + 3600, abs=60))  # fmt: skip
    assert source(renew=True) == "access-2" and refresher.calls[-1] == "refresh-1"


def test_token_source_retries_with_a_token_rotated_by_another_process() -> None:
    keychain = _keychain()
    store_tokens(keychain, "a", TokenSet("x", "mine", 0))
    refresher = _Refresher(refuse={"mine"})
    original = refresher.__call__

    def rotating(client: OAuthClient, token: str) -> TokenSet:
        if token == "mine":  # meanwhile the window refreshed and rotated it
            store_tokens(keychain, "a", TokenSet("y", "theirs", 0))
        return original(client, token)

    source = TokenSource(keychain, "a", CLIENT, refresher=rotating)
    assert source() == "access-2"
    assert refresher.calls == ["mine", "theirs"]


def test_a_lapsed_refresh_token_says_sign_in_again_with_the_command() -> None:
    keychain = _keychain()
    store_tokens(keychain, "support", TokenSet("x", "dead", 0))
    source = TokenSource(keychain, "support", CLIENT, refresher=_Refresher(refuse={"dead"}))
    with pytest.raises(SignInAgainError) as caught:
        source()
    assert caught.value.exit_code == ExitCode.SIGN_IN_AGAIN
    assert "mailwise account signin support" in caught.value.message
    with pytest.raises(SignInAgainError):
        TokenSource(keychain, "nobody", CLIENT, refresher=_Refresher())()
