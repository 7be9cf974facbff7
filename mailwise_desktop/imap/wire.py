"""The one reader of an IMAP connection: every command, tag and answer goes through it.

imapclient opens the connection (TLS, STARTTLS, LOGIN or AUTHENTICATE,
CAPABILITY; see :mod:`.connection`) and is not used on it afterwards.
From then on a :class:`Wire` owns the socket, as Trojita's one parser per
connection does: its own tag counter, one buffer of lines and literals read
off the socket, tokenised by :mod:`.tokens`, and the one record of which
mailbox is selected (:attr:`Wire.selected`, changed only by
:meth:`Wire.select` and :meth:`Wire.deselect`). imapclient lacks what sync
and coordination need (QRESYNC's VANISHED, CHANGEDSINCE, UNCHANGEDSINCE,
HIGHESTMODSEQ in FETCH) and its parser is the bulk-sync bottleneck; the
imapclient-shaped calls the rest of the app makes go through
:mod:`.commands`, on this same reader.
"""

from __future__ import annotations

import imaplib
import itertools
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


#: Commands that change the selected mailbox: only :meth:`Wire.select` and
#: :meth:`Wire.deselect` send them, so :attr:`Wire.selected` is always true.
_SELECTING = frozenset({b"SELECT", b"EXAMINE", b"CLOSE", b"UNSELECT"})


class Wire:
    """The command channel and only reader of one logged-in IMAP connection.

    Args:
        sock: the connection's socket (``IMAPClient.socket()`` after login;
            nothing else reads it afterwards).
        on_command: optional hook called with each command line sent (tests
            assert on the protocol through it; the password never passes here).
    """

    def __init__(
        self, sock: socket.socket, on_command: Callable[[bytes], None] | None = None
    ) -> None:
        self._sock = sock
        self._buf = bytearray()
        self._tags = itertools.count(1)
        self._idle_tag: bytes | None = None
        self.on_command = on_command
        self._selected: str | None = None
        self._read_only = False

    @property
    def sock(self) -> socket.socket:
        return self._sock

    @property
    def selected(self) -> str | None:
        """The mailbox the server has selected now (None: none)."""
        return self._selected

    @property
    def read_only(self) -> bool:
        """Whether :attr:`selected` was EXAMINEd or the server made it read-only."""
        return self._read_only

    def _new_tag(self) -> bytes:
        return b"M%d" % next(self._tags)

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
        *,
        literal: bytes | None = None,
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
            literal: data sent as a synchronising literal ``{n}`` after
                ``line``, once the server says ``+`` (APPEND's message).
        """
        if line.split(b" ", 1)[0].upper() in _SELECTING:
            raise ProtocolError("internal: select mailboxes with Wire.select")
        return self._send(line, on_untagged, on_line, literal, on_raw)

    def _send(
        self,
        line: bytes,
        on_untagged: UntaggedHandler | None,
        on_line: Callable[[bytes], bool] | None,
        literal: bytes | None,
        on_raw: Callable[[list[bytes]], None] | None = None,
    ) -> Response:
        if self._idle_tag is not None:
            raise ProtocolError("internal: command sent while IDLE")
        tag = self._new_tag()
        if self.on_command is not None:
            self.on_command(line)
        head = line if literal is None else line + b" {%d}" % len(literal)
        self._sendall(tag + b" " + head + b"\r\n")
        collected: list[list[Token]] = []
        while True:
            raw = self._line()
            if raw.startswith(b"+") and literal is not None:
                self._sendall(literal + b"\r\n")
                literal = None
            elif raw.startswith(b"* "):
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

    def _sendall(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise ConnectionLostError(
                "The connection to the mail server was lost.", detail=str(exc)
            ) from exc

    def checked(
        self,
        line: bytes,
        on_untagged: UntaggedHandler | None = None,
        on_line: Callable[[bytes], bool] | None = None,
        on_raw: Callable[[list[bytes]], None] | None = None,
        *,
        literal: bytes | None = None,
    ) -> Response:
        """Like :meth:`command`, raising :class:`RefusedError` unless the server says OK."""
        return _ok(line, self.command(line, on_untagged, on_line, on_raw, literal=literal))

    # -- the selected mailbox -------------------------------------------

    def select(self, mailbox: str, *, readonly: bool = False, condstore: bool = False) -> Response:
        """SELECT (or EXAMINE, ``readonly``) ``mailbox``; the one way to change :attr:`selected`.

        Returns the response as it came (check ``ok``): a refused SELECT leaves
        no mailbox selected (RFC 3501 6.3.1), and :attr:`selected` says so.
        """
        verb = b"EXAMINE " if readonly else b"SELECT "
        suffix = b" (CONDSTORE)" if condstore else b""
        self._selected = None
        response = self._send(verb + mailbox_arg(mailbox) + suffix, None, None, None)
        if response.ok:
            self._selected = mailbox
            self._read_only = readonly or b"READ-ONLY" in response.text.upper()
        return response

    def deselect(self, *, expunge: bool = False) -> None:
        """Leave the selected mailbox: UNSELECT, or CLOSE (``expunge``, or after EXAMINE).

        CLOSE expunges a read-write mailbox, so it is sent only when asked or
        when the mailbox is read-only (where it never expunges).
        """
        if self._selected is None:
            return
        close = expunge or self._read_only
        self._selected = None
        _ok(b"CLOSE", self._send(b"CLOSE" if close else b"UNSELECT", None, None, None))

    def logout(self) -> None:
        """Say LOGOUT and read the goodbye (the server closes the line then)."""
        tag = self._new_tag()
        self._selected = None
        self._sendall(tag + b" LOGOUT\r\n")
        while not self._line().startswith(tag + b" "):
            pass

    # -- IDLE ------------------------------------------------------------

    def idle_start(self) -> None:
        """Enter IDLE; the server then pushes changes of the selected mailbox."""
        tag = self._new_tag()
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


class RefusedError(ProtocolError, imaplib.IMAP4.error):
    """The server answered NO or BAD to a command.

    Also an ``imaplib.IMAP4.error`` (imapclient's ``IMAPClientError``), so code
    written against imapclient's calls keeps catching a refusal the same way.
    """


def _ok(line: bytes, response: Response) -> Response:
    if not response.ok:
        raise RefusedError(
            "The mail server refused a command.",
            detail=f"{line.split(b' ')[0].decode('ascii', 'replace')} -> {response.status} "
            f"{response.text.decode('utf-8', 'replace')}",
        )
    return response


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
