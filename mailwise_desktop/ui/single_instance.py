"""One running window per profile: a second launch brings the first forward.

The first ``mailwise-desktop`` for a profile listens on a local socket named
after the profile folder (a named pipe on Windows, a socket file on Linux and
macOS); a later launch for the same profile connects, says "show", and exits.
Two profiles ($MAILWISE_HOME) on one machine are two names, so both run.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from mailwise_desktop.core.profile import Profile

_SHOW = b"show\n"
_TIMEOUT_MS = 1000


def server_name(profile: Profile) -> str:
    """Short and safe on every OS (socket paths are limited to ~100 bytes)."""
    digest = hashlib.sha256(str(profile.root).encode("utf-8")).hexdigest()[:16]
    return f"mailwise-desktop-{digest}"


class SingleInstance(QObject):
    """The profile's instance lock; ``activated`` fires when another launch asks to show.

    Args:
        profile: whose window this process is.
    """

    activated = Signal()

    def __init__(self, profile: Profile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(profile)
        self._server: QLocalServer | None = None

    def ask_running_to_show(self) -> bool:
        """True when another process holds the profile (and was asked to come forward)."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(_TIMEOUT_MS):
            return False
        socket.write(_SHOW)
        socket.waitForBytesWritten(_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the profile's instance; False if the name can't be taken."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            # A socket file left by a crashed instance (nobody answered above).
            QLocalServer.removeServer(self._name)
            if not server.listen(self._name):
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            # The message is one short line written right after connecting.
            ready = socket.bytesAvailable() > 0 or socket.waitForReadyRead(_TIMEOUT_MS)
            if ready and bytes(socket.readAll().data()).startswith(_SHOW.strip()):
                self.activated.emit()
            socket.abort()
            socket.deleteLater()
