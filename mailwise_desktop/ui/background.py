"""Background work as typed operations, learned from Anki's ``CollectionOp`` / ``QueryOp``.

Every background action of the window is one small operation object:

- :class:`EngineOp` — an IMAP job run by the account's engine thread (claims,
  notes, body downloads, trash, team-mailbox reads);
- :class:`LocalOp` — Qt-free work on a worker thread. It names its *lane*:
  :attr:`Lane.QUICK` for short work (a reply draft, the approvals queue, a
  connection test) and :attr:`Lane.SMTP` for sending (checks against the
  server, SMTP, the outbox run). Each lane is one worker of its own, so
  building a reply draft never waits behind a slow SMTP server.
  :attr:`Lane.SIGN_IN` is for the one wait that can last minutes (the user
  signing in in the browser).

An operation is built, given ``success`` / ``failure`` / ``progress``
callbacks, and handed to :meth:`BackgroundOps.run`::

    LocalOp(lambda: service.draft_reply(uid)).success(self.open_draft).failure(
        self.show_error
    ).run_in(self.ops)

Every callback runs on the UI thread, in the order the work reported it
(woken by one Qt signal).
A callback that raises is logged; it never takes the window down. After
:meth:`BackgroundOps.shutdown` nothing new runs.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from mailwise_desktop.core.errors import ConnectionLostError

if TYPE_CHECKING:  # the engine (imapclient, SQLAlchemy) is imported after the first paint
    from mailwise_desktop.imap.engine import EngineContext
    from mailwise_desktop.ui.engine_bridge import EngineBridge

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Called by the work with (done, total); the op's progress callback gets it on the UI thread.
Progress = Callable[[int, int], None]
#: How long one IMAP step of the send lane may wait for the engine before it counts as offline.
JOB_TIMEOUT = 60.0


class Lane(Enum):
    """The worker a :class:`LocalOp` runs on."""

    QUICK = "quick"
    SMTP = "smtp"
    SIGN_IN = "sign-in"


class _Op(Generic[T]):
    """Callbacks shared by both kinds of operation."""

    def __init__(self) -> None:
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[BaseException], object] | None = None
        self._on_progress: Callable[[int, int], object] | None = None

    def success(self, callback: Callable[[T], object]) -> Self:
        """Called with the result on the UI thread."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], object]) -> Self:
        """Called with the error on the UI thread (default: logged)."""
        self._on_failure = callback
        return self

    def progress(self, callback: Callable[[int, int], object]) -> Self:
        """Called with (done, total) on the UI thread while the work reports it."""
        self._on_progress = callback
        return self

    def run_in(self, ops: BackgroundOps) -> Future[T] | None:
        """Start the operation (see :meth:`BackgroundOps.run`)."""
        return ops.run(self)

    def _finish(self, future: Future[T]) -> None:
        if future.cancelled():
            error: BaseException | None = ConnectionLostError("The work was cancelled.")
        else:
            error = future.exception()
        if error is None:
            if self._on_success is not None:
                self._on_success(future.result())
        elif self._on_failure is not None:
            self._on_failure(error)
        else:
            log.warning("background operation failed: %r", error)


class EngineOp(_Op[T]):
    """An IMAP job for one account's engine thread.

    Args:
        account_id: whose engine runs it.
        job: the engine job (``services.coordination.operation_job(...)`` and friends).
    """

    def __init__(self, account_id: str, job: Callable[[EngineContext], T]) -> None:
        super().__init__()
        self.account_id = account_id
        self.job = job


class LocalOp(_Op[T]):
    """Qt-free work on one of the two local lanes.

    Args:
        work: what runs on the worker thread (no Qt, no widgets).
        lane: :attr:`Lane.QUICK` (default) or :attr:`Lane.SMTP` for sending.
    """

    def __init__(self, work: Callable[[], T], *, lane: Lane = Lane.QUICK) -> None:
        super().__init__()
        self.lane = lane
        self._work: Callable[[Progress], T] = lambda _report: work()

    @classmethod
    def reporting(cls, work: Callable[[Progress], T], *, lane: Lane = Lane.QUICK) -> LocalOp[T]:
        """Work that reports progress through the ``Progress`` it is given."""
        op: LocalOp[T] = cls(lambda: work(lambda _d, _t: None), lane=lane)
        op._work = work
        return op


class BackgroundOps(QObject):
    """Runs operations: engine jobs through the bridge, local work on two lanes.

    Args:
        bridge: the account engines (None: only local work, e.g. a lone compose window).
    """

    _wake = Signal()  # callables wait in _inbox: no Python object rides the queued signal

    def __init__(self, bridge: EngineBridge | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._lanes = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"mailwise-{lane.value}")
            for lane in Lane
        }
        #: Operations started and not yet finished, per lane (engine ops under None).
        self.pending: dict[Lane | None, int] = {None: 0, **{lane: 0 for lane in Lane}}
        self.stopped = False
        # Kept here until the UI thread runs them (deque appends and pops are
        # thread-safe); only a wake-up crosses threads as a Qt signal.
        self._inbox: deque[Callable[[], object]] = deque()
        self._wake.connect(self._run_on_ui)

    def run(self, op: _Op[T]) -> Future[T] | None:
        """Start ``op``; its callbacks follow on the UI thread. None: nothing was started."""
        if self.stopped:
            return None
        if isinstance(op, EngineOp):
            return self._run_engine(op)
        if isinstance(op, LocalOp):
            return self._run_local(op)
        raise TypeError(f"not an operation: {op!r}")

    def _run_engine(self, op: EngineOp[T]) -> Future[T] | None:
        engine = self.bridge.engine_for_job(op.account_id) if self.bridge is not None else None
        if engine is None:
            failed: Future[T] = Future()
            failed.set_exception(ConnectionLostError("This mailbox is not connected right now."))
            self._count(None, +1)
            self._done(None, op, failed)
            return None
        self._count(None, +1)
        future = engine.submit(op.job)
        future.add_done_callback(lambda f: self._done(None, op, f))
        return future

    def _run_local(self, op: LocalOp[T]) -> Future[T]:
        def report(done: int, total: int) -> None:
            if op._on_progress is not None:
                callback = op._on_progress
                self._post(lambda: callback(done, total))

        self._count(op.lane, +1)
        future = self._lanes[op.lane].submit(op._work, report)
        future.add_done_callback(lambda f: self._done(op.lane, op, f))
        return future

    def _count(self, lane: Lane | None, step: int) -> None:
        self.pending[lane] += step

    def _done(self, lane: Lane | None, op: _Op[T], future: Future[T]) -> None:
        def finish() -> None:
            self._count(lane, -1)
            op._finish(future)

        self._post(finish)

    def _post(self, callback: Callable[[], object]) -> None:
        self._inbox.append(callback)
        with contextlib.suppress(RuntimeError):  # the window may be gone
            self._wake.emit()

    @Slot()
    def _run_on_ui(self) -> None:
        while self._inbox:
            callback = self._inbox.popleft()
            try:
                callback()
            except Exception:  # a broken callback must not take the window down
                log.exception("operation callback failed")

    def busy(self, lane: Lane | None) -> bool:
        """True while an operation of ``lane`` (None: engine ops) has not reported back."""
        return self.pending[lane] > 0

    def shutdown(self) -> None:
        """Stop taking work (a running SMTP call finishes; the outbox rules cover a crash)."""
        self.stopped = True
        for executor in self._lanes.values():
            executor.shutdown(wait=False, cancel_futures=True)


def engine_runner(bridge: EngineBridge, account_id: str) -> Callable[[Any], Any]:
    """A ``SendingService`` runner: the job runs on the account's engine thread.

    The caller (the SMTP lane) waits for the result; calling it on the UI
    thread is a bug and raises at once instead of freezing the window.
    """

    def run(job: Callable[[EngineContext], Any]) -> Any:
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("IMAP jobs must not be awaited on the UI thread")
        engine = bridge.engines.get(account_id)
        if engine is None or not bridge.is_online(account_id):
            raise ConnectionLostError("This mailbox is not connected right now.")
        try:
            return engine.submit(job).result(timeout=JOB_TIMEOUT)
        except concurrent.futures.TimeoutError as exc:
            raise ConnectionLostError(
                "The mail server did not answer in time.", detail=str(exc)
            ) from exc

    return run
