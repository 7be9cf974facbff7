"""The handling decision is a pure function of the flags read and the facts read before."""

from __future__ import annotations

import pytest

from mailwise_desktop.core.states import HandlingState, Operation, Refusal, RefusalKind
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.handling_decision import (
    NeedTeamRecordsError,
    TeamFacts,
    interpret,
    operation_decider,
    repair_decider,
)

pytestmark = pytest.mark.unit

TEAM = TeamFacts(frozenset({0, 1, 2}))


def flags_of(state: HandlingState, slot: int | None, *extra: str) -> tuple[str, ...]:
    return tuple(sorted({*keywords.encode(state, slot), *extra}))


def test_claim_of_an_unhandled_message_writes_my_keywords_and_keeps_foreign_ones() -> None:
    flags = ("\\Seen", "$label1")
    out = operation_decider(Operation.CLAIM, 1, TEAM)(flags, keywords.decode(flags))
    assert set(out) == {"\\Seen", "$label1", *keywords.encode(HandlingState.IN_PROGRESS, 1)}


def test_claim_of_a_teammates_message_is_refused_with_the_holder() -> None:
    flags = flags_of(HandlingState.IN_PROGRESS, 2)
    out = operation_decider(Operation.CLAIM, 1, TEAM)(flags, keywords.decode(flags))
    assert isinstance(out, Refusal) and out.kind is RefusalKind.HELD_BY_OTHER
    assert out.holder_slot == 2


def test_keywords_needing_repair_ask_for_the_team_mailbox_first() -> None:
    broken = ("mw-hold",)  # on hold without an owner
    with pytest.raises(NeedTeamRecordsError):
        interpret(keywords.decode(broken), TeamFacts(frozenset({0}), can_read_more=True))
    view, problems = interpret(keywords.decode(broken), TeamFacts(frozenset({0})))
    assert (view.state, view.owner_slot) == (HandlingState.UNHANDLED, None)
    assert problems == ("state_without_owner",)


def test_an_unknown_slot_is_repaired_to_the_historys_owner_only_if_known() -> None:
    stranger = flags_of(HandlingState.IN_PROGRESS, 9)
    decoded = keywords.decode(stranger)
    view, problems = interpret(decoded, TeamFacts(frozenset({0, 1}), latest_claim=1))
    assert problems == ("unknown_slot",) and view.owner_slot == 1
    view, _ = interpret(decoded, TeamFacts(frozenset({0, 1}), latest_claim=9))
    assert view.owner_slot is None


def test_repair_writes_nothing_on_valid_keywords_and_the_same_flags_for_everyone() -> None:
    valid = flags_of(HandlingState.DONE, None, "\\Seen")
    assert repair_decider(TEAM)(valid, keywords.decode(valid)) == valid
    broken = ("mw-hold", "\\Seen")
    first = repair_decider(TEAM)(broken, keywords.decode(broken))
    again = repair_decider(TEAM)(broken, keywords.decode(broken))
    assert first == again == ("\\Seen",)
