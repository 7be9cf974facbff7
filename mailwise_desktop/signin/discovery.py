"""Finding IMAP and SMTP settings from an e-mail address, the way mail clients do.

In order, stopping at the first answer:

1. a built-in preset for a domain known to belong to a provider (gmail.com);
2. Mozilla autoconfig, over HTTPS only: ``autoconfig.<domain>/mail/config-v1.1.xml``,
   then the domain's ``/.well-known/autoconfig/``, then Thunderbird's public
   ISPDB (plain HTTP is never asked: an attacker on the network could
   point the app at their own server);
3. RFC 6186 SRV records (``_imaps._tcp``, ``_imap._tcp``, ``_submissions._tcp``
   of RFC 8314, ``_submission._tcp``);
4. the domain's MX records: Microsoft 365 (``*.mail.protection.outlook.com``)
   and Google Workspace (``*.google.com`` / ``googlemail.com``).

What was tried is kept in plain words, so a person sees why nothing was found.
Whatever is found is confirmed by one login before it is kept (AccountService.add).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mailwise_desktop.core.accounts import Security
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.tls import client_context
from mailwise_desktop.signin import ispdb
from mailwise_desktop.signin.ispdb import FoundSettings, ServerGuess
from mailwise_desktop.signin.providers import PRESETS

if TYPE_CHECKING:
    import dns.resolver

log = logging.getLogger(__name__)

AUTOCONFIG_URLS = (
    "https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={address}",
    "https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress={address}",
    "https://autoconfig.thunderbird.net/v1.1/{domain}",
)
#: consumer domains whose provider is known without asking anyone
KNOWN_DOMAINS = {"gmail.com": "google", "googlemail.com": "google"}
_PROVIDER_HOSTS = {"outlook.office365.com": "microsoft", "imap.gmail.com": "google"}
_SRV_IMAP = (("_imaps._tcp", Security.TLS), ("_imap._tcp", Security.STARTTLS))
_SRV_SMTP = (("_submissions._tcp", Security.TLS), ("_submission._tcp", Security.STARTTLS))


@dataclass(frozen=True)
class DiscoverySources:
    """Where to look (tests point these at local servers).

    Attributes:
        autoconfig_urls: templates with ``{domain}`` and ``{address}``; HTTPS only.
        ca_file: extra trusted CA for those HTTPS servers.
        resolver: the DNS resolver; None: the system's.
        timeout: seconds per HTTP request and DNS query.
    """

    autoconfig_urls: tuple[str, ...] = AUTOCONFIG_URLS
    ca_file: str | None = None
    resolver: dns.resolver.Resolver | None = None
    timeout: float = 8.0


@dataclass
class Discovery:
    """The outcome: settings found (best first) and what was tried, in plain words."""

    address: str
    found: list[FoundSettings] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)

    @property
    def best(self) -> FoundSettings | None:
        return self.found[0] if self.found else None


def discover(address: str, sources: DiscoverySources | None = None) -> Discovery:
    """Look up the settings of ``address``.

    Raises:
        UsageError: ``address`` is not an e-mail address.
    """
    sources = sources or DiscoverySources()
    local, _, domain = address.strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    if not local or "." not in domain:
        raise UsageError(f"{address!r} is not an e-mail address (name@example.co.jp).")
    result = Discovery(address.strip())
    for step in (_known_domain, _autoconfig, _srv, _mx):
        found = step(result.address, domain, sources, result.tried)
        if found is not None:
            result.found.append(found)
            break
    return result


def preset_settings(provider: str, address: str, source: str) -> FoundSettings:
    found = PRESETS[provider]
    host, port, security = found.imap
    imap = ServerGuess(host, port, security, address, oauth=True)
    host, port, security = found.smtp
    smtp = ServerGuess(host, port, security, address, oauth=True)
    return FoundSettings(source, imap, smtp, oauth_provider=provider, title=found.title)


def _known_domain(
    address: str, domain: str, sources: DiscoverySources, tried: list[str]
) -> FoundSettings | None:
    provider = KNOWN_DOMAINS.get(domain)
    return preset_settings(provider, address, "built-in") if provider else None


def _autoconfig(
    address: str, domain: str, sources: DiscoverySources, tried: list[str]
) -> FoundSettings | None:
    for template in sources.autoconfig_urls:
        url = template.format(domain=domain, address=urllib.parse.quote(address, safe="@"))
        where = urllib.parse.urlsplit(url).hostname or url
        document = _fetch(url, sources)
        if document is None:
            tried.append(f"{where}: no settings published")
            continue
        found = ispdb.parse(document, address, source=url)
        if found is None:
            tried.append(f"{where}: answered, but with no usable IMAP server")
            continue
        provider = _PROVIDER_HOSTS.get(found.imap.host, "")
        if provider:
            return preset_settings(provider, address, url)
        return found
    return None


class _HttpsOnly(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> Any:  # (req, fp, code, msg, headers, newurl)
        if not str(args[-1]).lower().startswith("https://"):
            return None  # never follow a redirect down to plain HTTP
        return super().redirect_request(*args)


def _fetch(url: str, sources: DiscoverySources) -> bytes | None:
    if not url.lower().startswith("https://"):
        return None
    context = client_context(sources.ca_file)
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _HttpsOnly())
    try:
        with opener.open(url, timeout=sources.timeout) as answer:
            if answer.status != 200:
                return None
            return bytes(answer.read(ispdb.MAX_DOCUMENT + 1))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.info("autoconfig: %s: %s", urllib.parse.urlsplit(url).hostname, exc)
        return None


def _resolver(sources: DiscoverySources) -> dns.resolver.Resolver:
    # Imported here: a profile that never looks settings up never loads dnspython.
    import dns.resolver

    resolver = sources.resolver or dns.resolver.Resolver()
    resolver.lifetime = sources.timeout
    return resolver


def _query(resolver: dns.resolver.Resolver, name: str, kind: str, tried: list[str]) -> list[Any]:
    import dns.exception
    import dns.resolver

    try:
        return list(resolver.resolve(name, kind))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
        return []
    except dns.exception.DNSException as exc:
        tried.append(f"DNS did not answer for {name} ({type(exc).__name__})")
        return []


def _srv_target(
    resolver: dns.resolver.Resolver,
    domain: str,
    services: tuple[tuple[str, Security], ...],
    tried: list[str],
) -> tuple[str, int, Security] | None:
    for service, security in services:
        records = _query(resolver, f"{service}.{domain}", "SRV", tried)
        usable = [r for r in records if str(r.target) != "."]  # "." : not offered (RFC 6186)
        if usable:
            best = sorted(usable, key=lambda r: (r.priority, -r.weight))[0]
            return str(best.target).rstrip(".").lower(), int(best.port), security
    return None


def _srv(
    address: str, domain: str, sources: DiscoverySources, tried: list[str]
) -> FoundSettings | None:
    resolver = _resolver(sources)
    imap = _srv_target(resolver, domain, _SRV_IMAP, tried)
    if imap is None:
        tried.append(f"DNS: no IMAP service (SRV) published for {domain}")
        return None
    smtp = _srv_target(resolver, domain, _SRV_SMTP, tried)
    return FoundSettings(
        "DNS SRV",
        ServerGuess(*imap, user=address),
        ServerGuess(*smtp, user=address) if smtp else None,
    )


def _mx(
    address: str, domain: str, sources: DiscoverySources, tried: list[str]
) -> FoundSettings | None:
    hosts = [
        str(r.exchange).rstrip(".").lower() for r in _query(_resolver(sources), domain, "MX", tried)
    ]
    for host in hosts:
        if host.endswith(".mail.protection.outlook.com"):
            return preset_settings("microsoft", address, f"MX {host}")
        if host.endswith((".google.com", ".googlemail.com")) or host in (
            "google.com",
            "googlemail.com",
        ):
            return preset_settings("google", address, f"MX {host}")
    tried.append(
        f"DNS: the mail servers (MX) of {domain} are not Microsoft 365 or Google"
        if hosts
        else f"DNS: {domain} has no mail servers (MX)"
    )
    return None
