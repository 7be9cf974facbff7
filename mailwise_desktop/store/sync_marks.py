"""What the last sync left in the cache, read with sqlite3: the no-op check of `mailwise sync`.

``mailwise sync`` with nothing changed used to pay about 1 s of imports
(SQLAlchemy, the engine, the parser) for a few milliseconds of work. The
check in cli/sync_commands.py compares the server's STATUS with what this
module reads, and runs the full sync on any difference. Everything here only
reads, and answers None ("not sure") for a cache or local database it was not
written for (missing, another schema version, a table or column it lacks) —
the full path then opens, migrates or refuses them as always.

The statements mirror the full path's own no-op tests:
``imap/mailbox_sync.py`` (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ), ``imap/folders.py``
(the folder rows LIST would write), ``store/conversation_ids.update`` (nothing
left to group) and ``imap/team_mailbox.read_new`` (the team mailbox's UIDNEXT).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from mailwise_desktop.store.cache_version import CACHE_SCHEMA_VERSION


@dataclass(frozen=True)
class CachedFolder:
    """One mailbox row of the cache: how LIST described it and where its sync stopped."""

    name: str
    delimiter: str | None
    special_use: str | None
    selectable: bool
    synced: bool
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    exists: int


@dataclass(frozen=True)
class TeamMark:
    """Where the last read of the team mailbox stopped."""

    name: str
    uidvalidity: int | None
    uidnext: int | None


@dataclass(frozen=True)
class SyncMarks:
    """One account's sync marks.

    Attributes:
        folders: the cached mailbox rows by name.
        team: the team mailbox's mark (None: never read).
        grouping_settled: True when the conversation grouping has nothing to do
            (every row grouped, no removal to apply, the same own addresses).
    """

    folders: dict[str, CachedFolder]
    team: TeamMark | None
    grouping_settled: bool


def _connect(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(path, timeout=5.0)
        db.execute("PRAGMA query_only=1")  # this reader never writes
    except sqlite3.Error:
        return None
    return db


def read_sync_marks(path: Path, account_id: str, address: str) -> SyncMarks | None:
    """The marks of ``account_id`` in the cache at ``path``; None when unsure.

    Args:
        path: the profile's cache file.
        account_id: the account.
        address: the account's own address (counted among "our" addresses, as
            ``store.conversations.our_addresses`` does).
    """
    db = _connect(path)
    if db is None:
        return None
    try:
        if int(db.execute("PRAGMA user_version").fetchone()[0]) != CACHE_SCHEMA_VERSION:
            return None
        folders = {
            str(row[0]): CachedFolder(
                name=str(row[0]),
                delimiter=row[1],
                special_use=row[2],
                selectable=bool(row[3]),
                synced=bool(row[4]),
                uidvalidity=row[5],
                uidnext=row[6],
                highestmodseq=row[7],
                exists=int(row[8] or 0),
            )
            for row in db.execute(
                "SELECT name, delimiter, special_use, selectable, synced, uidvalidity, "
                'uidnext, highestmodseq, "exists" FROM mailboxes WHERE account_id = ?',
                (account_id,),
            )
        }
        team_row = db.execute(
            "SELECT name, uidvalidity, uidnext FROM team_mailbox WHERE account_id = ?",
            (account_id,),
        ).fetchone()
        team = None if team_row is None else TeamMark(str(team_row[0]), team_row[1], team_row[2])
        return SyncMarks(folders, team, _grouping_settled(db, account_id, address))
    except (sqlite3.Error, TypeError, ValueError):
        return None
    finally:
        db.close()


def _grouping_settled(db: sqlite3.Connection, account_id: str, address: str) -> bool:
    """As ``store.conversation_ids.update``'s early return: nothing to group."""
    state = db.execute(
        "SELECT ours_json FROM thread_state WHERE account_id = ?", (account_id,)
    ).fetchone()
    if state is None:
        return False
    ours = {
        str(r[0]).lower()
        for r in db.execute(
            "SELECT DISTINCT m.from_email FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
            "WHERE b.account_id = ? AND (b.special_use = '\\Sent' OR b.name = 'Sent')",
            (account_id,),
        )
        if r[0]
    }
    if address:
        ours.add(address.lower())
    if state[0] != json.dumps(sorted(ours)):
        return False
    ungrouped = db.execute(
        "SELECT 1 FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
        "WHERE b.account_id = ? AND m.conversation_id IS NULL LIMIT 1",
        (account_id,),
    ).fetchone()
    removed = db.execute(
        "SELECT 1 FROM thread_removed r JOIN mailboxes b ON b.id = r.mailbox_id "
        "WHERE b.account_id = ? LIMIT 1",
        (account_id,),
    ).fetchone()
    return ungrouped is None and removed is None


def queued_team_records(path: Path, account_id: str) -> int | None:
    """Team records of ``account_id`` waiting in the local database (None: unsure).

    Every queued row counts, sendable or written ahead of a compare-and-set:
    the full sync's team-log flush delivers or settles them.
    """
    db = _connect(path)
    if db is None:
        return None
    try:
        row = db.execute(
            "SELECT count(*) FROM pending_team_records WHERE account_id = ?", (account_id,)
        ).fetchone()
        return int(row[0])
    except (sqlite3.Error, TypeError, ValueError):
        return None
    finally:
        db.close()
