"""Report figures on a seeded set of messages and events, with hand-computed answers."""

from __future__ import annotations

from mailwise_desktop.core.report import DAY, Durations, EventFact, MessageFact, compute

H = 3600.0


def seeded() -> tuple[list[MessageFact], list[EventFact]]:
    messages = [
        MessageFact("a", 1 * DAY, "x.jp", "done"),
        MessageFact("b", 2 * DAY, "x.jp", "in_progress"),
        MessageFact("c", 3 * DAY, "y.com", "unhandled"),
        MessageFact("d", -1 * DAY, "y.com", "on_hold"),  # before the period
        MessageFact("e", 9.5 * DAY, "z.jp", "unhandled"),
        MessageFact("f", 4 * DAY, "x.jp", "no_reply_needed"),
    ]
    events = [
        EventFact("a", 1 * DAY + 1 * H, "claim", "sato", "in_progress"),
        EventFact("a", 1 * DAY + 2 * H, "sent", "sato", "done", template="請求書再発行"),
        EventFact("b", 2 * DAY + 1 * H, "claim", "suzuki", "in_progress"),
        EventFact("b", 2 * DAY + 5 * H, "sent", "suzuki", "in_progress"),
        EventFact("d", -0.5 * DAY, "sent", "sato", "on_hold"),  # before the period
        EventFact("f", 4 * DAY + 3 * H, "skip", "sato", "no_reply_needed"),
        EventFact("a", 11 * DAY, "reopen", "sato", "in_progress"),  # after: ignored
    ]
    return messages, events


def test_figures_match_the_hand_computed_answers() -> None:
    messages, events = seeded()
    r = compute(messages, events, 0.0, 10 * DAY, day_of=lambda t: f"day{int(t // DAY)}")
    assert r.received == 5  # a b c e f (d came before)
    assert r.handled == 2  # a (sent + done), f (no reply needed)
    assert r.handled_by == {"sato": 2}
    assert r.replies_by == {"sato": 1, "suzuki": 1}  # d's reply was before the period
    assert (r.replies_template, r.replies_free_text) == (1, 1)
    assert r.first_response == Durations(2, 3.5 * H, 5 * H)  # a 2 h, b 5 h
    assert r.resolution == Durations(2, 2.5 * H, 3 * H)  # a 2 h, f 3 h
    # Open at day 10: b 8 d, c 7 d, d 11 d, e 0.5 d.
    assert r.backlog == {"<1d": 1, "1-3d": 0, "3-7d": 0, ">=7d": 3}
    assert r.per_state == {"done": 1, "in_progress": 1, "no_reply_needed": 1, "unhandled": 2}
    assert list(r.per_domain) == ["x.jp", "y.com", "z.jp"]
    x = r.per_domain["x.jp"]
    assert (x.received, x.handled, x.first_response_median) == (3, 2, 3.5 * H)
    assert r.per_domain["y.com"].first_response_median is None
    assert r.per_day == [
        ("day1", 1, 1),
        ("day2", 1, 0),
        ("day3", 1, 0),
        ("day4", 1, 1),
        ("day9", 1, 0),
    ]
    doc = r.to_json()
    assert doc["first_response"] == {"count": 2, "median_seconds": 3.5 * H, "p90_seconds": 5 * H}
    assert doc["replies"] == {"template": 1, "free_text": 1}


def test_percentiles_nearest_rank_and_empty() -> None:
    ten = Durations.of([float(n) for n in range(1, 11)])
    assert (ten.count, ten.median, ten.p90) == (10, 5.5, 9.0)
    assert Durations.of([7.0]) == Durations(1, 7.0, 7.0)
    assert Durations.of([]) == Durations(0, None, None)


def test_a_closing_counts_once_at_its_first_time() -> None:
    messages = [MessageFact("a", 0.0, "x.jp", "done")]
    events = [
        EventFact("a", 1 * H, "done", "sato", "done"),
        EventFact("a", 2 * H, "reopen", "suzuki", "in_progress"),
        EventFact("a", 3 * H, "done", "suzuki", "done"),
    ]
    r = compute(messages, events, 0.0, DAY)
    assert r.handled == 1 and r.handled_by == {"sato": 1}
    assert r.resolution == Durations(1, 1 * H, 1 * H)
