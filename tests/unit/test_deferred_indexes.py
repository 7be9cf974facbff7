"""Indexes set aside by a big first sync come back: built after it, or at the next open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mailwise_desktop.store import deferred_indexes
from mailwise_desktop.store.database import CacheDatabase

pytestmark = pytest.mark.unit


def index_sql(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return {
            str(name): str(sql)
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'"
            )
        }


def test_set_aside_then_built_gives_the_schema_s_own_indexes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = CacheDatabase(path)
    schema_indexes = index_sql(path)
    with db.transaction() as session:
        deferred_indexes.set_aside(session)
        assert deferred_indexes.missing(session) == list(deferred_indexes.DEFERRED)
    kept = index_sql(path)
    assert "ix_messages_list" in kept and "ix_messages_mailbox_state_date_uid" in kept
    with db.transaction() as session:
        assert deferred_indexes.build_missing(session) == list(deferred_indexes.DEFERRED)
        assert deferred_indexes.build_missing(session) == []
    db.close()
    assert index_sql(path) == schema_indexes  # same names, same statements


def test_a_killed_first_sync_s_indexes_come_back_at_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = CacheDatabase(path)
    schema_indexes = index_sql(path)
    with db.transaction() as session:
        deferred_indexes.set_aside(session)
    db.close()  # the process ends here, as if killed
    reopened = CacheDatabase(path)
    with reopened.transaction() as session:
        assert deferred_indexes.missing(session) == []
    reopened.close()
    assert index_sql(path) == schema_indexes


def test_only_deferred_indexes_can_be_set_aside(tmp_path: Path) -> None:
    db = CacheDatabase(tmp_path / "cache.sqlite3")
    with pytest.raises(ValueError), db.transaction() as session:
        deferred_indexes.set_aside(session, ("ix_messages_list",))
    db.close()
