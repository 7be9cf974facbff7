"""Writing the cache: what the sync engine applies after each server read.

Each function works inside the caller's transaction, so one sync step
(new headers, a CHANGEDSINCE batch, VANISHED uids) lands all or nothing and a
killed process leaves the cache as it was before that step.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from mailwise_desktop.store import log_states
from mailwise_desktop.store.account_rows import ensure_account
from mailwise_desktop.store.schema import AccountRow, MailboxRow, MessageRow
from mailwise_desktop.store.search_grams import GRAMS_FUNCTION, search_grams

__all__ = ["FlagUpdate", "SyncState", "ensure_account", "ensure_mailbox"]


@dataclass(frozen=True)
class SyncState:
    """A mailbox's sync state as stored (None where never synced)."""

    mailbox_id: int
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None


@dataclass(frozen=True)
class FlagUpdate:
    """A message's flags as the server reports them, with the derived state."""

    uid: int
    flags: str
    modseq: int
    seen: bool
    answered: bool
    state: str
    owner_slot: int | None
    state_problem: str | None


def ensure_mailbox(
    session: Session,
    account_id: str,
    name: str,
    *,
    delimiter: str | None = None,
    special_use: str | None = None,
    selectable: bool = True,
) -> int:
    """The cache id of a mailbox, creating its row when new."""
    ensure_account(session, account_id)
    row = session.scalars(
        select(MailboxRow).where(MailboxRow.account_id == account_id, MailboxRow.name == name)
    ).one_or_none()
    if row is None:
        row = MailboxRow(
            account_id=account_id,
            name=name,
            delimiter=delimiter,
            special_use=special_use,
            selectable=selectable,
        )
        session.add(row)
        session.flush()
    else:
        row.delimiter, row.special_use, row.selectable = delimiter, special_use, selectable
    return row.id


def sync_state(session: Session, mailbox_id: int) -> SyncState:
    row = session.get(MailboxRow, mailbox_id)
    assert row is not None
    return SyncState(row.id, row.uidvalidity, row.uidnext, row.highestmodseq)


def save_sync_state(
    session: Session,
    mailbox_id: int,
    *,
    uidvalidity: int,
    uidnext: int | None,
    highestmodseq: int | None,
    exists: int,
) -> None:
    session.execute(
        update(MailboxRow)
        .where(MailboxRow.id == mailbox_id)
        .values(
            uidvalidity=uidvalidity,
            uidnext=uidnext,
            highestmodseq=highestmodseq,
            exists=exists,
            last_sync=time.time(),
        )
    )


def mark_synced(session: Session, mailbox_id: int, synced: bool) -> None:
    session.execute(update(MailboxRow).where(MailboxRow.id == mailbox_id).values(synced=synced))


def known_uids(session: Session, mailbox_id: int) -> dict[int, int]:
    """uid → modseq of every cached message of a mailbox."""
    rows = session.execute(
        select(MessageRow.uid, MessageRow.modseq).where(MessageRow.mailbox_id == mailbox_id)
    )
    return {uid: modseq for uid, modseq in rows}


def cached_flags(session: Session, mailbox_id: int) -> dict[int, str]:
    """uid → flags (as stored) of every cached message of a mailbox."""
    rows = session.connection().exec_driver_sql(
        "SELECT uid, flags FROM messages WHERE mailbox_id = ?", (mailbox_id,)
    )
    return {uid: flags for uid, flags in rows}


_INSERT_COLUMNS = tuple(
    c.key for c in MessageRow.__table__.columns if c.key not in ("id", "mailbox_id")
)
_DEFAULTS: dict[str, Any] = {
    "modseq": 0,
    "references": "",
    "subject": "",
    "from_name": "",
    "from_email": "",
    "to_json": "[]",
    "cc_json": "[]",
    "size": 0,
    "flags": "",
    "seen": False,
    "answered": False,
    "has_attachments": False,
    "state": "unhandled",
    "body_status": "none",
    "date_raw": "",
}
_INSERT_SQL = (
    f"INSERT OR IGNORE INTO messages (mailbox_id, {', '.join(repr(c) for c in _INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(_INSERT_COLUMNS) + 1))})"
)


def insert_messages(
    session: Session, mailbox_id: int, rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Insert new messages (dicts of MessageRow columns plus ``fts_*`` texts).

    Uids already cached are skipped (a re-run after a killed sync), so the
    call is idempotent. Plain DBAPI executemany: the ORM's per-row work is
    most of the cost at 50k rows.

    Returns:
        The cache ids of the inserted messages.
    """
    if not rows:
        return []
    conn = session.connection()
    uids = [r["uid"] for r in rows]
    before = {
        uid
        for (uid,) in conn.exec_driver_sql(
            "SELECT uid FROM messages WHERE mailbox_id = ? AND uid BETWEEN ? AND ?",
            (mailbox_id, min(uids), max(uids)),
        )
    }
    fresh = [r for r in rows if r["uid"] not in before]
    if not fresh:
        return []
    conn.exec_driver_sql(
        _INSERT_SQL,
        [(mailbox_id, *(r.get(c, _DEFAULTS.get(c)) for c in _INSERT_COLUMNS)) for r in fresh],
    )
    fresh_uids = {r["uid"] for r in fresh}
    id_by_uid = {
        uid: row_id
        for row_id, uid in conn.exec_driver_sql(
            "SELECT id, uid FROM messages WHERE mailbox_id = ? AND uid BETWEEN ? AND ?",
            (mailbox_id, min(fresh_uids), max(fresh_uids)),
        )
        if uid in fresh_uids
    }
    fts = [(id_by_uid[r["uid"]], r.get("fts_subject", ""), r.get("fts_sender", "")) for r in fresh]
    conn.exec_driver_sql(
        "INSERT INTO messages_fts(rowid, subject, sender, body) VALUES (?, ?, ?, '')", fts
    )
    conn.exec_driver_sql(
        "INSERT INTO messages_grams(rowid, g) VALUES (?, ?)",
        [(row_id, search_grams(subject, sender, "")) for row_id, subject, sender in fts],
    )
    added = [id_by_uid[r["uid"]] for r in fresh]
    log_states.apply_to_rows(session, mailbox_id, added)  # Mode B: the log's state
    return added


def apply_flag_updates(
    session: Session, mailbox_id: int, updates: Iterable[FlagUpdate], *, only_newer: bool = True
) -> list[int]:
    """Apply flags read from the server; returns the cache ids that changed.

    Args:
        only_newer: skip an update whose MODSEQ is not newer than the cached one
            (a late IDLE push must not undo a newer state).
    """
    by_uid = {u.uid: u for u in updates}
    if not by_uid:
        return []
    changed: list[int] = []
    current = session.execute(
        select(MessageRow.id, MessageRow.uid, MessageRow.modseq, MessageRow.flags).where(
            MessageRow.mailbox_id == mailbox_id, MessageRow.uid.in_(list(by_uid))
        )
    ).all()
    params = []
    for row_id, uid, modseq, flags in current:
        upd = by_uid[uid]
        if only_newer and upd.modseq and modseq and upd.modseq <= modseq:
            continue
        if upd.flags == flags and upd.modseq == modseq:
            continue
        params.append(
            {
                "b_id": row_id,
                "flags": upd.flags,
                "modseq": upd.modseq,
                "seen": upd.seen,
                "answered": upd.answered,
                "state": upd.state,
                "owner_slot": upd.owner_slot,
                "state_problem": upd.state_problem,
            }
        )
        changed.append(row_id)
    if params:
        session.connection().exec_driver_sql(
            "UPDATE messages SET flags=?, modseq=?, seen=?, answered=?, state=?, owner_slot=?, "
            "state_problem=? WHERE id=?",
            [
                (
                    p["flags"],
                    p["modseq"],
                    p["seen"],
                    p["answered"],
                    p["state"],
                    p["owner_slot"],
                    p["state_problem"],
                    p["b_id"],
                )
                for p in params
            ],
        )
        # Mode B: the flags do not decide state and owner; the log does (same transaction).
        log_states.apply_to_rows(session, mailbox_id, changed)
    return changed


def remove_uids(session: Session, mailbox_id: int, uids: Iterable[int]) -> list[int]:
    """Forget expunged messages; returns their cache ids."""
    uid_list = list(uids)
    removed: list[int] = []
    for start in range(0, len(uid_list), 500):
        chunk = uid_list[start : start + 500]
        removed += session.scalars(
            delete(MessageRow)
            .where(MessageRow.mailbox_id == mailbox_id, MessageRow.uid.in_(chunk))
            .returning(MessageRow.id)
        ).all()
    return removed


def clear_mailbox(session: Session, mailbox_id: int) -> list[int]:
    """Drop a mailbox's cached messages (UIDVALIDITY changed); returns their ids."""
    return list(
        session.scalars(
            delete(MessageRow).where(MessageRow.mailbox_id == mailbox_id).returning(MessageRow.id)
        )
    )


@dataclass(frozen=True)
class BodyRecord:
    """A downloaded message ready to keep: source, readable text, attachments, search text."""

    message_row_id: int
    raw: bytes
    text: str
    html: str | None
    defects: Sequence[str]
    attachments: Sequence[Mapping[str, Any]]
    fts_body: str


def store_bodies(session: Session, records: Sequence[BodyRecord]) -> None:
    """Keep downloaded messages for offline reading and index their text, in one go."""
    if not records:
        return
    conn = session.connection()
    ids = [(r.message_row_id,) for r in records]
    conn.exec_driver_sql("DELETE FROM attachments WHERE message_row_id = ?", ids)
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO bodies (message_row_id, raw, text, html, defects) "
        "VALUES (?, ?, ?, ?, ?)",
        [(r.message_row_id, r.raw, r.text, r.html, "\n".join(r.defects)) for r in records],
    )
    attachment_rows = [
        (
            r.message_row_id,
            a["part_id"],
            a["filename"],
            a["content_type"],
            a["size"],
            a["content_id"],
            a["inline"],
        )
        for r in records
        for a in r.attachments
    ]
    if attachment_rows:  # executemany with no rows is an error, not a no-op
        conn.exec_driver_sql(
            "INSERT INTO attachments "
            "(message_row_id, part_id, filename, content_type, size, content_id, inline) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            attachment_rows,
        )
    conn.exec_driver_sql(
        "UPDATE messages SET body_status = 'cached', has_attachments = ? WHERE id = ?",
        [
            (any(not a.get("inline", False) for a in r.attachments), r.message_row_id)
            for r in records
        ],
    )
    # The gram rows of the old texts go first (a contentless table is told what to forget).
    once = [(i,) for i in dict.fromkeys(r.message_row_id for r in records)]
    conn.exec_driver_sql(_FORGET_GRAMS_SQL, once)
    conn.exec_driver_sql(
        "UPDATE messages_fts SET body = ? WHERE rowid = ?",
        [(r.fts_body, r.message_row_id) for r in records],
    )
    conn.exec_driver_sql(
        f"INSERT INTO messages_grams(rowid, g) SELECT rowid, {GRAMS_FUNCTION}(subject, sender, body) "
        "FROM messages_fts WHERE rowid = ?",
        once,
    )


_FORGET_GRAMS_SQL = (
    "INSERT INTO messages_grams(messages_grams, rowid, g) "
    f"SELECT 'delete', rowid, {GRAMS_FUNCTION}(subject, sender, body) "
    "FROM messages_fts WHERE rowid = ?"
)


def set_body_status(session: Session, message_row_id: int, status: str) -> None:
    session.execute(
        update(MessageRow).where(MessageRow.id == message_row_id).values(body_status=status)
    )


def delete_account(session: Session, account_id: str) -> None:
    """Forget an account's whole cache (cascades to mailboxes, messages, bodies)."""
    session.execute(delete(AccountRow).where(AccountRow.id == account_id))
