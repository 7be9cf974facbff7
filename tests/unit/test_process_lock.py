"""ProcessLock: one holder at a time, free again once the holder lets go or dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mailwise_desktop.core.process_lock import ProcessLock


def test_second_holder_waits_then_gets_it_after_release(tmp_path: Path) -> None:
    path = tmp_path / "outbox.lock"
    first = ProcessLock(path)
    assert first.acquire() and first.held
    second = ProcessLock(path, timeout=0.2)
    assert not second.acquire() and not second.held
    first.release()
    with ProcessLock(path) as again:
        assert again.held


def test_a_killed_holder_leaves_the_lock_free(tmp_path: Path) -> None:
    path = tmp_path / "outbox.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from mailwise_desktop.core.process_lock import ProcessLock;"
            f"lock = ProcessLock(Path({str(path)!r})); assert lock.acquire();"
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not ProcessLock(path, timeout=0.1).acquire()
    finally:
        holder.kill()
        holder.wait(10)
    assert ProcessLock(path, timeout=5).acquire()
