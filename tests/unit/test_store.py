"""The cache and local databases: writes, reads, search, versions, failures."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.core.errors import SchemaError, StorageError
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries
from mailwise_desktop.store.database import CacheDatabase
from mailwise_desktop.store.local import LOCAL_MIGRATIONS, LocalDatabase
from mailwise_desktop.store.schema import CACHE_SCHEMA_VERSION
from mailwise_desktop.store.search import normalize_for_search, search_ids


def row(
    uid: int, subject: str, sender: str = "山田 太郎", date: float | None = None
) -> dict[str, Any]:
    return {
        "uid": uid,
        "modseq": 10 + uid,
        "message_id": f"m{uid}@example.jp",
        "subject": subject,
        "from_name": sender,
        "from_email": f"u{uid}@example.jp",
        "date": float(1_700_000_000 + uid) if date is None else date,
        "size": 1000 + uid,
        "flags": "",
        "fts_subject": normalize_for_search(subject),
        "fts_sender": normalize_for_search(sender),
    }


@pytest.fixture
def db(tmp_path: Path) -> CacheDatabase:
    database = CacheDatabase(tmp_path / "cache.sqlite3")
    yield database
    database.close()


@pytest.fixture
def inbox(db: CacheDatabase) -> int:
    with db.transaction() as session:
        return store.ensure_mailbox(session, "support", "INBOX")


def test_insert_is_idempotent_and_ordered(db: CacheDatabase, inbox: int) -> None:
    with db.transaction() as session:
        first = store.insert_messages(session, inbox, [row(1, "a"), row(2, "b")])
    with db.transaction() as session:
        again = store.insert_messages(session, inbox, [row(2, "b"), row(3, "c")])
    assert len(first) == 2 and len(again) == 1  # uid 2 was cached already
    with db.transaction() as session:
        ids = queries.list_ids(session, inbox)
        assert [m.uid for m in queries.summaries(session, ids)] == [3, 2, 1]


def test_flag_update_only_when_newer(db: CacheDatabase, inbox: int) -> None:
    with db.transaction() as session:
        (row_id,) = store.insert_messages(session, inbox, [row(1, "a")])
    newer = store.FlagUpdate(
        1, "\\Seen mw-wip mw-o0 mw-o1 mw-o2 mw-o3", 50, True, False, "in_progress", 0, None
    )
    older = store.FlagUpdate(1, "", 20, False, False, "unhandled", None, None)
    with db.transaction() as session:
        assert store.apply_flag_updates(session, inbox, [newer]) == [row_id]
    with db.transaction() as session:
        # A late push with an older MODSEQ must not undo the newer state.
        assert store.apply_flag_updates(session, inbox, [older]) == []
        m = queries.message_by_uid(session, inbox, 1)
    assert (m.state, m.owner_slot, m.seen, m.modseq) == ("in_progress", 0, True, 50)


def test_remove_and_clear(db: CacheDatabase, inbox: int) -> None:
    with db.transaction() as session:
        ids = store.insert_messages(session, inbox, [row(u, f"s{u}") for u in range(1, 6)])
        assert sorted(store.remove_uids(session, inbox, [2, 4, 99])) == [ids[1], ids[3]]
        assert set(store.known_uids(session, inbox)) == {1, 3, 5}
        assert len(store.clear_mailbox(session, inbox)) == 3
        assert store.known_uids(session, inbox) == {}
        # The search index follows deletions (trigger), so no ghost hits remain.
        count = session.connection().exec_driver_sql("SELECT count(*) FROM messages_fts").scalar()
    assert count == 0


def test_search_japanese_substrings(db: CacheDatabase, inbox: int) -> None:
    with db.transaction() as session:
        store.insert_messages(
            session,
            inbox,
            [
                row(1, "請求書の再発行について"),
                row(2, "ログインできません", sender="Suzuki Hanako"),
                row(3, "納期は１０月～１１月です"),
            ],
        )
    with db.transaction() as session:

        def uids(q: str) -> list[int]:
            return [m.uid for m in queries.summaries(session, search_ids(session, [inbox], q))]

        assert uids("再発行") == [1]  # trigram index
        assert uids("請求") == [1]  # two characters: substring fallback
        assert uids("suzuki") == [2]  # sender, case-folded
        assert uids("10月〜11月") == [3]  # full-width digits and the wave-dash trap
        assert uids("ログイン 再発行") == []  # every term must match
        assert uids("") == []
        assert uids('"); DROP TABLE messages; --') == []  # query syntax is literal


def test_newer_cache_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    CacheDatabase(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={CACHE_SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError, match="newer Mailwise"):
        CacheDatabase(path)


def test_older_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite3"
    db = CacheDatabase(path)
    with db.transaction() as session:
        box = store.ensure_mailbox(session, "support", "INBOX")
        store.insert_messages(session, box, [row(1, "old")])
    db.close()
    # The next app version changes the cache shape: the old cache is dropped, not migrated.
    monkeypatch.setattr(
        "mailwise_desktop.store.database.CACHE_SCHEMA_VERSION", CACHE_SCHEMA_VERSION + 1
    )
    db = CacheDatabase(path)
    with db.transaction() as session:
        assert queries.mailboxes(session, "support") == []
    db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CACHE_SCHEMA_VERSION + 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_cache_held_open_elsewhere_is_a_plain_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to delete a file another process has open (WinError 32)."""
    path = tmp_path / "cache.sqlite3"
    CacheDatabase(path).close()
    monkeypatch.setattr(
        "mailwise_desktop.store.database.CACHE_SCHEMA_VERSION", CACHE_SCHEMA_VERSION + 1
    )

    def sharing_violation(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(32, "The process cannot access the file", str(self))

    monkeypatch.setattr(Path, "unlink", sharing_violation)
    with pytest.raises(StorageError, match="another Mailwise program has it open"):
        CacheDatabase(path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes; on Windows the profile's ACL")
def test_cache_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    CacheDatabase(path).close()
    assert path.stat().st_mode & 0o077 == 0


def test_local_database_migrates_and_refuses_newer(tmp_path: Path) -> None:
    path = tmp_path / "local.sqlite3"
    local = LocalDatabase(path)
    local.set_mark("support", "m1@example.jp", "remote_content", True)
    local.close()
    local = LocalDatabase(path)  # reopening keeps the user's data
    assert local.get_mark("support", "m1@example.jp", "remote_content") is True
    local.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(LOCAL_MIGRATIONS)
        conn.execute(f"PRAGMA user_version={len(LOCAL_MIGRATIONS) + 1}")
    with pytest.raises(SchemaError):
        LocalDatabase(path)


def test_full_disk_is_a_storage_error_and_keeps_the_old_state(
    db: CacheDatabase, inbox: int
) -> None:
    with db.transaction() as session:
        store.insert_messages(session, inbox, [row(1, "before")])
    big = [row(u, "x" * 20_000) for u in range(2, 400)]
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    # Cap the database file at its current size: SQLite then reports "disk is full".
    from sqlalchemy import event

    def cap(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={int(pages) + 2}")

    db.engine.dispose()
    event.listen(db.engine, "connect", cap)
    with pytest.raises(StorageError, match="disk is full"), db.transaction() as session:
        store.insert_messages(session, inbox, big)
    with db.transaction() as session:
        assert set(store.known_uids(session, inbox)) == {1}
