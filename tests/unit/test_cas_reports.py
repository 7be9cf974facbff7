"""What a conditional STORE's answer means, against a scripted server (fault handling).

Dovecot 2.3 can answer a STORE that raced another writer with a plain OK and
that writer's FETCH. When both wrote the same flags (two repairers removing
the same stray keyword) the flags cannot tell them apart; only our own
``.SILENT`` STORE's report carries MODSEQ alone. These scripts replay both
answers; the real races run against Dovecot in tests/integration.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

from mailwise_desktop.imap.cas import CasStatus, compare_and_set
from mailwise_desktop.imap.commands import ImapCommands
from mailwise_desktop.imap.wire import Wire

Script = Callable[[bytes, int], bytes]


def serve(script: Script) -> tuple[ImapCommands, list[bytes], threading.Thread]:
    """A client whose server answers each command with ``script(command, n)``."""
    server, client = socket.socketpair()
    seen: list[bytes] = []

    def run() -> None:
        reader = server.makefile("rb")
        for n, line in enumerate(reader):
            tag, _, command = line.rstrip(b"\r\n").partition(b" ")
            seen.append(command)
            server.sendall(script(command, n) + tag + b" OK done\r\n")
        server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return ImapCommands(Wire(client), ["IMAP4REV1", "CONDSTORE"]), seen, thread


def test_a_store_answered_with_another_writers_equal_flags_is_not_a_win() -> None:
    def script(command: bytes, n: int) -> bytes:
        if command.startswith(b"UID FETCH") and n == 0:
            return b"* 1 FETCH (UID 5 FLAGS (mw-hold) MODSEQ (10))\r\n"
        if command.startswith(b"UID STORE"):
            # A teammate's identical repair landed first; Dovecot says OK anyway.
            return b"* 1 FETCH (UID 5 MODSEQ (11) FLAGS ())\r\n"
        return b"* 1 FETCH (UID 5 FLAGS () MODSEQ (11))\r\n"

    client, seen, thread = serve(script)
    result = compare_and_set(client, 5, lambda f, d: (), backoff=0)
    client.wire.sock.close()
    thread.join(10)
    assert result.status is CasStatus.UNCHANGED, result
    assert (result.modseq, result.attempts) == (11, 1)
    assert [c.split(b" ")[1] for c in seen] == [b"FETCH", b"STORE", b"FETCH"]


def test_a_store_reported_by_modseq_alone_is_our_win() -> None:
    def script(command: bytes, n: int) -> bytes:
        if command.startswith(b"UID STORE"):
            return b"* 1 FETCH (UID 5 MODSEQ (11))\r\n"
        return b"* 1 FETCH (UID 5 FLAGS (mw-hold) MODSEQ (10))\r\n"

    client, seen, thread = serve(script)
    result = compare_and_set(client, 5, lambda f, d: (), backoff=0)
    assert result.status is CasStatus.WON and result.modseq == 11
    assert b"(UNCHANGEDSINCE 10) FLAGS.SILENT ()" in seen[1]
    client.wire.sock.close()
    thread.join(10)
