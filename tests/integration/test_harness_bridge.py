"""The Dovecot bridge as a factory: servers of a test's own, started on the Linux side.

Under the Windows lane these run through the lane's own bridge
(``$MAILWISE_DOVECOT_BRIDGE``); on Linux the test starts a bridge process as
the lane does (``python -m tests.harness.bridge``) and talks to it the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from multiprocessing.connection import Client
from pathlib import Path

import pytest

from tests.harness.bridge import RemoteDovecot
from tests.harness.dovecot import BRIDGE_ENV, DovecotError, DovecotServer, dovecot_available

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bridge_spec() -> Iterator[str]:
    """The lane's bridge, or one started here for this module."""
    spec = os.environ.get(BRIDGE_ENV)
    if spec:
        yield spec
        return
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.bridge"],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        spec = proc.stdout.readline().strip()
        assert spec, "the bridge did not start"
        yield spec
    finally:
        proc.stdin.close()  # the bridge stops every server when its stdin closes
        assert proc.wait(timeout=60) == 0


def capabilities(server: DovecotServer) -> set[bytes]:
    user = server.add_user()
    client = server.connect(user)
    try:
        return set(client.capabilities())
    finally:
        client.logout()


def test_a_server_started_with_options_has_them_and_restarts_with_others(
    bridge_spec: str,
) -> None:
    server = RemoteDovecot.start(bridge_spec, exchange_like=True, uidplus=False)
    try:
        first = capabilities(server)  # type: ignore[arg-type]
        assert b"CONDSTORE" not in first and b"UIDPLUS" not in first
        user = server.add_user()
        server.doveadm("mailbox", "create", "Mailwise", user=user)
        port = server.imaps_port
        server.restart(exchange_like=False)
        assert server.imaps_port == port  # the same server, as a provider's change
        again = capabilities(server)  # type: ignore[arg-type]
        assert b"CONDSTORE" in again
        assert "Mailwise" in server.list_folders(user)  # its mail kept
    finally:
        server.stop()


def test_two_servers_of_their_own_and_the_shared_one_are_distinct(bridge_spec: str) -> None:
    shared = RemoteDovecot(bridge_spec)
    gmail = RemoteDovecot.start(bridge_spec, gmail_like=True)
    plain = RemoteDovecot.start(bridge_spec)
    try:
        ports = {s.imaps_port for s in (shared, gmail, plain)}
        assert len(ports) == 3
        user = gmail.add_user()
        assert "[Gmail]/All Mail" in gmail.list_folders(user)
        with pytest.raises(DovecotError):  # a user of one server is unknown to another
            plain.doveadm("mailbox", "list", user=user)
    finally:
        gmail.stop()
        plain.stop()
        shared.stop()  # hangs up only: the session's server stays
    with RemoteDovecot(bridge_spec) as again:
        assert again.imaps_port in ports
        assert again.add_user().name


def test_stop_removes_the_server_and_a_dropped_caller_leaves_none_behind(
    bridge_spec: str,
) -> None:
    server = RemoteDovecot.start(bridge_spec)
    folder = Path(server.dir)
    assert folder.exists()
    server.stop()
    assert not folder.exists()

    orphan = RemoteDovecot.start(bridge_spec)
    folder = Path(orphan.dir)
    assert folder.exists()
    orphan._conn.close()  # a Windows pytest that died: no stop() ever comes
    # The bridge stops it once it reads the end of that connection.
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists()


def test_a_start_with_a_wrong_option_is_refused_and_the_connection_stays_usable(
    bridge_spec: str,
) -> None:
    host, port, key = bridge_spec.split()
    with Client((host, int(port)), authkey=bytes.fromhex(key)) as conn:
        conn.send((0, "__start__", (), {"no_such_option": True}))
        status, value = conn.recv()
        assert status == "error" and value[0] == "TypeError"
        conn.send((0, "host", (), {}))
        assert conn.recv() == ("ok", "127.0.0.1")
