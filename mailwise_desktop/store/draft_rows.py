"""The drafts table of the local database: one committed row per draft (JSON)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection

from mailwise_desktop.store.local import LocalDatabase


def upsert(local: LocalDatabase, draft_id: str, account_id: str, draft_json: str) -> None:
    """Save a draft in one transaction (created once, ``updated`` every save)."""
    with local.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO drafts(id, account_id, draft_json, created, updated) "
                "VALUES (:i, :a, :j, :t, :t) ON CONFLICT(id) DO UPDATE SET "
                "draft_json = excluded.draft_json, updated = excluded.updated"
            ),
            {"i": draft_id, "a": account_id, "j": draft_json, "t": time.time()},
        )


def replace_in(conn: Connection, draft_id: str, account_id: str, draft_json: str) -> None:
    """Write a draft back inside the caller's transaction (Undo of a queued mail)."""
    conn.execute(
        text(
            "INSERT OR REPLACE INTO drafts(id, account_id, draft_json, created, updated) "
            "VALUES (:i, :a, :j, :t, :t)"
        ),
        {"i": draft_id, "a": account_id, "j": draft_json, "t": time.time()},
    )


def delete_in(conn: Connection, draft_id: str) -> None:
    """Delete a draft inside the caller's transaction (its mail is in the outbox now)."""
    conn.execute(text("DELETE FROM drafts WHERE id = :i"), {"i": draft_id})


def draft_json(local: LocalDatabase, draft_id: str) -> str | None:
    with local.engine.connect() as conn:
        found: str | None = conn.execute(
            text("SELECT draft_json FROM drafts WHERE id = :i"), {"i": draft_id}
        ).scalar_one_or_none()
    return found


def account_drafts_json(local: LocalDatabase, account_id: str) -> Sequence[str]:
    """The account's drafts as JSON, most recently saved first."""
    with local.engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT draft_json FROM drafts WHERE account_id = :a ORDER BY updated DESC"),
                {"a": account_id},
            ).scalars()
        )


def account_drafts_saved(local: LocalDatabase, account_id: str) -> list[tuple[str, float]]:
    """(JSON, last saved at) of the account's drafts, most recently saved first."""
    with local.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT draft_json, updated FROM drafts WHERE account_id = :a ORDER BY updated DESC"
            ),
            {"a": account_id},
        ).all()
    return [(str(raw), float(updated)) for raw, updated in rows]


def delete(local: LocalDatabase, draft_id: str) -> None:
    with local.engine.begin() as conn:
        delete_in(conn, draft_id)
