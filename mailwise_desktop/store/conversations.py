"""Reading conversations from the cache: thread items of every mailbox, one query.

The grouping itself is pure (:mod:`mailwise_desktop.core.conversations`);
this module feeds it the cached rows of an account (INBOX, Sent and any
other synced folder, so our own replies join the customer's mails) and
answers "which rows are in this row's conversation".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailwise_desktop.core.conversations import ThreadItem, group
from mailwise_desktop.store.schema import MailboxRow, MessageRow

#: Ids per ``IN (...)`` list (SQLite's variable limit is far above; short lists plan well).
CHUNK = 500


@dataclass(frozen=True)
class MemberRow:
    """One message of a conversation, as routing and the reading pane need it."""

    id: int
    mailbox: str
    uid: int
    date: float | None
    from_email: str
    subject: str
    state: str
    owner_slot: int | None


def _emails(value: str) -> set[str]:
    try:
        pairs = json.loads(value or "[]")
    except ValueError:
        return set()
    out: set[str] = set()
    for pair in pairs if isinstance(pairs, list) else ():
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str) and pair[1]:
            out.add(pair[1].lower())
    return out


#: One shared empty participant set (most items are read without participants).
_NOBODY: frozenset[str] = frozenset()

_ITEM_COLUMNS = (
    'm.id, m.message_id, m."references", m.in_reply_to, m.subject, m.from_email, '
    "m.to_json, m.cc_json, m.date"
)


def _item(row: tuple[object, ...], people_too: bool = True) -> ThreadItem:
    row_id, message_id, refs, reply_to, subject, sender, to, cc, date = row
    links = tuple(str(refs).split()) if refs else ()
    if reply_to and reply_to not in links:
        links = (*links, str(reply_to))
    people: set[str] = set()
    if people_too:
        people = _emails(str(to or "")) | _emails(str(cc or ""))
        if sender:
            people.add(str(sender).lower())
    return ThreadItem(
        int(row_id),  # type: ignore[call-overload]
        str(message_id) if message_id else None,
        links,
        str(subject or ""),
        frozenset(people) if people else _NOBODY,
        float(date) if date is not None else None,  # type: ignore[arg-type]
    )


def thread_rows(session: Session, account_id: str) -> list[tuple[object, ...]]:
    """The raw threading columns of every cached message of the account (ascending row id)."""
    cursor = session.connection().exec_driver_sql(
        f"SELECT {_ITEM_COLUMNS} FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
        "WHERE b.account_id = ? ORDER BY m.id",
        (account_id,),
    )
    # Row by row: fetchall() would hold every Row and its tuple copy at once.
    return [tuple(r) for r in cursor]


def bare_thread_items(session: Session, account_id: str) -> list[ThreadItem]:
    """Every cached message of the account as a :class:`ThreadItem` without participants.

    Read row by row and never holding the To/Cc JSON: the whole-account
    regroup after a first sync of 200,000 messages must stay small.
    """
    cursor = session.connection().exec_driver_sql(
        'SELECT m.id, m.message_id, m."references", m.in_reply_to, m.subject, NULL, NULL, NULL, '
        "m.date FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
        "WHERE b.account_id = ? ORDER BY m.id",
        (account_id,),
    )
    return [_item(tuple(r), people_too=False) for r in cursor]


def items_of_rows(
    rows: Sequence[tuple[object, ...]], needs_people: Callable[[ThreadItem], bool] | None = None
) -> list[ThreadItem]:
    """:class:`ThreadItem` values of :func:`thread_rows`.

    Args:
        needs_people: when given, only items it accepts (seen without
            participants) get their participants parsed (JSON of To and Cc):
            the subject fallback looks at a few subjects only.
    """
    if needs_people is None:
        return [_item(r) for r in rows]
    out = []
    for row in rows:
        item = _item(row, people_too=False)
        out.append(_item(row) if needs_people(item) else item)
    return out


def thread_items(session: Session, account_id: str) -> list[ThreadItem]:
    """Every cached message of the account as a :class:`ThreadItem` (ascending row id)."""
    return items_of_rows(thread_rows(session, account_id))


def thread_items_of(session: Session, ids: Iterable[int]) -> list[ThreadItem]:
    """The rows ``ids`` as :class:`ThreadItem` values (ascending row id)."""
    wanted = sorted(set(ids))
    out: list[ThreadItem] = []
    conn = session.connection()
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        cursor = conn.exec_driver_sql(
            f"SELECT {_ITEM_COLUMNS} FROM messages m WHERE m.id IN ({', '.join('?' * len(part))})",
            tuple(part),
        )
        out += [_item(tuple(r)) for r in cursor.fetchall()]
    return sorted(out, key=lambda i: i.key)


def our_addresses(session: Session, account_id: str, extra: str = "") -> frozenset[str]:
    """The team's own addresses: the account's address and every sender in a Sent folder."""
    stmt = (
        select(MessageRow.from_email)
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(
            MailboxRow.account_id == account_id,
            (MailboxRow.special_use == "\\Sent") | (MailboxRow.name == "Sent"),
        )
        .distinct()
    )
    found = {e.lower() for e in session.scalars(stmt) if e}
    if extra:
        found.add(extra.lower())
    return frozenset(found)


def conversations(session: Session, account_id: str, address: str = "") -> dict[int, int]:
    """Row id -> conversation id for the whole account (``address``: the account's own)."""
    ours = our_addresses(session, account_id, address)
    return group(thread_items(session, account_id), ours)


def member_rows(session: Session, ids: list[int]) -> list[MemberRow]:
    """The rows ``ids`` in date order (undated last, then by id)."""
    stmt = (
        select(
            MessageRow.id,
            MailboxRow.name,
            MessageRow.uid,
            MessageRow.date,
            MessageRow.from_email,
            MessageRow.subject,
            MessageRow.state,
            MessageRow.owner_slot,
        )
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MessageRow.id.in_(ids))
    )
    rows = [MemberRow(*r) for r in session.execute(stmt)]
    return sorted(rows, key=lambda r: (r.date is None, r.date or 0.0, r.id))


def stored_assignment(session: Session, account_id: str) -> dict[int, int]:
    """Row id -> stored conversation id (a row not grouped yet stands alone)."""
    cursor = session.connection().exec_driver_sql(
        "SELECT m.id, COALESCE(m.conversation_id, m.id) FROM messages m "
        "JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.account_id = ?",
        (account_id,),
    )
    return {int(i): int(c) for i, c in cursor}


def conversation_members(session: Session, row_id: int) -> list[int]:
    """The row ids of ``row_id``'s stored conversation, ascending (itself when not grouped yet)."""
    cursor = session.connection().exec_driver_sql(
        "SELECT id FROM messages WHERE conversation_id = "
        "(SELECT conversation_id FROM messages WHERE id = ?) ORDER BY id",
        (row_id,),
    )
    found = [int(r[0]) for r in cursor]
    return found or [row_id]
