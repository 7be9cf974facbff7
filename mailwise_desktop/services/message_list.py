"""What the window's message list reads: ordered ids for a filter, pages of rows, counts.

Qt-free, so the list model (``ui/message_list_model.py``) only sees plain
values. Every method is one short indexed read of the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store import queries, triage_queries
from mailwise_desktop.store.queries import MailboxInfo, MessageSummary
from mailwise_desktop.store.triage_queries import ListFilter, Tab


@dataclass
class MessageListSource:
    """The messages of one folder under one filter.

    The search result is computed once per source (FTS is the slow part) and
    reused for live updates; a new search makes a new source.
    """

    ctx: AppContext
    account_id: str
    mailbox: str
    filter: ListFilter
    #: Conversation mode: turns the ordered ids into one row per conversation.
    collapse: Callable[[list[int]], list[int]] | None = None
    _hits: frozenset[int] | None = field(default=None, init=False, repr=False)
    _searched: bool = field(default=False, init=False, repr=False)

    def _search(self) -> frozenset[int] | None:
        if not self._searched:
            with self.ctx.cache.transaction() as session:
                self._hits = triage_queries.search_hits(session, self.filter)
            self._searched = True
        return self._hits

    def ids(self) -> list[int]:
        """Ordered ids of every message the list shows."""
        hits = self._search()
        with self.ctx.cache.transaction() as session:
            ids = triage_queries.filtered_ids(session, self.filter, hits)
        return ids if self.collapse is None else self.collapse(ids)

    def first_ids(self, limit: int) -> list[int] | None:
        """The first ``limit`` ids of :meth:`ids` (None in conversation mode: it needs all)."""
        if self.collapse is not None:
            return None
        hits = self._search()
        with self.ctx.cache.transaction() as session:
            return triage_queries.filtered_ids(session, self.filter, hits, limit=limit)

    def matching(self, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` the filter shows now."""
        hits = self._search()
        with self.ctx.cache.transaction() as session:
            return triage_queries.matching_ids(session, self.filter, ids, hits)

    def summaries(self, ids: Sequence[int]) -> list[MessageSummary]:
        """Rows for a page of ids, in the same order (gone ids are skipped)."""
        with self.ctx.cache.transaction() as session:
            return queries.summaries(session, ids)


class FolderReader:
    """Folders and per-state counts of the profile's accounts."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def folders(self, account_id: str) -> list[MailboxInfo]:
        """The account's cached, synced folders (INBOX first)."""
        with self.ctx.cache.transaction() as session:
            boxes = [b for b in queries.mailboxes(session, account_id) if b.synced]
        return sorted(boxes, key=lambda b: (b.name.upper() != "INBOX", b.name))

    def counts(self, mailbox_id: int, me: int | None) -> dict[Tab, int]:
        with self.ctx.cache.transaction() as session:
            return triage_queries.tab_counts(session, mailbox_id, me)

    def state_counts(self, mailbox_id: int) -> dict[str, int]:
        with self.ctx.cache.transaction() as session:
            return queries.state_counts(session, mailbox_id)
