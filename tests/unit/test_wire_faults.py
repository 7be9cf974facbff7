"""Fault handling against a scripted IMAP server that drops the line mid-FETCH.

A small fake is fine here (fault injection); everything else about sync is
tested against the real Dovecot in tests/integration.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from imapclient import IMAPClient

from mailwise_desktop.core.errors import ConnectionLostError
from mailwise_desktop.imap.mailbox_sync import MailboxSync, ServerFeatures
from mailwise_desktop.imap.wire import Wire
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries
from mailwise_desktop.store.database import CacheDatabase

HEADER = b"Subject: =?UTF-8?B?5ZWP44GE5ZCI44KP44Gb?=\r\nFrom: a@example.jp\r\n\r\n"


def fetch_line(uid: int) -> bytes:
    return (
        (
            f"* {uid} FETCH (UID {uid} FLAGS (\\Seen) MODSEQ ({uid + 10}) "
            f'INTERNALDATE "29-Nov-2026 10:42:00 +0900" RFC822.SIZE 100 '
            f"BODY[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT FROM TO CC REPLY-TO DATE "
            f"CONTENT-TYPE)] {{{len(HEADER)}}}\r\n"
        ).encode()
        + HEADER
        + b")\r\n"
    )


class ScriptedServer:
    """Speaks just enough IMAP; ``on_fetch`` decides what a UID FETCH gets."""

    def __init__(self, on_fetch: Callable[[socket.socket, bytes], None]) -> None:
        self.on_fetch = on_fetch
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 CONDSTORE ENABLE] fake ready\r\n")
            reader = conn.makefile("rb")
            for line in reader:
                tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
                word = rest.split(b" ")[0].upper()
                if word == b"CAPABILITY":
                    conn.sendall(
                        b"* CAPABILITY IMAP4rev1 CONDSTORE ENABLE\r\n" + tag + b" OK done\r\n"
                    )
                elif word == b"LOGIN":
                    conn.sendall(tag + b" OK logged in\r\n")
                elif word == b"SELECT":
                    conn.sendall(
                        b"* 3 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n* OK [UIDNEXT 4] x\r\n"
                        b"* OK [HIGHESTMODSEQ 20] x\r\n" + tag + b" OK [READ-WRITE] selected\r\n"
                    )
                elif rest.upper().startswith(b"UID SEARCH"):
                    # The first sync lists every UID before it fetches newest first.
                    conn.sendall(b"* SEARCH 1 2 3\r\n" + tag + b" OK searched\r\n")
                elif rest.upper().startswith(b"UID FETCH"):
                    self.on_fetch(conn, tag)
                    if conn.fileno() == -1:
                        return
                elif word == b"LOGOUT":
                    conn.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n")
                    return
                else:
                    conn.sendall(tag + b" OK fine\r\n")


def drop_mid_literal(conn: socket.socket, tag: bytes) -> None:
    conn.sendall(fetch_line(1) + fetch_line(2) + fetch_line(3)[:-20])
    conn.shutdown(socket.SHUT_RDWR)
    conn.close()


def answer_fully(conn: socket.socket, tag: bytes) -> None:
    conn.sendall(fetch_line(1) + fetch_line(2) + fetch_line(3) + tag + b" OK fetched\r\n")


def sync_against(server: ScriptedServer, db: CacheDatabase) -> MailboxSync:
    client = IMAPClient("127.0.0.1", server.port, ssl=False, timeout=5)
    client.login("u", "p")
    task = MailboxSync(Wire(client.socket()), db, "acct", "INBOX", ServerFeatures(True, False))
    task.sync()
    return task


def test_dropped_connection_mid_fetch_keeps_cache_consistent(tmp_path: Path) -> None:
    db = CacheDatabase(tmp_path / "cache.sqlite3")
    with pytest.raises(ConnectionLostError, match=r"closed the connection|lost"):
        sync_against(ScriptedServer(drop_mid_literal), db)
    with db.transaction() as session:
        box = queries.mailbox(session, "acct", "INBOX")
        # Nothing half-applied: no sync state claims more than the cache holds.
        assert box.uidnext is None and box.highestmodseq is None
        partial = set(store.known_uids(session, box.id))
    assert partial <= {1, 2}

    task = sync_against(ScriptedServer(answer_fully), db)
    with db.transaction() as session:
        assert set(store.known_uids(session, task.mailbox_id)) == {1, 2, 3}
        box = queries.mailbox(session, "acct", "INBOX")
        subjects = {
            m.subject for m in queries.summaries(session, queries.list_ids(session, box.id))
        }
    assert (box.uidnext, box.highestmodseq) == (4, 20)
    assert subjects == {"問い合わせ"}
    db.close()
