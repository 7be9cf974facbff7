"""The window's message list read with the standard sqlite3 module.

The window paints its first page before SQLAlchemy is imported (0.3-0.6 s of
its cold start): folders, counts and the list's ids and rows come from here,
with the statements of store/triage_queries.py and store/queries.py written
out, so the values are the same. Like :class:`DirectCache` it only reads; a
cache of another schema version is not opened (:meth:`DirectCache.open`
returns None) and the window reads through the ORM instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from mailwise_desktop.store.cache_values import SORT_COLUMN_NAMES, MailboxInfo
from mailwise_desktop.store.direct_read import DirectCache
from mailwise_desktop.store.list_filter import SEARCH_LIMIT, TAB_STATES, ListFilter, Tab


class DirectListReader(DirectCache):
    """Folders, counts and filtered ids for the window's list (one indexed SELECT each)."""

    _path: Path | None = None
    _closed = False

    @classmethod
    def open(cls, path: Path) -> DirectListReader | None:
        """The cache at ``path``, or None when it is missing or of another schema version."""
        found = super().open(path)
        if not isinstance(found, DirectListReader):
            return None
        found._path = path
        return found

    def close(self) -> None:
        super().close()
        self._closed = True

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        # A read after close (a timer of a closing window) opens the file again, as the
        # ORM's context does: it never fails on a closed connection.
        if self._closed and self._path is not None:
            self._db = sqlite3.connect(self._path, timeout=5.0)
            self._db.execute("PRAGMA query_only=1")
            self._closed = False
        return super()._rows(sql, params)

    def mailboxes(self, account_id: str) -> list[MailboxInfo]:
        """As store.queries.mailboxes: every cached folder of the account, by name."""
        rows = self._rows(
            "SELECT id, account_id, name, synced, special_use, uidvalidity, uidnext, "
            'highestmodseq, "exists", last_sync FROM mailboxes WHERE account_id = ? ORDER BY name',
            (account_id,),
        )
        return [
            MailboxInfo(
                int(r[0]), str(r[1]), str(r[2]), bool(r[3]), r[4], r[5], r[6], r[7], int(r[8]),
                r[9],
            )
            for r in rows
        ]  # fmt: skip

    def state_counts(self, mailbox_id: int) -> dict[str, int]:
        """As store.queries.state_counts."""
        rows = self._rows(
            "SELECT state, count(*) FROM messages WHERE mailbox_id = ? GROUP BY state",
            (mailbox_id,),
        )
        return {str(state): int(n) for state, n in rows}

    def tab_counts(
        self, mailbox_id: int, me: int | None, by_state: dict[str, int] | None = None
    ) -> dict[Tab, int]:
        """As store.triage_queries.tab_counts."""
        if by_state is None:
            by_state = self.state_counts(mailbox_id)
        mine = 0
        if me is not None:
            states = TAB_STATES[Tab.MINE]
            rows = self._rows(
                "SELECT count(*) FROM messages WHERE mailbox_id = ? AND owner_slot = ? "
                f"AND state IN ({','.join('?' * len(states))})",
                (mailbox_id, me, *states),
            )
            mine = int(rows[0][0] or 0)
        counts = {
            tab: sum(by_state.get(s, 0) for s in states) for tab, states in TAB_STATES.items()
        }
        counts[Tab.ALL] = sum(by_state.values())
        counts[Tab.MINE] = mine
        return counts

    def search_hits(self, flt: ListFilter) -> frozenset[int] | None:
        """As store.triage_queries.search_hits (the same FTS statement)."""
        if not flt.search.strip():
            return None
        return frozenset(self.search_ids([flt.mailbox_id], flt.search, limit=SEARCH_LIMIT))

    def filtered_ids(
        self,
        flt: ListFilter,
        hits: Collection[int] | None = None,
        *,
        limit: int | None = None,
    ) -> list[int]:
        """As store.triage_queries.filtered_ids: the ids the filter shows, in its order."""
        if flt.tab is Tab.MINE and flt.me is None:
            return []  # nothing is mine without an identity (see triage_queries)
        if hits is None:
            hits = self.search_hits(flt)
        sql, params = self._where(flt)
        if hits is not None:
            if not hits:
                return []
            sql += " AND id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(hits)))
        column = SORT_COLUMN_NAMES[flt.sort]
        order = "DESC" if flt.descending else "ASC"
        sql += f' ORDER BY "{column}" {order}, uid {order}'
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [row_id for (row_id,) in self._rows(sql, params)]  # INTEGER PRIMARY KEY: ints

    def matching_ids(
        self, flt: ListFilter, ids: Sequence[int], hits: Collection[int] | None = None
    ) -> set[int]:
        """As store.triage_queries.matching_ids: which of ``ids`` the filter shows now."""
        candidates = [int(i) for i in ids if hits is None or i in hits]
        if not candidates:
            return set()
        sql, params = self._where(flt)
        sql += f" AND id IN ({','.join('?' * len(candidates))})"
        return {int(r[0]) for r in self._rows(sql, [*params, *candidates])}

    @staticmethod
    def _where(flt: ListFilter) -> tuple[str, list[Any]]:
        sql = "SELECT id FROM messages WHERE mailbox_id = ?"
        params: list[Any] = [flt.mailbox_id]
        states = TAB_STATES[flt.tab]
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            params += list(states)
        if flt.tab is Tab.MINE:
            sql += " AND owner_slot = ?"
            params.append(-1 if flt.me is None else flt.me)
        return sql, params
