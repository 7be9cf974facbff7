"""The no-op check's pieces: mailbox names as imapclient codes them, and the decision."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from imapclient import imap_utf7

from mailwise_desktop.imap.folder_names import FolderInfo
from mailwise_desktop.imap.select_state import MailboxStatus
from mailwise_desktop.imap.status_probe import (
    ServerLook,
    decode_mailbox,
    encode_mailbox,
    unchanged_folders,
)
from mailwise_desktop.store.sync_marks import CachedFolder, SyncMarks, TeamMark


@given(st.text(max_size=30))
def test_mailbox_names_are_coded_as_imapclient_codes_them(name: str) -> None:
    assert encode_mailbox(name) == imap_utf7.encode(name)
    assert decode_mailbox(imap_utf7.encode(name)) == name


def _marks() -> SyncMarks:
    inbox = CachedFolder("INBOX", None, None, True, True, 7, 40, 900, 39)
    sent = CachedFolder("Sent", ".", "\\Sent", True, False, None, None, None, 0)
    return SyncMarks({"INBOX": inbox, "Sent": sent}, TeamMark("Mailwise", 3, 12), True)


def _server() -> ServerLook:
    return ServerLook(
        [
            FolderInfo("INBOX", ".", None, True),
            FolderInfo("Sent", ".", "\\Sent", True),
            FolderInfo("Mailwise", ".", None, True),
        ],
        {"INBOX": MailboxStatus(7, 40, 900, 39), "Mailwise": MailboxStatus(3, 12, 50, 11)},
        condstore=True,
    )


def test_the_same_marks_are_a_no_op() -> None:
    assert unchanged_folders(_marks(), _server(), ["INBOX"], "Mailwise") == ("INBOX",)


def test_any_difference_is_not() -> None:
    server = _server()
    inbox = server.statuses["INBOX"]
    assert inbox is not None
    for status in (
        replace(inbox, uidnext=41),
        replace(inbox, highestmodseq=901),
        replace(inbox, uidvalidity=8),
        replace(inbox, exists=38),
        replace(inbox, highestmodseq=None),
        None,
    ):
        changed = replace(server, statuses={**server.statuses, "INBOX": status})
        assert unchanged_folders(_marks(), changed, ["INBOX"], "Mailwise") is None, status
    team = replace(server, statuses={**server.statuses, "Mailwise": MailboxStatus(3, 13, 51, 12)})
    assert unchanged_folders(_marks(), team, ["INBOX"], "Mailwise") is None
    new_folder = replace(server, folders=[*server.folders, FolderInfo("見積", ".", None, True)])
    assert unchanged_folders(_marks(), new_folder, ["INBOX"], "Mailwise") is None
    assert (
        unchanged_folders(_marks(), replace(server, condstore=False), ["INBOX"], "Mailwise") is None
    )
    assert (
        unchanged_folders(_marks(), server, ["INBOX", "Sent"], "Mailwise") is None
    )  # never synced
