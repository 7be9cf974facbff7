"""The first sync on a real Dovecot: newest first, in slices, resumable, with ordered progress."""

from __future__ import annotations

import re

import pytest

from mailwise_desktop.imap import first_sync
from mailwise_desktop.imap.engine_status import EngineStatus
from mailwise_desktop.imap.tokens import parse_uid_set
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import deferred_indexes, queries
from mailwise_desktop.store import messages as store
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message

COUNT = 230


class Interrupted(Exception):
    """Stands for a closed window or a dropped line in the middle of the first sync."""


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    # Several slices out of a small mailbox: 20, then 50 at a time.
    monkeypatch.setattr(first_sync, "FIRST_SLICE", 20)
    monkeypatch.setattr(first_sync, "SLICE", 50)


def cached_uids(ctx: AppContext) -> set[int]:
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        return set(store.known_uids(session, box.id))


def header_fetched(commands: list[bytes]) -> list[int]:
    """UIDs named by header FETCH commands the client sent."""
    out: list[int] = []
    for line in commands:
        match = re.search(rb"UID FETCH (\S+) \(.*BODY\.PEEK\[HEADER", line)
        if match:
            out.extend(parse_uid_set(match.group(1)))
    return out


@pytest.mark.usefixtures("small_slices")
def test_newest_committed_first_with_progress_in_order_to_the_total(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    dovecot.seed_maildir(imap_user, [make_message(subject=f"件名 {n}") for n in range(COUNT)])
    events: list[tuple[int, int, set[int]]] = []

    def progress(name: str, done: int, total: int) -> None:
        # Called after each slice is committed: what the cache holds right now.
        events.append((done, total, cached_uids(ctx)))

    report = SyncService(ctx).sync_once(ctx.account(), progress=progress)
    everything = cached_uids(ctx)
    assert len(everything) == COUNT == len(report.mailboxes[0].added)
    newest = sorted(everything, reverse=True)
    assert [e[0] for e in events] == [0, 20, 70, 120, 170, 220, 230]
    assert {e[1] for e in events} == {COUNT}
    for done, _total, held in events:
        # The writer may already have committed the next slice; never an older one first.
        assert len(held) >= done
        assert held == set(newest[: len(held)]), "an older message was stored before a newer one"


@pytest.mark.usefixtures("small_slices")
def test_interrupted_first_sync_resumes_without_refetching(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    dovecot.seed_maildir(imap_user, [make_message(subject=f"s{n}") for n in range(COUNT)])
    service = SyncService(ctx)

    def stop_after_two_slices(name: str, done: int, total: int) -> None:
        if done >= 70:
            raise Interrupted

    with pytest.raises(Interrupted):
        service.sync_once(ctx.account(), progress=stop_after_two_slices)
    stored = cached_uids(ctx)
    assert len(stored) >= 70 and len(stored) < COUNT
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        assert box.uidnext is None  # the first sync is not marked complete

    dovecot.flags_add(imap_user, "\\Flagged", max(stored))  # a teammate meanwhile
    sent: list[bytes] = []
    report = service.sync_once(ctx.account(), on_command=sent.append)
    fetched = header_fetched(sent)
    assert fetched, sent
    assert not set(fetched) & stored, "headers the first run stored were fetched again"
    assert len(fetched) == len(set(fetched)) == COUNT - len(stored)
    assert cached_uids(ctx) == stored | set(fetched)
    assert len(cached_uids(ctx)) == COUNT
    changes = report.mailboxes[0]
    assert len(changes.added) == COUNT - len(stored)
    assert len(changes.changed) == 1  # the flag set meanwhile was picked up
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        assert box.uidnext is not None


@pytest.mark.usefixtures("small_slices")
def test_engine_lists_each_slice_and_reports_progress_before_the_pass_ends(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    dovecot.seed_maildir(imap_user, [make_message(subject=f"e{n}") for n in range(COUNT)])
    batches: list[frozenset[int]] = []
    statuses: list[EngineStatus] = []
    engine = SyncService(ctx).engine(
        ctx.account(),
        on_changes=lambda c: batches.extend(m.added for m in c.mailboxes if m.added),
        on_status=statuses.append,
    )
    engine.start()
    try:
        assert engine.initial_sync_done.wait(60), engine.status
    finally:
        engine.stop()
    everything = cached_uids(ctx)
    assert len(everything) == COUNT
    # Each committed slice reached the listeners on its own, the newest first, and
    # the pass's final Changes did not announce them a second time.
    assert len(batches) == 6
    assert sum(len(b) for b in batches) == COUNT
    assert len(set().union(*batches)) == COUNT
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        uid_of = {
            m.id: m.uid for m in queries.summaries(session, queries.list_ids(session, box.id))
        }
    first = {uid_of[i] for i in batches[0]}
    assert first == set(sorted(everything, reverse=True)[:20])
    progress = [(s.sync_done, s.sync_total) for s in statuses if s.sync_total is not None]
    assert progress and [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert {t for _, t in progress} == {COUNT}
    assert statuses[-1].sync_total is None  # the bar is cleared once the pass is done


def index_names(ctx: AppContext) -> set[str]:
    with ctx.cache.transaction() as session:
        return set(deferred_indexes.missing(session)) ^ set(deferred_indexes.DEFERRED)


@pytest.mark.usefixtures("small_slices")
def test_big_first_sync_builds_the_set_aside_indexes_after_its_last_slice(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_sync, "DEFER_INDEXES_FROM", 100)  # "big": this mailbox
    dovecot.seed_maildir(imap_user, [make_message(subject=f"件名 {n}") for n in range(COUNT)])
    during: list[tuple[int, set[str]]] = []

    def progress(name: str, done: int, total: int) -> None:
        with ctx.cache.transaction() as session:
            box = queries.mailbox(session, "support", "INBOX")
            # The window's first page: the newest, through the list's own index.
            plan = session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE mailbox_id = ? "
                "ORDER BY date DESC, uid DESC LIMIT 200",
                (box.id,),
            )
            assert any("ix_messages_list" in str(row[-1]) for row in plan)
        during.append((done, index_names(ctx)))

    SyncService(ctx).sync_once(ctx.account(), progress=progress)
    sliced = [names for done, names in during if 0 < done < COUNT]
    assert sliced, during
    for names in sliced:  # while the slices are written: set aside
        assert not names, names
    assert index_names(ctx) == set(deferred_indexes.DEFERRED)  # all back after the last
    assert len(cached_uids(ctx)) == COUNT


@pytest.mark.usefixtures("small_slices")
def test_interrupted_big_first_sync_leaves_every_index_in_place(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_sync, "DEFER_INDEXES_FROM", 100)
    dovecot.seed_maildir(imap_user, [make_message(subject=f"s{n}") for n in range(COUNT)])
    seen: list[set[str]] = []

    def stop_after_two_slices(name: str, done: int, total: int) -> None:
        seen.append(index_names(ctx))
        if done >= 70:
            raise Interrupted

    with pytest.raises(Interrupted):
        SyncService(ctx).sync_once(ctx.account(), progress=stop_after_two_slices)
    assert not seen[-1]  # they were set aside when it stopped
    assert index_names(ctx) == set(deferred_indexes.DEFERRED)
