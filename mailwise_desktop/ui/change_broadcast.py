"""The one road every change takes to the views (Anki's ``operation_did_execute``).

Every mutation returns its :class:`~mailwise_desktop.core.changes.Changes`:
a claim's outcome, a trash move, a send's compare-and-set, a sync pass, an
IDLE push, new team records. Each is published here exactly once with its
*initiator* — the object whose action caused it (an operation runner, the
trash action, the outbox), or None when it came from the server (a teammate,
new mail, the engine's own reads). Views subscribe to :attr:`published` and
decide what a change means to them: they merge rows they already show (the
IDLE echo of our own STORE changes nothing they show, so nothing moves) and
highlight only what others did.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mailwise_desktop.core.changes import Changes


class ChangeBroadcast(QObject):
    """Publishes each Changes once, with its initiator, on the UI thread.

    Signals:
        published(Changes, object): the change and who caused it (None: the server).
    """

    published = Signal(object, object)

    def publish(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every view; an empty change is dropped."""
        if not changes.empty:
            self.published.emit(changes, initiator)
