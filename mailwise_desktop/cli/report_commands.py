"""`mailwise report`: the team's figures for a period (レポート), as text, JSON or CSV.

``--since`` takes a date (``2026-11-01``, local midnight) or a span back
from now (``7d``, ``24h``); ``--until`` likewise (default: now).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.report import Report
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext

_SPAN = re.compile(r"^(\d{1,5})([dh])$")


def parse_moment(text: str, now: float | None = None) -> float:
    """Epoch seconds of ``2026-11-01`` / ``2026-11-01T09:00`` (local) or ``7d`` / ``24h`` ago."""
    moment = time.time() if now is None else now
    span = _SPAN.match(text.strip())
    if span:
        amount = int(span.group(1)) * (86400 if span.group(2) == "d" else 3600)
        return moment - amount
    try:
        return datetime.fromisoformat(text.strip()).timestamp()
    except ValueError:
        raise UsageError(
            f"{text!r} is not a date: use YYYY-MM-DD, or a span back from now like 7d or 24h."
        ) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="the team's figures for a period (received, handled, times)")
    p.add_argument("--since", default="30d", help="YYYY-MM-DD or 7d / 24h (default 30d)")
    p.add_argument("--until", default=None, help="YYYY-MM-DD or 7d / 24h ago (default: now)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--csv", metavar="FILE", help="write the figures as CSV (UTF-8 with BOM)")
    p.set_defaults(handler=cmd_report)


def hours(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 3600:.1f} h"


def write_csv(report: Report, out: TextIO) -> None:
    """The figures as rows of (section, key, value): opens in Excel as it is."""
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value"])
    writer.writerow(["period", "since", datetime.fromtimestamp(report.since).isoformat()])
    writer.writerow(["period", "until", datetime.fromtimestamp(report.until).isoformat()])
    writer.writerow(["total", "received", report.received])
    writer.writerow(["total", "handled", report.handled])
    for key, value in report.backlog.items():
        writer.writerow(["backlog_by_age", key, value])
    for key, value in report.per_state.items():
        writer.writerow(["per_state", key, value])
    for key, value in report.handled_by.items():
        writer.writerow(["handled_by", key, value])
    for key, value in report.replies_by.items():
        writer.writerow(["replies_by", key, value])
    for name, d in (("first_response", report.first_response), ("resolution", report.resolution)):
        writer.writerow([name, "count", d.count])
        writer.writerow([name, "median_seconds", "" if d.median is None else round(d.median)])
        writer.writerow([name, "p90_seconds", "" if d.p90 is None else round(d.p90)])
    for domain, f in report.per_domain.items():
        writer.writerow(["domain_received", domain, f.received])
        writer.writerow(["domain_handled", domain, f.handled])
    writer.writerow(["replies", "template", report.replies_template])
    writer.writerow(["replies", "free_text", report.replies_free_text])
    for day, received, handled in report.per_day:
        writer.writerow(["day_received", day, received])
        writer.writerow(["day_handled", day, handled])


def cmd_report(ctx: AppContext, args: argparse.Namespace) -> int:
    since = parse_moment(args.since)
    until = parse_moment(args.until) if args.until else None
    if until is not None and until <= since:
        raise UsageError("--until must be after --since.")
    report = AccountServices(ctx, ctx.account(args.account)).reports.report(since, until)
    if args.csv:
        with Path(args.csv).open("w", encoding="utf-8-sig", newline="") as out:
            write_csv(report, out)
    if args.json:
        dump(report.to_json())
        return 0
    w = sys.stdout.write
    w(f"Received {report.received}, handled {report.handled}\n")
    w("Open now by age: " + ", ".join(f"{k} {v}" for k, v in report.backlog.items()) + "\n")
    w("By state: " + ", ".join(f"{k} {v}" for k, v in report.per_state.items()) + "\n")
    w("Handled by: " + (", ".join(f"{k} {v}" for k, v in report.handled_by.items()) or "-") + "\n")
    fr, rs = report.first_response, report.resolution
    w(f"First response: median {hours(fr.median)}, p90 {hours(fr.p90)} ({fr.count})\n")
    w(f"Resolution: median {hours(rs.median)}, p90 {hours(rs.p90)} ({rs.count})\n")
    w(f"Replies: {report.replies_template} from a template, {report.replies_free_text} free text\n")
    for domain, f in list(report.per_domain.items())[:10]:
        w(f"  {domain:<30} received {f.received:>5}  handled {f.handled:>5}\n")
    return 0
