"""An open IMAP session of the engine: the client, its raw wire, and what it enabled."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailwise_desktop.core.accounts import Endpoint
from mailwise_desktop.core.credentials import Secret
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.imap.mailbox_sync import ServerFeatures
from mailwise_desktop.imap.wire import Wire

log = logging.getLogger(__name__)


@dataclass
class ImapSession:
    """One logged-in connection with CONDSTORE/QRESYNC enabled when offered."""

    client: Any
    wire: Wire
    features: ServerFeatures
    capabilities: frozenset[str]

    def close(self) -> None:
        """Log out, ignoring a connection that is already gone."""
        with contextlib.suppress(Exception):
            self.client.logout()
        with contextlib.suppress(Exception):
            self.client.shutdown()


def open_session(
    endpoint: Endpoint,
    password: Secret,
    *,
    on_command: Callable[[bytes], None] | None = None,
    timeout: float = 30,
) -> ImapSession:
    """Connect, log in and ``ENABLE QRESYNC`` (or CONDSTORE) before any SELECT."""
    client = open_imap(endpoint, password, timeout=timeout)
    caps = frozenset(c.decode("ascii", "replace").upper() for c in client.capabilities())
    wire = Wire(client, on_command=on_command)
    qresync = "QRESYNC" in caps and "ENABLE" in caps
    condstore = "CONDSTORE" in caps or qresync
    if qresync:
        # QRESYNC implies CONDSTORE and makes the server report VANISHED uids.
        qresync = wire.command(b"ENABLE QRESYNC").ok
    if condstore and not qresync and "ENABLE" in caps:
        wire.command(b"ENABLE CONDSTORE")
    return ImapSession(client, wire, ServerFeatures(condstore=condstore, qresync=qresync), caps)
