"""The first sync's SQLite side alone: slices written, then the account grouped (issue 13).

Usage: ``python -m bench.first_sync_writer CACHE [--rounds 3]``, CACHE being a
cache a first sync wrote (``bench.first_sync`` leaves them in its temporary
folder). Its rows are read once, then written again into fresh caches newest
first, in the first sync's slices (store.insert_messages per slice, one
transaction each), and the account grouped (conversation_ids.update): with
the deferred indexes set aside during the slices and the grouping's indexes
during its UPDATE (as now), and without (kept row by row), interleaved. No server, no parsing: what is
left is the cache writer's and the grouping's own work, whose CPU seconds
move far less with the machine's load than a whole sync does.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from mailwise_desktop.imap.first_sync import slices
from mailwise_desktop.store import deferred_indexes
from mailwise_desktop.store import messages as store
from mailwise_desktop.store.account_rows import ensure_account
from mailwise_desktop.store.conversation_ids import update
from mailwise_desktop.store.database import CacheDatabase

#: Columns a first sync writes (store/messages.py _INSERT_COLUMNS read back).
COLUMNS = ", ".join(
    f"m.{name}"
    for name in (
        *("uid", "modseq", "message_id", "in_reply_to", '"references"', "thread_key", "subject"),
        *("from_name", "from_email", "to_json", "cc_json", "date", "internal_date", "date_raw"),
        *("size", "flags", "seen", "answered", "has_attachments", "state", "owner_slot"),
        *("state_problem", "read_problem"),
    )
)


def read_rows(cache: Path) -> list[dict[str, Any]]:
    """The cache's INBOX rows as first sync row dicts, newest UID first."""
    with sqlite3.connect(cache) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            f"SELECT {COLUMNS}, f.subject AS fts_subject, f.sender AS fts_sender "
            "FROM messages m JOIN messages_fts f ON f.rowid = m.id ORDER BY m.uid DESC"
        ).fetchall()
    return [dict(r) for r in rows]


def replay(rows: list[dict[str, Any]], folder: Path, defer: bool) -> dict[str, float]:
    """Write ``rows`` as a first sync does, then group; CPU and wall seconds of each step."""
    db = CacheDatabase(folder / "cache.sqlite3")
    with db.transaction() as session:
        ensure_account(session, "bench")
        box = store.ensure_mailbox(session, "bench", "INBOX")
    by_uid = {r["uid"]: r for r in rows}
    out: dict[str, float] = {}
    cpu, wall = time.process_time(), time.perf_counter()
    if defer:
        with db.transaction() as session:
            deferred_indexes.set_aside(session)
    for part in slices([r["uid"] for r in rows]):
        with db.transaction() as session:
            store.insert_messages(session, box, [by_uid[u] for u in part])
    if defer:
        with db.transaction() as session:
            deferred_indexes.build_missing(session)
    out["slices CPU"], out["slices wall"] = time.process_time() - cpu, time.perf_counter() - wall
    cpu, wall = time.process_time(), time.perf_counter()
    kept = deferred_indexes.set_aside
    if not defer:  # the grouping keeps its indexes row by row too
        deferred_indexes.set_aside = lambda *_args, **_kw: None  # type: ignore[assignment]
    try:
        with db.transaction() as session:
            update(session, "bench")
    finally:
        deferred_indexes.set_aside = kept  # type: ignore[assignment]
    out["grouping CPU"] = time.process_time() - cpu
    out["grouping wall"] = time.perf_counter() - wall
    db.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    rows = read_rows(args.cache)
    print(f"{len(rows):,} rows from {args.cache}")
    print("| round | indexes | slices CPU | slices wall | grouping CPU | grouping wall |")
    print("|---|---|---:|---:|---:|---:|")
    for number in range(args.rounds):
        for defer in (False, True):
            with tempfile.TemporaryDirectory(prefix="mw-bench-writer-") as folder:
                f = replay(rows, Path(folder), defer)
            label = "set aside, built after" if defer else "kept row by row"
            print(
                f"| {number} | {label} | {f['slices CPU']:.2f} s | {f['slices wall']:.2f} s "
                f"| {f['grouping CPU']:.2f} s | {f['grouping wall']:.2f} s |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
