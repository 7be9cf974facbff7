"""The window's sqlite3 list reader answers as the ORM queries do (store/direct_list.py).

The window paints its first page (and reads its list) through it, so every
tab, order, search and count must match store/triage_queries.py exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries
from mailwise_desktop.store.database import CacheDatabase
from mailwise_desktop.store.direct_list import DirectListReader
from mailwise_desktop.store.triage_queries import (
    ListFilter,
    Tab,
    filtered_ids,
    matching_ids,
    search_hits,
    tab_counts,
)
from tests.unit.test_triage_queries import MAIL, ME, row

SORTS = ("date", "subject", "from", "size", "state")


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[tuple[CacheDatabase, DirectListReader, int]]:
    db = CacheDatabase(tmp_path / "cache.sqlite3")
    with db.transaction() as session:
        mailbox_id = store.ensure_mailbox(session, "support", "INBOX")
        store.ensure_mailbox(session, "support", "Archive")
        store.insert_messages(session, mailbox_id, [row(u) for u in MAIL])
        store.mark_synced(session, mailbox_id, True)
    direct = DirectListReader.open(tmp_path / "cache.sqlite3")
    assert direct is not None
    yield db, direct, mailbox_id
    direct.close()
    db.close()


def test_every_tab_order_and_search_gives_the_same_ids(cache) -> None:  # type: ignore[no-untyped-def]
    db, direct, mailbox_id = cache
    compared = 0
    for tab, sort, descending, search, me in itertools.product(
        Tab, SORTS, (True, False), ("", "請求書", "invoice", "該当なし"), (ME, None)
    ):
        flt = ListFilter(mailbox_id, tab, me, search, sort, descending)  # type: ignore[arg-type]
        with db.transaction() as session:
            expected = filtered_ids(session, flt)
            first = filtered_ids(session, flt, limit=2)
            hits = search_hits(session, flt)
            live = matching_ids(session, flt, [*expected[:3], 10_000], hits)
        assert direct.filtered_ids(flt) == expected, flt
        assert direct.filtered_ids(flt, limit=2) == first, flt
        assert direct.search_hits(flt) == hits, flt
        assert direct.matching_ids(flt, [*expected[:3], 10_000], hits) == live, flt
        compared += bool(expected)
    assert compared > 100  # most filters show something: the comparison is not vacuous


def test_counts_and_folders_are_the_same(cache) -> None:  # type: ignore[no-untyped-def]
    db, direct, mailbox_id = cache
    with db.transaction() as session:
        for me in (ME, None, 7):
            assert direct.tab_counts(mailbox_id, me) == tab_counts(session, mailbox_id, me)
        assert direct.state_counts(mailbox_id) == queries.state_counts(session, mailbox_id)
        assert direct.mailboxes("support") == queries.mailboxes(session, "support")
        ids = filtered_ids(session, ListFilter(mailbox_id))
        assert direct.summaries(ids) == queries.summaries(session, ids)


def test_a_read_after_close_opens_the_file_again(cache) -> None:  # type: ignore[no-untyped-def]
    # A timer of a closing window may still read the counts (seen in the GUI tests).
    _, direct, mailbox_id = cache
    direct.close()
    assert sum(direct.state_counts(mailbox_id).values()) == len(MAIL)


def test_an_older_cache_is_not_opened(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute("PRAGMA user_version = 1")
    assert DirectListReader.open(path) is None
    assert DirectListReader.open(tmp_path / "missing.sqlite3") is None
