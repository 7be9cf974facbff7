"""Conversations as the window and the CLI read them: the list toggle and the whole thread.

Offline: everything comes from the cache (messages of every folder, cached
bodies, team notes). :meth:`ConversationService.thread` answers "show me the
whole conversation of this message, in order": customer mails, our replies
(from Sent) and the team's notes between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.conversations import members
from mailwise_desktop.mail.team_records import RecordKind, target_key
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_history import note_entries
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import conversations as conv_store
from mailwise_desktop.store import queries
from mailwise_desktop.store.conversation_ids import GroupingDone, generation, update

#: Text shown per message in the thread; the full text is one click away.
EXCERPT_CHARS = 4000


class EntryKind(StrEnum):
    """What a line of the conversation is."""

    CUSTOMER = "customer"
    OURS = "ours"
    NOTE = "note"


@dataclass(frozen=True)
class ThreadEntry:
    """One item of a conversation, in time order.

    Attributes:
        kind: a customer's mail, our reply, or a team note.
        at: when (mail: its Date; note: when it was written).
        who: display name (or address) of the sender / note author.
        subject: the mail's subject (empty for a note).
        text: the plain text (cached body, cut to :data:`EXCERPT_CHARS`;
            empty when the body is not downloaded yet).
        row_id, mailbox, uid: the mail's place (0 / "" for notes).
        state, owner: the mail's handling state and owner's name (INBOX mail).
    """

    kind: EntryKind
    at: datetime | None
    who: str
    subject: str
    text: str
    row_id: int = 0
    mailbox: str = ""
    uid: int = 0
    state: str = ""
    owner: str | None = None


class ConversationService:
    """Conversation grouping for one account, from the cache."""

    def __init__(self, ctx: AppContext, account: Account, log: TeamLog | None = None) -> None:
        self.ctx = ctx
        self.account = account
        self.log = log if log is not None else TeamLog(ctx, account)
        self._cached: tuple[tuple[int, int, int], dict[int, int], dict[int, list[int]]] | None
        self._cached = None

    def regroup(self) -> GroupingDone:
        """Bring the stored conversation ids up to date (the engine does this at sync;
        the CLI calls it once per command). Never on the UI thread: a first run groups
        the whole account."""
        with self.ctx.cache.transaction() as session:
            return update(session, self.account.id, self.account.address)

    def assignment(self) -> tuple[dict[int, int], dict[int, list[int]]]:
        """Row id -> conversation id, and conversation id -> row ids (ascending).

        Read from the stored ids (no regrouping): the engine keeps them current
        as mail arrives. Kept while no grouping changed and no mail came or
        went, so selecting message after message reads nothing again.
        """
        with self.ctx.cache.transaction() as session:
            now = generation(session, self.account.id)
            if self._cached is None or self._cached[0] != now:
                of = conv_store.stored_assignment(session, self.account.id)
                self._cached = (now, of, members(of))
        return self._cached[1], self._cached[2]

    def groups(self) -> dict[int, list[int]]:
        """Conversation id -> row ids (ascending) for the whole account."""
        return self.assignment()[1]

    def collapse(self, ids: Sequence[int]) -> tuple[list[int], dict[int, int]]:
        """The list in conversation mode: the first row of each conversation, and counts.

        Args:
            ids: the message list's ids in display order (newest first by default).

        Returns:
            The ids to show (each conversation once, where its first listed
            message is) and row id -> how many messages its conversation has.
        """
        of, groups = self.assignment()
        shown: list[int] = []
        counts: dict[int, int] = {}
        seen: set[int] = set()
        for row_id in ids:
            conv = of.get(row_id, row_id)
            if conv in seen:
                continue
            seen.add(conv)
            shown.append(row_id)
            counts[row_id] = len(groups.get(conv, [row_id]))
        return shown, counts

    def thread(self, row_id: int) -> list[ThreadEntry]:
        """The whole conversation of ``row_id``: mails and notes, oldest first."""
        roster = self.log.roster()
        with self.ctx.cache.transaction() as session:
            keys = conv_store.conversation_members(session, row_id)
            ours = conv_store.our_addresses(session, self.account.id, self.account.address)
            summaries = queries.summaries(session, sorted(keys))
            boxes = {b.id: b for b in queries.mailboxes(session, self.account.id)}
            bodies = {s.id: queries.cached_body(session, s.id) for s in summaries}
        entries: list[ThreadEntry] = []
        for s in summaries:
            box = boxes.get(s.mailbox_id)
            sent = box is not None and (box.special_use == "\\Sent" or box.name == "Sent")
            kind = EntryKind.OURS if sent or s.from_email.lower() in ours else EntryKind.CUSTOMER
            body = bodies.get(s.id)
            owner = roster.by_slot(s.owner_slot)
            entries.append(
                ThreadEntry(
                    kind,
                    s.date,
                    s.from_name or s.from_email,
                    s.subject,
                    (body.text if body else "")[:EXCERPT_CHARS],
                    s.id,
                    box.name if box else "",
                    s.uid,
                    "" if sent else s.state,
                    owner.label if owner else None,
                )
            )
            key = target_key(
                s.message_id, s.date.timestamp() if s.date else None, s.from_email, s.subject
            )
            for note in note_entries(self.log.records(key, [RecordKind.NOTE]), roster):
                entries.append(ThreadEntry(EntryKind.NOTE, note.at, note.actor_name, "", note.text))
        floor = datetime.min.replace(tzinfo=UTC)
        return sorted(entries, key=lambda e: (e.at or floor, e.kind is EntryKind.NOTE))
