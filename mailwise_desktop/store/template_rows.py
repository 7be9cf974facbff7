"""The personal_templates table of the local database: one row (JSON) per template name."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import text

from mailwise_desktop.store.local import LocalDatabase


def all_json(local: LocalDatabase) -> Sequence[str]:
    with local.engine.connect() as conn:
        return list(conn.execute(text("SELECT record_json FROM personal_templates")).scalars())


def upsert(local: LocalDatabase, name: str, record_json: str) -> None:
    with local.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO personal_templates(name, record_json, updated) VALUES (:n, :j, :u) "
                "ON CONFLICT(name) DO UPDATE SET record_json = excluded.record_json, "
                "updated = excluded.updated"
            ),
            {"n": name, "j": record_json, "u": time.time()},
        )


def delete(local: LocalDatabase, name: str) -> bool:
    """Remove a template; False when there was none of that name."""
    with local.engine.begin() as conn:
        gone = conn.execute(
            text("DELETE FROM personal_templates WHERE name = :n"), {"n": name}
        ).rowcount
    return bool(gone)
