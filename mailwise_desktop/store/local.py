"""The local database: the user's own work, which the server cannot give back.

Queued team-mailbox records, per-message local marks (kept by Message-ID so
they survive a UIDVALIDITY change), and — from later versions on — drafts,
outbox and personal templates. Migrated step by step; never dropped.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from mailwise_desktop.store.database import Migration, make_engine, migrate

# Step n brings the local database from version n to n+1. Append only.
LOCAL_MIGRATIONS: list[str | Migration] = [
    """
    CREATE TABLE pending_team_records (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        headers_json TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        created REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE TABLE message_marks (
        account_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account_id, message_id, key)
    )
    """,
    # 1 -> 2 (issue 6): drafts, the outbox and personal templates.
    """
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        draft_json TEXT NOT NULL,
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        raw BLOB NOT NULL,
        mail_from TEXT NOT NULL,
        rcpt_json TEXT NOT NULL,
        draft_json TEXT NOT NULL,
        reply_json TEXT,
        created REAL NOT NULL,
        send_after REAL NOT NULL,
        updated REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        server_reply TEXT,
        accepted_at REAL,
        steps_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX ix_outbox_state ON outbox(account_id, state);
    CREATE TABLE personal_templates (
        name TEXT PRIMARY KEY,
        record_json TEXT NOT NULL,
        updated REAL NOT NULL
    )
    """,
    # 2 -> 3 (issue 9): a history event written ahead of its compare-and-set.
    # NULL: sendable. Otherwise the CAS's expected outcome (JSON: mailbox, uid,
    # uidvalidity, modseq read, flags to write); the row is not sent until
    # settled (services/intended_records.py).
    "ALTER TABLE pending_team_records ADD COLUMN intent_json TEXT",
]


class LocalDatabase:
    """The profile's local database (not rebuildable: migrated, never dropped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        migrate(self.engine, LOCAL_MIGRATIONS, what="local database")
        if os.name == "posix":
            os.chmod(path, 0o600)

    def set_mark(self, account_id: str, message_id: str, key: str, value: Any) -> None:
        """Remember something about a message locally (e.g. remote content allowed)."""
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO message_marks(account_id, message_id, key, value) "
                    "VALUES (:a, :m, :k, :v) ON CONFLICT(account_id, message_id, key) "
                    "DO UPDATE SET value = excluded.value"
                ),
                {"a": account_id, "m": message_id, "k": key, "v": json.dumps(value)},
            )

    def get_mark(self, account_id: str, message_id: str, key: str) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(
                text(
                    "SELECT value FROM message_marks "
                    "WHERE account_id = :a AND message_id = :m AND key = :k"
                ),
                {"a": account_id, "m": message_id, "k": key},
            ).scalar_one_or_none()
        return None if value is None else json.loads(value)

    def forget_account(self, account_id: str) -> None:
        """Delete everything local of one account (after the user confirmed removal)."""
        with self.engine.begin() as conn:
            for table in ("pending_team_records", "message_marks", "drafts", "outbox"):
                conn.execute(text(f"DELETE FROM {table} WHERE account_id = :a"), {"a": account_id})

    def queue_team_record(
        self, account_id: str, kind: str, subject: str, headers: dict[str, str], payload: Any
    ) -> int:
        """Keep a team-mailbox record whose APPEND failed, to retry later."""
        with self.engine.begin() as conn:
            result = conn.execute(
                text(
                    "INSERT INTO pending_team_records"
                    "(account_id, kind, subject, headers_json, payload_json, created) "
                    "VALUES (:a, :k, :s, :h, :p, :c)"
                ),
                {
                    "a": account_id,
                    "k": kind,
                    "s": subject,
                    "h": json.dumps(headers, ensure_ascii=False),
                    "p": json.dumps(payload, ensure_ascii=False),
                    "c": time.time(),
                },
            )
            return int(result.lastrowid or 0)

    def close(self) -> None:
        self.engine.dispose()
