"""The engine's job queue: deadlines, a wake-up socket, and jobs that resume after a reconnect.

Other threads put work here; the engine thread takes it between pushes. The
wake-up is a ``socket.socketpair()``, never a pipe: Windows' ``select``
takes sockets only (WinError 10038 on a pipe), and a failing wait looked like
a lost connection, so the engine reconnected once a second (a login storm).

Every job has a deadline. A job still queued when it passes (the server did
not come back in time) is failed in plain words instead of firing a minute
after the click.
"""

from __future__ import annotations

import collections
import contextlib
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mailwise_desktop.core.errors import ConnectionLostError

if TYPE_CHECKING:
    from mailwise_desktop.imap.engine_context import EngineContext

Job = Callable[["EngineContext"], Any]

#: Seconds a job may wait in the queue for the connection (a claim is stale after that).
DEFAULT_DEADLINE = 30.0

OVERDUE_WORDS = (
    "The mail server could not be reached in time, so this was not done. "
    "Try again when the status bar says online."
)


class ResumeAfterReconnectError(ConnectionLostError):
    """Raised by a job whose outcome is unknown because the connection dropped.

    The engine reconnects and runs ``resume`` first, with the same Future, so
    the job can read what actually happened (a conditional STORE that may or
    may not have landed) and report it truthfully.
    """

    def __init__(self, resume: Job, message: str, *, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.resume = resume


@dataclass
class QueuedJob:
    job: Job
    future: Future[Any]
    deadline: float  # time.monotonic()
    resumed: bool = False  # its Future is running already


class JobQueue:
    """Jobs for the engine thread, in order, each with a deadline. Thread-safe."""

    def __init__(self, deadline: float = DEFAULT_DEADLINE) -> None:
        self.deadline = deadline
        self._lock = threading.Lock()
        self._items: collections.deque[QueuedJob] = collections.deque()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)

    @property
    def wake_socket(self) -> socket.socket:
        """Readable when a job was put (select on it next to the IMAP socket)."""
        return self._wake_r

    def put(self, job: Job, future: Future[Any], deadline: float | None = None) -> None:
        limit = self.deadline if deadline is None else deadline
        with self._lock:
            self._items.append(QueuedJob(job, future, time.monotonic() + limit))
        self.wake()

    def put_first(self, item: QueuedJob) -> None:
        """Put a resumed job at the front: it runs first after the reconnect."""
        with self._lock:
            self._items.appendleft(item)

    def get(self) -> QueuedJob | None:
        with self._lock:
            return self._items.popleft() if self._items else None

    def empty(self) -> bool:
        with self._lock:
            return not self._items

    def wake(self) -> None:
        with contextlib.suppress(OSError):  # full buffer: it is awake already
            self._wake_w.send(b"x")

    def drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_r.recv(4096):
                pass

    def expire(self, now: float | None = None) -> int:
        """Fail every job past its deadline; returns how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            overdue = [i for i in self._items if i.deadline <= now]
            self._items = collections.deque(i for i in self._items if i.deadline > now)
        for item in overdue:
            if not item.future.done():
                item.future.set_exception(ConnectionLostError(OVERDUE_WORDS))
        return len(overdue)

    def next_deadline(self) -> float | None:
        with self._lock:
            return min((i.deadline for i in self._items), default=None)

    def run(self, ctx: EngineContext, stop: threading.Event) -> None:
        """Run the queued jobs in order on the engine thread, each result to its future.

        Raises:
            ConnectionLostError: the line dropped; a job whose outcome is unknown
                (a conditional STORE in flight) is put first, to read what happened
                right after the reconnect.
            OSError: the socket failed; the job's future has the error.
        """
        while not stop.is_set():
            item = self.get()
            if item is None:
                return
            future = item.future
            if not item.resumed and not future.set_running_or_notify_cancel():
                continue
            try:
                result = item.job(ctx)
            except ResumeAfterReconnectError as exc:
                self.put_first(QueuedJob(exc.resume, future, item.deadline, resumed=True))
                raise
            except (ConnectionLostError, OSError) as exc:
                future.set_exception(exc)
                raise  # the connection is gone: reconnect
            except BaseException as exc:
                future.set_exception(exc)
            else:
                # The result (a claim's outcome and its Changes) goes to the one who
                # submitted the job, who publishes it; re-emitting it here made a
                # second road to the views.
                future.set_result(result)

    def fail_all(self, exc: Exception) -> None:
        while (item := self.get()) is not None:
            if not item.future.done():
                item.future.set_exception(exc)

    def close(self) -> None:
        for sock in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                sock.close()
