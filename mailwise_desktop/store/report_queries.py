"""Report figures aggregated by SQLite: the same figures as :func:`core.report.compute`.

The pure function stays the reference (tests compare both on the same
cache). Here each message target's first reply, first closing and closer
are found from the history events with GROUP BY / a window function (the
event's operation, new state and template are columns since schema 5, read
through a covering index), and every figure is a COUNT, a GROUP BY or an
ordered pick (median, nearest-rank p90) over one temporary table of the
account's customer messages (the period's and the open ones, read through
their covering index): no Python row per message. Messages are keyed by
``messages.target``, stored at sync.

Addresses are compared lower-cased by SQLite's ``lower()``, which folds
ASCII only; an address with non-ASCII capitals is a theoretical difference
from the pure path, which folds all of Unicode.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from mailwise_desktop.core.report import (
    AGE_BUCKETS,
    CLOSED_STATES,
    DAY,
    OPEN_STATES,
    DomainFigures,
    Durations,
    Report,
)

_TEMP = ("report_firsts", "report_messages")
_CLOSED = "('" + "', '".join(sorted(CLOSED_STATES)) + "')"
_OPEN = "('" + "', '".join(sorted(OPEN_STATES)) + "')"


def _domain(column: str) -> str:
    """SQL for the part after the last "@" of ``column`` ("?" when empty), like rpartition.

    ``rtrim(s, <s without "@">)`` strips every trailing non-"@" character.
    """
    rest = f"substr({column}, length(rtrim({column}, replace({column}, '@', ''))) + 1)"
    return f"COALESCE(NULLIF({rest}, ''), '?')"


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def _prepare(  # noqa: PLR0917 (one call site, all positional)
    conn: Connection,
    account_id: str,
    folders: Sequence[str],
    ours: Sequence[str],
    since: float,
    until: float,
) -> None:
    for table in _TEMP:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")
    conn.exec_driver_sql(
        "CREATE TEMP TABLE report_firsts (target TEXT PRIMARY KEY, first_reply REAL, "
        "first_close REAL, closer TEXT)"
    )
    conn.exec_driver_sql(
        "INSERT INTO report_firsts (target, first_reply, first_close) "
        "SELECT target, MIN(CASE WHEN operation = 'sent' THEN created END), "
        f"MIN(CASE WHEN to_state IN {_CLOSED} THEN created END) "
        "FROM team_records WHERE account_id = ? AND kind = 'event' GROUP BY target",
        (account_id,),
    )
    # Who closed first: the earliest closing, then the record read first.
    conn.exec_driver_sql(
        "UPDATE report_firsts SET closer = c.actor FROM ("
        "SELECT target, actor, ROW_NUMBER() OVER (PARTITION BY target ORDER BY created, id) AS rn "
        "FROM team_records WHERE account_id = ? AND kind = 'event' "
        f"AND to_state IN {_CLOSED}) c WHERE c.target = report_firsts.target AND c.rn = 1",
        (account_id,),
    )
    conn.exec_driver_sql(
        "CREATE TEMP TABLE report_messages AS SELECT x.received, "
        f"{_domain('x.s')} AS domain, x.state, f.first_reply, f.first_close FROM ("
        "SELECT COALESCE(m.date, m.internal_date) AS received, lower(m.from_email) AS s, "
        "m.state, m.target FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
        f"WHERE b.account_id = ? AND b.name IN ({_marks(folders)}) "
        "AND COALESCE(m.date, m.internal_date) IS NOT NULL "
        + (f"AND lower(m.from_email) NOT IN ({_marks(ours)})" if ours else "")
        + ") x LEFT JOIN report_firsts f ON f.target = x.target "
        # Only what a figure looks at: the period's mail, and what is open (the backlog).
        f"WHERE x.received < ? AND (x.received >= ? OR x.state IN {_OPEN})",
        (account_id, *folders, *ours, until, since),
    )


def _durations(conn: Connection, value: str, where: str, args: Sequence[object]) -> Durations:
    """Count, median and nearest-rank p90 of ``value`` over the rows ``where`` (SQL picks)."""
    base = f"FROM report_messages WHERE {where}"
    count = int(conn.exec_driver_sql(f"SELECT COUNT(*) {base}", tuple(args)).scalar_one())
    if not count:
        return Durations(0, None, None)

    def at(rank: int) -> float:  # 1-based rank in ascending order
        found = conn.exec_driver_sql(
            f"SELECT {value} AS v {base} ORDER BY v LIMIT 1 OFFSET ?", (*args, rank - 1)
        ).scalar_one()
        return float(found)

    # Even count: the mean of the two middle values, as statistics.median.
    median = at((count + 1) // 2) if count % 2 else (at(count // 2) + at(count // 2 + 1)) / 2
    return Durations(count, median, at(max(1, math.ceil(0.9 * count))))


def report_figures(
    session: Session,
    *,
    account_id: str,
    folders: Sequence[str],
    ours: Sequence[str],
    since: float,
    until: float,
    day_of: Callable[[float], str] | None = None,
) -> Report:
    """The report of ``[since, until)``, as :func:`core.report.compute` defines it."""
    conn = session.connection()
    _prepare(conn, account_id, folders, ours, since, until)
    period = (since, until)
    in_period = "received >= ? AND received < ?"
    q = conn.exec_driver_sql
    per_state = {
        str(state): int(n)
        for state, n in q(
            f"SELECT state, COUNT(*) FROM report_messages WHERE {in_period} "
            "GROUP BY state ORDER BY state",
            period,
        )
    }
    backlog = {name: 0 for name, _ in AGE_BUCKETS}
    bucket_sql = (
        "CASE "
        + " ".join(
            f"WHEN (? - received) / {DAY!r} >= {lower!r} THEN '{name}'"
            for name, lower in reversed(AGE_BUCKETS)
        )
        + f" ELSE '{AGE_BUCKETS[0][0]}' END"
    )
    for name, n in q(
        f"SELECT {bucket_sql} AS bucket, COUNT(*) FROM report_messages "
        f"WHERE state IN {_OPEN} AND received < ? GROUP BY bucket",
        (*([until] * len(AGE_BUCKETS)), until),
    ):
        backlog[str(name)] = int(n)
    reply_wait = "MAX(0.0, first_reply - received)"
    first_response = _durations(
        conn, reply_wait, f"{in_period} AND first_reply IS NOT NULL", period
    )
    resolution = _durations(
        conn, "MAX(0.0, first_close - received)", f"{in_period} AND first_close IS NOT NULL", period
    )
    domains = q(
        "SELECT domain, COUNT(*), COUNT(first_close) FROM report_messages "
        f"WHERE {in_period} GROUP BY domain",
        period,
    ).fetchall()
    medians = {
        str(d): float(m)
        for d, m in q(
            "SELECT domain, AVG(w) FROM (SELECT domain, w, "
            "ROW_NUMBER() OVER (PARTITION BY domain ORDER BY w) AS rn, "
            "COUNT(*) OVER (PARTITION BY domain) AS n FROM ("
            f"SELECT domain, {reply_wait} AS w FROM report_messages "
            f"WHERE {in_period} AND first_reply IS NOT NULL)) "
            "WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY domain",
            period,
        )
    }
    per_domain = {
        str(d): DomainFigures(int(n), int(h), medians.get(str(d)))
        for d, n, h in sorted(domains, key=lambda r: (-int(r[1]), str(r[0])))
    }
    closed = "first_close >= ? AND first_close < ?"
    handled_by = {
        str(actor): int(n)
        for actor, n in q(
            f"SELECT closer, COUNT(*) AS n FROM report_firsts WHERE {closed} "
            "GROUP BY closer ORDER BY n DESC, closer",
            period,
        )
    }
    sent = (
        "account_id = ? AND kind = 'event' AND operation = 'sent' AND created >= ? AND created < ?"
    )
    replies_by = {
        str(actor): int(n)
        for actor, n in q(
            f"SELECT actor, COUNT(*) AS n FROM team_records WHERE {sent} "
            "GROUP BY actor ORDER BY n DESC, actor",
            (account_id, *period),
        )
    }
    template, free = q(
        "SELECT COUNT(CASE WHEN template <> '' THEN 1 END), "
        "COUNT(CASE WHEN template IS NULL OR template = '' THEN 1 END) "
        f"FROM team_records WHERE {sent}",
        (account_id, *period),
    ).one()
    series: list[tuple[str, int, int]] = []
    if day_of is not None:
        # Quarter-hour slots by floor division (SQLite's CAST truncates toward zero,
        # which put a time before 1970 in the wrong day): shifted by a whole number
        # of slots first.
        shift = 900 * 1_000_000_000
        slot_of = f"CAST(({{column}} + {shift}) / 900 AS INTEGER) - 1000000000"
        days: dict[str, list[int]] = {}
        for slot, n in q(
            f"SELECT {slot_of.format(column='received')} AS slot, COUNT(*) FROM report_messages "
            f"WHERE {in_period} GROUP BY slot",
            period,
        ):
            days.setdefault(day_of(int(slot) * 900.0), [0, 0])[0] += int(n)
        for slot, n in q(
            f"SELECT {slot_of.format(column='first_close')} AS slot, COUNT(*) FROM report_firsts "
            f"WHERE {closed} GROUP BY slot",
            period,
        ):
            days.setdefault(day_of(int(slot) * 900.0), [0, 0])[1] += int(n)
        series = [(day, r, h) for day, (r, h) in sorted(days.items())]
    for table in _TEMP:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")
    return Report(
        since=since,
        until=until,
        received=sum(per_state.values()),
        handled=sum(handled_by.values()),
        backlog=backlog,
        per_state=per_state,
        handled_by=handled_by,
        replies_by=replies_by,
        first_response=first_response,
        resolution=resolution,
        per_domain=per_domain,
        replies_template=int(template),
        replies_free_text=int(free),
        per_day=series,
    )
