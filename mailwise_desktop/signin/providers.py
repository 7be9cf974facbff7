"""Provider presets: Microsoft 365 and Google, with the app's registration as configuration.

The app ships without a client id of its own: each organisation registers
Mailwise with its identity provider (docs/PROVIDERS.md walks an administrator
through it) and gives the id once, on the command line or in the account
dialog; it is kept in the profile's settings (``oauth_clients``) for the next
account. Server names, ports and scopes come from the providers' documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailwise_desktop.core.accounts import Auth, Endpoint, OAuthClient, Security
from mailwise_desktop.core.errors import NotConfiguredError, UsageError

MICROSOFT_SCOPES = (
    "https://outlook.office.com/IMAP.AccessAsUser.All",
    "https://outlook.office.com/SMTP.Send",
    "offline_access",
)
GOOGLE_SCOPES = ("https://mail.google.com/",)


@dataclass(frozen=True)
class ProviderPreset:
    """What is fixed for a provider: endpoints, servers and scopes.

    Attributes:
        name: ``microsoft`` or ``google``.
        title: the name a person knows it by.
        authorize_url / token_url: with ``{tenant}`` for Microsoft.
        imap / smtp: host, port, security of the provider's servers.
        authorize_params: extra parameters its authorization endpoint needs.
    """

    name: str
    title: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    imap: tuple[str, int, Security]
    smtp: tuple[str, int, Security]
    authorize_params: tuple[tuple[str, str], ...] = ()
    default_tenant: str = ""


PRESETS: dict[str, ProviderPreset] = {
    "microsoft": ProviderPreset(
        name="microsoft",
        title="Microsoft 365",
        # learn.microsoft.com: "Authenticate an IMAP, POP or SMTP connection using OAuth"
        authorize_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        scopes=MICROSOFT_SCOPES,
        imap=("outlook.office365.com", 993, Security.TLS),
        smtp=("smtp.office365.com", 587, Security.STARTTLS),
        default_tenant="organizations",
    ),
    "google": ProviderPreset(
        name="google",
        title="Google Workspace / Gmail",
        # developers.google.com/identity/protocols/oauth2/native-app
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        scopes=GOOGLE_SCOPES,
        imap=("imap.gmail.com", 993, Security.TLS),
        smtp=("smtp.gmail.com", 465, Security.TLS),
        # A refresh token is only issued for offline access, and again only on consent.
        authorize_params=(("access_type", "offline"), ("prompt", "consent")),
    ),
}


def preset(name: str) -> ProviderPreset:
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise UsageError(f"Unknown sign-in provider {name!r}; use one of: {known}.") from None


def authorize_params(client: OAuthClient) -> tuple[tuple[str, str], ...]:
    found = PRESETS.get(client.provider)
    return found.authorize_params if found else ()


def oauth_client(
    name: str,
    saved: dict[str, Any],
    *,
    client_id: str | None = None,
    tenant: str | None = None,
    client_secret: str | None = None,
    login_hint: str = "",
) -> OAuthClient:
    """The registration for provider ``name``: given values first, then the saved ones.

    Args:
        name: ``microsoft`` or ``google``.
        saved: the ``oauth_clients`` setting (provider -> client_id, tenant, client_secret).

    Raises:
        NotConfiguredError: no client id is known for the provider.
    """
    found = preset(name)
    entry = saved.get(name)
    stored: dict[str, Any] = entry if isinstance(entry, dict) else {}
    cid = client_id or str(stored.get("client_id", ""))
    if not cid:
        raise NotConfiguredError(
            f"Signing in with {found.title} needs your organisation's application (client) id. "
            "Your administrator registers Mailwise once (docs/PROVIDERS.md) and gives you the id; "
            "enter it with --client-id or in the account dialog."
        )
    ten = tenant or str(stored.get("tenant", "")) or found.default_tenant
    return OAuthClient(
        provider=name,
        client_id=cid,
        authorize_url=found.authorize_url.format(tenant=ten),
        token_url=found.token_url.format(tenant=ten),
        scopes=found.scopes,
        client_secret=client_secret or str(stored.get("client_secret", "")),
        login_hint=login_hint,
        tenant=ten if found.default_tenant else "",
    )


def remembered(client: OAuthClient) -> dict[str, str]:
    """What goes into the ``oauth_clients`` setting for the next account."""
    value = {"client_id": client.client_id}
    if client.tenant:
        value["tenant"] = client.tenant
    if client.client_secret:
        value["client_secret"] = client.client_secret
    return value


def endpoints(name: str, user: str) -> tuple[Endpoint, Endpoint]:
    """IMAP and SMTP of provider ``name`` for login ``user`` (XOAUTH2 on both)."""
    found = preset(name)
    host, port, security = found.imap
    imap = Endpoint(host=host, port=port, security=security, user=user, auth=Auth.XOAUTH2)
    host, port, security = found.smtp
    smtp = Endpoint(host=host, port=port, security=security, user=user, auth=Auth.XOAUTH2)
    return imap, smtp


@dataclass(frozen=True)
class RentalPreset:
    """A rental server whose settings are documented: only the server name varies.

    Attributes:
        title: the service's name.
        host_hint: what the server name looks like (from the service's setup e-mail).
        imap / smtp: port and security.
        source: where the settings were read.
    """

    title: str
    host_hint: str
    imap: tuple[int, Security]
    smtp: tuple[int, Security]
    source: str


#: Only what could be sourced. Xserver: "メールソフトの設定方法" (server name sv***.xserver.jp
#: from the setup notice, login = the whole address, IMAP 993 SSL/TLS or 143 STARTTLS,
#: SMTP 465 SSL/TLS or 587 STARTTLS), as reproduced in docs/PROVIDERS.md.
RENTAL_PRESETS: dict[str, RentalPreset] = {
    "xserver": RentalPreset(
        title="Xserver",
        host_hint="sv****.xserver.jp",
        imap=(993, Security.TLS),
        smtp=(465, Security.TLS),
        source="Xserver manual: メールソフトの設定方法",
    ),
}
