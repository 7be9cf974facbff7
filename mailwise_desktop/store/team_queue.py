"""Team-mailbox records whose APPEND failed, waiting in the local database for a retry.

The table ``pending_team_records`` belongs to the local database (the user's
own work: a history event that never reached the server must not be lost with
the cache). :meth:`LocalDatabase.queue_team_record` adds to it; this module
reads it back for the retry and removes what was delivered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from mailwise_desktop.store.local import LocalDatabase


@dataclass(frozen=True)
class PendingRecord:
    """One queued record: enough to rebuild the exact same message."""

    id: int
    kind: str
    subject: str
    headers: dict[str, str]
    payload: dict[str, Any]
    created: float
    attempts: int
    last_error: str | None


def pending(local: LocalDatabase, account_id: str, limit: int = 100) -> list[PendingRecord]:
    """The account's queued records, oldest first."""
    with local.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, kind, subject, headers_json, payload_json, created, attempts, "
                "last_error FROM pending_team_records WHERE account_id = :a ORDER BY id LIMIT :n"
            ),
            {"a": account_id, "n": limit},
        ).all()
    return [
        PendingRecord(
            int(r[0]), r[1], r[2], json.loads(r[3]), json.loads(r[4]), float(r[5]), int(r[6]), r[7]
        )
        for r in rows
    ]


def pending_count(local: LocalDatabase, account_id: str) -> int:
    with local.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM pending_team_records WHERE account_id = :a"),
                {"a": account_id},
            ).scalar_one()
        )


def delivered(local: LocalDatabase, record_id: int) -> None:
    """Forget a queued record once the server has it."""
    with local.engine.begin() as conn:
        conn.execute(text("DELETE FROM pending_team_records WHERE id = :i"), {"i": record_id})


def failed_again(local: LocalDatabase, record_id: int, error: str) -> None:
    """Count one more failed attempt and remember why."""
    with local.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE pending_team_records SET attempts = attempts + 1, last_error = :e "
                "WHERE id = :i"
            ),
            {"i": record_id, "e": error[:500]},
        )
