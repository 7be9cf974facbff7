"""Reports from the cache: customer messages of INBOX and the history events of the team mailbox.

:meth:`ReportService.report` aggregates in SQLite
(:mod:`store.report_queries`: GROUP BY, window functions, ordered picks),
about a tenth of a second at 50,000 messages. :meth:`ReportService.reference`
is the pure path, kept as the definition the SQL is tested against: every
message and event as a Python fact, then :func:`core.report.compute`.
Customer messages are those of the account's handled folders
(``account.folders``, INBOX by default); our own addresses are left out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.report import EventFact, MessageFact, Report, compute
from mailwise_desktop.mail.team_records import RecordKind, target_key
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store.conversation_ids import describe_new
from mailwise_desktop.store.conversations import our_addresses
from mailwise_desktop.store.report_queries import report_figures
from mailwise_desktop.store.service_rows import report_event_rows, report_message_rows


class ReportService:
    """The team report of one account."""

    def __init__(self, ctx: AppContext, account: Account) -> None:
        self.ctx = ctx
        self.account = account

    def facts(self) -> tuple[list[MessageFact], list[EventFact]]:
        """Every customer message and history event the cache holds."""
        with self.ctx.cache.transaction() as session:
            ours = our_addresses(session, self.account.id, self.account.address)
            messages = []
            rows = report_message_rows(session, self.account.id, self.account.folders)
            for message_id, date, idate, raw_sender, subject, state, _id in rows:
                sender = (raw_sender or "").lower()
                if sender in ours:
                    continue
                when = date if date is not None else idate
                if when is None:
                    continue
                key = target_key(message_id, date, sender, subject or "")
                domain = sender.rpartition("@")[2] or "?"
                messages.append(MessageFact(key, float(when), domain, state))
            events = [
                EventFact(
                    str(t), float(at), str(op or ""), str(actor or ""),
                    to if isinstance(to, str) else None,
                    tpl if isinstance(tpl, str) and tpl else None,
                )
                for t, at, op, actor, to, tpl in report_event_rows(
                    session, self.account.id, RecordKind.EVENT.value
                )
            ]  # fmt: skip
        return messages, events

    def report(self, since: float, until: float | None = None) -> Report:
        """The figures of ``[since, until)`` (until: now), with a per-day series in local time."""
        end = time.time() if until is None else until
        with self.ctx.cache.transaction() as session:
            describe_new(session, self.account.id)  # mail just arrived gets its history key
            ours = sorted(our_addresses(session, self.account.id, self.account.address))
            return report_figures(
                session,
                account_id=self.account.id,
                folders=list(self.account.folders),
                ours=ours,
                since=since,
                until=end,
                day_of=_day_of(),
            )

    def reference(self, since: float, until: float | None = None) -> Report:
        """The same figures by the pure path (every fact in Python): the SQL's reference."""
        messages, events = self.facts()
        end = time.time() if until is None else until
        return compute(messages, events, since, end, day_of=_day_of())


def _day_of() -> Callable[[float], str]:
    """Epoch -> local 'YYYY-MM-DD', cached by quarter hour."""
    days: dict[int, str] = {}

    def day_of(epoch: float) -> str:
        # Local dates by quarter hour: every time zone offset is a multiple of 15 minutes.
        slot = int(epoch // 900)
        found = days.get(slot)
        if found is None:
            found = days[slot] = local_date(slot * 900)
        return found

    return day_of


def local_date(epoch: float) -> str:
    """Epoch -> local 'YYYY-MM-DD', also before 1970 on Windows.

    Windows keeps no local time before the epoch (``fromtimestamp`` raises
    EINVAL): a mail dated 1969 or a clock at zero is placed by today's offset.
    """
    try:
        return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d")
    except (OSError, OverflowError, ValueError):
        offset = datetime.now().astimezone().utcoffset() or timedelta()
        return (datetime(1970, 1, 1) + timedelta(seconds=epoch) + offset).strftime("%Y-%m-%d")
