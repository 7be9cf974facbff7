"""IMAP connections against the real Dovecot: TLS, trust, pinning, and errors."""

from __future__ import annotations

import dataclasses
import logging
import ssl
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.errors import (
    AuthError,
    CertificateError,
    ConnectionLostError,
    ProtocolError,
    UnreachableError,
)
from mailwise_desktop.core.tls import fingerprint, normalize_pin
from mailwise_desktop.imap.capabilities import probe
from mailwise_desktop.imap.connection import open_imap, translate_imap_error
from tests.harness.certs import make_unrelated_ca_file
from tests.harness.dovecot import DovecotServer, TestUser, free_port


def _logins(dovecot: DovecotServer, user: TestUser) -> int:
    return dovecot.log().count(f"Login: user=<{user.name}>")


@pytest.mark.parametrize("fixture", ["imaps_endpoint", "imap_endpoint"])
def test_login_over_tls_with_the_test_ca(
    request: pytest.FixtureRequest, imap_user: TestUser, fixture: str
) -> None:
    endpoint: Endpoint = request.getfixturevalue(fixture)
    client = open_imap(endpoint, imap_user.password, timeout=10)
    try:
        sock = client.socket()
        assert isinstance(sock, ssl.SSLSocket)
        assert sock.version() in {"TLSv1.2", "TLSv1.3"}
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        client.logout()


@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS])
def test_untrusted_certificate_is_refused_with_its_fingerprint(
    dovecot: DovecotServer, imap_user: TestUser, security: Security
) -> None:
    port = dovecot.imaps_port if security is Security.TLS else dovecot.imap_port
    # No extra CA: the system store does not know the throwaway test CA.
    endpoint = Endpoint(dovecot.host, port, security, imap_user.name)
    with pytest.raises(CertificateError) as info:
        open_imap(endpoint, imap_user.password, timeout=10)
    fp = dovecot.certificates.fingerprint_sha256
    assert info.value.message == (
        f"The server's certificate is not trusted. SHA-256 fingerprint: {fp} "
        "If you trust this server, pin this fingerprint."
    )
    assert _logins(dovecot, imap_user) == 0


def test_a_different_ca_does_not_make_the_server_trusted(
    dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    other_ca = make_unrelated_ca_file(tmp_path / "other-ca.pem")
    endpoint = Endpoint(
        dovecot.host, dovecot.imaps_port, Security.TLS, imap_user.name, ca_file=str(other_ca)
    )
    with pytest.raises(CertificateError, match="not trusted"):
        open_imap(endpoint, imap_user.password, timeout=10)


@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS])
def test_pinned_fingerprint_is_accepted_without_the_ca(
    dovecot: DovecotServer, imap_user: TestUser, security: Security
) -> None:
    port = dovecot.imaps_port if security is Security.TLS else dovecot.imap_port
    # Users paste pins in all sorts of shapes: lower case, no colons.
    pin = dovecot.certificates.fingerprint_sha256.replace(":", "").lower()
    endpoint = Endpoint(dovecot.host, port, security, imap_user.name, pin_sha256=pin)
    client = open_imap(endpoint, imap_user.password, timeout=10)
    try:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        client.logout()


def test_wrong_pin_is_refused_before_the_password_is_sent(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    wrong = "AA:" * 31 + "AA"
    endpoint = Endpoint(
        dovecot.host, dovecot.imaps_port, Security.TLS, imap_user.name, pin_sha256=wrong
    )
    with pytest.raises(CertificateError) as info:
        open_imap(endpoint, imap_user.password, timeout=10)
    assert dovecot.certificates.fingerprint_sha256 in info.value.message
    assert "pinned" in info.value.message
    assert _logins(dovecot, imap_user) == 0


def test_wrong_password_is_an_auth_error(
    imaps_endpoint: Endpoint, imap_user: TestUser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Wrong-Secret-9f3a"
    with pytest.raises(AuthError) as info:
        open_imap(imaps_endpoint, secret, timeout=10)
    assert info.value.message == (
        f"The server refused the user name or password for {imap_user.name}@127.0.0.1."
    )
    assert secret not in caplog.text
    assert secret not in (info.value.detail or "")


def test_unknown_user_is_an_auth_error(imaps_endpoint: Endpoint) -> None:
    endpoint = dataclasses.replace(imaps_endpoint, user="nobody-here")
    with pytest.raises(AuthError):
        open_imap(endpoint, "whatever", timeout=10)


def test_non_ascii_password_logs_in(dovecot: DovecotServer) -> None:
    user = dovecot.add_user(password="pässwörd-日本")
    endpoint = Endpoint(
        dovecot.host, dovecot.imaps_port, Security.TLS, user.name, ca_file=str(dovecot.ca_file)
    )
    open_imap(endpoint, user.password, timeout=10).logout()


def test_closed_port_is_unreachable(imaps_endpoint: Endpoint, imap_user: TestUser) -> None:
    endpoint = dataclasses.replace(imaps_endpoint, port=free_port())
    with pytest.raises(UnreachableError, match="refused the connection"):
        open_imap(endpoint, imap_user.password, timeout=5)


def test_tls_on_the_starttls_port_is_explained(
    dovecot: DovecotServer, imap_endpoint: Endpoint, imap_user: TestUser
) -> None:
    endpoint = dataclasses.replace(imap_endpoint, security=Security.TLS)
    with pytest.raises(ProtocolError, match="security setting matches the port"):
        open_imap(endpoint, imap_user.password, timeout=5)


def test_plain_connection_on_loopback(
    dovecot: DovecotServer, imap_endpoint: Endpoint, imap_user: TestUser
) -> None:
    endpoint = dataclasses.replace(imap_endpoint, security=Security.PLAIN, ca_file=None)
    client = open_imap(endpoint, imap_user.password, timeout=10)
    try:
        assert not isinstance(client.socket(), ssl.SSLSocket)
        client.noop()
    finally:
        client.logout()


def test_server_side_disconnect_translates_to_connection_lost(
    dovecot: DovecotServer, imaps_endpoint: Endpoint, imap_user: TestUser
) -> None:
    client = open_imap(imaps_endpoint, imap_user.password, timeout=10)
    client.select_folder("INBOX")
    dovecot.doveadm("kick", imap_user.name)
    with pytest.raises(Exception) as info:
        # The kick is asynchronous: the next commands hit the closed connection.
        for _ in range(50):
            client.noop()
    error = translate_imap_error(info.value, host=imaps_endpoint.host)
    client.shutdown()
    assert isinstance(error, ConnectionLostError), info.value


def test_capabilities_probe_on_dovecot(
    dovecot: DovecotServer, imaps_endpoint: Endpoint, imap_user: TestUser
) -> None:
    uid = dovecot.append(imap_user, b"Subject: keep me\r\n\r\nx\r\n", flags=["\\Deleted"])
    client = open_imap(imaps_endpoint, imap_user.password, timeout=10)
    try:
        caps = probe(client)
        # The probe must not expunge (no CLOSE) and must leave nothing selected.
        assert client.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"] == 1
    finally:
        client.logout()
    assert dovecot.messages_count(imap_user) == 1, uid
    assert caps.condstore and caps.qresync and caps.idle
    assert caps.uidplus and caps.move and caps.enable
    assert caps.custom_keywords and caps.team_ready
    assert "\\*" in caps.permanent_flags
    assert {"CONDSTORE", "QRESYNC", "IDLE", "UIDPLUS", "MOVE", "NOTIFY"} <= caps.raw
    lines = caps.describe()
    assert "Atomic claims (CONDSTORE): yes" in lines
    assert all(line.endswith(": yes") for line in lines)


def test_fingerprint_and_pin_formats() -> None:
    der = b"not really a certificate"
    fp = fingerprint(der)
    assert len(fp) == 95 and fp.count(":") == 31 and fp == fp.upper()
    assert normalize_pin(fp.replace(":", "").lower()) == fp
    assert normalize_pin(fp.replace(":", " ")) == fp
    with pytest.raises(CertificateError):
        normalize_pin("AB:CD")
