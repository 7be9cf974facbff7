"""Where a follow-up goes (pure decision) and the team's conversation rules as outside input."""

from __future__ import annotations

from typing import Any

import pytest

from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.services.follow_ups import ConversationRules, route_for
from mailwise_desktop.store.conversations import MemberRow

DAY = 86400.0
NOW = 1_000 * DAY
ROSTER = Roster([Teammate("sato", "佐藤", "", 0), Teammate("suzuki", "鈴木", "", 1),
                 Teammate("gone", "元社員", "", 2, active=False)])  # fmt: skip


def row(
    n: int, state: str = "unhandled", owner: int | None = None, *, days_ago: float = 0.0,
    mailbox: str = "INBOX",
) -> MemberRow:  # fmt: skip
    return MemberRow(n, mailbox, n, NOW - days_ago * DAY, "c@example.jp", "件", state, owner)


def test_held_conversation_goes_to_the_latest_holder() -> None:
    candidate = row(9)
    others = [row(1, "in_progress", 0, days_ago=5), row(2, "on_hold", 1, days_ago=3)]
    route = route_for(candidate, [candidate, *others], ROSTER, ConversationRules(), NOW)
    assert route is not None and (route.slot, route.reason, route.follows.id) == (1, "held", 2)


def test_a_later_mail_is_not_what_it_follows_and_removed_teammates_hold_nothing() -> None:
    candidate = row(9, days_ago=2)
    later = row(3, "in_progress", 0, days_ago=1)
    gone = row(4, "in_progress", 2, days_ago=3)
    assert route_for(candidate, [candidate, later, gone], ROSTER, ConversationRules(), NOW) is None


def test_done_conversation_reopens_within_the_days_and_not_after() -> None:
    candidate = row(9)
    done = row(1, "done", 0, days_ago=10)
    reply = row(2, "unhandled", None, days_ago=9, mailbox="Sent")  # our reply has no state
    route = route_for(candidate, [done, reply, candidate], ROSTER, ConversationRules(14), NOW)
    assert route is not None and (route.slot, route.reason) == (0, "reopened")
    assert route_for(candidate, [done, reply, candidate], ROSTER, ConversationRules(8), NOW) is None
    assert route_for(candidate, [done, candidate], ROSTER, ConversationRules(0), NOW) is None


def test_an_open_unheld_conversation_stays_for_anyone() -> None:
    candidate = row(9)
    others = [row(1, "done", 0, days_ago=3), row(2, "unhandled", None, days_ago=2)]
    assert route_for(candidate, [candidate, *others], ROSTER, ConversationRules(), NOW) is None
    skipped = [row(1, "no_reply_needed", 1, days_ago=1)]  # no "done": nobody to reopen to
    assert route_for(candidate, [candidate, *skipped], ROSTER, ConversationRules(), NOW) is None


@pytest.mark.parametrize(
    "payload",
    [{}, {"reopen_days": "7"}, {"reopen_days": -1}, {"reopen_days": True}, {"reopen_days": 10**9},
     {"route_follow_ups": "yes"}, {"reopen_days": None, "junk": [1, 2]}],
)  # fmt: skip
def test_bad_stored_rules_keep_the_defaults(payload: dict[str, Any]) -> None:
    assert ConversationRules.from_json(payload) == ConversationRules()


def test_rules_from_the_cli() -> None:
    rules = (
        ConversationRules().with_value("reopen_days", "30").with_value("route_follow_ups", "off")
    )
    assert rules == ConversationRules(30, False)
    assert ConversationRules.from_json(rules.to_json()) == rules
    for key, value in [("reopen_days", "x"), ("reopen_days", "9999"), ("route_follow_ups", "2"),
                       ("colour", "red")]:  # fmt: skip
        with pytest.raises(UsageError):
            ConversationRules().with_value(key, value)
