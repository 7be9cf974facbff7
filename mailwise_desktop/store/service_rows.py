"""Row reads that services and the window used to build themselves (issue 10: SQL in store/).

Each function is one statement over the cache, returning plain tuples; the
caller keeps its own logic (which rows count, what a row means).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailwise_desktop.store.schema import MailboxRow, MessageRow, TeamRecordRow


def follow_up_candidate_rows(
    session: Session, mailbox_id: int, unhandled: str
) -> list[tuple[int, Any, str | None, str | None]]:
    """(row id, references, in-reply-to, subject) of untouched unhandled mail in a mailbox."""
    stmt = select(
        MessageRow.id, MessageRow.references, MessageRow.in_reply_to, MessageRow.subject
    ).where(
        MessageRow.mailbox_id == mailbox_id,
        MessageRow.state == unhandled,
        MessageRow.owner_slot.is_(None),
        MessageRow.state_problem.is_(None),
    )
    return [
        (int(i), refs, reply_to, subject) for i, refs, reply_to, subject in session.execute(stmt)
    ]


def newest_message_row(session: Session) -> int:
    """The highest message row id in the cache (0: none)."""
    return int(session.execute(select(func.max(MessageRow.id))).scalar() or 0)


def rows_owned_by(session: Session, account_id: str, slot: int) -> set[int]:
    """Message row ids of an account whose owner slot is ``slot``."""
    rows = session.execute(
        select(MessageRow.id)
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MailboxRow.account_id == account_id, MessageRow.owner_slot == slot)
    )
    return {int(i) for (i,) in rows}


def report_message_rows(
    session: Session, account_id: str, folders: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(Message-ID, date, internal date, sender, subject, state, row id) of the folders' mail.

    Plain DB-API rows: ORM row objects cost more than the figures themselves.
    """
    stmt = (
        select(
            MessageRow.message_id,
            MessageRow.date,
            MessageRow.internal_date,
            MessageRow.from_email,
            MessageRow.subject,
            MessageRow.state,
            MessageRow.id,
        )
        .join(MailboxRow, MailboxRow.id == MessageRow.mailbox_id)
        .where(MailboxRow.account_id == account_id, MailboxRow.name.in_(list(folders)))
    )
    compiled = stmt.compile(compile_kwargs={"literal_binds": True})
    return [tuple(r) for r in session.connection().exec_driver_sql(str(compiled)).fetchall()]


def report_event_rows(session: Session, account_id: str, event_kind: str) -> list[tuple[Any, ...]]:
    """(target, created, operation, actor, new state, template) of every history event, in order."""
    payload = TeamRecordRow.payload_json
    stmt = (
        select(
            TeamRecordRow.target,
            TeamRecordRow.created,
            func.json_extract(payload, "$.operation"),
            TeamRecordRow.actor,
            func.json_extract(payload, "$.to.state"),
            func.json_extract(payload, "$.template"),
        )
        .where(
            TeamRecordRow.account_id == account_id,
            TeamRecordRow.kind == event_kind,
            func.json_valid(payload),
        )
        .order_by(TeamRecordRow.id)
    )
    return [tuple(r) for r in session.execute(stmt)]
