"""Report and conversation benchmark: figures and grouping computed from a 50,000-message cache.

Usage: ``python -m bench.report [--messages 50000]``. Seeds a profile like
``bench.ui`` (N messages, every state) plus a history of about 1.2 events per
message in the team-records table, then times (median of 5) the full report
(``ReportService.report``: both queries and the computation) and the
conversation grouping of the whole account (``ConversationService.groups``,
cold). The reference measured in the same run is SQLite's floor: reading the
same columns with the bare ``sqlite3`` module and doing nothing with them.
Writes ``bench/out/report.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, Table, median, write_results
from bench.ui import seed_profile

OPERATIONS = ("claim", "sent", "done", "skip", "hold")


def seed_history(home: Path, n: int) -> None:
    """About 1.2 events per message, as the coordination service writes them."""
    from mailwise_desktop.core.profile import Profile
    from mailwise_desktop.mail.team_records import target_key
    from mailwise_desktop.services.context import AppContext

    ctx = AppContext.open(Profile(home))
    rng = random.Random(1)
    db = sqlite3.connect(ctx.profile.cache_db)
    rows = db.execute("SELECT message_id, date, from_email, subject FROM messages").fetchall()
    records = []
    uid = 0
    for message_id, date, sender, subject in rows:
        key = target_key(message_id, date, sender, subject)
        for op in rng.sample(OPERATIONS, rng.choice((0, 1, 1, 2))):
            uid += 1
            to_state = {"claim": "in_progress", "sent": "done", "done": "done",
                        "skip": "no_reply_needed", "hold": "on_hold"}[op]  # fmt: skip
            payload = {"operation": op, "to": {"state": to_state, "owner": "sato"},
                       "template": "t" if op == "sent" and rng.random() < 0.6 else None}  # fmt: skip
            records.append(
                ("support", uid, f"r{uid}@bench", "event", key, "sato",
                 date + rng.randint(60, 86400 * 3), "", json.dumps(payload))
            )  # fmt: skip
    db.executemany(
        "INSERT INTO team_records (account_id, uid, record_id, kind, target, actor, created,"
        " subject, payload_json) VALUES (?,?,?,?,?,?,?,?,?)",
        records,
    )
    db.commit()
    db.close()
    ctx.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args(argv)
    from mailwise_desktop.core.profile import Profile
    from mailwise_desktop.services.context import AppContext
    from mailwise_desktop.services.conversations import ConversationService
    from mailwise_desktop.services.reports import ReportService

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        seed_profile(home, args.messages)
        seed_history(home, args.messages)
        ctx = AppContext.open(Profile(home))
        account = ctx.account()
        since = time.time() - 30 * 86400
        floors, reports, groups = [], [], []
        events = 0
        for _ in range(5):
            start = time.perf_counter()
            db = sqlite3.connect(ctx.profile.cache_db)
            db.execute(
                "SELECT message_id, date, from_email, subject, state FROM messages"
            ).fetchall()
            events = len(
                db.execute("SELECT target, created, payload_json FROM team_records").fetchall()
            )
            db.close()
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = ReportService(ctx, account).report(since)
            reports.append(time.perf_counter() - start)
            start = time.perf_counter()
            ConversationService(ctx, account).groups()
            groups.append(time.perf_counter() - start)
        ctx.close()
    table = Table(f"Reports and conversations at {args.messages:,} messages, {events:,} events")
    floor = median(floors)
    table.add(Row("report --since 30d (both queries + figures), median of 5", median(reports),
                  "bare sqlite3 read of the same rows", floor, "≤ 1 s", median(reports) <= 1.0))  # fmt: skip
    table.add(Row("conversation grouping of the whole account, median of 5", median(groups),
                  "bare sqlite3 read of the same rows", floor, "", None))  # fmt: skip
    table.notes.append(f"report: received {report.received}, handled {report.handled}")
    write_results("report", table, args.out)
    print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
