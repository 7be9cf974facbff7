"""Raw IMAP commands on an imapclient connection, with a fast response reader.

imapclient lacks what sync and coordination need (QRESYNC's VANISHED,
CHANGEDSINCE, UNCHANGEDSINCE, HIGHESTMODSEQ in FETCH) and its response
parser is the bulk-sync bottleneck. This module sends commands on the same
socket with imaplib's own tag counter and reads the answers itself: lines
and literals off the socket into one buffer, tokenised by :mod:`.tokens`.

It is only used between complete imaplib commands (imaplib never holds
unread data then), so both can share one connection.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mailwise_desktop.core.errors import ConnectionLostError, ProtocolError
from mailwise_desktop.imap.tokens import Token, tokenize

UntaggedHandler = Callable[[list[Token]], None]


@dataclass
class Response:
    """A completed command: its tagged status and the untagged data collected."""

    status: str  # OK, NO, BAD
    text: bytes
    untagged: list[list[Token]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "OK"


class Wire:
    """Raw command channel over an open imapclient.IMAPClient.

    Args:
        client: a logged-in ``imapclient.IMAPClient``.
        on_command: optional hook called with each command line sent (tests
            assert on the protocol through it; the password never passes here).
    """

    def __init__(self, client: Any, on_command: Callable[[bytes], None] | None = None) -> None:
        self._imap = client._imap
        self._buf = bytearray()
        self._idle_tag: bytes | None = None
        self.on_command = on_command
        self.selected: str | None = None  # set by whoever SELECTs, so jobs know

    @property
    def sock(self) -> socket.socket:
        return self._imap.sock  # type: ignore[no-any-return]

    # -- reading ---------------------------------------------------------

    def _fill(self) -> None:
        try:
            chunk = self.sock.recv(262144)
        except (OSError, ssl.SSLError) as exc:
            raise ConnectionLostError(
                "The connection to the mail server was lost.", detail=str(exc)
            ) from exc
        if not chunk:
            raise ConnectionLostError("The mail server closed the connection.")
        self._buf += chunk

    def _line(self) -> bytes:
        while True:
            end = self._buf.find(b"\r\n")
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[: end + 2]
                return line
            self._fill()

    def _exact(self, size: int) -> bytes:
        while len(self._buf) < size:
            self._fill()
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data

    def _response_segments(self, first: bytes) -> list[bytes]:
        """A whole response as alternating text and literal segments."""
        segments = [first]
        line = first
        while line.endswith(b"}"):
            start = line.rfind(b"{")
            try:
                size = int(line[start + 1 : -1].rstrip(b"+"))
            except ValueError:
                break
            segments.append(self._exact(size))
            line = self._line()
            segments.append(line)
        return segments

    def _read_untagged(self, first: bytes) -> list[Token]:
        return tokenize(self._response_segments(first[2:]))

    # -- commands --------------------------------------------------------

    def command(
        self,
        line: bytes,
        on_untagged: UntaggedHandler | None = None,
        on_line: Callable[[bytes], bool] | None = None,
        on_raw: Callable[[list[bytes]], None] | None = None,
    ) -> Response:
        """Send one command and read to its tagged completion.

        Args:
            line: the command without tag, e.g. ``b"UID FETCH 1:* (FLAGS)"``.
            on_untagged: called for each untagged response as it arrives
                (streaming, for big fetches); otherwise they are collected.
            on_line: offered each untagged line without a literal first (without
                ``* ``); returning True means it was handled and is not tokenised.
                For bulk responses of a known shape (50k flag lines).
            on_raw: given each untagged response that carries a literal as its
                raw segments, untokenised (the parse worker tokenises them:
                imap/parse_worker.py); responses without one go to ``on_untagged``.
        """
        if self._idle_tag is not None:
            raise ProtocolError("internal: command sent while IDLE")
        tag = self._imap._new_tag()
        self._imap.tagged_commands.pop(tag, None)
        if self.on_command is not None:
            self.on_command(line)
        try:
            self.sock.sendall(tag + b" " + line + b"\r\n")
        except OSError as exc:
            raise ConnectionLostError(
                "The connection to the mail server was lost.", detail=str(exc)
            ) from exc
        collected: list[list[Token]] = []
        while True:
            raw = self._line()
            if raw.startswith(b"* "):
                if on_line is not None and not raw.endswith(b"}") and on_line(raw[2:]):
                    continue
                if on_raw is not None and raw.endswith(b"}"):
                    on_raw(self._response_segments(raw[2:]))
                    continue
                tokens = self._read_untagged(raw)
                if tokens and tokens[0] == b"BYE":
                    raise ConnectionLostError(
                        "The mail server ended the session.", detail=raw.decode("utf-8", "replace")
                    )
                (on_untagged or collected.append)(tokens)
            elif raw.startswith(tag + b" "):
                status, _, text = raw[len(tag) + 1 :].partition(b" ")
                return Response(status.decode("ascii", "replace").upper(), text, collected)
            elif raw.startswith(b"+"):
                raise ProtocolError("The server asked for more input unexpectedly.")
            else:
                raise ProtocolError(
                    "The server sent a line we do not understand.",
                    detail=raw[:200].decode("utf-8", "replace"),
                )

    def checked(
        self,
        line: bytes,
        on_untagged: UntaggedHandler | None = None,
        on_line: Callable[[bytes], bool] | None = None,
        on_raw: Callable[[list[bytes]], None] | None = None,
    ) -> Response:
        """Like :meth:`command`, raising ProtocolError unless the server says OK."""
        response = self.command(line, on_untagged, on_line, on_raw)
        if not response.ok:
            raise ProtocolError(
                "The mail server refused a command.",
                detail=f"{line.split(b' ')[0].decode()} -> {response.status} "
                f"{response.text.decode('utf-8', 'replace')}",
            )
        return response

    # -- IDLE ------------------------------------------------------------

    def idle_start(self) -> None:
        """Enter IDLE; the server then pushes changes of the selected mailbox."""
        tag = self._imap._new_tag()
        self._imap.tagged_commands.pop(tag, None)
        if self.on_command is not None:
            self.on_command(b"IDLE")
        self.sock.sendall(tag + b" IDLE\r\n")
        while True:
            raw = self._line()
            if raw.startswith(b"+"):
                self._idle_tag = tag
                return
            if raw.startswith(b"* "):
                continue  # state before IDLE started; the next sync reads it anyway
            raise ProtocolError("The server refused IDLE.", detail=raw.decode("utf-8", "replace"))

    def has_buffered(self) -> bool:
        sock = self.sock
        pending = sock.pending() if isinstance(sock, ssl.SSLSocket) else 0
        return bool(self._buf) or pending > 0

    def idle_wait(
        self, timeout: float, wake: socket.socket | None = None
    ) -> tuple[list[list[Token]], bool]:
        """Wait for pushed data or a wake-up.

        Args:
            wake: a socket (never a pipe: Windows' select takes sockets only)
                that becomes readable when a job is queued.

        Returns:
            (untagged responses received, whether ``wake`` became readable).
        """
        if not self.has_buffered():
            fds: list[Any] = [self.sock]
            if wake is not None:
                fds.append(wake)
            readable, _, _ = select.select(fds, [], [], timeout)
            woken = wake is not None and wake in readable
            if self.sock not in readable:
                return [], woken
        else:
            woken = False
        pushed: list[list[Token]] = []
        self._fill_available()
        while b"\r\n" in self._buf:
            raw = self._line()
            if raw.startswith(b"* "):
                tokens = self._read_untagged(raw)
                if tokens and tokens[0] == b"BYE":
                    raise ConnectionLostError("The mail server ended the session.")
                pushed.append(tokens)
        return pushed, woken

    def _fill_available(self) -> None:
        """Read what the socket has now, without waiting for more."""
        self._fill()
        while isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            self._fill()

    def idle_done(self) -> list[list[Token]]:
        """Leave IDLE; returns untagged data that arrived before the server confirmed."""
        tag, self._idle_tag = self._idle_tag, None
        if tag is None:
            return []
        self.sock.sendall(b"DONE\r\n")
        pushed: list[list[Token]] = []
        while True:
            raw = self._line()
            if raw.startswith(b"* "):
                pushed.append(self._read_untagged(raw))
            elif raw.startswith(tag + b" "):
                return pushed

    @property
    def idling(self) -> bool:
        return self._idle_tag is not None


def quote(value: str) -> bytes:
    """An IMAP quoted string (mailbox names go through :func:`mailbox_arg`)."""
    data = value.encode("utf-8")
    if b"\r" in data or b"\n" in data:
        raise ValueError("line breaks are not allowed in IMAP strings")
    return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def mailbox_arg(name: str) -> bytes:
    """A mailbox name as a command argument (modified UTF-7, quoted)."""
    from imapclient import imap_utf7

    encoded: bytes = imap_utf7.encode(name)
    return quote(encoded.decode("ascii"))
