"""Talking to an OAuth2 token endpoint (RFC 6749 §4.1.3 and §6), and its errors in plain words.

One standards-based client for every provider rather than ``msal`` plus
Google's libraries: the authorization-code flow with PKCE for a public client
is a few form posts, and one implementation serves Microsoft, Google, an
organisation's own identity provider and the local provider of the tests
alike, with tokens kept where this app keeps secrets (the keychain, not a
library's own cache file). HTTPS with the system trust store; plain HTTP only
to this computer (loopback), as for a test provider.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from mailwise_desktop.core.accounts import OAuthClient
from mailwise_desktop.core.errors import (
    AdminApprovalError,
    AuthError,
    MailwiseError,
    NotConfiguredError,
    ProtocolError,
    SignInAgainError,
    UnreachableError,
    UsageError,
)
from mailwise_desktop.core.tls import client_context

log = logging.getLogger(__name__)

#: Microsoft Entra ID codes meaning "an administrator must approve (consent to) the app".
ADMIN_APPROVAL_CODES = ("AADSTS65001", "AADSTS90094", "AADSTS90099", "AADSTS900941")
_MAX_ANSWER = 1_000_000


@dataclass(frozen=True)
class TokenSet:
    """What the token endpoint gave (secrets: never logged, only kept in the keychain).

    Attributes:
        access_token: the bearer token sent to IMAP and SMTP.
        refresh_token: for new access tokens without the browser; may be rotated.
        expires_at: Unix time the access token stops working.
    """

    access_token: str
    refresh_token: str
    expires_at: float

    def to_json(self) -> str:
        return json.dumps(
            {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_at": self.expires_at,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> TokenSet | None:
        try:
            data = json.loads(text)
            return cls(
                str(data["access_token"]), str(data["refresh_token"]), float(data["expires_at"])
            )
        except (ValueError, KeyError, TypeError):
            return None


def check_endpoint_url(url: str) -> None:
    """HTTPS, or HTTP to this computer only.

    Raises:
        UsageError: another scheme, or plain HTTP to another host.
    """
    parts = urllib.parse.urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "::1", "localhost")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise UsageError(f"A sign-in address must start with https:// ({url}).")


def exchange_code(
    client: OAuthClient, code: str, *, redirect_uri: str, code_verifier: str, timeout: float = 30
) -> TokenSet:
    """Trade the authorization code (and the PKCE verifier) for tokens."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
        "client_id": client.client_id,
        "scope": " ".join(client.scopes),
    }
    return _tokens(client, form, previous_refresh="", timeout=timeout)


def refresh(client: OAuthClient, refresh_token: str, *, timeout: float = 30) -> TokenSet:
    """A new access token from ``refresh_token`` (the answer may carry a new refresh token too)."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client.client_id,
        "scope": " ".join(client.scopes),
    }
    return _tokens(client, form, previous_refresh=refresh_token, timeout=timeout)


def _tokens(
    client: OAuthClient, form: dict[str, str], *, previous_refresh: str, timeout: float
) -> TokenSet:
    check_endpoint_url(client.token_url)
    if client.client_secret:
        form["client_secret"] = client.client_secret
    body = urllib.parse.urlencode(form).encode("ascii")
    request = urllib.request.Request(
        client.token_url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    host = urllib.parse.urlsplit(client.token_url).hostname or client.token_url
    log.info("OAuth2: %s at %s", form["grant_type"], host)
    try:
        context = client_context() if client.token_url.startswith("https:") else None
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            data = _json(answer.read(_MAX_ANSWER))
    except urllib.error.HTTPError as exc:
        raise refused(_json(exc.read(_MAX_ANSWER)), host, status=exc.code) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise UnreachableError(
            f"The sign-in service {host} could not be reached. Check the network and try again.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise ProtocolError(f"{host} answered the sign-in without an access token.")
    new_refresh = data.get("refresh_token")
    refresh_token = (
        new_refresh if isinstance(new_refresh, str) and new_refresh else previous_refresh
    )
    if not refresh_token:
        raise ProtocolError(
            f"{host} gave no refresh token, so Mailwise would have to ask you to sign in every "
            "hour. The app registration must allow offline access.",
        )
    expires_in = data.get("expires_in", 3600)
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        lifetime = 3600.0
    return TokenSet(access, refresh_token, time.time() + lifetime)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def refused(data: dict[str, Any], host: str, *, status: int = 400) -> MailwiseError:
    """The plain-words error for an OAuth2 error answer (token endpoint or redirect).

    Args:
        data: the answer's fields: ``error``, ``error_description``.
        host: the identity provider's host, for the message.
        status: the HTTP status of the answer.
    """
    error = str(data.get("error", ""))
    description = str(data.get("error_description", ""))
    detail = f"HTTP {status} {error}: {description}".strip()
    if any(code in description for code in ADMIN_APPROVAL_CODES) or error in (
        "consent_required",
        "admin_policy_enforced",
    ):
        return AdminApprovalError(
            "Your administrator must approve Mailwise for your organisation before you can "
            "sign in. Send them docs/PROVIDERS.md (section 'Approve the app').",
            detail=detail,
        )
    if error in ("invalid_grant", "interaction_required", "login_required"):
        return SignInAgainError(
            "Your sign-in has expired or was withdrawn (after a long time unused, a password "
            "change or by your administrator). Sign in again.",
            detail=detail,
        )
    if error in ("invalid_client", "unauthorized_client", "unsupported_grant_type"):
        return NotConfiguredError(
            "The sign-in service does not accept this app's registration (client id). "
            "Check the client id and tenant with your administrator.",
            detail=detail,
        )
    if error == "access_denied":
        return AuthError("The sign-in was cancelled or refused in the browser.", detail=detail)
    if status >= 500 or error == "temporarily_unavailable":
        return UnreachableError(
            f"The sign-in service {host} has a problem right now; try again later.", detail=detail
        )
    return ProtocolError(f"{host} refused the sign-in ({error or status}).", detail=detail)
