"""The cache of the team mailbox: records by kind and target, read state, capability checks.

Rebuildable like the rest of the cache: the records live on the server, and
a lost cache is read again from UID 1. Functions work inside the caller's
transaction; values returned are plain frozen dataclasses.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mailwise_desktop.mail import record_schema
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.store.account_rows import ensure_account
from mailwise_desktop.store.schema import CoordinationCheckRow, TeamMailboxRow, TeamRecordRow


@dataclass(frozen=True)
class TeamMailboxState:
    """How far the team mailbox was read (None: never)."""

    name: str
    uidvalidity: int | None
    uidnext: int | None
    last_read: float | None


@dataclass(frozen=True)
class CoordinationCheck:
    """Whether handling state can be changed in a mailbox, and if not, why (plain words)."""

    mailbox: str
    ready: bool
    reasons: tuple[str, ...]
    checked: float


def team_state(session: Session, account_id: str, name: str) -> TeamMailboxState:
    row = session.get(TeamMailboxRow, account_id)
    if row is None or row.name != name:
        return TeamMailboxState(name, None, None, None)
    return TeamMailboxState(row.name, row.uidvalidity, row.uidnext, row.last_read)


def save_team_state(
    session: Session, account_id: str, name: str, uidvalidity: int, uidnext: int | None
) -> None:
    ensure_account(session, account_id)
    row = session.get(TeamMailboxRow, account_id)
    if row is None:
        row = TeamMailboxRow(account_id=account_id)
        session.add(row)
    row.name, row.uidvalidity, row.uidnext, row.last_read = name, uidvalidity, uidnext, time.time()


def read_past_own(session: Session, account_id: str, name: str, uidvalidity: int, uid: int) -> bool:
    """Our own record, cached, took UID ``uid``: read past it when it was next in line.

    Only when the stored position is exactly ``uid`` under the same UIDVALIDITY
    (every record below is cached already); a teammate's record APPENDed in
    between leaves the position where it is, so the next read fetches both.
    ``last_read`` stays: nothing of the others was read. True when it moved.
    """
    row = session.get(TeamMailboxRow, account_id)
    if row is None or row.name != name or row.uidvalidity != uidvalidity or row.uidnext != uid:
        return False
    row.uidnext = uid + 1
    return True


def clear_records(session: Session, account_id: str) -> int:
    """Forget every cached record of the account (the team mailbox was renumbered)."""
    result = session.execute(delete(TeamRecordRow).where(TeamRecordRow.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)


def insert_records(session: Session, account_id: str, records: Sequence[TeamRecord]) -> int:
    """Keep records read from the server; one already cached (same record id) is skipped.

    Returns:
        How many were new.
    """
    return len(insert_new_records(session, account_id, records))


def insert_new_records(
    session: Session, account_id: str, records: Sequence[TeamRecord]
) -> list[TeamRecord]:
    """:func:`insert_records`, returning the records that were new."""
    if not records:
        return []
    session.connection().exec_driver_sql(
        "INSERT OR IGNORE INTO accounts (id) VALUES (?)", (account_id,)
    )  # ensure_account, without the ORM's round of work
    ids = [r.record_id for r in records]
    known: set[str] = set()
    for start in range(0, len(ids), 500):  # raw: a claim caches its records on the hot path
        chunk = ids[start : start + 500]
        known.update(
            str(found)
            for (found,) in session.connection().exec_driver_sql(
                "SELECT record_id FROM team_records WHERE account_id=? AND record_id IN "
                f"({','.join('?' * len(chunk))})",
                (account_id, *chunk),
            )
        )
    fresh = []
    new: list[TeamRecord] = []
    for record in records:
        if record.record_id in known or record.uid is None:
            continue
        known.add(record.record_id)
        new.append(record)
        fresh.append(
            {
                "account_id": account_id,
                "uid": record.uid,
                "record_id": record.record_id,
                "kind": record.kind,
                "target": record.target,
                "actor": record.actor,
                "created": record.created,
                "subject": record.subject,
                "payload_json": json.dumps(record.payload, ensure_ascii=False),
                **_event_columns(record),
            }
        )
    if fresh:
        columns = (
            *("account_id", "uid", "record_id", "kind", "target"),
            *("actor", "created", "subject", "payload_json"),
            # An event's fields as columns (schema 5): reports aggregate them by SQL.
            *("operation", "to_state", "template"),
        )
        session.connection().exec_driver_sql(
            f"INSERT INTO team_records ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            [tuple(row[c] for c in columns) for row in fresh],
        )
    return new


def _event_columns(record: TeamRecord) -> dict[str, str | None]:
    """An event's operation, new state and template as columns (text values only)."""
    if record.kind != "event":
        return {"operation": None, "to_state": None, "template": None}
    payload = record.payload
    to = payload.get("to")
    state = to.get("state") if isinstance(to, dict) else None
    values = {"operation": payload.get("operation"), "to_state": state}
    values["template"] = payload.get("template")
    return {k: v if isinstance(v, str) else None for k, v in values.items()}


def last_record_id(session: Session, account_id: str, kind: str) -> int:
    """The row id of the newest cached record of ``kind`` (0: none): changes when one is added."""
    found = session.scalar(
        select(func.max(TeamRecordRow.id)).where(
            TeamRecordRow.account_id == account_id, TeamRecordRow.kind == kind
        )
    )
    return int(found or 0)


def records(
    session: Session,
    account_id: str,
    *,
    kinds: Sequence[str] | None = None,
    target: str | None = None,
) -> list[TeamRecord]:
    """Cached records in UID order (oldest first), optionally of some kinds / one target."""
    stmt = select(TeamRecordRow).where(TeamRecordRow.account_id == account_id)
    if kinds is not None:
        stmt = stmt.where(TeamRecordRow.kind.in_(list(kinds)))
    if target is not None:
        stmt = stmt.where(TeamRecordRow.target == target)
    found = []
    for row in session.scalars(stmt.order_by(TeamRecordRow.uid)):
        record = _usable(row)
        if record is not None:
            found.append(record)
    return found


def records_for_targets(
    session: Session, account_id: str, kinds: Sequence[str], targets: Sequence[str]
) -> list[TeamRecord]:
    """Cached records of ``kinds`` about any of ``targets``, in UID order."""
    found: list[TeamRecord] = []
    unique = sorted(set(targets))
    for start in range(0, len(unique), 500):
        stmt = select(TeamRecordRow).where(
            TeamRecordRow.account_id == account_id,
            TeamRecordRow.kind.in_(list(kinds)),
            TeamRecordRow.target.in_(unique[start : start + 500]),
        )
        found += [r for r in map(_usable, session.scalars(stmt)) if r is not None]
    return sorted(found, key=lambda r: r.uid or 0)


def records_by_uid(session: Session, account_id: str, uids: Sequence[int]) -> dict[int, TeamRecord]:
    """Cached records by their UID in the team mailbox (those the cache has)."""
    found: dict[int, TeamRecord] = {}
    unique = sorted(set(uids))
    for start in range(0, len(unique), 500):
        stmt = select(TeamRecordRow).where(
            TeamRecordRow.account_id == account_id,
            TeamRecordRow.uid.in_(unique[start : start + 500]),
        )
        for row in session.scalars(stmt):
            record = _usable(row)
            if record is not None:
                found[row.uid] = record
    return found


def records_since(session: Session, account_id: str, row_id: int) -> list[TeamRecord]:
    """Records cached after the row id ``row_id`` (see :func:`last_row_id`)."""
    stmt = select(TeamRecordRow).where(
        TeamRecordRow.account_id == account_id, TeamRecordRow.id > row_id
    )
    return [r for r in map(_usable, session.scalars(stmt.order_by(TeamRecordRow.uid))) if r]


def last_row_id(session: Session, account_id: str) -> int:
    """The row id of the newest cached record of any kind (0: none)."""
    found = session.scalar(
        select(func.max(TeamRecordRow.id)).where(TeamRecordRow.account_id == account_id)
    )
    return int(found or 0)


def _usable(row: TeamRecordRow) -> TeamRecord | None:
    """The cached record, or None when it fails its schema (cached by an older version)."""
    payload, problem = record_schema.load_body(row.kind, row.payload_json)
    if payload is None or problem or record_schema.check_payload(row.kind, payload):
        return None
    if record_schema.check_created(row.created):
        return None
    return TeamRecord(
        kind=row.kind,
        target=row.target,
        actor=row.actor,
        payload=payload,
        subject=row.subject,
        created=row.created,
        record_id=row.record_id,
        uid=row.uid,
    )


def latest_by_target(session: Session, account_id: str, kind: str) -> dict[str, TeamRecord]:
    """For kinds where a change is a new record (templates, policy): the latest per target.

    A tombstone (payload ``{"deleted": true}``) removes the target.
    """
    latest: dict[str, TeamRecord] = {}
    for record in records(session, account_id, kinds=[kind]):
        latest[record.target] = record
    return {t: r for t, r in latest.items() if r.payload.get("deleted") is not True}


def save_check(
    session: Session, account_id: str, mailbox: str, ready: bool, reasons: Sequence[str]
) -> None:
    ensure_account(session, account_id)
    row = session.get(CoordinationCheckRow, (account_id, mailbox))
    if row is None:
        row = CoordinationCheckRow(account_id=account_id, mailbox=mailbox)
        session.add(row)
    row.ready, row.reasons_json, row.checked = ready, json.dumps(list(reasons)), time.time()


def check(session: Session, account_id: str, mailbox: str) -> CoordinationCheck | None:
    """The last capability check of ``mailbox``, or None when it was never checked."""
    row = session.get(CoordinationCheckRow, (account_id, mailbox))
    if row is None:
        return None
    return CoordinationCheck(
        row.mailbox, row.ready, tuple(json.loads(row.reasons_json)), row.checked
    )


def events_after(
    session: Session, account_id: str, operation: str, after: int
) -> list[tuple[int, TeamRecord]]:
    """History events of ``operation`` cached after row ``after`` (usable ones), oldest first."""
    stmt = (
        select(TeamRecordRow)
        .where(
            TeamRecordRow.account_id == account_id,
            TeamRecordRow.kind == "event",
            TeamRecordRow.operation == operation,
            TeamRecordRow.id > after,
        )
        .order_by(TeamRecordRow.id)
    )
    found = []
    for row in session.scalars(stmt):
        record = _usable(row)
        if record is not None:
            found.append((row.id, record))
    return found


def records_for(
    session: Session, account_id: str, kinds: Sequence[str], targets: Sequence[str]
) -> dict[str, list[TeamRecord]]:
    """Usable records of ``kinds`` about each of ``targets`` (UID order), in a few queries."""
    wanted = sorted(set(targets))
    out: dict[str, list[TeamRecord]] = {}
    for start in range(0, len(wanted), 500):
        stmt = select(TeamRecordRow).where(
            TeamRecordRow.account_id == account_id,
            TeamRecordRow.kind.in_(list(kinds)),
            TeamRecordRow.target.in_(wanted[start : start + 500]),
        )
        for row in session.scalars(stmt.order_by(TeamRecordRow.uid)):
            record = _usable(row)
            if record is not None:
                out.setdefault(record.target, []).append(record)
    return out
