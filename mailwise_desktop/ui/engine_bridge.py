"""The Qt side of the account engines: Changes, status and job results as signals.

Each account's :class:`AccountEngine` runs on its own thread and calls its
listeners there. The bridge re-emits what they report through one Qt signal
each; a signal emitted from a plain Python thread reaches the bridge's
(main-thread) slots queued, so every slot below runs on the UI thread.
Futures from :meth:`EngineBridge.submit` and work handed to the one-worker
executor (:meth:`EngineBridge.run_in_background`) report back the same way.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import ConnectionLostError, MailwiseError
from mailwise_desktop.imap.engine import AccountEngine, EngineContext
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sync import SyncService

log = logging.getLogger(__name__)

#: Called on the UI thread with (result, None) or (None, error).
Done = Callable[[Any, BaseException | None], None]


class EngineBridge(QObject):
    """Owns every account's engine and speaks Qt signals to the window.

    Signals:
        changes_arrived(Changes): something changed in the cache.
        status_changed(str, EngineStatus): an account's connection state changed.
    """

    changes_arrived = Signal(object)
    status_changed = Signal(str, object)
    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engines: dict[str, AccountEngine] = {}
        self.statuses: dict[str, EngineStatus] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mailwise-ui-work")
        self._finished.connect(self._deliver)

    # -- engines -----------------------------------------------------------

    def start(self, account: Account) -> None:
        """Connect an account in the background; problems arrive as status."""
        if account.id in self.engines:
            return
        try:
            engine = SyncService(self.ctx).engine(
                account,
                on_changes=self._emit_changes,
                on_status=functools.partial(self._emit_status, account.id),
            )
        except MailwiseError as exc:
            # No password in the keychain, say: a state the user can fix, not a crash.
            status = EngineStatus(LinkState.ERROR, exc.message, exc.detail)
            self.statuses[account.id] = status
            self.status_changed.emit(account.id, status)
            return
        self.engines[account.id] = engine
        engine.start()

    def restart(self, account: Account) -> None:
        """Stop the account's engine (if any) and start a new one: after signing in again."""
        engine = self.engines.pop(account.id, None)
        if engine is not None:
            engine.stop(timeout=3.0)
        self.start(account)

    # Called on engine threads; the window may be gone by the time a stopping
    # engine reports its last words.
    def _emit_changes(self, changes: Changes) -> None:
        with contextlib.suppress(RuntimeError):
            self.changes_arrived.emit(changes)

    def _emit_status(self, account_id: str, status: EngineStatus) -> None:
        with contextlib.suppress(RuntimeError):
            self.status_changed.emit(account_id, status)

    def stop_all(self) -> None:
        """Stop every engine and the background worker (at window close)."""
        for engine in self.engines.values():
            engine.stop(timeout=3.0)
        self.engines.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def is_online(self, account_id: str) -> bool:
        status = self.statuses.get(account_id)
        return status is not None and status.state is LinkState.ONLINE

    @Slot(str, object)
    def _remember(self, account_id: str, status: EngineStatus) -> None:
        self.statuses[account_id] = status

    def connect_status_memory(self) -> None:
        """Keep :attr:`statuses` current (connected first, so it is set before others run)."""
        self.status_changed.connect(self._remember)

    # -- jobs --------------------------------------------------------------

    def submit(
        self, account_id: str, job: Callable[[EngineContext], Any], on_done: Done
    ) -> Future[Any] | None:
        """Run an engine job for the account; ``on_done`` gets its result on the UI thread."""
        engine = self.engines.get(account_id)
        if engine is None:
            on_done(None, ConnectionLostError("This mailbox is not connected right now."))
            return None
        future = engine.submit(job)
        future.add_done_callback(lambda f: self._report(on_done, f))
        return future

    def _report(self, on_done: Done, future: Future[Any]) -> None:
        with contextlib.suppress(RuntimeError):
            self._finished.emit(on_done, *_outcome(future))

    def run_in_background(self, work: Callable[[], Any], on_done: Done) -> Future[Any]:
        """Run slow, Qt-free work on the one-worker executor; ``on_done`` on the UI thread."""
        future = self._executor.submit(work)
        future.add_done_callback(lambda f: self._report(on_done, f))
        return future

    @Slot(object, object, object)
    def _deliver(self, on_done: Done, result: Any, error: BaseException | None) -> None:
        try:
            on_done(result, error)
        except Exception:  # a broken callback must not take the window down
            log.exception("job callback failed")


def _outcome(future: Future[Any]) -> tuple[Any, BaseException | None]:
    if future.cancelled():
        return None, ConnectionLostError("The work was cancelled.")
    error = future.exception()
    return (None, error) if error is not None else (future.result(), None)
