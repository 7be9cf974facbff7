"""client_context reads the trust store once per CA file state and pin, not per connection."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core import tls
from mailwise_desktop.core.errors import CertificateError
from tests.harness.certs import make_server_certificates, make_unrelated_ca_file

PIN = ":".join(["AB"] * 32)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """An empty cache and a clock the test moves."""
    monkeypatch.setattr(tls, "_contexts", {})
    now = [1000.0]
    monkeypatch.setattr(tls, "_clock", lambda: now[0])
    made: list[int] = []
    real = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        made.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    yield now
    assert made  # the tests below ran through the real constructor


def test_the_same_ca_file_and_pin_give_the_same_context(tmp_path: Path) -> None:
    ca = str(make_server_certificates(tmp_path).ca_file)
    first = tls.client_context(ca)
    assert tls.client_context(ca) is first
    assert tls.client_context() is tls.client_context()
    assert tls.client_context() is not first
    pinned = tls.client_context(ca, pin_sha256=PIN)
    assert pinned is not first and pinned.verify_mode is ssl.CERT_NONE
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname


def test_a_replaced_ca_file_is_read_again(tmp_path: Path) -> None:
    ca = tmp_path / "company-ca.pem"
    make_unrelated_ca_file(ca)
    before = tls.client_context(str(ca))
    server = make_server_certificates(tmp_path, prefix="server-")
    ca.write_bytes(Path(server.ca_file).read_bytes() + b"\n")  # the admin's new CA
    after = tls.client_context(str(ca))
    assert after is not before
    subjects = [c["subject"] for c in after.get_ca_certs()]
    assert subjects != [c["subject"] for c in before.get_ca_certs()]


def test_the_system_store_is_read_again_after_its_time(
    tmp_path: Path, fresh_cache: list[float]
) -> None:
    first = tls.client_context()
    fresh_cache[0] += tls.TRUST_STORE_TTL - 1
    assert tls.client_context() is first
    fresh_cache[0] += 2
    assert tls.client_context() is not first


def test_an_unreadable_ca_file_still_fails_every_time(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.pem")
    for _ in range(2):
        with pytest.raises(CertificateError):
            tls.client_context(missing)
    with pytest.raises(CertificateError):
        tls.client_context(pin_sha256="not a pin")


def test_a_changed_ssl_cert_file_gives_a_context_that_trusts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    before = tls.client_context()
    server = make_server_certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))  # the system's store, as set now
    after = tls.client_context()
    assert after is not before
    assert tls.client_context() is after
    subjects = {str(c["subject"]) for c in after.get_ca_certs()}
    wanted = {str(c["subject"]) for c in _ca_certs_of(Path(server.ca_file))}
    assert wanted <= subjects


def _ca_certs_of(pem: Path) -> list[dict[str, object]]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cafile=str(pem))
    return ctx.get_ca_certs()  # type: ignore[return-value]
