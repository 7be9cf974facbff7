"""How a handling operation ended: :class:`OperationOutcome`, shared by Mode A and Mode B.

Its own module so the compare-and-set path (services/coordination.py) and the
team-log path (services/log_operations.py) both build it without importing
each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import HeldByOtherError, MailwiseError, NotAllowedError
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.core.states import HandlingState, Operation, RefusalKind

DONE_WORDS = {
    Operation.CLAIM: "You are handling this now",
    Operation.RELEASE: "Released: nobody is handling this now",
    Operation.TRANSFER: "Handed over",
    Operation.HOLD: "On hold",
    Operation.RESUME: "Back in progress",
    Operation.DONE: "Done",
    Operation.SKIP: "Marked no reply needed",
    Operation.REOPEN: "Reopened: you are handling this now",
}


@dataclass(frozen=True)
class OperationOutcome:
    """How an operation ended, in terms a person and a list view can use.

    Attributes:
        won: the change was written (else it was refused or kept losing races).
        state, owner: the message as it now is (after a win, or as read).
        holder_since: for refusals, when the holder took it (from the history).
        message: plain words, e.g. "佐藤 has held this since 10:42."
        changes: the cache rows updated (apply them at once).
        refusal: why it was refused, if it was.
        connection_lost: the line dropped during the STORE and the message,
            read again, shows it never landed (state/owner: as it is now).
        lost_while_down: a teammate changed the message while our line was
            down, so ours was not made (not a race at the same moment).
    """

    operation: Operation
    uid: int
    won: bool
    state: HandlingState
    owner: Teammate | None
    holder_since: datetime | None
    message: str
    changes: Changes
    refusal: RefusalKind | None = None
    connection_lost: bool = False
    lost_while_down: bool = False

    def raise_if_refused(self) -> OperationOutcome:
        """Self after a win; the matching error otherwise (the CLI's exit codes)."""
        if self.won:
            return self
        if self.refusal is RefusalKind.HELD_BY_OTHER:
            raise HeldByOtherError(self.message)
        if self.refusal is RefusalKind.NOT_ALLOWED:
            raise NotAllowedError(self.message)
        raise MailwiseError(self.message)
