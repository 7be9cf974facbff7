"""A TCP proxy between the client and the real Dovecot that can cut one connection on cue.

It forwards bytes unchanged (TLS passes through), so the server is real; only
the line is faulty. ``arm("after")`` cuts the connection that sends the next
chunk after forwarding it (and what follows for a moment) and letting the server answer (the server
applied the command, the reply is lost); ``arm("before")`` cuts it instead of
forwarding (the command never reached the server). New connections are
forwarded as usual, so the client can reconnect.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class FaultProxy:
    """Forward ``listen host:port`` → ``target``; cut one connection when armed."""

    def __init__(self, host: str, target_port: int, *, settle: float = 0.5) -> None:
        self.host = host
        self.target_port = target_port
        self.settle = settle  # seconds the server gets to apply a command before the cut
        self._listener = socket.create_server((host, 0))
        self.port: int = self._listener.getsockname()[1]
        self._mode: str | None = None
        self._lock = threading.Lock()
        self.cuts = 0
        self.cut_done = threading.Event()
        self._open: list[socket.socket] = []
        self._held: set[int] = set()  # client sockets whose replies are dropped
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, mode: str) -> None:
        """Cut the connection that sends the next chunk: ``"after"`` or ``"before"`` forwarding."""
        assert mode in {"after", "before"}
        with self._lock:
            self._mode = mode
            self.cut_done.clear()

    def close(self) -> None:
        self._closed = True
        for sock in [self._listener, *self._open]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection((self.host, self.target_port))
            self._open += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                mode = None
                if from_client:
                    with self._lock:
                        mode, self._mode = self._mode, None
                if mode == "before":
                    self._cut(src, dst)
                    return
                if mode == "after":
                    self._held.add(id(src))
                if not from_client and id(dst) in self._held:
                    continue  # the reply to the cut command never reaches the client
                dst.sendall(data)
                if mode == "after":
                    # The command may come in several writes (imapclient sends the
                    # CRLF on its own): keep forwarding for ``settle`` seconds while
                    # the replies are held back, then cut.
                    self._forward_for(src, dst, time.monotonic() + self.settle)
                    self._cut(src, dst)
                    return
        except OSError:
            pass
        self._shut(src, dst)

    @staticmethod
    def _forward_for(src: socket.socket, dst: socket.socket, until: float) -> None:
        while (left := until - time.monotonic()) > 0:
            src.settimeout(left)
            try:
                data = src.recv(65536)
            except TimeoutError:
                return
            if not data:
                return
            dst.sendall(data)

    def _cut(self, a: socket.socket, b: socket.socket) -> None:
        self._shut(a, b)
        self.cuts += 1
        self.cut_done.set()

    @staticmethod
    def _shut(*socks: socket.socket) -> None:
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
