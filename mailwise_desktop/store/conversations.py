"""Reading conversations from the cache: thread items of every mailbox, one query.

The grouping itself is pure (:mod:`mailwise_desktop.core.conversations`);
this module feeds it the cached rows of an account (INBOX, Sent and any
other synced folder, so our own replies join the customer's mails) and
answers "which rows are in this row's conversation".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailwise_desktop.core.conversations import ThreadItem, group
from mailwise_desktop.store.schema import MailboxRow, MessageRow


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


def thread_items(session: Session, account_id: str) -> list[ThreadItem]:
    """Every cached message of the account as a :class:`ThreadItem` (ascending row id)."""
    stmt = (
        select(
            MessageRow.id,
            MessageRow.message_id,
            MessageRow.references,
            MessageRow.in_reply_to,
            MessageRow.subject,
            MessageRow.from_email,
            MessageRow.to_json,
            MessageRow.cc_json,
            MessageRow.date,
        )
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MailboxRow.account_id == account_id)
        .order_by(MessageRow.id)
    )
    items: list[ThreadItem] = []
    for row_id, message_id, refs, reply_to, subject, sender, to, cc, date in session.execute(stmt):
        links = tuple(refs.split()) if refs else ()
        if reply_to and reply_to not in links:
            links = (*links, reply_to)
        people = _emails(to) | _emails(cc)
        if sender:
            people.add(sender.lower())
        items.append(ThreadItem(row_id, message_id, links, subject or "", frozenset(people), date))
    return items


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


def generation(session: Session, account_id: str) -> tuple[int, int]:
    """(count, highest row id) of the account's messages: grouping changes only with these."""
    stmt = (
        select(func.count(MessageRow.id), func.coalesce(func.max(MessageRow.id), 0))
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MailboxRow.account_id == account_id)
    )
    count, highest = session.execute(stmt).one()
    return int(count), int(highest)


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
