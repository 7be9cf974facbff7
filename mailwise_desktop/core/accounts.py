"""Account settings: where a shared mailbox lives and how to reach it.

No secret is ever part of these values; passwords and OAuth2 tokens live in
the keychain (:mod:`mailwise_desktop.core.keychain`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class Security(StrEnum):
    """How a connection is protected."""

    TLS = "tls"  # implicit TLS (993 / 465)
    STARTTLS = "starttls"  # upgrade a plain connection (143 / 587)
    PLAIN = "plain"  # no protection: loopback and tests only, with a warning


class Auth(StrEnum):
    """How the app signs in to a server."""

    PASSWORD = "password"  # LOGIN / AUTH PLAIN with a password (or an app password)
    XOAUTH2 = "xoauth2"  # OAuth2 bearer token, Google's and Microsoft's SASL mechanism
    OAUTHBEARER = "oauthbearer"  # OAuth2 bearer token, RFC 7628


IMAP_PORTS = {Security.TLS: 993, Security.STARTTLS: 143, Security.PLAIN: 143}
SMTP_PORTS = {Security.TLS: 465, Security.STARTTLS: 587, Security.PLAIN: 25}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Endpoint:
    """One server: host, port, protection, login and trust settings.

    Attributes:
        ca_file: a PEM file of extra trusted CAs (a company's private CA).
        pin_sha256: hex SHA-256 of the server certificate (DER); when set, a
            self-signed certificate with exactly this fingerprint is accepted.
    """

    host: str
    port: int
    security: Security
    user: str
    ca_file: str | None = None
    pin_sha256: str | None = None
    auth: Auth = Auth.PASSWORD

    @property
    def uses_oauth(self) -> bool:
        return self.auth is not Auth.PASSWORD

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Endpoint:
        return cls(
            **{
                **data,
                "security": Security(data["security"]),
                "auth": Auth(data.get("auth", Auth.PASSWORD)),
            }
        )


@dataclass(frozen=True)
class OAuthClient:
    """The app's registration with an identity provider (OAuth2 public client).

    Configuration, not a secret: Google says of a desktop app's client secret
    that it "is obviously not treated as a secret", and Microsoft's desktop
    registrations have none. Tokens are never part of it.

    Attributes:
        provider: ``microsoft``, ``google`` or ``custom`` (an own identity provider).
        client_id: the application (client) id the administrator registered.
        authorize_url: the authorization endpoint (opened in the system browser).
        token_url: the token endpoint (code exchange and refresh).
        scopes: the scopes asked for, e.g. IMAP, SMTP and ``offline_access``.
        client_secret: Google desktop clients only; empty elsewhere.
        login_hint: the person who signs in (for a shared mailbox, the delegate).
        tenant: Microsoft Entra ID tenant (a domain or id; ``organizations`` for any).
    """

    provider: str
    client_id: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    client_secret: str = ""
    login_hint: str = ""
    tenant: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OAuthClient:
        return cls(**{**data, "scopes": tuple(data.get("scopes", ()))})


@dataclass(frozen=True)
class Account:
    """A shared mailbox account as this profile knows it."""

    id: str
    imap: Endpoint
    smtp: Endpoint
    address: str = ""
    team_mailbox: str = "Mailwise"
    folders: tuple[str, ...] = field(default=("INBOX",))
    #: set when the account signs in with OAuth2 (``imap.auth`` says which SASL mechanism)
    oauth: OAuthClient | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["folders"] = list(self.folders)
        for side in ("imap", "smtp"):
            if data[side]["auth"] == Auth.PASSWORD:
                del data[side]["auth"]  # the default; settings of password accounts stay as before
        if self.oauth is None:
            del data["oauth"]
        else:
            data["oauth"]["scopes"] = list(self.oauth.scopes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        imap = Endpoint.from_json(data["imap"])
        smtp = Endpoint.from_json(data["smtp"])
        oauth = data.get("oauth")
        return cls(
            id=data["id"],
            imap=imap,
            smtp=smtp,
            address=data.get("address", ""),
            team_mailbox=data.get("team_mailbox", "Mailwise"),
            folders=tuple(data.get("folders", ["INBOX"])),
            oauth=OAuthClient.from_json(oauth) if oauth else None,
        )

    def with_folders(self, folders: tuple[str, ...]) -> Account:
        return replace(self, folders=folders)


def default_smtp(
    imap: Endpoint,
    *,
    host: str | None = None,
    port: int | None = None,
    security: Security | None = None,
    user: str | None = None,
    ca_file: str | None = None,
    pin_sha256: str | None = None,
    auth: Auth | None = None,
) -> Endpoint:
    """SMTP submission settings defaulting sensibly from the IMAP ones.

    The IMAP server's extra CA is trusted for SMTP too unless another is
    given; a pin is per certificate, so it is never carried over.
    """
    sec = security or imap.security
    return Endpoint(
        host=host or imap.host,
        port=port or SMTP_PORTS[sec],
        security=sec,
        user=user or imap.user,
        ca_file=ca_file or imap.ca_file,
        pin_sha256=pin_sha256,
        auth=auth or imap.auth,
    )


def parse_accounts(raw: list[Any]) -> list[Account]:
    """The usable accounts of the settings (a broken entry is logged and skipped)."""
    accounts = []
    for entry in raw:
        try:
            accounts.append(Account.from_json(entry))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("account settings skipped: %r (%s)", entry, exc)
    return accounts
