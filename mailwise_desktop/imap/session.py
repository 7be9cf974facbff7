"""An open IMAP session of the engine: its one reader, its commands, and what it enabled.

imapclient connects, secures and logs in (:func:`~.connection.open_imap`) and
reads the capabilities; then the connection is handed to a
:class:`~.wire.Wire`, which reads everything that follows. imapclient is not
used on the connection again except to close its socket.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailwise_desktop.core.accounts import Endpoint
from mailwise_desktop.core.credentials import Secret
from mailwise_desktop.imap.commands import ImapCommands
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.imap.mailbox_sync import ServerFeatures
from mailwise_desktop.imap.wire import Wire

log = logging.getLogger(__name__)


@dataclass
class ImapSession:
    """One logged-in connection with CONDSTORE/QRESYNC enabled when offered.

    Attributes:
        client: imapclient-shaped calls, sent through ``wire``.
        wire: the connection's one reader (raw commands, IDLE, the selected mailbox).
        features: what was enabled.
        capabilities: what the server announced after login (upper case).
        login: the imapclient object that opened the connection (closing only).
    """

    client: ImapCommands
    wire: Wire
    features: ServerFeatures
    capabilities: frozenset[str]
    login: Any = None

    def close(self) -> None:
        """Log out, ignoring a connection that is already gone."""
        with contextlib.suppress(Exception):
            self.wire.logout()
        if self.login is not None:
            with contextlib.suppress(Exception):
                self.login.shutdown()
        else:
            with contextlib.suppress(Exception):
                self.wire.sock.close()


def start_session(
    login: Any, *, on_command: Callable[[bytes], None] | None = None, enable: bool = True
) -> ImapSession:
    """Take over a logged-in imapclient connection: from here on the Wire reads it.

    Args:
        login: a logged-in ``imapclient.IMAPClient`` with no command in flight.
        on_command: test hook, called with each command line sent.
        enable: ``ENABLE QRESYNC`` (or CONDSTORE) before any SELECT; tests
            pass False to play a server without them.
    """
    caps = frozenset(c.decode("ascii", "replace").upper() for c in login.capabilities())
    wire = Wire(login.socket(), on_command=on_command)
    qresync = enable and "QRESYNC" in caps and "ENABLE" in caps
    condstore = enable and ("CONDSTORE" in caps or qresync)
    if qresync:
        # QRESYNC implies CONDSTORE and makes the server report VANISHED uids.
        qresync = wire.command(b"ENABLE QRESYNC").ok
    if condstore and not qresync and "ENABLE" in caps:
        wire.command(b"ENABLE CONDSTORE")
    features = ServerFeatures(condstore=condstore, qresync=qresync)
    return ImapSession(ImapCommands(wire, caps), wire, features, caps, login)


def open_session(
    endpoint: Endpoint,
    password: Secret,
    *,
    on_command: Callable[[bytes], None] | None = None,
    timeout: float = 30,
) -> ImapSession:
    """Connect, log in and ``ENABLE QRESYNC`` (or CONDSTORE) before any SELECT."""
    return start_session(open_imap(endpoint, password, timeout=timeout), on_command=on_command)
