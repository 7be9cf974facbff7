"""The address book's reads of the cache (issue 10: SQL in store/; issue 14's contacts)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailwise_desktop.store.schema import MailboxRow, MessageRow


def mail_rows(
    session: Session,
    account_id: str,
    folders: Sequence[str],
    senders: Collection[str] | None = None,
) -> list[tuple[Any, ...]]:
    """The folders' mail, oldest first (only from ``senders``, lower-case, if given).

    Each row: id, conversation id (own id if none), target, raw sender, folder,
    UID, Message-ID, date, sender name, sender address, subject, state, owner slot.
    """
    stmt = (
        select(MessageRow.id,
               func.coalesce(MessageRow.conversation_id, MessageRow.id),
               MessageRow.target, MessageRow.from_email,
               MailboxRow.name, MessageRow.uid, MessageRow.message_id, MessageRow.date,
               MessageRow.from_name, MessageRow.from_email, MessageRow.subject,
               MessageRow.state, MessageRow.owner_slot)
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MailboxRow.account_id == account_id, MailboxRow.name.in_(list(folders)))
        .order_by(MessageRow.date)
    )  # fmt: skip
    if senders is not None:
        stmt = stmt.where(func.lower(MessageRow.from_email).in_(sorted(senders)))
    return [tuple(r) for r in session.execute(stmt)]


def sender_tallies(
    session: Session, account_id: str, folders: Sequence[str], open_states: Collection[str]
) -> tuple[list[tuple[Any, ...]], dict[str, str]]:
    """Per lower-case sender: (address, mails, open mails, latest date); and their latest names.

    Aggregated by SQLite, no Python row per mail. SQLite gives the bare column
    of the row holding MAX(): the latest name used.
    """
    marks = ", ".join("?" * len(folders)) or "NULL"
    opened = "', '".join(sorted(open_states))
    base = (
        "FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
        f"WHERE b.account_id = ? AND b.name IN ({marks}) AND m.from_email != ''"
    )
    conn = session.connection()
    groups = conn.exec_driver_sql(
        f"SELECT lower(m.from_email), COUNT(*), SUM(m.state IN ('{opened}')), MAX(m.date) "
        f"{base} GROUP BY lower(m.from_email)",
        (account_id, *folders),
    ).fetchall()
    names = {
        str(e): str(n)
        for e, n, _latest in conn.exec_driver_sql(
            f"SELECT lower(m.from_email), m.from_name, MAX(COALESCE(m.date, 0)) {base} "
            "AND m.from_name != '' GROUP BY lower(m.from_email)",
            (account_id, *folders),
        )
    }
    return [tuple(g) for g in groups], names


def sender_names(
    session: Session, account_id: str, folders: Sequence[str]
) -> list[tuple[str, str]]:
    """(lower-case address, latest name) of every sender of the folders."""
    stmt = (
        select(func.lower(MessageRow.from_email), func.max(MessageRow.from_name))
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MailboxRow.account_id == account_id,
               MailboxRow.name.in_(list(folders)), MessageRow.from_email != "")
        .group_by(func.lower(MessageRow.from_email))
    )  # fmt: skip
    return [(str(a), str(n or "")) for a, n in session.execute(stmt)]
