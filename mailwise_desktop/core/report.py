"""Team report figures (レポート), computed from plain facts. Pure: no I/O, no Qt.

The service (``services/reports.py``) turns cached messages and history
events into :class:`MessageFact` / :class:`EventFact`; :func:`compute` gives
the figures of one period ``[since, until)``:

- received: customer messages whose date falls in the period;
- handled: messages first closed (done / no reply needed) in the period;
- backlog: messages open now (unhandled, in progress, on hold) by age at ``until``;
- per state: the current state of the period's received messages;
- per teammate: messages they closed and replies they sent in the period;
- first response: received → first reply sent (median, p90), for the period's
  received messages that have a reply; resolution: received → first closed;
- per customer domain: received, handled, median first response;
- replies: sent from a template vs free text.

Median is the middle value (mean of the two middle ones for an even count);
p90 is the nearest rank (the value at ⌈0.9·n⌉).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

OPEN_STATES = frozenset({"unhandled", "in_progress", "on_hold"})
CLOSED_STATES = frozenset({"done", "no_reply_needed"})
#: Backlog age buckets: (label, lower bound in days); the last is open-ended.
AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("<1d", 0.0),
    ("1-3d", 1.0),
    ("3-7d", 3.0),
    (">=7d", 7.0),
)
DAY = 86400.0


class MessageFact(NamedTuple):
    """One customer message: its history key, when it came, from which domain, state now."""

    target: str
    received: float
    domain: str
    state: str


class EventFact(NamedTuple):
    """One history event: on which message, when, what, by whom."""

    target: str
    at: float
    operation: str
    actor: str
    to_state: str | None
    template: str | None = None


@dataclass(frozen=True)
class Durations:
    """Median and p90 of some durations in seconds (None when there are none)."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Durations:
        if not values:
            return cls(0, None, None)
        ordered = sorted(values)
        rank = max(1, math.ceil(0.9 * len(ordered)))
        return cls(len(ordered), float(statistics.median(ordered)), ordered[rank - 1])


@dataclass(frozen=True)
class DomainFigures:
    received: int
    handled: int
    first_response_median: float | None


@dataclass(frozen=True)
class Report:
    """The figures of one period (times are epoch seconds, durations seconds)."""

    since: float
    until: float
    received: int
    handled: int
    backlog: dict[str, int]
    per_state: dict[str, int]
    handled_by: dict[str, int]
    replies_by: dict[str, int]
    first_response: Durations
    resolution: Durations
    per_domain: dict[str, DomainFigures]
    replies_template: int
    replies_free_text: int
    per_day: list[tuple[str, int, int]] = field(default_factory=list)  # (date, received, handled)

    def to_json(self) -> dict[str, Any]:
        def durations(d: Durations) -> dict[str, Any]:
            return {"count": d.count, "median_seconds": d.median, "p90_seconds": d.p90}

        return {
            "since": self.since,
            "until": self.until,
            "received": self.received,
            "handled": self.handled,
            "backlog_by_age": self.backlog,
            "per_state": self.per_state,
            "handled_by": self.handled_by,
            "replies_by": self.replies_by,
            "first_response": durations(self.first_response),
            "resolution": durations(self.resolution),
            "per_domain": {
                d: {
                    "received": f.received,
                    "handled": f.handled,
                    "first_response_median_seconds": f.first_response_median,
                }
                for d, f in self.per_domain.items()
            },
            "replies": {"template": self.replies_template, "free_text": self.replies_free_text},
            "per_day": [{"date": d, "received": r, "handled": h} for d, r, h in self.per_day],
        }


def _bucket(age_days: float) -> str:
    label = AGE_BUCKETS[0][0]
    for name, lower in AGE_BUCKETS:
        if age_days >= lower:
            label = name
    return label


def compute(
    messages: Iterable[MessageFact],
    events: Iterable[EventFact],
    since: float,
    until: float,
    day_of: Callable[[float], str] | None = None,
) -> Report:
    """The report of ``[since, until)``; ``day_of(epoch) -> 'YYYY-MM-DD'`` adds a per-day series."""
    first_reply: dict[str, float] = {}
    first_close: dict[str, float] = {}
    closed_in_period: dict[str, str] = {}  # target -> actor of its first closing
    replies_by: Counter[str] = Counter()
    template = free = 0
    for e in sorted(events, key=lambda e: e.at):
        if e.operation == "sent":
            first_reply.setdefault(e.target, e.at)
            if since <= e.at < until:
                replies_by[e.actor] += 1
                if e.template:
                    template += 1
                else:
                    free += 1
        if e.to_state in CLOSED_STATES and e.target not in first_close:
            first_close[e.target] = e.at
            if since <= e.at < until:
                closed_in_period[e.target] = e.actor
    backlog = {name: 0 for name, _ in AGE_BUCKETS}
    per_state: Counter[str] = Counter()
    responses: list[float] = []
    resolutions: list[float] = []
    domains: dict[str, list[Any]] = {}
    received = 0
    days_received: Counter[str] = Counter()
    received_at: dict[str, float] = {}
    for m in messages:
        received_at[m.target] = m.received
        if m.state in OPEN_STATES and m.received < until:
            backlog[_bucket((until - m.received) / DAY)] += 1
        if not since <= m.received < until:
            continue
        received += 1
        per_state[m.state] += 1
        d = domains.setdefault(m.domain, [0, 0, []])
        d[0] += 1
        if day_of is not None:
            days_received[day_of(m.received)] += 1
        if m.target in first_reply:
            wait = max(0.0, first_reply[m.target] - m.received)
            responses.append(wait)
            d[2].append(wait)
        if m.target in first_close:
            resolutions.append(max(0.0, first_close[m.target] - m.received))
            d[1] += 1
    days_handled: Counter[str] = Counter()
    if day_of is not None:
        for target in closed_in_period:
            days_handled[day_of(first_close[target])] += 1
    series = [
        (day, days_received[day], days_handled[day])
        for day in sorted(set(days_received) | set(days_handled))
    ]
    return Report(
        since=since,
        until=until,
        received=received,
        handled=len(closed_in_period),
        backlog=backlog,
        per_state=dict(sorted(per_state.items())),
        handled_by=dict(Counter(closed_in_period.values()).most_common()),
        replies_by=dict(replies_by.most_common()),
        first_response=Durations.of(responses),
        resolution=Durations.of(resolutions),
        per_domain={
            name: DomainFigures(v[0], v[1], Durations.of(v[2]).median)
            for name, v in sorted(domains.items(), key=lambda kv: (-kv[1][0], kv[0]))
        },
        replies_template=template,
        replies_free_text=free,
        per_day=series,
    )
