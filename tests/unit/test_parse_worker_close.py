"""A header worker that stopped answering is ended at close, never waited for.

Under Wine a spawned worker once never returned a slice: the first sync fell
back to parsing in-process after PARSE_TIMEOUT, then hung in
``shutdown(wait=True)`` for good.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from mailwise_desktop.imap.parse_worker import ParseWorker
from tests.harness.bridge import ENV as WINDOWS_LANE


@pytest.mark.skipif(
    bool(os.environ.get(WINDOWS_LANE)),
    reason="under Wine, once a pool's worker is terminated, later spawned workers of the "
    "same process never answer (their slices time out): it would spoil the lane's later "
    "tests. Runs on Linux and macOS; a real Windows is unverified",
)
def test_close_ends_a_broken_worker_that_hangs() -> None:
    worker = ParseWorker()
    worker.start()
    assert worker.ready(wait=120), worker.broken
    pool = worker._pool
    assert pool is not None
    pool.submit(time.sleep, 3600)  # a slice that never comes back
    processes = list(pool._processes.values())  # type: ignore[attr-defined]
    assert processes and all(p.is_alive() for p in processes)
    worker.fail(TimeoutError("no answer"))
    closing = threading.Thread(target=worker.close, daemon=True)
    closing.start()
    closing.join(timeout=60)
    assert not closing.is_alive(), "close() waited for the hung worker"
    for process in processes:
        process.join(timeout=30)
        assert not process.is_alive()


def test_close_of_a_healthy_worker_stops_its_process() -> None:
    worker = ParseWorker()
    worker.start()
    assert worker.ready(wait=120), worker.broken
    future = worker.submit([], frozenset())
    assert future is not None
    assert future.result(timeout=120) == (worker.pid, [])
    pool = worker._pool
    assert pool is not None
    processes = list(pool._processes.values())  # type: ignore[attr-defined]
    worker.close()
    assert worker.broken is None
    assert all(not p.is_alive() for p in processes)
