"""The outbox table of the local database: the SQL behind :class:`~mailwise_desktop.send.outbox.Outbox`.

Every state change is one conditional UPDATE (``... WHERE id = ? AND state
IN (...)``), so two processes can never both take the same row. Rows come
back as plain tuples in :data:`COLUMNS` order; send/outbox.py makes them
``OutboxItem``s.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import text

from mailwise_desktop.store import draft_rows
from mailwise_desktop.store.local import LocalDatabase

COLUMNS = (
    "id, account_id, message_id, state, raw, mail_from, rcpt_json, draft_json, created, "
    "send_after, updated, attempts, last_error, server_reply, accepted_at, steps_json"
)

Row = Sequence[Any]


def _marks(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, str]]:
    names = [f"{prefix}{n}" for n in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))


def row(local: LocalDatabase, item_id: int) -> Row | None:
    with local.engine.connect() as conn:
        return conn.execute(
            text(f"SELECT {COLUMNS} FROM outbox WHERE id = :i"), {"i": item_id}
        ).one_or_none()


def rows(local: LocalDatabase, states: Sequence[str], account_id: str | None) -> list[Row]:
    """Rows in ``states`` (of one account, or all), oldest first."""
    marks, params = _marks("s", states)
    where = f"state IN ({marks})"
    if account_id is not None:
        where += " AND account_id = :a"
        params["a"] = account_id
    with local.engine.connect() as conn:
        found = conn.execute(
            text(f"SELECT {COLUMNS} FROM outbox WHERE {where} ORDER BY id"), params
        ).all()
    return list(found)


def insert_taking_draft(local: LocalDatabase, values: Mapping[str, Any], draft_id: str) -> int:
    """Insert a queued mail and delete its draft in one transaction; the new row's id.

    ``values``: account_id, message_id, state, raw, mail_from, rcpt_json,
    draft_json, created, send_after, steps_json.
    """
    with local.engine.begin() as conn:
        result = conn.execute(
            text(
                "INSERT INTO outbox(account_id, message_id, state, raw, mail_from, rcpt_json, "
                "draft_json, created, send_after, updated, steps_json) VALUES "
                "(:account_id, :message_id, :state, :raw, :mail_from, :rcpt_json, :draft_json, "
                ":created, :send_after, :created, :steps_json)"
            ),
            dict(values),
        )
        # The draft now lives in the outbox row; Undo writes it back.
        draft_rows.delete_in(conn, draft_id)
    return int(result.lastrowid or 0)


def move(
    local: LocalDatabase,
    item_id: int,
    from_states: Sequence[str],
    to_state: str,
    values: Mapping[str, Any],
) -> bool:
    """Conditional state change (setting ``values`` too); True when this call made it."""
    sets = ["state = :to", "updated = :now"] + [f"{k} = :{k}" for k in values]
    marks, params = _marks("f", from_states)
    params_all: dict[str, Any] = {"id": item_id, "to": to_state, "now": time.time(), **values}
    params_all.update(params)
    with local.engine.begin() as conn:
        changed = conn.execute(
            text(f"UPDATE outbox SET {', '.join(sets)} WHERE id = :id AND state IN ({marks})"),
            params_all,
        ).rowcount
    return bool(changed == 1)


def claim_due(local: LocalDatabase, item_id: int, now: float) -> bool:
    """queued -> checking, only once its undo window is over."""
    with local.engine.begin() as conn:
        changed = conn.execute(
            text(
                "UPDATE outbox SET state = 'checking', updated = :now "
                "WHERE id = :id AND state = 'queued' AND send_after <= :now"
            ),
            {"id": item_id, "now": now},
        ).rowcount
    return bool(changed == 1)


def start_submitting(local: LocalDatabase, item_id: int) -> bool:
    """checking -> submitting, counting the attempt."""
    with local.engine.begin() as conn:
        changed = conn.execute(
            text(
                "UPDATE outbox SET state = 'submitting', attempts = attempts + 1, "
                "updated = :now WHERE id = :id AND state = 'checking'"
            ),
            {"id": item_id, "now": time.time()},
        ).rowcount
    return bool(changed == 1)


def record_step(local: LocalDatabase, item_id: int, step: str, value: Any) -> None:
    """Set one follow-up step in ``steps_json`` (read and written in one transaction)."""
    with local.engine.begin() as conn:
        raw = conn.execute(
            text("SELECT steps_json FROM outbox WHERE id = :i"), {"i": item_id}
        ).scalar_one()
        steps = json.loads(raw or "{}")
        steps[step] = value
        conn.execute(
            text("UPDATE outbox SET steps_json = :s, updated = :n WHERE id = :i"),
            {"s": json.dumps(steps), "n": time.time(), "i": item_id},
        )


def note_error(local: LocalDatabase, item_id: int, error: str) -> None:
    with local.engine.begin() as conn:
        conn.execute(
            text("UPDATE outbox SET last_error = :e, updated = :n WHERE id = :i"),
            {"e": error, "n": time.time(), "i": item_id},
        )


def delete_back_to_draft(
    local: LocalDatabase,
    item_id: int,
    states: Sequence[str],
    draft: tuple[str, str, str],
) -> bool:
    """Delete the row if in ``states`` and write its draft (id, account, JSON) back, atomically."""
    marks, params = _marks("u", states)
    with local.engine.begin() as conn:
        gone = conn.execute(
            text(f"DELETE FROM outbox WHERE id = :i AND state IN ({marks})"),
            {"i": item_id, **params},
        ).rowcount
        if gone != 1:
            return False
        draft_rows.replace_in(conn, *draft)
    return True


def recover(local: LocalDatabase, account_id: str, cutoff: float, lost_words: str) -> int:
    """checking -> queued and submitting -> unknown for rows untouched since ``cutoff``."""
    with local.engine.begin() as conn:
        back = conn.execute(
            text(
                "UPDATE outbox SET state = 'queued' WHERE account_id = :a "
                "AND state = 'checking' AND updated < :c"
            ),
            {"a": account_id, "c": cutoff},
        ).rowcount
        lost = conn.execute(
            text(
                "UPDATE outbox SET state = 'unknown', last_error = :e WHERE account_id = :a "
                "AND state = 'submitting' AND updated < :c"
            ),
            {"a": account_id, "c": cutoff, "e": lost_words},
        ).rowcount
    return int(back + lost)


def sent_rcpt_json(local: LocalDatabase, account_id: str) -> list[str]:
    """The recipient lists (JSON) of the account's accepted and sent mail."""
    with local.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT rcpt_json FROM outbox WHERE account_id = :a "
                    "AND state IN ('accepted', 'sent')"
                ),
                {"a": account_id},
            ).scalars()
        )
