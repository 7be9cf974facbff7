"""The triage window's read queries: tabs, their counts, search within a tab, live matching."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.store import messages as store
from mailwise_desktop.store.cache_version import CACHE_SCHEMA_VERSION
from mailwise_desktop.store.database import CacheDatabase
from mailwise_desktop.store.search import normalize_for_search
from mailwise_desktop.store.triage_queries import (
    ListFilter,
    Tab,
    filtered_ids,
    matching_ids,
    search_hits,
    tab_counts,
)

ME, OTHER = 0, 1
# uid: (subject, state, owner)
MAIL = {
    1: ("請求書の再発行", "unhandled", None),
    2: ("ログインできません", "in_progress", ME),
    3: ("請求書の宛名変更", "in_progress", OTHER),
    4: ("返金のお願い", "on_hold", ME),
    5: ("Invoice address", "done", OTHER),
    6: ("見積もり依頼", "no_reply_needed", ME),
}


def row(uid: int) -> dict[str, Any]:
    subject, state, owner = MAIL[uid]
    return {
        "uid": uid, "modseq": uid, "subject": subject, "from_name": "山田", "from_email": "y@x.jp",
        "date": 1_700_000_000.0 + uid, "size": 100 * uid, "flags": "", "state": state,
        "owner_slot": owner, "fts_subject": normalize_for_search(subject),
        "fts_sender": normalize_for_search("山田"),
    }  # fmt: skip


@pytest.fixture
def box(tmp_path: Path) -> Iterator[tuple[CacheDatabase, int, dict[int, int]]]:
    db = CacheDatabase(tmp_path / "cache.sqlite3")
    with db.transaction() as session:
        mailbox_id = store.ensure_mailbox(session, "support", "INBOX")
        ids = store.insert_messages(session, mailbox_id, [row(u) for u in MAIL])
    yield db, mailbox_id, dict(zip(MAIL, ids, strict=True))
    db.close()


def uids(box, flt: ListFilter) -> list[int]:  # type: ignore[no-untyped-def]
    db, _, by_uid = box
    back = {v: k for k, v in by_uid.items()}
    with db.transaction() as session:
        return [back[i] for i in filtered_ids(session, flt)]


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        (Tab.UNHANDLED, [1]),
        (Tab.MINE, [4, 2]),
        (Tab.IN_PROGRESS, [3, 2]),
        (Tab.ON_HOLD, [4]),
        (Tab.CLOSED, [6, 5]),
        (Tab.ALL, [6, 5, 4, 3, 2, 1]),
    ],
)
def test_tabs_newest_first(box, tab: Tab, expected: list[int]) -> None:  # type: ignore[no-untyped-def]
    assert uids(box, ListFilter(box[1], tab, me=ME)) == expected


def test_mine_is_empty_without_an_identity(box) -> None:  # type: ignore[no-untyped-def]
    assert uids(box, ListFilter(box[1], Tab.MINE, me=None)) == []


def test_mine_without_an_identity_reads_nothing(box) -> None:  # type: ignore[no-untyped-def]
    # It scanned the whole mailbox's index for owner -1 (O(n): 51-84 ms at 200k).
    db, mailbox_id, _ = box
    statements: list[str] = []
    with db.transaction() as session:
        dbapi = session.connection().connection.dbapi_connection
        dbapi.set_trace_callback(statements.append)
        try:
            assert filtered_ids(session, ListFilter(mailbox_id, Tab.MINE, me=None)) == []
        finally:
            dbapi.set_trace_callback(None)
    assert not [s for s in statements if "messages" in s]


def test_sort_by_size_ascending(box) -> None:  # type: ignore[no-untyped-def]
    flt = ListFilter(box[1], Tab.ALL, sort="size", descending=False)
    assert uids(box, flt) == [1, 2, 3, 4, 5, 6]


def test_search_within_a_tab_japanese_substrings(box) -> None:  # type: ignore[no-untyped-def]
    assert uids(box, ListFilter(box[1], Tab.ALL, search="請求")) == [3, 1]
    assert uids(box, ListFilter(box[1], Tab.UNHANDLED, search="請求書")) == [1]
    assert uids(box, ListFilter(box[1], Tab.ALL, search="存在しない語")) == []


def test_counts(box) -> None:  # type: ignore[no-untyped-def]
    db, mailbox_id, _ = box
    with db.transaction() as session:
        counts = tab_counts(session, mailbox_id, ME)
    assert counts == {
        Tab.UNHANDLED: 1, Tab.MINE: 2, Tab.IN_PROGRESS: 2, Tab.ON_HOLD: 1, Tab.CLOSED: 2, Tab.ALL: 6,
    }  # fmt: skip


def test_matching_a_few_ids_for_live_updates(box) -> None:  # type: ignore[no-untyped-def]
    db, mailbox_id, by_uid = box
    flt = ListFilter(mailbox_id, Tab.IN_PROGRESS, search="請求")
    with db.transaction() as session:
        hits = search_hits(session, flt)
        found = matching_ids(session, flt, [by_uid[1], by_uid[2], by_uid[3]], hits)
    assert found == {by_uid[3]}


def _plans_of_list_reads(box, flt: ListFilter) -> list[str]:  # type: ignore[no-untyped-def]
    """The query plans of the statements filtered_ids runs (caught on the sqlite3 connection)."""
    db, _, _ = box
    statements: list[str] = []
    with db.transaction() as session:
        dbapi = session.connection().connection.dbapi_connection
        dbapi.set_trace_callback(statements.append)
        try:
            filtered_ids(session, flt)
        finally:
            dbapi.set_trace_callback(None)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert selects
        return [
            " / ".join(str(r[3]) for r in dbapi.execute("EXPLAIN QUERY PLAN " + s).fetchall())
            for s in selects
        ]


@pytest.mark.parametrize("tab", list(Tab))
def test_tab_ids_newest_first_read_only_an_index(box, tab: Tab) -> None:  # type: ignore[no-untyped-def]
    # Before the list indexes (cache schema 7) these read every table row and sorted
    # in a temporary B-tree: 50k ids took 146 ms, now 19-31 ms (bench/ui.py).
    for plan in _plans_of_list_reads(box, ListFilter(box[1], tab, me=ME)):
        assert "COVERING INDEX" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_schema_6_cache_gets_the_list_indexes_and_keeps_its_mail(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = CacheDatabase(path)
    with db.transaction() as session:
        mailbox_id = store.ensure_mailbox(session, "support", "INBOX")
        store.insert_messages(session, mailbox_id, [row(u) for u in MAIL])
    db.close()
    with sqlite3.connect(path) as conn:  # as schema 6 left it
        conn.execute("DROP INDEX ix_messages_list")
        conn.execute("DROP INDEX ix_messages_mailbox_state_date_uid")
        conn.execute("CREATE INDEX ix_messages_mailbox_date ON messages (mailbox_id, date)")
        conn.execute(
            "CREATE INDEX ix_messages_mailbox_state_date ON messages (mailbox_id, state, date)"
        )
        conn.execute("PRAGMA user_version=6")
    db = CacheDatabase(path)
    try:
        with db.transaction() as session:
            assert len(filtered_ids(session, ListFilter(mailbox_id, Tab.ALL))) == len(MAIL)
    finally:
        db.close()
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CACHE_SCHEMA_VERSION
    assert {"ix_messages_list", "ix_messages_mailbox_state_date_uid"} <= names
    assert not {"ix_messages_mailbox_date", "ix_messages_mailbox_state_date"} & names
