"""Stored conversation ids equal the pure grouping, whatever order mail arrives and leaves in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.store import deferred_indexes, team_cache
from mailwise_desktop.store import messages as store
from mailwise_desktop.store.conversation_ids import update
from mailwise_desktop.store.conversations import conversations
from mailwise_desktop.store.database import CacheDatabase

ACCOUNT = "support"
US = "support@mailwise.test"
DAY = 86400.0
IDS = ("a@x", "b@x", "c@x", "d@x", "e@x")
SUBJECTS = ("見積", "Re: 見積", "返信: 見積", "RE[2]: 見積", "別件", "Re: 別件", "Re:", "")
PEOPLE = ("tanaka@example.jp", "sato@example.jp", US)

message = st.fixed_dictionaries(
    {
        "mailbox": st.sampled_from(("INBOX", "Sent")),
        "message_id": st.one_of(st.none(), st.sampled_from(IDS)),
        "references": st.lists(st.sampled_from(IDS), max_size=2, unique=True),
        "in_reply_to": st.one_of(st.none(), st.sampled_from(IDS)),
        "subject": st.sampled_from(SUBJECTS),
        "from_email": st.sampled_from(PEOPLE),
        "to": st.sampled_from(PEOPLE),
        "date": st.one_of(st.none(), st.sampled_from((0.0, 1.0, 5.0, 30.0, 59.0, 61.0, 90.0))),
    }
)
operation = st.one_of(
    st.tuples(st.just("add"), st.lists(message, min_size=1, max_size=4)),
    st.tuples(st.just("remove"), st.lists(st.integers(0, 30), min_size=1, max_size=3)),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[CacheDatabase]:
    database = CacheDatabase(tmp_path / "cache.sqlite3")
    yield database
    database.close()


def _row(uid: int, m: dict[str, Any]) -> dict[str, Any]:
    return {
        "uid": uid,
        "message_id": m["message_id"],
        "references": " ".join(m["references"]),
        "in_reply_to": m["in_reply_to"],
        "subject": m["subject"],
        "from_email": m["from_email"],
        "to_json": f'[["", "{m["to"]}"]]',
        "date": None if m["date"] is None else 1_700_000_000.0 + m["date"] * DAY,
    }


def _stored(db: CacheDatabase) -> dict[int, int | None]:
    with db.transaction() as session:
        rows = session.connection().exec_driver_sql("SELECT id, conversation_id FROM messages")
        return {int(i): c for i, c in rows}


def _pure(db: CacheDatabase) -> dict[int, int]:
    with db.transaction() as session:
        return conversations(session, ACCOUNT, US)


def _play(db: CacheDatabase, ops: list[tuple[str, Any]], full_above: int) -> None:
    uid = 0
    uids: list[tuple[str, int]] = []
    for kind, payload in ops:
        with db.transaction() as session:
            if kind == "add":
                for m in payload:
                    uid += 1
                    box = store.ensure_mailbox(
                        session, ACCOUNT, m["mailbox"],
                        special_use="\\Sent" if m["mailbox"] == "Sent" else None,
                    )  # fmt: skip
                    store.insert_messages(session, box, [_row(uid, m)])
                    uids.append((m["mailbox"], uid))
            else:
                for index in payload:
                    if uids:
                        name, gone = uids.pop(index % len(uids))
                        box = store.ensure_mailbox(session, ACCOUNT, name)
                        store.remove_uids(session, box, [gone])
        with db.transaction() as session:
            update(session, ACCOUNT, US, full_above=full_above)
        assert _stored(db) == _pure(db)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=8), full_above=st.sampled_from((0, 1000)))
def test_stored_ids_equal_pure_grouping(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, Any]], full_above: int
) -> None:
    """Incremental (``full_above`` 1000) and whole-account (0) upkeep both equal ``group``."""
    database = CacheDatabase(tmp_path_factory.mktemp("ids") / "cache.sqlite3")
    try:
        _play(database, ops, full_above)
    finally:
        database.close()


def test_reply_before_original_then_removal_splits(db: CacheDatabase) -> None:
    """Newest-first first sync: the reply arrives first; removing the bridge splits again."""
    first = {"mailbox": "INBOX", "references": [], "in_reply_to": None, "to": US, "date": 1.0}
    _play(
        db,
        [
            (
                "add",
                [
                    {
                        **first,
                        "message_id": "r@x",
                        "in_reply_to": "q@x",
                        "subject": "Re: 見積",
                        "from_email": PEOPLE[0],
                    }
                ],
            ),
            ("add", [{**first, "message_id": "q@x", "subject": "見積", "from_email": PEOPLE[0]}]),
        ],
        full_above=1000,
    )
    stored = _stored(db)
    assert len(set(stored.values())) == 1  # one conversation, named by the smaller id
    assert set(stored.values()) == {min(stored)}


def test_removed_original_lets_the_reply_fall_back_to_its_subject(db: CacheDatabase) -> None:
    """A reply linked to a mail that leaves the cache is grouped by its subject again."""
    base = _base()
    _play(
        db,
        [
            ("add", [{**base, "message_id": "old@x", "subject": "見積", "date": 1.0}]),
            ("add", [{**base, "message_id": "gone@x", "subject": "全く別の件", "date": 2.0}]),
            (
                "add",
                [
                    {
                        **base,
                        "message_id": "r@x",
                        "in_reply_to": "gone@x",
                        "subject": "Re: 見積",
                        "date": 3.0,
                    }
                ],
            ),
            ("remove", [1]),  # gone@x
        ],
        full_above=1000,
    )
    stored = _stored(db)
    assert stored == {1: 1, 3: 1}


def test_new_mail_is_grouped_without_regrouping_the_account(db: CacheDatabase) -> None:
    with db.transaction() as session:
        box = store.ensure_mailbox(session, ACCOUNT, "INBOX")
        store.insert_messages(
            session, box, [_row(u, {**_base(), "message_id": f"m{u}@x"}) for u in range(1, 51)]
        )
    with db.transaction() as session:
        assert update(session, ACCOUNT, US).full  # first time: the whole account
        # it ran without the indexes on what it rewrites, and built them back
        assert deferred_indexes.missing(session) == []
    with db.transaction() as session:
        store.insert_messages(
            session, box, [_row(51, {**_base(), "message_id": "n@x", "in_reply_to": "m7@x"})]
        )
    with db.transaction() as session:
        done = update(session, ACCOUNT, US)
        assert update(session, ACCOUNT, US).changed == 0  # nothing new: nothing done
    assert not done.full and done.changed == 1
    stored = _stored(db)
    assert stored[51] == stored[7] == 7


def _base() -> dict[str, Any]:
    return {"mailbox": "INBOX", "message_id": None, "references": [], "in_reply_to": None, "subject": "件名",
            "from_email": PEOPLE[0], "to": US, "date": 1.0}  # fmt: skip


def test_schema_3_cache_is_migrated_not_rebuilt(tmp_path: Path) -> None:
    """A cache of schema 3 keeps its mail: columns are added, then the mail is grouped."""
    path = tmp_path / "cache.sqlite3"
    database = CacheDatabase(path)
    with database.transaction() as session:
        box = store.ensure_mailbox(session, ACCOUNT, "INBOX")
        store.insert_messages(session, box, [_row(1, {**_base(), "message_id": "q@x"})])
        store.insert_messages(session, box, [_row(2, {**_base(), "in_reply_to": "q@x"})])
        event = {"operation": "sent", "to": {"state": "done"}, "template": 3}
        team_cache.insert_records(
            session, ACCOUNT, [TeamRecord("event", "q@x", "sato", event, "", uid=1)]
        )
    database.close()
    raw = sqlite3.connect(path)  # back to what schema 3 had
    raw.execute("DROP TRIGGER messages_thread_removed")
    for index in ("conversation", "thread_subject", "target", "report"):
        raw.execute(f"DROP INDEX ix_messages_{index}")
    raw.execute("DROP INDEX ix_team_records_events")
    for column in ("operation", "to_state", "template"):
        raw.execute(f"ALTER TABLE team_records DROP COLUMN {column}")
    for column in ("conversation_id", "thread_subject", "subject_parent", "target"):
        raw.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    for table in ("thread_links", "thread_removed", "thread_state"):
        raw.execute(f"DROP TABLE {table}")
    raw.execute("PRAGMA user_version=3")
    raw.commit()
    raw.close()
    database = CacheDatabase(path)
    try:
        assert sorted(_stored(database)) == [1, 2]  # the mail is still there
        with database.transaction() as session:
            update(session, ACCOUNT, US)
        assert _stored(database) == {1: 1, 2: 1}
        with database.transaction() as session:  # schema 5: event fields as columns
            cols = session.connection().exec_driver_sql(
                "SELECT operation, to_state, template FROM team_records"
            )
            assert cols.fetchall() == [("sent", "done", None)]  # a number is not a template
    finally:
        database.close()
