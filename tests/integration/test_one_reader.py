"""One reader per IMAP connection, on the real Dovecot.

After login nothing goes through imapclient/imaplib on the connection: imaplib's
tag counter stays where login left it and nothing piles up in its untagged
responses, while sync-style commands, an APPEND with a literal, a claim and an
EXAMINE all run on the wire. (The test peeks at imaplib's private state only to
prove the app does not use it.) The wire is the one owner of the selected mailbox.
"""

from __future__ import annotations

import pytest

from mailwise_desktop.core.accounts import Endpoint
from mailwise_desktop.core.errors import ProtocolError
from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.cas import (
    CasStatus,
    compare_and_set,
    ensure_keywords,
    transition_decider,
)
from mailwise_desktop.imap.session import open_session
from tests.harness.dovecot import DovecotServer, TestUser

pytestmark = pytest.mark.integration

RAW = b"From: a@example.com\r\nTo: support@example.com\r\nSubject: one reader\r\n\r\nbody\r\n"


def test_every_command_after_login_goes_through_the_wire(
    dovecot: DovecotServer, imap_user: TestUser, imaps_endpoint: Endpoint
) -> None:
    sent: list[bytes] = []
    session = open_session(imaps_endpoint, dovecot.password(imap_user), on_command=sent.append)
    imaplib_state = session.login._imap
    tags_after_login = imaplib_state.tagnum
    try:
        client, wire = session.client, session.wire
        reply = client.append("INBOX", RAW, flags=("\\Seen",))
        assert b"APPENDUID" in reply
        assert wire.selected is None
        ensure_keywords(client, "INBOX")  # SELECT, maybe a primer APPEND and UID EXPUNGE
        assert (wire.selected, wire.read_only) == ("INBOX", False)
        (uid,) = client.search(["HEADER", "Subject", "one reader"])
        assert client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"] == RAW
        result = compare_and_set(client, uid, transition_decider(Operation.CLAIM, 3))
        assert result.status is CasStatus.WON
        client.select_folder("INBOX", readonly=True)
        assert (wire.selected, wire.read_only) == ("INBOX", True)
        with pytest.raises(ProtocolError):
            wire.command(b"SELECT INBOX")  # only Wire.select changes the selected mailbox
        wire.deselect()
        assert wire.selected is None
        assert not wire.has_buffered()
    finally:
        session.close()
    assert imaplib_state.tagnum == tags_after_login
    assert not {"FETCH", "MODIFIED", "VANISHED", "EXISTS"} & set(imaplib_state.untagged_responses)
    words = [line.split(b" ")[0].upper() for line in sent]
    assert {b"ENABLE", b"APPEND", b"SELECT", b"UID", b"EXAMINE"} <= set(words)
