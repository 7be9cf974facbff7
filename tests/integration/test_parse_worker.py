"""Header parsing in a worker process during the first sync (real Dovecot, real spawn).

The worker must give exactly the rows in-process parsing gives, be the one
that parsed the slices once it is up, and leave the sync whole when it cannot
start or dies on the way.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.imap import first_sync, parse_worker
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import realistic_mailbox
from tests.harness.teammates import endpoint_for, open_profile

COUNT = 230


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[first_sync.FirstSync]]:
    """Every FirstSync made, told to wait for the worker (a loaded CI machine starts it slowly)."""
    monkeypatch.setattr(first_sync, "FIRST_SLICE", 20)
    monkeypatch.setattr(first_sync, "SLICE", 50)
    made: list[first_sync.FirstSync] = []
    real_init = first_sync.FirstSync.__init__

    def init(self: first_sync.FirstSync, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        self.worker_wait = 120.0
        made.append(self)

    monkeypatch.setattr(first_sync.FirstSync, "__init__", init)
    yield made


@pytest.fixture
def mailbox(dovecot: DovecotServer, imap_user: TestUser) -> TestUser:
    dovecot.seed_maildir(imap_user, realistic_mailbox(COUNT, seed=5))
    return imap_user


def synced(root: Path, dovecot: DovecotServer, user: TestUser) -> AppContext:
    ctx = open_profile(root, endpoint_for(dovecot, user), user.password)
    SyncService(ctx).sync_once(ctx.account())
    return ctx


def stored(ctx: AppContext) -> list[tuple[Any, ...]]:
    """Every cached message row without its cache id, and its search text, by UID."""
    with sqlite3.connect(ctx.profile.cache_db) as db:
        names = [r[1] for r in db.execute("PRAGMA table_info(messages)") if r[1] != "id"]
        columns = ", ".join(f'm."{n}"' for n in names)
        rows = db.execute(
            f"SELECT {columns}, f.subject, f.sender "
            "FROM messages m JOIN messages_fts f ON f.rowid = m.id ORDER BY m.uid"
        ).fetchall()
    db.close()
    return rows


def test_worker_parses_the_slices_and_gives_the_same_rows(
    runs: list[first_sync.FirstSync],
    mailbox: TestUser,
    dovecot: DovecotServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(parse_worker.WORKER_ENV, "off")
    here = synced(tmp_path / "in-process", dovecot, mailbox)
    assert runs[-1].worker is None and set(runs[-1].parsed_in) == {os.getpid()}
    monkeypatch.setenv(parse_worker.WORKER_ENV, "on")
    there = synced(tmp_path / "worker", dovecot, mailbox)
    run = runs[-1]
    assert run.worker is not None and run.worker.broken is None
    assert run.worker.pid is not None and run.worker.pid != os.getpid()
    # The newest slice is parsed here while the worker starts; the rest there.
    assert run.parsed_in[0] == os.getpid()
    assert run.parsed_in[1:] == [run.worker.pid] * (len(run.parsed_in) - 1)
    assert len(run.parsed_in) == 6  # 20, then 50 at a time
    assert len(stored(here)) == COUNT
    assert stored(there) == stored(here)
    here.close()
    there.close()


def test_a_worker_that_cannot_start_leaves_parsing_here(
    runs: list[first_sync.FirstSync],
    mailbox: TestUser,
    dovecot: DovecotServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_processes(*args: Any, **kwargs: Any) -> None:
        raise OSError("the system refused to start a process")

    monkeypatch.setenv(parse_worker.WORKER_ENV, "on")
    monkeypatch.setattr(parse_worker, "ProcessPoolExecutor", no_processes)
    ctx = synced(tmp_path / "refused", dovecot, mailbox)
    run = runs[-1]
    assert run.worker is not None and "refused to start" in str(run.worker.broken)
    assert set(run.parsed_in) == {os.getpid()} and len(run.parsed_in) == 6
    assert len(stored(ctx)) == COUNT
    ctx.close()


def test_a_worker_that_dies_mid_sync_loses_no_message(
    runs: list[first_sync.FirstSync],
    mailbox: TestUser,
    dovecot: DovecotServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(parse_worker.WORKER_ENV, "off")
    reference = synced(tmp_path / "reference", dovecot, mailbox)
    real_submit = parse_worker.ParseWorker.submit
    calls: list[int] = []

    def dies_on_the_third(
        self: parse_worker.ParseWorker, responses: list[list[bytes]], wanted: frozenset[int]
    ) -> Future[tuple[int, list[dict[str, Any]]]] | None:
        calls.append(len(responses))
        if len(calls) < 3:
            return real_submit(self, responses, wanted)
        died: Future[tuple[int, list[dict[str, Any]]]] = Future()
        died.set_exception(BrokenProcessPool("the worker was killed"))
        return died

    monkeypatch.setenv(parse_worker.WORKER_ENV, "on")
    monkeypatch.setattr(parse_worker.ParseWorker, "submit", dies_on_the_third)
    ctx = synced(tmp_path / "died", dovecot, mailbox)
    run = runs[-1]
    assert run.worker is not None and run.worker.pid is not None
    assert "killed" in str(run.worker.broken)
    assert run.parsed_in[1:3] == [run.worker.pid] * 2
    assert os.getpid() in run.parsed_in[3:]
    assert stored(ctx) == stored(reference)
    reference.close()
    ctx.close()


def test_worker_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(parse_worker.WORKER_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert parse_worker.worth_starting(parse_worker.WORKER_MIN_MESSAGES)
    assert not parse_worker.worth_starting(parse_worker.WORKER_MIN_MESSAGES - 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # no free core: it did not pay
    assert not parse_worker.worth_starting(200_000)
    monkeypatch.setenv(parse_worker.WORKER_ENV, "on")
    assert parse_worker.worth_starting(10) and not parse_worker.worth_starting(0)
    monkeypatch.setenv(parse_worker.WORKER_ENV, "off")
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert not parse_worker.worth_starting(200_000)
