"""The SQL report equals the pure reference, on hand-computed figures and on random caches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.report import DAY, Durations
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.reports import ReportService
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import team_cache

H = 3600.0
US = "support@mailwise.test"


def _open(home: Path) -> AppContext:
    ctx = AppContext.open(Profile(home))
    endpoint = Endpoint("127.0.0.1", 9, Security.TLS, "support")
    account = Account("support", endpoint, default_smtp(endpoint), address=US)
    ctx.settings.set("accounts", [account.to_json()])
    ctx.settings.save()
    return ctx


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = _open(tmp_path / "profile")
    yield context
    context.close()


def _seed(
    ctx: AppContext,
    messages: list[tuple[str | None, float | None, str, str, str]],
    events: list[tuple[str, float, str, str, Any, Any]],
) -> None:
    """messages: (Message-ID, date, sender, state, folder); events: (target, at, op, actor, to, tpl)."""
    with ctx.cache.transaction() as session:
        boxes: dict[str, int] = {}
        for uid, (mid, date, sender, state, folder) in enumerate(messages, 1):
            if folder not in boxes:
                boxes[folder] = store.ensure_mailbox(
                    session, "support", folder, special_use="\\Sent" if folder == "Sent" else None
                )
            store.insert_messages(
                session,
                boxes[folder],
                [{"uid": uid, "message_id": mid, "date": date, "internal_date": 5.0,
                  "from_email": sender, "subject": f"件 {uid}", "state": state}],
            )  # fmt: skip
        records = [
            TeamRecord("event", target, actor, {"operation": op, "to": {"state": to},
                       "template": tpl}, "", created=at, record_id=f"r{n}@x", uid=n)
            for n, (target, at, op, actor, to, tpl) in enumerate(events, 1)
        ]  # fmt: skip
        team_cache.insert_records(session, "support", records)


def test_hand_computed_figures_by_sql(ctx: AppContext) -> None:
    """The figures of test_report.py's seeded period, now from the cache by SQL."""
    _seed(
        ctx,
        [
            ("a", 1 * DAY, "A@x.jp", "done", "INBOX"),
            ("b", 2 * DAY, "b@x.jp", "in_progress", "INBOX"),
            ("c", 3 * DAY, "c@y.com", "unhandled", "INBOX"),
            ("d", -1 * DAY, "d@y.com", "on_hold", "INBOX"),
            ("e", 9.5 * DAY, "e@z.jp", "unhandled", "INBOX"),
            ("f", 4 * DAY, "f@x.jp", "no_reply_needed", "INBOX"),
            ("g", 2 * DAY, US, "unhandled", "INBOX"),  # our own: not a customer mail
            ("h", 2 * DAY, "h@x.jp", "unhandled", "Sent"),  # not a handled folder
        ],
        [
            ("a", 1 * DAY + 1 * H, "claim", "sato", "in_progress", None),
            ("a", 1 * DAY + 2 * H, "sent", "sato", "done", "請求書再発行"),
            ("b", 2 * DAY + 1 * H, "claim", "suzuki", "in_progress", None),
            ("b", 2 * DAY + 5 * H, "sent", "suzuki", "in_progress", None),
            ("d", -0.5 * DAY, "sent", "sato", "on_hold", None),
            ("f", 4 * DAY + 3 * H, "skip", "sato", "no_reply_needed", None),
            ("a", 11 * DAY, "reopen", "sato", "in_progress", None),
        ],
    )
    service = ReportService(ctx, ctx.account())
    r = service.report(0.0, 10 * DAY)
    assert r.received == 5
    assert r.handled == 2 and r.handled_by == {"sato": 2}
    assert r.replies_by == {"sato": 1, "suzuki": 1}
    assert (r.replies_template, r.replies_free_text) == (1, 1)
    assert r.first_response == Durations(2, 3.5 * H, 5 * H)
    assert r.resolution == Durations(2, 2.5 * H, 3 * H)
    assert r.backlog == {"<1d": 1, "1-3d": 0, "3-7d": 0, ">=7d": 3}
    assert r.per_state == {"done": 1, "in_progress": 1, "no_reply_needed": 1, "unhandled": 2}
    assert list(r.per_domain) == ["x.jp", "y.com", "z.jp"]
    assert r.per_domain["x.jp"].first_response_median == 3.5 * H
    assert [(rec, han) for _day, rec, han in r.per_day] == [(1, 1), (1, 0), (1, 0), (1, 1), (1, 0)]
    assert r == service.reference(0.0, 10 * DAY)


fact_message = st.tuples(
    st.one_of(st.none(), st.sampled_from("abcdefgh")),
    st.one_of(st.none(), st.floats(-3, 12).map(lambda d: round(d, 2) * DAY)),
    st.sampled_from(("a@x.jp", "B@x.jp", "c@y.com", "weird", "two@at@z.jp", "@", US)),
    st.sampled_from(("unhandled", "in_progress", "on_hold", "done", "no_reply_needed")),
    st.sampled_from(("INBOX", "INBOX", "Sent")),
)
fact_event = st.tuples(
    st.sampled_from("abcdefgh"),
    st.integers(-3 * 24, 12 * 24).map(lambda h: h * H),
    st.sampled_from(("claim", "sent", "done", "skip", "reopen", 7)),
    st.sampled_from(("sato", "suzuki", "tanaka")),
    st.sampled_from(("in_progress", "done", "no_reply_needed", "on_hold", None, 3)),
    st.sampled_from((None, "", "請求書", 1)),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    messages=st.lists(fact_message, max_size=25),
    events=st.lists(fact_event, max_size=40),
)
def test_sql_report_equals_the_pure_reference(
    tmp_path_factory: pytest.TempPathFactory,
    messages: list[tuple[str | None, float | None, str, str, str]],
    events: list[tuple[str, float, str, str, Any, Any]],
) -> None:
    ctx = _open(tmp_path_factory.mktemp("report") / "profile")
    try:
        _seed(ctx, messages, events)
        service = ReportService(ctx, ctx.account())
        for since, until in ((0.0, 10 * DAY), (-5 * DAY, 0.5 * DAY), (3 * DAY, 3 * DAY)):
            assert service.report(since, until) == service.reference(since, until)
    finally:
        ctx.close()


def test_a_date_before_1970_has_a_local_day_where_windows_keeps_no_local_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows' fromtimestamp raises EINVAL before the epoch: the day still comes out."""
    from mailwise_desktop.services import reports

    real = reports.datetime

    class WindowsDatetime(real):  # type: ignore[misc,valid-type]
        @classmethod
        def fromtimestamp(cls, t: float, tz: Any = None) -> Any:
            if t < 0:
                raise OSError(22, "Invalid argument")
            return real.fromtimestamp(t, tz)

    expected = reports.local_date(-86400 * 3 + 12 * 3600)  # this OS's own answer (Linux: exact)
    monkeypatch.setattr(reports, "datetime", WindowsDatetime)
    assert reports.local_date(-86400 * 3 + 12 * 3600) in {expected, "1969-12-29"}
    assert reports.local_date(0) == real.fromtimestamp(0).strftime("%Y-%m-%d")
