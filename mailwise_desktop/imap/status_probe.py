"""A short IMAP look at the server for `mailwise sync`'s no-op check: LOGIN, LIST, STATUS.

It needs neither imapclient nor the engine: a socket secured exactly as
``imap/connection.py`` secures it (``core/tls.py``'s context, the pin checked
before the password leaves), then the one reader of the engine (:class:`Wire`).
OAuth2 sign-ins and passwords that LOGIN cannot carry are not handled here:
the caller takes the full path for them. Every failure raises; the caller
treats any exception as "not sure" and runs the full sync, which reports the
error in its own words.
"""

from __future__ import annotations

import base64
import contextlib
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.tls import check_pin, client_context
from mailwise_desktop.imap.folder_names import (
    FolderInfo,
    folder_info,
    visible_folders,
    without_all_mail,
)
from mailwise_desktop.imap.select_state import MailboxStatus, from_status
from mailwise_desktop.imap.wire import Wire, quote
from mailwise_desktop.store.sync_marks import SyncMarks


class ProbeRefusedError(Exception):
    """The server said NO/BAD, or the sign-in is one this probe does not do."""


@dataclass(frozen=True)
class ServerLook:
    """What the server says now.

    Attributes:
        folders: every folder LIST reported.
        statuses: STATUS per asked mailbox; None when the server refused it.
        condstore: whether the server keeps modseqs (CONDSTORE or QRESYNC).
    """

    folders: list[FolderInfo]
    statuses: dict[str, MailboxStatus | None]
    condstore: bool


# -- modified UTF-7 (RFC 3501 5.1.3), as imapclient.imap_utf7 ----------------


def encode_mailbox(name: str) -> bytes:
    """``name`` in modified UTF-7."""
    out = bytearray()
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.extend(b"&" + base64.b64encode(data).rstrip(b"=").replace(b"/", b",") + b"-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.extend(b"&-" if ch == "&" else ch.encode("ascii"))
        else:
            pending.append(ch)
    flush()
    return bytes(out)


def decode_mailbox(data: bytes) -> str:
    """A modified UTF-7 name as text (a malformed run raises ValueError)."""
    out: list[str] = []
    i = 0
    while i < len(data):
        if data[i : i + 1] != b"&":
            out.append(chr(data[i]))
            i += 1
            continue
        end = data.index(b"-", i)
        run = data[i + 1 : end]
        if not run:
            out.append("&")
        else:
            raw = run.replace(b",", b"/")
            out.append(base64.b64decode(raw + b"=" * (-len(raw) % 4)).decode("utf-16-be"))
        i = end + 1
    return "".join(out)


def mailbox_argument(name: str) -> bytes:
    """A mailbox name as a command argument (as ``wire.mailbox_arg``, without imapclient)."""
    return quote(encode_mailbox(name).decode("ascii"))


# -- the look ----------------------------------------------------------------


def _greeting(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the server closed the connection before its greeting")
        data += chunk
    if not data.startswith((b"* OK", b"* PREAUTH")):
        raise ProbeRefusedError(data.decode("utf-8", "replace").strip())
    return data


def _connect(endpoint: Endpoint, timeout: float) -> socket.socket:
    """A connected socket, secured as ``imap/connection.py`` does, greeting read."""
    context = None
    if endpoint.security is not Security.PLAIN:
        context = client_context(endpoint.ca_file, pin_sha256=endpoint.pin_sha256)
    sock: socket.socket = socket.create_connection((endpoint.host, endpoint.port), timeout=timeout)
    try:
        if endpoint.security is Security.TLS and context is not None:
            sock = context.wrap_socket(sock, server_hostname=endpoint.host)
            _greeting(sock)
        else:
            _greeting(sock)
            if endpoint.security is Security.STARTTLS and context is not None:
                sock.sendall(b"S1 STARTTLS\r\n")
                answer = b""
                while not answer.endswith(b"\r\n"):
                    chunk = sock.recv(4096)
                    if not chunk:
                        raise ConnectionError("the server closed the connection at STARTTLS")
                    answer += chunk
                if not answer.startswith(b"S1 OK"):
                    raise ProbeRefusedError("STARTTLS refused")
                sock = context.wrap_socket(sock, server_hostname=endpoint.host)
        if endpoint.pin_sha256:
            # Before the password leaves: the pin is the whole trust decision.
            check_pin(sock, endpoint.pin_sha256, host=endpoint.host)
    except BaseException:
        sock.close()
        raise
    return sock


def look(
    endpoint: Endpoint,
    password: str,
    mailboxes: Sequence[str],
    *,
    timeout: float = 30,
) -> ServerLook:
    """Log in, LIST every folder and STATUS each of ``mailboxes``; then log out.

    Raises:
        ProbeRefusedError: the sign-in is not a plain LOGIN, or the server refused it.
        Exception: anything else that went wrong (socket, TLS, pin, replies).
    """
    if endpoint.uses_oauth or not (endpoint.user + password).isascii():
        raise ProbeRefusedError("this sign-in takes the full path")
    sock = _connect(endpoint, timeout)
    wire = Wire(sock)
    try:
        if not wire.command(b"LOGIN " + quote(endpoint.user) + b" " + quote(password)).ok:
            raise ProbeRefusedError("LOGIN refused")
        caps: set[bytes] = set()
        for tokens in wire.checked(b"CAPABILITY").untagged:
            if tokens and tokens[0] == b"CAPABILITY":
                caps |= {t.upper() for t in tokens[1:] if isinstance(t, bytes)}
        condstore = b"CONDSTORE" in caps or b"QRESYNC" in caps
        folders: list[FolderInfo] = []
        for tokens in wire.checked(b'LIST "" "*"').untagged:
            if len(tokens) >= 4 and tokens[0] == b"LIST" and isinstance(tokens[1], list):
                flags = tuple(f for f in tokens[1] if isinstance(f, bytes))
                name, delimiter = tokens[3], tokens[2]
                if isinstance(name, bytes) and not isinstance(delimiter, list):
                    folders.append(folder_info(flags, delimiter, decode_mailbox(name)))
        items = (
            b"(MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)"
            if condstore
            else b"(MESSAGES UIDNEXT UIDVALIDITY)"
        )
        statuses: dict[str, MailboxStatus | None] = {}
        for mailbox in dict.fromkeys(mailboxes):
            response = wire.command(b"STATUS " + mailbox_argument(mailbox) + b" " + items)
            statuses[mailbox] = from_status(response.untagged) if response.ok else None
        return ServerLook(folders, statuses, condstore)
    finally:
        # The answer is already read: a lost LOGOUT changes nothing.
        with contextlib.suppress(Exception):
            wire.logout()
        sock.close()


# -- the decision -------------------------------------------------------------


def unchanged_folders(
    marks: SyncMarks, server: ServerLook, wanted: Sequence[str], team_mailbox: str
) -> tuple[str, ...] | None:
    """The folders a full sync would find "up to date", or None when it would do anything.

    True only when the full path (services/sync.py) would write nothing: every
    visible folder already cached as LIST describes it; each folder kept
    offline synced before, with the same UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ
    and message count; the team mailbox read up to its UIDNEXT. Without
    modseqs the full path re-reads every flag, so there is no no-op to find.

    Args:
        marks: what the cache holds (store/sync_marks.py).
        server: what the server says now.
        wanted: the account's folders kept offline.
        team_mailbox: the team mailbox's name.
    """
    if not server.condstore:
        return None
    folders = visible_folders(server.folders, team_mailbox)
    names = without_all_mail(tuple(wanted), folders)
    for folder in folders:
        cached = marks.folders.get(folder.name)
        # The full path records each listed folder as LIST describes it; a folder
        # it syncs is then ensured again by MailboxSync with the defaults
        # (no delimiter, no special use, selectable), which is what stays.
        described = (
            (None, None, True)
            if folder.name in names
            else (folder.delimiter, folder.special_use, folder.selectable)
        )
        if cached is None or (cached.delimiter, cached.special_use, cached.selectable) != described:
            return None  # the full path would write the folder's row
    for name in names:
        cached, status = marks.folders.get(name), server.statuses.get(name)
        if cached is None or status is None or not cached.synced:
            return None
        if status.highestmodseq is None or (
            cached.uidvalidity,
            cached.uidnext,
            cached.highestmodseq,
            cached.exists,
        ) != (status.uidvalidity, status.uidnext, status.highestmodseq, status.exists):
            return None
    team = server.statuses.get(team_mailbox)
    if (
        team is None
        or marks.team is None
        or marks.team.name != team_mailbox
        or (marks.team.uidvalidity, marks.team.uidnext) != (team.uidvalidity, team.uidnext)
    ):
        return None
    return names
