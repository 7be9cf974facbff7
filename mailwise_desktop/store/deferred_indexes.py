"""Indexes of the messages table set aside while a big first sync writes, then built once.

Every index is kept row by row as a slice is inserted, and the ones keyed by
scattered values (Message-ID, thread key, lower(from_email), the report's
columns; conversation id, bare subject and history key once grouping writes
them) land each row on a random B-tree page: the writer's share of a first
sync grew faster than the mail (bench/RESULTS.md: 2.7 s at 50k, 12.9 s at
200k). Built once over the finished table, an index is one sort.

What the window reads while the first sync runs stays: the list's covering
index (its id queries, newest first), the state tabs' and the owner index
(Mine), so the newest slice is listed through its index at once; and the
UNIQUE (mailbox_id, uid) index the writer itself looks up.

Not a schema change: the indexes built back are the schema's own (same
names, same statements). A first sync that was killed leaves them missing
(``create_all`` creates indexes only with their table), so opening the cache
builds any that is missing (store/database.py).
"""

from __future__ import annotations

from sqlalchemy import Connection, Index
from sqlalchemy.orm import Session

from mailwise_desktop.store.schema import CacheBase

#: Set aside during a big first sync (nothing the list's first page reads).
DEFERRED = (
    "ix_messages_message_id",
    "ix_messages_thread",
    "ix_messages_conversation",
    "ix_messages_thread_subject",
    "ix_messages_target",
    "ix_messages_sender",
    "ix_messages_report",
)


def _deferred() -> list[Index]:
    by_name = {str(index.name): index for index in CacheBase.metadata.tables["messages"].indexes}
    return [by_name[name] for name in DEFERRED]


#: The indexes on what a whole-account regroup rewrites in every row (conversation id,
#: bare subject, history key): that one UPDATE runs without them, they are built after.
GROUPING_WRITTEN = (
    "ix_messages_conversation",
    "ix_messages_thread_subject",
    "ix_messages_target",
    "ix_messages_report",
)


def _connection(session: Session | Connection) -> Connection:
    return session.connection() if isinstance(session, Session) else session


def set_aside(session: Session | Connection, names: tuple[str, ...] = DEFERRED) -> None:
    """Drop the deferred indexes ``names`` (inside the caller's transaction)."""
    conn = _connection(session)
    for name in names:
        if name not in DEFERRED:
            raise ValueError(f"not a deferred index: {name}")
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def build_missing(session: Session | Connection) -> list[str]:
    """Create whichever deferred index is missing (inside the caller's transaction).

    Returns:
        The names built.
    """
    absent = set(missing(session))
    conn = _connection(session)
    for index in _deferred():
        if index.name in absent:
            index.create(conn)
    return [name for name in DEFERRED if name in absent]


def missing(session: Session | Connection) -> list[str]:
    """The deferred indexes the cache lacks right now."""
    present = {
        str(row[0])
        for row in _connection(session).exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'"
        )
    }
    return [name for name in DEFERRED if name not in present]
