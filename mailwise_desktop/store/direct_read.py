"""Reading the cache with the standard sqlite3 module: `mailwise list` and `search` at once.

SQLAlchemy's import is most of a short command's start (0.3 s idle, 2.2 s of
5.2 s under load), while ``list`` and ``search`` only read a few indexed rows.
This reader runs the same statements as store/queries.py and store/search.py
and builds the same values (store/summaries.py), so the output is the same.

It only reads. A cache it was not written for — missing, a schema version
other than the one the app writes, a column it lacks — makes :meth:`open`
return None (or a query raise :class:`CacheMismatchError`), and the command takes
the full path, which creates, rebuilds or refuses the cache as always.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.mail import record_schema
from mailwise_desktop.store.cache_version import CACHE_SCHEMA_VERSION
from mailwise_desktop.store.search_sql import run_search
from mailwise_desktop.store.summaries import (
    SUMMARY_COLUMNS,
    MessageSummary,
    OwnerFilter,
    summary_of,
)

#: The kind of the team records the roster is built from (mail.team_records.RecordKind).
ROSTER_KIND = "roster"

_SELECT_SUMMARY = "SELECT " + ", ".join(f'"{c}"' for c in SUMMARY_COLUMNS) + " FROM messages"
_CHUNK = 500


class CacheMismatchError(Exception):
    """The cache is not what this reader was written for: use the full path."""


@dataclass(frozen=True)
class Folder:
    """A cached folder, as list and search need it."""

    id: int
    name: str
    synced: bool


class DirectCache:
    """Read-only queries on one profile's cache file.

    Args:
        connection: an open sqlite3 connection to the cache (see :meth:`open`).
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, path: Path) -> DirectCache | None:
        """The cache at ``path``, or None when it is missing or of another schema version."""
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(path, timeout=5.0)
        except sqlite3.Error:
            return None
        try:
            db.execute("PRAGMA query_only=1")  # this reader never writes
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.Error:
            db.close()
            return None
        if version != CACHE_SCHEMA_VERSION:
            db.close()
            return None
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such" in str(exc):  # table or column: a schema this reader does not know
                raise CacheMismatchError(str(exc)) from exc
            raise

    # -- folders and rows ------------------------------------------------

    def folders(self, account_id: str) -> list[Folder]:
        rows = self._rows(
            "SELECT id, name, synced FROM mailboxes WHERE account_id = ? ORDER BY name",
            (account_id,),
        )
        return [Folder(int(i), str(n), bool(s)) for i, n, s in rows]

    def folder(self, account_id: str, name: str) -> Folder:
        """Raises NotFoundError in the words of store.queries.mailbox."""
        for found in self.folders(account_id):
            if found.name == name:
                return found
        raise NotFoundError(f"The folder {name!r} is not in the local cache. Run a sync first.")

    def list_ids(
        self,
        mailbox_id: int,
        *,
        states: Sequence[str] | None = None,
        owner: OwnerFilter = None,
        limit: int | None = None,
    ) -> list[int]:
        """Cache ids newest first, as store.queries.list_ids with its default sort."""
        sql = "SELECT id FROM messages WHERE mailbox_id = ?"
        params: list[Any] = [mailbox_id]
        if states:
            sql += " AND state IN (" + ",".join("?" * len(states)) + ")"
            params += list(states)
        if owner == "none":
            sql += " AND owner_slot IS NULL"
        elif owner is not None:
            sql += " AND owner_slot = ?"
            params.append(owner)
        sql += " ORDER BY date DESC, uid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [int(r[0]) for r in self._rows(sql, params)]

    def summaries(self, ids: Sequence[int]) -> list[MessageSummary]:
        """Summaries in the order of ``ids`` (missing ids skipped)."""
        found: dict[int, MessageSummary] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            sql = f"{_SELECT_SUMMARY} WHERE id IN ({','.join('?' * len(chunk))})"
            for row in self._rows(sql, chunk):
                found[int(row[0])] = summary_of(row)
        return [found[i] for i in ids if i in found]

    def search_ids(self, mailbox_ids: Sequence[int], query: str, *, limit: int) -> list[int]:
        """As store.search.search_ids (the same statements)."""
        return run_search(self._rows, mailbox_ids, query, limit=limit)

    # -- the team --------------------------------------------------------

    def roster_entries(self, account_id: str) -> list[dict[str, Any]]:
        """Usable roster record bodies in UID order (store.team_cache's checks)."""
        rows = self._rows(
            "SELECT payload_json, created FROM team_records "
            "WHERE account_id = ? AND kind = ? ORDER BY uid",
            (account_id, ROSTER_KIND),
        )
        entries = []
        for payload_json, created in rows:
            payload, problem = record_schema.load_body(ROSTER_KIND, payload_json)
            if payload is None or problem or record_schema.check_payload(ROSTER_KIND, payload):
                continue
            if record_schema.check_created(created):
                continue
            entries.append(payload)
        return entries
