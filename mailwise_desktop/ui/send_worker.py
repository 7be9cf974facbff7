"""Sending's one background worker: claim, checks, queueing and the outbox off the UI thread.

Sending mixes local work (building the message, reading attachments) with
IMAP jobs (claim, collision check, Sent copy, CAS) and SMTP. All of it runs
here, one call at a time, on a one-worker executor of its own (a slow SMTP
server must not delay body downloads). IMAP steps inside those calls go to the
account's engine thread through :func:`engine_runner`, which waits for the
engine's answer *on this worker*, never on the UI thread. Results come back
through a Qt signal, so every ``on_done`` runs on the UI thread.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from mailwise_desktop.core.errors import ConnectionLostError
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.ui.engine_bridge import EngineBridge

log = logging.getLogger(__name__)

#: Called on the UI thread with (result, None) or (None, error).
Done = Callable[[Any, BaseException | None], None]
#: How long one IMAP step may wait for the engine before it counts as offline.
JOB_TIMEOUT = 60.0


def engine_runner(bridge: EngineBridge, account_id: str) -> Callable[[Any], Any]:
    """A ``SendingService`` runner: the job runs on the account's engine thread.

    The caller (the send worker) waits for the result; calling it on the UI
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


class SendWorker(QObject):
    """Runs sending work in the background, one call at a time."""

    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mailwise-send")
        self._finished.connect(self._deliver)
        self.pending = 0
        self.stopped = False

    def run(self, work: Callable[[], Any], on_done: Done) -> Future[Any] | None:
        """Run ``work`` on the worker; ``on_done(result, error)`` follows on the UI thread.

        After :meth:`shutdown` (the window is closing) nothing runs any more.
        """
        if self.stopped:
            return None
        self.pending += 1
        future = self._executor.submit(work)
        future.add_done_callback(lambda f: self._report(on_done, f))
        return future

    def _report(self, on_done: Done, future: Future[Any]) -> None:
        if future.cancelled():
            outcome: tuple[Any, BaseException | None] = (None, None)
        else:
            error = future.exception()
            outcome = (None, error) if error is not None else (future.result(), None)
        with contextlib.suppress(RuntimeError):  # the window may be gone
            self._finished.emit(on_done, *outcome)

    @Slot(object, object, object)
    def _deliver(self, on_done: Done, result: Any, error: BaseException | None) -> None:
        self.pending -= 1
        try:
            on_done(result, error)
        except Exception:  # a broken callback must not take the window down
            log.exception("send callback failed")

    def shutdown(self) -> None:
        """Stop taking work (a running SMTP call finishes; the outbox rules cover a crash)."""
        self.stopped = True
        self._executor.shutdown(wait=False, cancel_futures=True)
