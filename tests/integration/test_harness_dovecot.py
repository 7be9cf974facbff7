"""The Dovecot harness does what other tests rely on, seen through real IMAP."""

from __future__ import annotations

import email
import email.policy
import os
import stat

from imapclient import IMAPClient

from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import realistic_mailbox


def _fresh(dovecot: DovecotServer, user: TestUser) -> IMAPClient:
    return dovecot.connect(user)


def test_add_user_logs_in_without_restart(dovecot: DovecotServer) -> None:
    first, second = dovecot.add_user(), dovecot.add_user()
    assert first.name != second.name
    for user in (first, second):
        client = dovecot.connect(user)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        client.logout()


def test_starttls_listener_offers_starttls(dovecot: DovecotServer) -> None:
    client = IMAPClient(dovecot.host, dovecot.imap_port, ssl=False, timeout=10)
    try:
        assert b"STARTTLS" in client.capabilities()
    finally:
        client.shutdown()


def test_append_returns_the_uid_and_flags(dovecot: DovecotServer, imap_user: TestUser) -> None:
    raws = list(realistic_mailbox(2, seed=7))
    uid1 = dovecot.append(imap_user, raws[0])
    uid2 = dovecot.append(imap_user, raws[1], flags=("\\Seen", "$MailwiseTest"))
    assert uid2 > uid1
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    data = client.fetch([uid2], ["FLAGS", "BODY.PEEK[]"])[uid2]
    client.logout()
    assert set(data[b"FLAGS"]) >= {b"\\Seen", b"$MailwiseTest"}
    assert data[b"BODY[]"] == raws[1]


def test_seed_maildir_is_visible_over_imap_in_order(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    raws = list(realistic_mailbox(300, seed=1))
    assert dovecot.seed_maildir(imap_user, raws) == 300
    # Modes and owners are POSIX facts: a Windows process (the Wine lane) sees none.
    for path in (dovecot.maildir(imap_user) / "cur").iterdir() if os.name == "posix" else ():
        st = path.stat()
        assert stat.S_IMODE(st.st_mode) == 0o600
        if os.geteuid() == 0:
            assert st.st_uid == dovecot._mail_uid
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search("ALL"))
    assert len(uids) == 300
    fetched = client.fetch([uids[0], uids[-1]], ["BODY.PEEK[]"])
    client.logout()
    # UIDs follow the order of the iterable, and the bytes are untouched.
    assert fetched[uids[0]][b"BODY[]"] == raws[0]
    assert fetched[uids[-1]][b"BODY[]"] == raws[-1]


def test_seed_maildir_into_a_japanese_named_folder(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    folder = "対応済み"
    dovecot.seed_maildir(imap_user, realistic_mailbox(3), folder, seen=True)
    client = _fresh(dovecot, imap_user)
    names = [name for _flags, _sep, name in client.list_folders()]
    assert folder in names
    client.select_folder(folder, readonly=True)
    flags = client.get_flags(client.search("ALL"))
    client.logout()
    assert len(flags) == 3
    assert all(b"\\Seen" in f for f in flags.values())


def test_doveadm_flags_reach_a_fresh_connection(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = dovecot.append(imap_user, next(realistic_mailbox(1)))
    dovecot.flags_add(imap_user, ["\\Flagged", "$mw_state_done"], uid)
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    assert set(client.get_flags([uid])[uid]) >= {b"\\Flagged", b"$mw_state_done"}
    client.logout()
    dovecot.flags_remove(imap_user, "$mw_state_done", uid)
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    flags = set(client.get_flags([uid])[uid])
    client.logout()
    assert b"$mw_state_done" not in flags
    assert b"\\Flagged" in flags


def test_doveadm_expunge_reaches_a_fresh_connection(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    dovecot.seed_maildir(imap_user, realistic_mailbox(3))
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search("ALL"))
    client.logout()
    dovecot.expunge(imap_user, uids[1])
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    remaining = sorted(client.search("ALL"))
    client.logout()
    assert remaining == [uids[0], uids[2]]


def test_change_uidvalidity_reaches_a_fresh_connection(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    dovecot.seed_maildir(imap_user, realistic_mailbox(2))
    client = _fresh(dovecot, imap_user)
    before = client.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"]
    client.logout()
    new = dovecot.change_uidvalidity(imap_user)
    client = _fresh(dovecot, imap_user)
    after = client.select_folder("INBOX", readonly=True)
    client.logout()
    assert after[b"UIDVALIDITY"] == new != before
    assert after[b"EXISTS"] == 2


def test_create_folder_and_maildir_path(dovecot: DovecotServer, imap_user: TestUser) -> None:
    dovecot.create_folder(imap_user, "Mailwise")
    dovecot.create_folder(imap_user, "Mailwise")  # idempotent
    assert "Mailwise" in dovecot.list_folders(imap_user)
    assert dovecot.maildir(imap_user, "Mailwise").is_dir()


def test_seeded_japanese_mail_parses(dovecot: DovecotServer, imap_user: TestUser) -> None:
    raws = list(realistic_mailbox(40, seed=2))
    dovecot.seed_maildir(imap_user, raws)
    client = _fresh(dovecot, imap_user)
    client.select_folder("INBOX", readonly=True)
    fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
    client.logout()
    subjects = [
        email.message_from_bytes(d[b"BODY[HEADER.FIELDS (SUBJECT)]"], policy=email.policy.default)[
            "subject"
        ]
        for d in fetched.values()
    ]
    assert any(not s.isascii() for s in subjects)
    assert any(s.startswith("Re: ") for s in subjects)
