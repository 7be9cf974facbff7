"""What the window's message list reads: ordered ids for a filter, pages of rows, counts.

Qt-free, so the list model (``ui/message_list_model.py``) only sees plain
values. Every method is one short indexed read of the cache: through the
window's plain sqlite3 reader (store/direct_list.py) when it has one, so its
first page is painted before SQLAlchemy is imported, else through the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store.cache_values import MailboxInfo
from mailwise_desktop.store.direct_list import DirectListReader
from mailwise_desktop.store.list_filter import ListFilter, Tab
from mailwise_desktop.store.summaries import MessageSummary

# store.queries and store.triage_queries (SQLAlchemy) are imported where the ORM path runs.


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
    #: The window's sqlite3 reader; None: read through the ORM (ctx.cache).
    direct: DirectListReader | None = None
    _hits: frozenset[int] | None = field(default=None, init=False, repr=False)
    _searched: bool = field(default=False, init=False, repr=False)

    def _search(self) -> frozenset[int] | None:
        if not self._searched:
            if self.direct is not None:
                self._hits = self.direct.search_hits(self.filter)
            else:
                from mailwise_desktop.store import triage_queries

                with self.ctx.cache.transaction() as session:
                    self._hits = triage_queries.search_hits(session, self.filter)
            self._searched = True
        return self._hits

    def ids(self) -> list[int]:
        """Ordered ids of every message the list shows."""
        ids = self._filtered(self._search())
        return ids if self.collapse is None else self.collapse(ids)

    def _filtered(self, hits: frozenset[int] | None, limit: int | None = None) -> list[int]:
        if self.direct is not None:
            return self.direct.filtered_ids(self.filter, hits, limit=limit)
        from mailwise_desktop.store import triage_queries

        with self.ctx.cache.transaction() as session:
            return triage_queries.filtered_ids(session, self.filter, hits, limit=limit)

    def first_ids(self, limit: int) -> list[int] | None:
        """The first ``limit`` ids of :meth:`ids` (None in conversation mode: it needs all)."""
        if self.collapse is not None:
            return None
        return self._filtered(self._search(), limit)

    def matching(self, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` the filter shows now."""
        hits = self._search()
        if self.direct is not None:
            return self.direct.matching_ids(self.filter, ids, hits) if ids else set()
        from mailwise_desktop.store import triage_queries

        with self.ctx.cache.transaction() as session:
            return triage_queries.matching_ids(session, self.filter, ids, hits)

    def summaries(self, ids: Sequence[int]) -> list[MessageSummary]:
        """Rows for a page of ids, in the same order (gone ids are skipped)."""
        if self.direct is not None:
            return self.direct.summaries(ids)
        from mailwise_desktop.store import queries

        with self.ctx.cache.transaction() as session:
            return queries.summaries(session, ids)


class FolderReader:
    """Folders and per-state counts of the profile's accounts.

    Args:
        ctx: the profile's context (the ORM path).
        direct: the window's sqlite3 reader, used instead when given.
    """

    def __init__(self, ctx: AppContext, direct: DirectListReader | None = None) -> None:
        self.ctx = ctx
        self.direct = direct

    def folders(self, account_id: str) -> list[MailboxInfo]:
        """The account's cached, synced folders (INBOX first)."""
        if self.direct is not None:
            found = self.direct.mailboxes(account_id)
        else:
            from mailwise_desktop.store import queries

            with self.ctx.cache.transaction() as session:
                found = queries.mailboxes(session, account_id)
        boxes = [b for b in found if b.synced]
        return sorted(boxes, key=lambda b: (b.name.upper() != "INBOX", b.name))

    def counts(
        self, mailbox_id: int, me: int | None, by_state: dict[str, int] | None = None
    ) -> dict[Tab, int]:
        """Each tab's count; ``by_state``: the folder's :meth:`state_counts`, if just read."""
        if self.direct is not None:
            return self.direct.tab_counts(mailbox_id, me, by_state)
        from mailwise_desktop.store import triage_queries

        with self.ctx.cache.transaction() as session:
            return triage_queries.tab_counts(session, mailbox_id, me, by_state)

    def state_counts(self, mailbox_id: int) -> dict[str, int]:
        if self.direct is not None:
            return self.direct.state_counts(mailbox_id)
        from mailwise_desktop.store import queries

        with self.ctx.cache.transaction() as session:
            return queries.state_counts(session, mailbox_id)


class CachedTeam:
    """The roster and who I am, read through the sqlite3 reader (the window's first paint).

    The same records and checks as the team log's roster (``DirectCache.roster_entries``)
    and the same rule as its identity, without the team log's imports; the window
    asks the account's coordination service once its services are built.
    """

    def __init__(self, ctx: AppContext, direct: DirectListReader) -> None:
        self.ctx = ctx
        self.direct = direct

    def roster(self, account_id: str) -> Roster:
        return Roster.from_records(self.direct.roster_entries(account_id))

    def me(self, account: Account) -> Teammate | None:
        declared = str(self.ctx.settings.get("me") or "")
        return self.roster(account.id).identify(declared, account.imap.user)[0]
