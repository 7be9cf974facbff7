"""Mode B in the cache: state and owner of each row as the team log decides them.

In a mailbox whose mode chain shows the log (``core/log_modes.py``), the
keywords say nothing (the server does not keep them) or only mirror the log,
so every view — the list, the window, counts, ``mailwise list/show/search`` —
would read "unhandled". Instead the cached rows' ``state``/``owner_slot``
columns hold the log's resolution: written here whenever rows arrive or
change (same transaction as the sync's write, so no view ever sees the
keyword state in between) and whenever new log records are cached. The
views read the columns unchanged.

Functions work inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailwise_desktop.core.claim_log import Resolution, resolve_records
from mailwise_desktop.core.log_modes import MODE_KIND
from mailwise_desktop.core.states import StateView
from mailwise_desktop.mail.team_records import TeamRecord, target_key
from mailwise_desktop.store.schema import MailboxRow, MessageRow, TeamRecordRow
from mailwise_desktop.store.team_cache import records, records_for_targets

_EVENT = "event"
_ROW = tuple[int, int, str | None, float | None, str, str, str, int | None, str | None]


#: (database, account) → (mark, mode records, their resolution): a claim asks
#: for the chain several times, and it changes only at a switch.
_CHAIN_MEMO: dict[tuple[str, str], tuple[tuple[int, int, int], list[TeamRecord], Resolution]] = {}


def _chain(session: Session, account_id: str) -> tuple[list[TeamRecord], Resolution]:
    found = (
        session.connection()
        .exec_driver_sql(  # raw: asked on every claim and every synced batch
            "SELECT max(id), count(*), max(uid) FROM team_records WHERE account_id=? AND kind=?",
            (account_id, MODE_KIND),
        )
        .one()
    )
    mark = (int(found[0] or 0), int(found[1] or 0), int(found[2] or 0))
    key = (str(session.get_bind().engine.url), account_id)
    memo = _CHAIN_MEMO.get(key)
    if memo is not None and memo[0] == mark:
        return memo[1], memo[2]
    links = records(session, account_id, kinds=[MODE_KIND]) if mark[1] else []
    resolved = resolve_records(links)
    if len(_CHAIN_MEMO) > 64:  # profiles opened in one process (tests, benches)
        _CHAIN_MEMO.clear()
    _CHAIN_MEMO[key] = (mark, links, resolved)
    return links, resolved


def chain_records(session: Session, account_id: str) -> list[TeamRecord]:
    """The account's cached mode records (few: one per switch)."""
    return list(_chain(session, account_id)[0])


def log_mailboxes(session: Session, account_id: str) -> dict[int, str]:
    """Mailbox id → name of the account's mailboxes whose list shows the log's state."""
    links, resolved = _chain(session, account_id)
    if not links:
        return {}
    chain = resolved.chain
    names = [name for name, link in chain.items() if link.shows_log]
    if not names:
        return {}
    rows = session.connection().exec_driver_sql(
        "SELECT id, name FROM mailboxes WHERE account_id=?", (account_id,)
    )
    return {int(i): str(n) for i, n in rows if n in names}


def account_of(session: Session, mailbox_id: int) -> str | None:
    return session.scalar(select(MailboxRow.account_id).where(MailboxRow.id == mailbox_id))


def apply_to_rows(session: Session, mailbox_id: int, row_ids: Iterable[int]) -> list[int]:
    """After rows of ``mailbox_id`` were written from flags: the log's state where it decides.

    Returns:
        The ids whose state or owner the log changed (a no-op outside Mode B).
    """
    ids = list(row_ids)
    account_id = account_of(session, mailbox_id) if ids else None
    if account_id is None or mailbox_id not in log_mailboxes(session, account_id):
        return []
    changed: list[int] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        changed += _write(session, account_id, _rows(session, [mailbox_id], MessageRow.id, chunk))
    return changed


def apply_to_targets(
    session: Session, account_id: str, targets: Iterable[str] | None = None
) -> dict[str, list[int]]:
    """After new log records were cached: rewrite the rows they are about (None: every row).

    Returns:
        Mailbox name → ids of rows whose state or owner changed.
    """
    boxes = log_mailboxes(session, account_id)
    if not boxes:
        return {}
    wanted = None if targets is None else sorted(set(targets))
    if wanted is not None and not wanted:
        return {}
    if wanted is None or any(t.startswith("sha256:") for t in wanted):
        rows = _rows(session, list(boxes))  # hashed keys cannot be looked up by SQL
        if wanted is not None:
            keep = set(wanted)
            rows = [r for r in rows if _key(r) in keep]
    else:
        rows = []
        for start in range(0, len(wanted), 500):
            rows += _rows(session, list(boxes), MessageRow.message_id, wanted[start : start + 500])
    changed_ids = set(_write(session, account_id, rows))
    by_box: dict[str, list[int]] = {}
    for row in rows:
        if row[0] in changed_ids:
            by_box.setdefault(boxes[row[1]], []).append(row[0])
    return by_box


def apply_view(
    session: Session, account_id: str, target: str, view: StateView
) -> dict[str, list[int]]:
    """A Mode B change just placed: its rows take ``view`` (no need to resolve the log again)."""
    boxes = log_mailboxes(session, account_id)
    if not boxes:
        return {}
    if target.startswith("sha256:"):
        rows = [r for r in _rows(session, list(boxes)) if _key(r) == target]
    else:
        marks = ",".join("?" * len(boxes))
        rows = [
            tuple(r)
            for r in session.connection().exec_driver_sql(
                "SELECT id, mailbox_id, message_id, date, from_email, subject, state, "
                f"owner_slot, state_problem FROM messages WHERE message_id=? "
                f"AND mailbox_id IN ({marks})",
                (target, *boxes),
            )
        ]
    wanted = (str(view.state), view.owner_slot, None)
    stale = [r for r in rows if (r[6], r[7], r[8]) != wanted and _key(r) == target]
    if stale:
        session.connection().exec_driver_sql(
            "UPDATE messages SET state=?, owner_slot=?, state_problem=NULL WHERE id=?",
            [(wanted[0], wanted[1], r[0]) for r in stale],
        )
    by_box: dict[str, list[int]] = {}
    for row in stale:
        by_box.setdefault(boxes[row[1]], []).append(row[0])
    return by_box


def _rows(
    session: Session, mailbox_ids: Sequence[int], column: object = None, values: object = None
) -> list[_ROW]:
    stmt = select(
        MessageRow.id,
        MessageRow.mailbox_id,
        MessageRow.message_id,
        MessageRow.date,
        MessageRow.from_email,
        MessageRow.subject,
        MessageRow.state,
        MessageRow.owner_slot,
        MessageRow.state_problem,
    ).where(MessageRow.mailbox_id.in_(list(mailbox_ids)))
    if column is not None:
        stmt = stmt.where(column.in_(values))  # type: ignore[attr-defined]
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def _key(row: _ROW) -> str:
    return target_key(row[2], row[3], row[4], row[5])


def resolution_for(session: Session, account_id: str, targets: Sequence[str]) -> Resolution:
    """The log resolved for ``targets`` (their events and the account's mode chain)."""
    found = records_for_targets(session, account_id, [_EVENT], targets)
    return resolve_records([*found, *chain_records(session, account_id)])


def mark_not_placed(session: Session, account_id: str, resolved: Resolution) -> None:
    """Mode B records that lost a race or missed a switch: out of the SQL reports.

    Reports aggregate the ``operation``/``to_state`` columns of every cached
    event; a rejected record never happened, so it gets neither (its body is
    kept as read). A rejection is final: later records never change it.
    """
    ids = sorted(set(resolved.rejected) | resolved.fenced)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.connection().exec_driver_sql(
            "UPDATE team_records SET operation='rejected', to_state=NULL, template=NULL "
            f"WHERE account_id=? AND kind='event' AND record_id IN ({','.join('?' * len(chunk))})",
            (account_id, *chunk),
        )


def _write(session: Session, account_id: str, rows: Sequence[_ROW]) -> list[int]:
    if not rows:
        return []
    keys = [_key(r) for r in rows]
    resolved = resolution_for(session, account_id, keys)
    mark_not_placed(session, account_id, resolved)
    updates: list[tuple[str, int | None, int]] = []
    for row, key in zip(rows, keys, strict=True):
        view = resolved.view(key)
        if (row[6], row[7], row[8]) != (str(view.state), view.owner_slot, None):
            updates.append((str(view.state), view.owner_slot, row[0]))
    if updates:
        session.connection().exec_driver_sql(
            "UPDATE messages SET state=?, owner_slot=?, state_problem=NULL WHERE id=?", updates
        )
    return [u[2] for u in updates]


def mailbox_rows(session: Session, account_id: str, mailbox: str) -> list[tuple[int, str, str]]:
    """(uid, flags, target key) of every cached row of ``mailbox`` (for a mode switch)."""
    box = session.scalar(
        select(MailboxRow.id).where(MailboxRow.account_id == account_id, MailboxRow.name == mailbox)
    )
    if box is None:
        return []
    stmt = select(
        MessageRow.uid,
        MessageRow.flags,
        MessageRow.message_id,
        MessageRow.date,
        MessageRow.from_email,
        MessageRow.subject,
    ).where(MessageRow.mailbox_id == box)
    return [
        (int(uid), str(flags), target_key(mid, date, sender, subject))
        for uid, flags, mid, date, sender, subject in session.execute(stmt)
    ]


def has_mode_a_events(session: Session, account_id: str, mailbox: str) -> bool:
    """Any cached Mode A history event about ``mailbox`` (a switch then starts from them)."""
    stmt = select(TeamRecordRow.payload_json).where(
        TeamRecordRow.account_id == account_id, TeamRecordRow.kind == _EVENT
    )
    for (payload,) in session.execute(stmt):
        if '"mode": "log"' in payload:
            continue
        if f'"mailbox": {json.dumps(mailbox, ensure_ascii=False)}' in payload:
            return True
    return False
