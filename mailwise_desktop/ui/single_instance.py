"""One running window per profile: a second launch brings the first forward.

The first ``mailwise-desktop`` for a profile listens on a local socket named
after the profile folder (a named pipe on Windows, a socket file on Linux and
macOS); a later launch for the same profile connects, says "show", waits for
the first to answer "ok", and exits. Two profiles ($MAILWISE_HOME) on one
machine are two names, so both run.

Why the answer: on a named pipe, a message the second launch wrote and then
closed its end on can be gone before the first reads it (the pipe is broken
first: under Wine when the first window was busy, not running its event loop,
while the second connected, wrote and left; nothing in Windows promises
otherwise), so the second launch keeps the connection open until the first
says it has read it.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from mailwise_desktop.core.profile import Profile

_SHOW = b"show\n"
_ACK = b"ok\n"
_TIMEOUT_MS = 1000
# How long a second launch waits for a busy window to read its "show".
_ANSWER_MS = 5000


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
        self._sockets: list[QLocalSocket] = []
        #: Whether the running instance confirmed the last "show" (tests read it).
        self.acknowledged = False

    def ask_running_to_show(self) -> bool:
        """True when another process holds the profile (and was asked to come forward).

        Blocks up to about seven seconds (a running window too busy to answer);
        called before this launch's window exists.
        """
        self.acknowledged = False
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(_TIMEOUT_MS):
            return False
        socket.write(_SHOW)
        socket.flush()
        socket.waitForBytesWritten(_TIMEOUT_MS)
        # Stay connected until the answer: closing first can lose the message.
        # No answer (an older version, or a busy window) still means it runs.
        answer = b""
        while _ACK not in answer and socket.waitForReadyRead(_ANSWER_MS):
            answer += bytes(socket.readAll().data())
        self.acknowledged = _ACK in answer
        socket.abort()
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
            # Abort first: a socket deleted with its pipe read still pending
            # crashed the process later under Wine (a completion called into freed memory).
            for socket in self._sockets:
                socket.abort()
            self._sockets.clear()
            self._server.deleteLater()  # and the sockets, its children
            self._server = None

    def _on_connection(self) -> None:
        assert self._server is not None
        # Sockets of earlier launches go now: deleting one from its own
        # ``disconnected`` (emitted inside our readyRead slot) crashed PySide6.
        for old in [
            s for s in self._sockets if s.state() == QLocalSocket.LocalSocketState.UnconnectedState
        ]:
            self._sockets.remove(old)
            old.abort()
            old.deleteLater()
        while (socket := self._server.nextPendingConnection()) is not None:
            self._sockets.append(socket)
            # Read when the line arrives, not by blocking the window's thread.
            socket.readyRead.connect(self._on_ready_read)
            if socket.bytesAvailable() > 0:
                self._read_show(socket)

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read_show(socket)

    def _read_show(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        if line.startswith(_SHOW.strip()):
            socket.write(_ACK)
            socket.flush()
            self.activated.emit()
        # The second launch closes the connection once it has the answer: a
        # pipe closed by its writer can lose what the reader had not read yet.
