"""Hostile mail against the real Dovecot (issue 9, cases 1 and 2).

One message that cannot be read must not stop the engine, the CLI or the
list: it is stored with what could be read and marked; mail after it arrives.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.imap import message_rows
from mailwise_desktop.imap.engine_status import LinkState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.messages import MessageService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.integration.test_cli_mailbox import add_account, mailwise

CASE_1 = (
    b"From: attacker@example.com\r\nTo: support@example.jp\r\n"
    b"Subject: =?utf-8?B?\xe9?=\r\nDate: Sun, 29 Nov 2026 10:42:00 +0900\r\n"
    b"Message-ID: <case1@example.com>\r\n\r\nbody\r\n"
)
CASE_2 = (
    b"From: clock@example.com\r\nTo: support@example.jp\r\nSubject: from the future\r\n"
    b"Date: 31 Dec 9999 23:00:00 -0200\r\nMessage-ID: <case2@example.com>\r\n\r\nbody\r\n"
)


def bombs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripted faults in our own code for two marked subjects.

    ``BOMB-PARSE``: the row builder raises (any bug we have not met yet);
    ``BOMB-STORE``: the row holds text SQLite refuses (a lone surrogate).
    """
    real = message_rows._header_row

    def faulty(uid: int, items: dict[bytes, Any]) -> dict[str, Any]:
        row = real(uid, items)
        if "BOMB-PARSE" in row["subject"]:
            raise RecursionError("maximum recursion depth exceeded")
        if "BOMB-STORE" in row["subject"]:
            row["subject"] += "\udce9"
        return row

    monkeypatch.setattr(message_rows, "_header_row", faulty)


def test_engine_stays_online_through_hostile_mail_and_gets_the_next_one(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bombs(monkeypatch)
    dovecot.seed_maildir(imap_user, [make_message(subject="first", body="x")])
    received: list[Changes] = []
    arrived = threading.Condition()

    def on_changes(changes: Changes) -> None:
        with arrived:
            received.append(changes)
            arrived.notify_all()

    engine = SyncService(ctx).engine(ctx.account(), on_changes=on_changes)
    engine.start()
    try:
        assert engine.initial_sync_done.wait(10), engine.status
        hostile = [
            dovecot.append(imap_user, raw)
            for raw in (
                CASE_1,
                CASE_2,
                make_message(subject="BOMB-PARSE one", body="x"),
                make_message(subject="BOMB-STORE two", body="x"),
            )
        ]
        after = dovecot.append(imap_user, make_message(subject="after the hostile ones", body="y"))

        def cached() -> dict[int, queries.MessageSummary]:
            with ctx.cache.transaction() as session:
                box = queries.mailbox(session, "support", "INBOX")
                ids = queries.list_ids(session, box.id)
                return {m.uid: m for m in queries.summaries(session, ids)}

        with arrived:
            assert arrived.wait_for(lambda: after in cached(), 10), engine.status
        assert engine.status.state is LinkState.ONLINE, engine.status
        rows = cached()
        assert set(hostile) <= set(rows)
        case1, case2, parse_bomb, store_bomb = (rows[u] for u in hostile)
        assert case1.read_problem is None and case1.from_email == "attacker@example.com"
        assert case2.date_raw == "31 Dec 9999 23:00:00 -0200"
        assert case2.date is not None and case2.date.year >= 2026  # the INTERNALDATE
        assert parse_bomb.read_problem == "RecursionError: maximum recursion depth exceeded"
        assert parse_bomb.size > 0 and parse_bomb.date is not None
        assert (
            store_bomb.read_problem is not None and "UnicodeEncodeError" in store_bomb.read_problem
        )
        assert rows[after].subject == "after the hostile ones"
        # The marked message is a message like any other: its body and source open.
        detail = MessageService(ctx).show(ctx.account(), parse_bomb.uid, "INBOX")
        assert detail.summary.read_problem is not None
    finally:
        engine.stop()


def test_cli_sync_list_show_of_hostile_mail(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    assert add_account(cli_env, dovecot, imap_user).returncode == 0
    dovecot.seed_maildir(imap_user, [CASE_1, CASE_2, make_message(subject="plain", body="x")])
    synced = mailwise(cli_env, "sync")
    assert synced.returncode == 0, synced.stderr
    assert "Traceback" not in synced.stderr
    listed = mailwise(cli_env, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    messages = {m["message_id"]: m for m in json.loads(listed.stdout)["messages"]}
    assert {"case1@example.com", "case2@example.com"} <= set(messages)
    assert messages["case2@example.com"]["date_raw"] == "31 Dec 9999 23:00:00 -0200"
    assert messages["case1@example.com"]["read_problem"] is None
    plain = mailwise(cli_env, "list")
    assert plain.returncode == 0 and "31 Dec 9999" in plain.stdout
    for uid in (m["uid"] for m in messages.values()):
        shown = mailwise(cli_env, "show", str(uid))
        assert shown.returncode == 0, shown.stderr
    shown = mailwise(cli_env, "show", str(messages["case2@example.com"]["uid"]))
    assert "Date:    31 Dec 9999 23:00:00 -0200" in shown.stdout


def test_disk_full_during_sync_says_so_and_loses_nothing(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    """Disk full simulated by capping the cache file (``PRAGMA max_page_count``)."""
    from sqlalchemy import event

    from mailwise_desktop.core.errors import StorageError

    dovecot.seed_maildir(
        imap_user, [make_message(subject=f"件名 {n} " + "長" * 3000, body="x") for n in range(60)]
    )
    engine = ctx.cache.engine
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    def cap(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 8}")

    engine.dispose()
    event.listen(engine, "connect", cap)
    with pytest.raises(StorageError) as raised:
        SyncService(ctx).sync_once(ctx.account())
    assert "disk is full" in str(raised.value), raised.value.detail
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        stored = len(queries.list_ids(session, box.id))
    assert stored < 60 and box.uidnext is None  # no sync state claims what is missing
    event.remove(engine, "connect", cap)
    engine.dispose()
    SyncService(ctx).sync_once(ctx.account())
    listed = MessageService(ctx).list_messages(ctx.account(), limit=1000)
    assert len(listed) == 60
