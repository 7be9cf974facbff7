"""A connection of its own for reading the team mailbox, once re-selecting the big one costs.

The team job EXAMINEs the team mailbox to fetch teammates' new records. Done on
the command connection, that unselects INBOX, and the next claim or push has
to SELECT it again. Dovecot rescans a Maildir on a SELECT that follows any flag
change: 0.6 s at 200,000 messages against 0.13 s unchanged and 13 ms for the
team mailbox (bench/RESULTS.md), paid by every engine for every teammate's
action. So while the command connection holds a mailbox of
:data:`READER_FROM` messages or more, records are read on a reader of their
own, opened at its first need and closed with the engine's other two.

Small mailboxes keep two connections: providers cap them per account (Gmail
at 15), and a team sharing one login multiplies them.
"""

from __future__ import annotations

from collections.abc import Callable

from mailwise_desktop.imap.session import ImapSession
from mailwise_desktop.imap.wire import Wire

#: Messages in the command connection's selected mailbox from which a reader pays.
READER_FROM = 10_000


class TeamReader:
    """Opens (once) and holds the engine's team-mailbox reader; the engine thread only."""

    def __init__(self, opener: Callable[[], ImapSession], threshold: int = READER_FROM) -> None:
        self._opener = opener
        self.threshold = threshold
        self._session: ImapSession | None = None

    @property
    def open(self) -> bool:
        return self._session is not None

    def wire_for(self, command: Wire, selected_size: int) -> Wire:
        """The wire to EXAMINE the team mailbox on, given the command connection's selection.

        Raises:
            MailwiseError: the reader could not connect (as any connection of the engine).
        """
        if self._session is None and selected_size < self.threshold:
            return command
        if self._session is None:
            self._session = self._opener()
        return self._session.wire

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
