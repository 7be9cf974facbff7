"""Team-mailbox records waiting in the local database: for their APPEND, or to be settled.

The table ``pending_team_records`` belongs to the local database (the user's
own work: a history event that never reached the server must not be lost with
the cache). :meth:`LocalDatabase.queue_team_record` adds a sendable row; this
module reads rows back for the retry and removes what was delivered.

A row with an ``intent`` is a history event written *ahead* of the
compare-and-set it describes (:func:`queue_intended`): not sendable until the
CAS is known to have won (:func:`make_sendable`), dropped when it did not
(:func:`drop_intended`). Both only act on a row that is still intended, so of
two processes settling the same row exactly one does.
"""

from __future__ import annotations

import json
import time
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
    intent: dict[str, Any] | None = None

    @property
    def intended(self) -> bool:
        """Written ahead of a CAS whose outcome is not settled yet: never sent as it is."""
        return self.intent is not None


def pending(local: LocalDatabase, account_id: str, limit: int = 100) -> list[PendingRecord]:
    """The account's queued records, oldest first."""
    with local.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, kind, subject, headers_json, payload_json, created, attempts, "
                "last_error, intent_json FROM pending_team_records WHERE account_id = :a "
                "ORDER BY id LIMIT :n"
            ),
            {"a": account_id, "n": limit},
        ).all()
    return [
        PendingRecord(
            int(r[0]),
            r[1],
            r[2],
            json.loads(r[3]),
            json.loads(r[4]),
            float(r[5]),
            int(r[6]),
            r[7],
            None if r[8] is None else json.loads(r[8]),
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


def queue_intended(  # noqa: PLR0917 - the columns of one row
    local: LocalDatabase,
    account_id: str,
    kind: str,
    subject: str,
    headers: dict[str, str],
    payload: dict[str, Any],
    intent: dict[str, Any],
) -> int:
    """Write a history event ahead of its CAS (not sendable); the row's id."""
    with local.engine.begin() as conn:
        result = conn.execute(
            text(
                "INSERT INTO pending_team_records"
                "(account_id, kind, subject, headers_json, payload_json, created, intent_json) "
                "VALUES (:a, :k, :s, :h, :p, :c, :i)"
            ),
            {
                "a": account_id,
                "k": kind,
                "s": subject,
                "h": json.dumps(headers, ensure_ascii=False),
                "p": json.dumps(payload, ensure_ascii=False),
                "c": time.time(),
                "i": json.dumps(intent, ensure_ascii=False),
            },
        )
        return int(result.lastrowid or 0)


def update_intended(
    local: LocalDatabase,
    record_id: int,
    subject: str,
    payload: dict[str, Any],
    intent: dict[str, Any],
) -> None:
    """A retry after a lost race: the same row now intends the new STORE."""
    with local.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE pending_team_records SET subject = :s, payload_json = :p, "
                "intent_json = :i WHERE id = :r AND intent_json IS NOT NULL"
            ),
            {
                "r": record_id,
                "s": subject,
                "p": json.dumps(payload, ensure_ascii=False),
                "i": json.dumps(intent, ensure_ascii=False),
            },
        )


def make_sendable(
    local: LocalDatabase,
    record_id: int,
    subject: str,
    headers: dict[str, str],
    payload: dict[str, Any],
) -> bool:
    """The CAS won: the row becomes an ordinary queued record. False if it was settled already."""
    with local.engine.begin() as conn:
        result = conn.execute(
            text(
                "UPDATE pending_team_records SET subject = :s, headers_json = :h, "
                "payload_json = :p, intent_json = NULL WHERE id = :r AND intent_json IS NOT NULL"
            ),
            {
                "r": record_id,
                "s": subject,
                "h": json.dumps(headers, ensure_ascii=False),
                "p": json.dumps(payload, ensure_ascii=False),
            },
        )
        return bool(result.rowcount)


def drop_intended(local: LocalDatabase, record_id: int) -> bool:
    """The CAS did not win (or the change does not stand): forget the row. False if settled."""
    with local.engine.begin() as conn:
        result = conn.execute(
            text("DELETE FROM pending_team_records WHERE id = :r AND intent_json IS NOT NULL"),
            {"r": record_id},
        )
        return bool(result.rowcount)
