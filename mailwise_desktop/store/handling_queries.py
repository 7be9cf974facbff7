"""Read-side queries of the handling services: repair suspects, addresses mailed before.

Each runs inside the caller's transaction (``CacheDatabase.transaction()``).
"""

from __future__ import annotations

import json
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailwise_desktop.store.schema import MailboxRow, MessageRow


def suspect_uids(
    session: Session, mailbox_id: int, known_slots: Collection[int], limit: int
) -> list[int]:
    """UIDs whose cached keywords are invalid or name an owner slot not in ``known_slots``."""
    stmt = select(MessageRow.uid).where(
        MessageRow.mailbox_id == mailbox_id,
        MessageRow.state_problem.is_not(None)
        | (MessageRow.owner_slot.is_not(None) & MessageRow.owner_slot.not_in(sorted(known_slots))),
    )
    return list(session.scalars(stmt.order_by(MessageRow.uid).limit(limit)))


def sent_folder_addresses(session: Session, account_id: str) -> set[str]:
    """Every To/Cc address of the account's cached Sent folder (``\\Sent`` or named Sent)."""
    boxes = session.scalars(
        select(MailboxRow.id).where(
            MailboxRow.account_id == account_id,
            (MailboxRow.special_use == "\\Sent") | (MailboxRow.name == "Sent"),
        )
    ).all()
    found: set[str] = set()
    if boxes:
        rows = session.execute(
            select(MessageRow.to_json, MessageRow.cc_json).where(MessageRow.mailbox_id.in_(boxes))
        )
        for to_json, cc_json in rows:
            found.update(e for _n, e in json.loads(to_json) + json.loads(cc_json))
    return found
