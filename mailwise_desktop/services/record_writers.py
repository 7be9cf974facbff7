"""Which process queued a team record, and whether that process is still alive.

A team record is queued locally *before* its APPEND (services/team_log.py),
so a process killed mid-APPEND leaves it for a retry. But while its writer
lives, the row is in flight and another process of the profile (the window
beside a CLI command) must not send it too. Each writing process holds a
:class:`ProcessLock` on ``writers/<token>.lock`` for its lifetime; the token
goes into the queued row. The OS drops the lock when the process dies, so
"can I take that lock?" answers "is the writer gone?" on every platform.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from pathlib import Path

from mailwise_desktop.core.process_lock import ProcessLock
from mailwise_desktop.core.profile import Profile

#: This process's writer token (one per process, whatever the profile).
TOKEN = uuid.uuid4().hex
WRITER_HEADER = "X-Mailwise-Writer"

_held: dict[Path, ProcessLock] = {}
_guard = threading.Lock()


def _lock_path(profile: Profile, token: str) -> Path:
    return profile.writers_dir / f"{token}.lock"


def my_token(profile: Profile) -> str:
    """This process's token, its lock held (taken on first use, kept until exit)."""
    path = _lock_path(profile, TOKEN)
    with _guard:
        if path not in _held:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = ProcessLock(path)
            if lock.acquire():
                _held[path] = lock
    return TOKEN


def writer_gone(profile: Profile, token: str | None) -> bool:
    """True when the process that wrote ``token`` no longer runs (or none was named)."""
    if not token:
        return True  # queued by a version that only queued after a failed APPEND
    if token == TOKEN:
        return False
    path = _lock_path(profile, token)
    if not path.exists():
        return True
    probe = ProcessLock(path)
    if not probe.acquire():
        return False
    probe.release()
    with contextlib.suppress(OSError):  # Windows: someone else may just have opened it
        path.unlink()
    return True
