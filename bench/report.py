"""Report and conversation benchmark: figures and grouping computed from a 50,000-message cache.

Usage: ``python -m bench.report [--messages 50000]``. Seeds a profile like
``bench.ui`` (N messages, every state) plus a history of about 1.2 events per
message in the team-records table, then times (median of 5) the full report
(``ReportService.report``: every query and figure) and the
stored conversation ids (a whole-account grouping, then one new mail joining
incrementally; reading the stored ids). The report is aggregated by SQL; the
pure reference (``ReportService.reference``) is timed once and compared. The
reference measured in the same run is a bare COUNT / GROUP BY over the same
tables with the ``sqlite3`` module.
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
                 date + rng.randint(60, 86400 * 3), "", json.dumps(payload),
                 op, to_state, payload["template"])
            )  # fmt: skip
    # The columns team_cache.insert_records fills from the payload (schema 5).
    db.executemany(
        "INSERT INTO team_records (account_id, uid, record_id, kind, target, actor, created,"
        " subject, payload_json, operation, to_state, template) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        records,
    )
    db.commit()
    db.close()
    ctx.close()


def _bare_group_by(path: Path) -> float:
    """The reference: a bare COUNT / GROUP BY over the same two tables, sqlite3 module."""
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall()
    db.execute("SELECT target, COUNT(*) FROM team_records GROUP BY target").fetchall()
    db.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args(argv)
    from mailwise_desktop.core.profile import Profile
    from mailwise_desktop.services.context import AppContext
    from mailwise_desktop.services.conversations import ConversationService
    from mailwise_desktop.services.reports import ReportService
    from mailwise_desktop.store import messages as store
    from mailwise_desktop.store.conversation_ids import update

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        seed_profile(home, args.messages)
        seed_history(home, args.messages)
        ctx = AppContext.open(Profile(home))
        account = ctx.account()
        since = time.time() - 30 * 86400
        start = time.perf_counter()
        with ctx.cache.transaction() as session:
            update(session, account.id, account.address)  # the whole account, as after first sync
        first_grouping = time.perf_counter() - start
        floors, reports, incremental, reads = [], [], [], []
        events = 0
        for n in range(5):
            floors.append(_bare_group_by(ctx.profile.cache_db))
            start = time.perf_counter()
            report = ReportService(ctx, account).report(since)
            reports.append(time.perf_counter() - start)
            with ctx.cache.transaction() as session:  # a customer's follow-up arrives
                box = store.ensure_mailbox(session, account.id, "INBOX")
                store.insert_messages(session, box, [{
                    "uid": args.messages + 1 + n, "message_id": f"new{n}@bench",
                    "in_reply_to": None, "subject": "Re: follow-up", "from_email": "c5@example.jp",
                    "date": time.time()}])  # fmt: skip
            start = time.perf_counter()
            with ctx.cache.transaction() as session:
                update(session, account.id, account.address)
            incremental.append(time.perf_counter() - start)
            start = time.perf_counter()
            ConversationService(ctx, account).groups()
            reads.append(time.perf_counter() - start)
        from mailwise_desktop.services.contact_history import ContactHistory
        from mailwise_desktop.services.contacts import ContactService

        book, cards = [], []
        for _ in range(5):
            start = time.perf_counter()
            ContactService(ctx, account).contacts()
            book.append(time.perf_counter() - start)
            start = time.perf_counter()
            ContactHistory(ctx, account).sender_card("c5@example.jp")
            cards.append(time.perf_counter() - start)
        db = sqlite3.connect(ctx.profile.cache_db)
        events = db.execute("SELECT COUNT(*) FROM team_records").fetchone()[0]
        db.close()
        until = time.time()
        start = time.perf_counter()
        pure = ReportService(ctx, account).reference(since, until)
        pure_seconds = time.perf_counter() - start
        agrees = ReportService(ctx, account).report(since, until) == pure
        ctx.close()
    table = Table(f"Reports and conversations at {args.messages:,} messages, {events:,} events")
    floor = median(floors)
    bare = "bare COUNT/GROUP BY of messages and events (sqlite3)"
    table.add(Row("report --since 30d by SQL (ReportService.report), median of 5", median(reports),
                  bare, floor, "≤ 1 s", median(reports) <= 1.0))  # fmt: skip
    table.add(Row("report by the pure reference (every fact in Python), 1 run", pure_seconds,
                  bare, floor, "", None))  # fmt: skip
    table.add(Row("conversation ids: one new mail joins (update), median of 5", median(incremental),
                  bare, floor, "", None))  # fmt: skip
    table.add(Row("conversation ids: whole account at once (after first sync), 1 run",
                  first_grouping, bare, floor, "", None))  # fmt: skip
    table.add(Row("conversation view reads stored ids (groups()), median of 5", median(reads),
                  bare, floor, "", None))  # fmt: skip
    table.add(Row("address book: every sender with counts (contacts()), median of 5", median(book),
                  bare, floor, "", None))  # fmt: skip
    table.add(Row("sender card of one sender (~51 mails, their history), median of 5",
                  median(cards), bare, floor, "", None))  # fmt: skip
    table.notes.append(
        f"report: received {report.received}, handled {report.handled}; "
        f"SQL and pure reference agree on the same cache: {agrees}"
    )
    write_results("report", table, args.out)
    print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
