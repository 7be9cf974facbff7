"""What a job running on the engine thread may use (its own module: the job queue needs the type)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.imap.mailbox_sync import MailboxSync
from mailwise_desktop.imap.session import ImapSession
from mailwise_desktop.imap.team_reader import TeamReader
from mailwise_desktop.imap.wire import Wire
from mailwise_desktop.store.database import CacheDatabase

INBOX = "INBOX"


@dataclass
class EngineContext:
    """What a job running on the engine thread may use.

    Attributes:
        session: the command connection (its wire is the connection's one reader).
        db: the cache database.
        account: the account's settings.
        syncs: the sync task of each mailbox on this connection.
        primed: mailboxes whose coordination check and keyword priming ran on
            this connection (imap/coordination_check.py); a new connection starts empty.
        team_reader: the engine's own reader of the team mailbox (imap/team_reader.py);
            None (the CLI's one-shot jobs): the command connection reads it.
    """

    session: ImapSession
    db: CacheDatabase
    account: Account
    syncs: dict[str, MailboxSync]
    primed: set[str] = field(default_factory=set)
    # Seconds between two team-mailbox reads asked by the team job (None: the
    # engine's default). Mode B sets it short: a teammate's claim is a record
    # in the team mailbox there, not a keyword the IDLE connection would push.
    team_poll: float | None = None
    # Folders the team log decides in (Mode B), set by the team job: the status says so.
    team_log_folders: tuple[str, ...] = ()
    team_reader: TeamReader | None = None

    def mailbox(self, name: str = INBOX) -> MailboxSync:
        """The mailbox's sync task, selected on the command connection."""
        sync = self.syncs.get(name)
        if sync is None:
            sync = MailboxSync(
                self.session.wire, self.db, self.account.id, name, self.session.features
            )
            self.syncs[name] = sync
        return sync

    def team_wire(self) -> Wire:
        """The wire that EXAMINEs the team mailbox: the command connection's, unless that
        holds a big mailbox selected (then the reader's, so it stays selected)."""
        wire = self.session.wire
        if self.team_reader is None or wire.selected is None:
            return wire
        sync = self.syncs.get(wire.selected)
        size = sync.status.exists if sync is not None and sync.status is not None else 0
        return self.team_reader.wire_for(wire, size)
