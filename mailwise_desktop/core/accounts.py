"""Account settings: where a shared mailbox lives and how to reach it.

No secret is ever part of these values; passwords live in the keychain
(:mod:`mailwise_desktop.core.keychain`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class Security(StrEnum):
    """How a connection is protected."""

    TLS = "tls"  # implicit TLS (993 / 465)
    STARTTLS = "starttls"  # upgrade a plain connection (143 / 587)
    PLAIN = "plain"  # no protection: loopback and tests only, with a warning


IMAP_PORTS = {Security.TLS: 993, Security.STARTTLS: 143, Security.PLAIN: 143}
SMTP_PORTS = {Security.TLS: 465, Security.STARTTLS: 587, Security.PLAIN: 25}


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


@dataclass(frozen=True)
class Account:
    """A shared mailbox account as this profile knows it."""

    id: str
    imap: Endpoint
    smtp: Endpoint
    address: str = ""
    team_mailbox: str = "Mailwise"
    folders: tuple[str, ...] = field(default=("INBOX",))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["folders"] = list(self.folders)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        imap = Endpoint(**{**data["imap"], "security": Security(data["imap"]["security"])})
        smtp = Endpoint(**{**data["smtp"], "security": Security(data["smtp"]["security"])})
        return cls(
            id=data["id"],
            imap=imap,
            smtp=smtp,
            address=data.get("address", ""),
            team_mailbox=data.get("team_mailbox", "Mailwise"),
            folders=tuple(data.get("folders", ["INBOX"])),
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
    )
