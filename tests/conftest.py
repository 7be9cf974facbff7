"""Suite-wide fixtures: real servers, an in-memory keychain, a private profile.

Layout (TESTING.md): ``tests/unit`` (no servers, no Qt), ``tests/integration``
(the real Dovecot and aiosmtpd started here), ``tests/gui`` (pytest-qt,
offscreen). Tests are marked by their folder automatically.
"""

from __future__ import annotations

import os

# Before anything imports Qt: the suite runs headless, on CI and on laptops.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from imapclient import IMAPClient

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.profile import HOME_ENV
from tests.harness.bridge import ENV as BRIDGE_ENV
from tests.harness.bridge import RemoteDovecot
from tests.harness.dovecot import DovecotServer, TestUser, dovecot_available, start_dovecot
from tests.harness.keyring_backend import FILE_ENV, MemoryKeyring
from tests.harness.smtp import SmtpServer

_MARK_BY_FOLDER = {"unit": "unit", "integration": "integration", "gui": "gui"}
_TESTS_ROOT = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test after its folder: ``-m unit``, ``-m "not gui"`` work everywhere."""
    for item in items:
        try:
            folder = Path(item.path).relative_to(_TESTS_ROOT).parts[0]
        except ValueError:
            continue
        mark = _MARK_BY_FOLDER.get(folder)
        if mark is not None:
            item.add_marker(getattr(pytest.mark, mark))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# ---------------------------------------------------------------------- every test


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """Every test gets an empty in-memory keychain; the real one is never touched.

    Subprocesses (CLI tests) get keyring's "fail" backend unless they opt into
    the file-backed test keychain through :func:`cli_env`: a forgotten opt-in
    shows up as a KeychainError, never as a write to the developer's keychain.
    """
    # Not keyring.get_keyring(): its first call probes the OS keychains.
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return backend


@pytest.fixture(autouse=True)
def mailwise_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty ``$MAILWISE_HOME`` per test (the profile folder)."""
    home = tmp_path / "mailwise-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture
def cli_env(mailwise_home: Path, tmp_path: Path) -> dict[str, str]:
    """Environment for running ``mailwise`` (or any app process) in a subprocess.

    Same profile folder as the test (``$MAILWISE_HOME``), a file-backed test
    keychain at ``tmp_path / "keyring.json"`` shared with the test through
    :class:`~tests.harness.keyring_backend.FileKeyring`, offscreen Qt, and the
    repository on PYTHONPATH so the test backend is importable.
    """
    env = dict(os.environ)
    env.update(
        {
            HOME_ENV: str(mailwise_home),
            "PYTHON_KEYRING_BACKEND": "tests.harness.keyring_backend.FileKeyring",
            FILE_ENV: str(tmp_path / "keyring.json"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(_TESTS_ROOT.parent), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
    )
    return env


# ---------------------------------------------------------------------- servers


def _require_dovecot() -> None:
    """Skip without a Dovecot to start (here or bridged); on CI fail instead of hiding tests."""
    if dovecot_available():
        return
    reason = "dovecot is not installed (make deps / apt-get install dovecot-imapd)"
    if _in_ci():
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """One private Dovecot for the session (STARTTLS and implicit-TLS ports).

    Skipped when Dovecot is not installed on a developer machine; on CI
    (``CI=true``) a missing Dovecot fails the run instead of hiding tests.
    In the Windows lane the server runs on the Linux side (tests/harness/bridge.py).
    """
    bridge = os.environ.get(BRIDGE_ENV)
    if bridge:
        remote = RemoteDovecot(bridge)
        try:
            yield remote  # type: ignore[misc]
        finally:
            remote.stop()
        return
    _require_dovecot()
    server = DovecotServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def exchange_dovecot() -> Iterator[DovecotServer]:
    """Dovecot with Exchange Online's capability list and every custom keyword refused (Mode B).

    Its own server, local or on the Linux side of the Windows lane (start_dovecot).
    """
    _require_dovecot()
    server = start_dovecot(exchange_like=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """One aiosmtpd server for the session; ``smtp_endpoint`` resets it per test."""
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_user(dovecot: DovecotServer) -> TestUser:
    """A fresh mailbox user for this test only (empty INBOX)."""
    return dovecot.add_user()


@pytest.fixture
def imap_endpoint(dovecot: DovecotServer, imap_user: TestUser) -> Endpoint:
    """STARTTLS endpoint for ``imap_user``, trusting the test CA."""
    return Endpoint(
        host=dovecot.host,
        port=dovecot.imap_port,
        security=Security.STARTTLS,
        user=imap_user.name,
        ca_file=str(dovecot.ca_file),
    )


@pytest.fixture
def imaps_endpoint(dovecot: DovecotServer, imap_user: TestUser) -> Endpoint:
    """Implicit-TLS endpoint for ``imap_user``, trusting the test CA."""
    return Endpoint(
        host=dovecot.host,
        port=dovecot.imaps_port,
        security=Security.TLS,
        user=imap_user.name,
        ca_file=str(dovecot.ca_file),
    )


@pytest.fixture
def imap_client(dovecot: DovecotServer, imap_user: TestUser) -> Iterator[IMAPClient]:
    """A logged-in imapclient connection for ``imap_user`` (implicit TLS)."""
    client = dovecot.connect(imap_user)
    try:
        yield client
    finally:
        try:
            client.logout()
        except Exception:  # the test may have closed or broken the connection
            client.shutdown()


@pytest.fixture
def smtp_endpoint(smtp_server: SmtpServer) -> Endpoint:
    """STARTTLS submission endpoint (login ``smtp_server.user`` / ``.password``).

    Resets the shared server first: no mail and no failure mode from a previous test.
    """
    smtp_server.reset()
    return Endpoint(
        host=smtp_server.host,
        port=smtp_server.port,
        security=Security.STARTTLS,
        user=smtp_server.user,
        ca_file=str(smtp_server.ca_file),
    )


@pytest.fixture
def smtps_endpoint(smtp_server: SmtpServer) -> Endpoint:
    """Implicit-TLS submission endpoint; resets the shared server like ``smtp_endpoint``."""
    smtp_server.reset()
    return Endpoint(
        host=smtp_server.host,
        port=smtp_server.smtps_port,
        security=Security.TLS,
        user=smtp_server.user,
        ca_file=str(smtp_server.ca_file),
    )
