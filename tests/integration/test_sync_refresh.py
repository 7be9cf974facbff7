"""A mailbox that stays selected is resynced with NOOP + STATUS, not a re-SELECT.

A re-SELECT makes Dovecot reopen the mailbox (0.1–0.5 s at 200,000 Maildir
messages, bench/RESULTS.md), and the engine resynced INBOX that way on every
push. These tests hold the refresh to the same result as a SELECT.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.imap.mailbox_sync import MailboxSync, ServerFeatures
from mailwise_desktop.imap.session import ImapSession, open_session
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message

pytestmark = pytest.mark.integration


def cached(ctx: AppContext) -> dict[int, set[str]]:
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        return {
            m.uid: set(m.flags)
            for m in queries.summaries(session, queries.list_ids(session, box.id))
        }


@pytest.fixture
def sent() -> list[bytes]:
    """Each command line the test's connection (or engine) sends."""
    return []


@pytest.fixture
def session(ctx: AppContext, sent: list[bytes]) -> Iterator[ImapSession]:
    """A logged-in connection for ``ctx``'s account, its commands recorded in ``sent``."""
    account = ctx.account()
    opened = open_session(account.imap, ctx.imap_password(account), on_command=sent.append)
    yield opened
    opened.close()


def selects(sent: list[bytes]) -> list[bytes]:
    """The SELECT and EXAMINE lines of ``sent`` (the hook sees each line without its tag)."""
    return [line for line in sent if line.split(b" ")[0] in (b"SELECT", b"EXAMINE")]


@pytest.mark.parametrize(
    "features",
    [None, ServerFeatures(True, False), ServerFeatures(False, False)],
    ids=["qresync", "condstore", "plain"],
)
def test_a_selected_mailbox_is_refreshed_with_noop_and_status(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    session: ImapSession,
    sent: list[bytes],
    features: ServerFeatures | None,
) -> None:
    dovecot.seed_maildir(imap_user, [make_message(subject=f"件名 {n}") for n in range(1, 11)])
    features = features or session.features
    task = MailboxSync(session.wire, ctx.cache, ctx.account().id, "INBOX", features)
    assert len(task.sync().added) == 10
    assert task.status is not None
    permanent = task.status.permanent_flags
    new_uid = dovecot.append(imap_user, make_message(subject="新着"))
    dovecot.flags_add(imap_user, ["\\Seen", "mw-wip"], 3)
    dovecot.expunge(imap_user, 7)
    sent.clear()
    changes = task.sync(reselect=False)
    assert selects(sent) == [], sent
    assert b"NOOP" in sent, sent
    assert changes.added and changes.changed and changes.removed
    assert len(changes.added) == 1 and len(changes.changed) == 1
    assert len(changes.removed) == 1
    in_cache = cached(ctx)
    assert new_uid in in_cache and 7 not in in_cache
    assert in_cache[3] == {"\\Seen", "mw-wip"}
    # The refreshed status keeps what only SELECT tells (keywords allowed).
    assert task.status is not None and task.status.permanent_flags == permanent
    assert task.status.allows_keywords

    # Nothing new: with modseqs the refresh sees it and fetches nothing
    # (without them every flag is read again, as after a SELECT).
    sent.clear()
    assert task.sync(reselect=False).empty
    fetched = any(b"FETCH" in line for line in sent)
    assert fetched is not task.features.condstore, sent


def test_a_mailbox_not_selected_read_write_is_selected_again(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    session: ImapSession,
    sent: list[bytes],
) -> None:
    dovecot.seed_maildir(imap_user, [make_message(subject="一通目")])
    task = MailboxSync(session.wire, ctx.cache, ctx.account().id, "INBOX", session.features)
    task.sync()
    session.wire.select("INBOX", readonly=True)  # EXAMINEd: STOREs would fail
    new_uid = dovecot.append(imap_user, make_message(subject="二通目"))
    sent.clear()
    changes = task.sync(reselect=False)
    assert [line.split(b" ")[0] for line in selects(sent)] == [b"SELECT"]
    assert changes.added and new_uid in cached(ctx)
    assert not session.wire.read_only

    session.wire.deselect()  # e.g. the team mailbox was read on this connection
    dovecot.flags_add(imap_user, "\\Flagged", new_uid)
    sent.clear()
    changes = task.sync(reselect=False)
    assert [line.split(b" ")[0] for line in selects(sent)] == [b"SELECT"]
    assert "\\Flagged" in cached(ctx)[new_uid]


def test_the_engine_takes_a_push_without_selecting_inbox_again(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    dovecot.seed_maildir(imap_user, [make_message(subject="最初")])
    sent: list[bytes] = []
    arrived = threading.Condition()
    received: list[Changes] = []

    def on_changes(changes: Changes) -> None:
        with arrived:
            received.append(changes)
            arrived.notify_all()

    def wait_for(done: Callable[[], bool]) -> None:
        """Until ``done`` holds, re-checked after each Changes the engine sends."""
        with arrived:
            assert arrived.wait_for(done, 10), received

    engine = SyncService(ctx).engine(ctx.account(), on_changes=on_changes, on_command=sent.append)
    engine.start()
    try:
        assert engine.initial_sync_done.wait(10), engine.status
        first = dovecot.append(imap_user, make_message(subject="一通目の通知"))
        wait_for(lambda: first in cached(ctx))  # may SELECT: the team read left INBOX
        with arrived:
            received.clear()
        sent.clear()
        second = dovecot.append(imap_user, make_message(subject="二通目の通知"))
        wait_for(lambda: second in cached(ctx))
        dovecot.flags_add(imap_user, ["mw-wip", "mw-o0"], second)
        wait_for(lambda: {"mw-wip", "mw-o0"} <= cached(ctx).get(second, set()))
        assert [line for line in selects(sent) if b"INBOX" in line] == [], sent
        assert b"NOOP" in sent, sent
    finally:
        engine.stop()
