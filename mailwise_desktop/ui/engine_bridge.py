"""The Qt side of the account engines: Changes, status and job results as signals.

Each account's :class:`AccountEngine` runs on its own thread and calls its
listeners there. The bridge re-emits what they report through one Qt signal
each; a signal emitted from a plain Python thread reaches the bridge's
(main-thread) slots queued, so every slot below runs on the UI thread.
Jobs reach an engine as typed operations (``ui/background.py``); what the
engine finds itself (sync, IDLE pushes, the team mailbox) leaves as
``changes_arrived`` and goes to the window's change broadcast.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState, StatusCase
from mailwise_desktop.services.context import AppContext

if TYPE_CHECKING:  # imported when the first engine starts, after the window's first paint
    from mailwise_desktop.imap.engine import AccountEngine
    from mailwise_desktop.services.account_services import AccountServices

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

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engines: dict[str, AccountEngine] = {}
        self.statuses: dict[str, EngineStatus] = {}
        self._services: dict[str, AccountServices] = {}
        #: Set by a window that starts its engines after the first paint: called
        #: before a job looks for its engine, so a click that early still reaches it.
        self.ensure_started: Callable[[], None] | None = None

    # -- engines -----------------------------------------------------------

    def start(self, services: AccountServices) -> None:
        """Connect an account in the background; problems arrive as status."""
        account = services.account
        self._services[account.id] = services
        if account.id in self.engines:
            return
        from mailwise_desktop.services.sync import SyncService

        try:
            engine = SyncService(self.ctx).engine(
                account,
                on_changes=self._emit_changes,
                on_status=functools.partial(self._emit_status, account.id),
                services=services,
            )
        except MailwiseError as exc:
            # No password in the keychain, say: a state the user can fix, not a crash.
            status = EngineStatus(
                LinkState.ERROR, exc.message, exc.detail, case=StatusCase.ERROR, error=exc
            )
            self.statuses[account.id] = status
            self.status_changed.emit(account.id, status)
            return
        self.engines[account.id] = engine
        engine.start()

    def engine_for_job(self, account_id: str) -> AccountEngine | None:
        """The account's engine, for a job about to be submitted (None: not connected)."""
        if self.ensure_started is not None:
            self.ensure_started()
        return self.engines.get(account_id)

    def restart(self, account_id: str) -> None:
        """Stop the account's engine (if any) and start a new one: after signing in again.

        The new engine reads the sign-in from the keychain again; it works with the
        account's same :class:`AccountServices`.
        """
        services = self._services.get(account_id)
        engine = self.engines.pop(account_id, None)
        if engine is not None:
            engine.stop(timeout=3.0)
        if services is not None:
            self.start(services)

    # Called on engine threads; the window may be gone by the time a stopping
    # engine reports its last words.
    def _emit_changes(self, changes: Changes) -> None:
        with contextlib.suppress(RuntimeError):
            self.changes_arrived.emit(changes)

    def _emit_status(self, account_id: str, status: EngineStatus) -> None:
        with contextlib.suppress(RuntimeError):
            self.status_changed.emit(account_id, status)

    def stop_all(self) -> None:
        """Stop every engine (at window close)."""
        for engine in self.engines.values():
            engine.stop(timeout=3.0)
        self.engines.clear()

    def is_online(self, account_id: str) -> bool:
        status = self.statuses.get(account_id)
        return status is not None and status.state is LinkState.ONLINE

    @Slot(str, object)
    def _remember(self, account_id: str, status: EngineStatus) -> None:
        self.statuses[account_id] = status

    def connect_status_memory(self) -> None:
        """Keep :attr:`statuses` current (connected first, so it is set before others run)."""
        self.status_changed.connect(self._remember)
