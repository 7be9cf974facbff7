"""Changes: the immutable value every mutation returns.

The engine, the CLI and the UI all speak in these: a sync pass, a claim or a
note produces one, and each view decides from it what to refresh (Anki's
OpChanges pattern). Only ids cross threads, never ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailwise_desktop.core.errors import MailwiseError


@dataclass(frozen=True)
class MailboxChanges:
    """What changed in one mailbox of one account (ids are cache row ids)."""

    account_id: str
    mailbox: str
    added: frozenset[int] = field(default_factory=frozenset)
    changed: frozenset[int] = field(default_factory=frozenset)
    removed: frozenset[int] = field(default_factory=frozenset)
    rebuilt: bool = False  # UIDVALIDITY changed: everything in the mailbox is new

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.rebuilt)


@dataclass(frozen=True)
class Changes:
    """A batch of changes across mailboxes, plus side records (notes, history)."""

    mailboxes: tuple[MailboxChanges, ...] = ()
    team_records: int = 0  # new notes / events / roster / policy records read
    status: str | None = None  # connection status text (plain English), when it changed
    #: the errors ``status`` says (case and data), for words of each front end's own
    problems: tuple[MailwiseError, ...] = ()

    @property
    def empty(self) -> bool:
        return (
            all(m.empty for m in self.mailboxes) and not self.team_records and self.status is None
        )

    def merged(self, other: Changes) -> Changes:
        return Changes(
            self.mailboxes + other.mailboxes,
            self.team_records + other.team_records,
            other.status if other.status is not None else self.status,
            other.problems if other.status is not None else self.problems,
        )
