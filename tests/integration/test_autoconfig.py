"""Automatic settings from an address: autoconfig over a local HTTPS server, SRV and MX
behind a DNS responder the test controls, then one login to Dovecot to confirm.

The autoconfig URL templates point at the local server by path
(``https://localhost:PORT/autoconfig.{domain}/…``) instead of by host name:
the same code fetches, verifies TLS, follows the order and parses.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.cli import account_commands
from mailwise_desktop.cli.main import main
from mailwise_desktop.core.accounts import Security
from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.signin.discovery import DiscoverySources, discover
from tests.harness.dns_responder import DnsResponder
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.web_server import WebServer

DOMAIN = "example.test"


def config(host: str, port: int, socket_type: str = "SSL", smtp_port: int = 465) -> bytes:
    return f"""<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="{DOMAIN}">
  <displayName>Example Hosting</displayName>
  <incomingServer type="imap"><hostname>{host}</hostname><port>{port}</port>
    <socketType>{socket_type}</socketType><username>%EMAILADDRESS%</username>
    <authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>{host}</hostname><port>{smtp_port}</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>""".encode()


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


@pytest.fixture
def dns_server() -> Iterator[DnsResponder]:
    with DnsResponder() as responder:
        yield responder


def sources(web: WebServer, dns_server: DnsResponder, *, trusted: bool = True) -> DiscoverySources:
    return DiscoverySources(
        autoconfig_urls=(
            web.base + "/autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={address}",
            web.base + "/{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
        ),
        ca_file=str(web.ca_file) if trusted else None,
        resolver=dns_server.resolver(),
        timeout=5,
    )


def test_autoconfig_of_the_domain_is_read_first(web: WebServer, dns_server: DnsResponder) -> None:
    web.documents[f"/autoconfig.{DOMAIN}/mail/config-v1.1.xml"] = config("mail.example.test", 993)
    found = discover(f"info@{DOMAIN}", sources(web, dns_server))
    best = found.best
    assert best is not None and best.title == "Example Hosting"
    assert (best.imap.host, best.imap.port, best.imap.security) == (
        "mail.example.test",
        993,
        Security.TLS,
    )
    assert best.imap.user == f"info@{DOMAIN}"
    assert web.requested == [
        f"/autoconfig.{DOMAIN}/mail/config-v1.1.xml?emailaddress=info@{DOMAIN}"
    ]
    assert dns_server.queries == []  # found over HTTPS: DNS not asked


def test_well_known_is_next_and_what_was_tried_is_said(
    web: WebServer, dns_server: DnsResponder
) -> None:
    web.documents[f"/{DOMAIN}/.well-known/autoconfig/mail/config-v1.1.xml"] = config(
        "imap.example.test", 143, "STARTTLS"
    )
    found = discover(f"info@{DOMAIN}", sources(web, dns_server))
    assert found.best is not None and found.best.imap.security is Security.STARTTLS
    assert found.tried == ["localhost: no settings published"]


def test_an_untrusted_certificate_or_a_redirect_to_http_is_not_followed(
    web: WebServer, dns_server: DnsResponder
) -> None:
    path = f"/autoconfig.{DOMAIN}/mail/config-v1.1.xml"
    web.documents[path] = config("evil.example.test", 993)
    found = discover(f"info@{DOMAIN}", sources(web, dns_server, trusted=False))
    assert found.best is None  # nothing else published either
    web.documents.pop(path)
    web.redirects[path] = "http://localhost:9/evil.xml"
    assert discover(f"info@{DOMAIN}", sources(web, dns_server)).best is None


def test_srv_records_of_rfc_6186(web: WebServer, dns_server: DnsResponder) -> None:
    dns_server.add(f"_imaps._tcp.{DOMAIN}", "SRV", "0 0 0 .")  # "not offered"
    dns_server.add(f"_imap._tcp.{DOMAIN}", "SRV", "20 1 143 backup.example.test.",
                   "10 5 143 imap.example.test.")  # fmt: skip
    dns_server.add(f"_submission._tcp.{DOMAIN}", "SRV", "0 1 587 smtp.example.test.")
    found = discover(f"info@{DOMAIN}", sources(web, dns_server))
    best = found.best
    assert best is not None and best.source == "DNS SRV"
    assert (best.imap.host, best.imap.port, best.imap.security) == (
        "imap.example.test",
        143,
        Security.STARTTLS,
    )
    assert best.smtp is not None
    assert (best.smtp.host, best.smtp.port, best.smtp.security) == (
        "smtp.example.test",
        587,
        Security.STARTTLS,
    )


@pytest.mark.parametrize(
    ("mx", "provider", "imap_host"),
    [
        ("example-test.mail.protection.outlook.com.", "microsoft", "outlook.office365.com"),
        ("aspmx.l.google.com.", "google", "imap.gmail.com"),
    ],
)
def test_mx_of_microsoft_365_and_google_workspace(
    web: WebServer, dns_server: DnsResponder, mx: str, provider: str, imap_host: str
) -> None:
    dns_server.add(DOMAIN, "MX", f"0 {mx}")
    best = discover(f"support@{DOMAIN}", sources(web, dns_server)).best
    assert best is not None
    assert (best.oauth_provider, best.imap.host) == (provider, imap_host)
    assert best.imap.user == f"support@{DOMAIN}"  # the shared address is the XOAUTH2 user


def test_nothing_found_says_what_was_tried(web: WebServer, dns_server: DnsResponder) -> None:
    dns_server.add(DOMAIN, "MX", "10 mx.example.test.")
    found = discover(f"info@{DOMAIN}", sources(web, dns_server))
    assert found.best is None
    assert (
        found.tried[-1] == f"DNS: the mail servers (MX) of {DOMAIN} are not Microsoft 365 or Google"
    )
    assert f"DNS: no IMAP service (SRV) published for {DOMAIN}" in found.tried


def test_gmail_is_known_without_asking_anyone(web: WebServer, dns_server: DnsResponder) -> None:
    best = discover("someone@gmail.com", sources(web, dns_server)).best
    assert best is not None and best.oauth_provider == "google"
    assert web.requested == [] and dns_server.queries == []


def test_cli_add_with_only_address_and_password_confirms_with_one_login(
    web: WebServer,
    dns_server: DnsResponder,
    dovecot: DovecotServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mailwise_home: Path,
) -> None:
    user: TestUser = dovecot.add_user(f"info@{DOMAIN}")
    web.documents[f"/autoconfig.{DOMAIN}/mail/config-v1.1.xml"] = config(
        "127.0.0.1", dovecot.imaps_port
    )
    found_at = sources(web, dns_server)
    # The test CA of Dovecot is the private CA a company would give with --ca-file.
    monkeypatch.setattr(account_commands, "discovery_sources", lambda: found_at)
    monkeypatch.setattr("sys.stdin", io.StringIO(user.password + "\n"))
    code = main(["account", "add", "info", "--address", user.name, "--password-stdin",
                 "--ca-file", str(dovecot.ca_file)])  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Settings found" in out.err and "localhost" in out.err
    account = AppContext.open().account("info")
    assert (account.imap.host, account.imap.port, account.imap.user) == (
        "127.0.0.1",
        dovecot.imaps_port,
        user.name,
    )

    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    code = main(["account", "add", "info2", "--address", user.name, "--password-stdin",
                 "--ca-file", str(dovecot.ca_file)])  # fmt: skip
    assert code == ExitCode.AUTH  # the one login decides: nothing kept
    assert [a.id for a in AppContext.open().accounts()] == ["info"]


def test_cli_discover_points_microsoft_365_to_sign_in(
    web: WebServer,
    dns_server: DnsResponder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dns_server.add(DOMAIN, "MX", "0 example-test.mail.protection.outlook.com.")
    monkeypatch.setattr(account_commands, "discovery_sources", lambda: sources(web, dns_server))
    assert main(["account", "discover", f"support@{DOMAIN}"]) == 0
    out = capsys.readouterr().out
    assert "Microsoft 365" in out and "--oauth microsoft" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    code = main(["account", "add", "s", "--address", f"support@{DOMAIN}", "--password-stdin"])
    assert code == ExitCode.USAGE
    assert "--oauth microsoft" in capsys.readouterr().err
