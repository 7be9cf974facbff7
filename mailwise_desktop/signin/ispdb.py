"""Reading Thunderbird's autoconfig format ("ISPDB", config-v1.1.xml).

The document is outside input (any web server can answer): it is parsed
with the standard library's expat-based parser, which resolves no external
entities, after a size cap; a server without TLS (``socketType`` plain) is
never taken.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from mailwise_desktop.core.accounts import Security

MAX_DOCUMENT = 256_000
_SECURITY = {"SSL": Security.TLS, "STARTTLS": Security.STARTTLS}
_PREFERENCE = {Security.TLS: 0, Security.STARTTLS: 1}


@dataclass(frozen=True)
class ServerGuess:
    """One server of found settings."""

    host: str
    port: int
    security: Security
    #: login, with the address filled in
    user: str
    #: the document says the server signs in with OAuth2
    oauth: bool = False


@dataclass(frozen=True)
class FoundSettings:
    """IMAP and SMTP settings found for an address, and where they came from.

    Attributes:
        source: where they were found, for the person (a URL, "DNS SRV", "MX").
        imap / smtp: the servers (SMTP may be unknown).
        oauth_provider: ``microsoft`` or ``google`` when sign-in is by their browser page.
        title: the provider's name when known (e.g. "Microsoft 365").
    """

    source: str
    imap: ServerGuess
    smtp: ServerGuess | None
    oauth_provider: str = ""
    title: str = ""


def parse(document: bytes, address: str, *, source: str) -> FoundSettings | None:
    """The IMAP (and SMTP) servers of an autoconfig document, or None when it has no usable one."""
    if len(document) > MAX_DOCUMENT:
        return None
    try:
        root = ET.fromstring(document)
    except ET.ParseError:
        return None
    provider = root.find("emailProvider")
    if root.tag != "clientConfig" or provider is None:
        return None
    imap = _best(provider.findall("incomingServer"), "imap", address)
    if imap is None:
        return None
    smtp = _best(provider.findall("outgoingServer"), "smtp", address)
    title = (provider.findtext("displayName") or "").strip()[:100]
    return FoundSettings(source, imap, smtp, title=title)


def _best(servers: list[ET.Element], kind: str, address: str) -> ServerGuess | None:
    found: list[ServerGuess] = []
    for server in servers:
        if server.get("type") != kind:
            continue
        host = _fill(server.findtext("hostname") or "", address)
        port_text = (server.findtext("port") or "").strip()
        security = _SECURITY.get((server.findtext("socketType") or "").strip().upper())
        if not host or not port_text.isdigit() or security is None or "%" in host:
            continue
        port = int(port_text)
        if not 0 < port < 65536:
            continue
        methods = {(a.text or "").strip().lower() for a in server.findall("authentication")}
        user = _fill(server.findtext("username") or "%EMAILADDRESS%", address)
        found.append(ServerGuess(host.lower(), port, security, user, oauth="oauth2" in methods))
    found.sort(key=lambda s: _PREFERENCE[s.security])
    return found[0] if found else None


def _fill(text: str, address: str) -> str:
    local, _, domain = address.partition("@")
    return (
        text.strip()
        .replace("%EMAILADDRESS%", address)
        .replace("%EMAILLOCALPART%", local)
        .replace("%EMAILDOMAIN%", domain)
    )
