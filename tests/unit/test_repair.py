"""Repair rules of COORDINATION.md: one test per rule, plus convergence properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.core.repair import (
    KeywordReading,
    Problem,
    Repaired,
    find_problems,
    repair,
    repair_bad_owner,
    repair_owner_without_state,
    repair_several_states,
    repair_state_without_owner,
    strongest_state,
)
from mailwise_desktop.core.states import HandlingState

pytestmark = pytest.mark.unit

S = HandlingState
WIP, HOLD, DONE, SKIP = S.IN_PROGRESS, S.ON_HOLD, S.DONE, S.NO_REPLY_NEEDED


def reading(
    *states: HandlingState, owner: int | None = None, weight: int | None = None
) -> KeywordReading:
    if weight is None:
        weight = 4 if owner is not None else 0
    return KeywordReading(frozenset(states), owner, weight)


# Rule 1: owner weight not 0 or 4, or an unknown slot.


def test_bad_weight_takes_the_latest_claim_from_history() -> None:
    assert repair(reading(WIP, weight=5), latest_claim=12) == Repaired(WIP, 12, True)
    assert repair(reading(HOLD, weight=3), latest_claim=12) == Repaired(HOLD, 12, True)
    # No state keyword either: the history's owner is in progress (rule 2).
    assert repair(reading(weight=2), latest_claim=12) == Repaired(WIP, 12, True)


def test_bad_weight_without_history_clears_the_owner_keeping_done() -> None:
    assert repair(reading(WIP, weight=8)) == Repaired(S.UNHANDLED, None, True)
    assert repair(reading(SKIP, weight=1)) == Repaired(S.UNHANDLED, None, True)
    assert repair(reading(DONE, weight=3)) == Repaired(DONE, None, True)
    assert repair(reading(DONE, WIP, weight=6)) == Repaired(DONE, None, True)
    assert repair_bad_owner(S.UNHANDLED, None) == Repaired(S.UNHANDLED, None, True)


def test_unknown_slot_is_repaired_like_a_bad_weight() -> None:
    stale = reading(WIP, owner=40)
    assert find_problems(stale, known_slots={0, 1}) == (Problem.UNKNOWN_SLOT,)
    assert repair(stale, known_slots={0, 1}) == Repaired(S.UNHANDLED, None, True)
    assert repair(stale, known_slots={0, 1}, latest_claim=1) == Repaired(WIP, 1, True)
    # Without a roster the code is trusted.
    assert repair(stale) == Repaired(WIP, 40, False)


# Rule 2: owner but no state keyword -> in progress.


def test_owner_without_state_is_in_progress() -> None:
    assert find_problems(reading(owner=9)) == (Problem.OWNER_WITHOUT_STATE,)
    assert repair(reading(owner=9)) == Repaired(WIP, 9, False)
    assert repair_owner_without_state(9) == Repaired(WIP, 9, False)


# Rule 3: in progress / on hold without owner -> unhandled, with an event.


@pytest.mark.parametrize("state", [WIP, HOLD])
def test_state_without_owner_is_unhandled(state: HandlingState) -> None:
    assert find_problems(reading(state)) == (Problem.STATE_WITHOUT_OWNER,)
    assert repair(reading(state)) == Repaired(S.UNHANDLED, None, True)
    assert repair_state_without_owner(state) == Repaired(S.UNHANDLED, None, True)


def test_state_without_owner_rule_refuses_states_that_need_none() -> None:
    with pytest.raises(ValueError):
        repair_state_without_owner(DONE)


# Rule 4: several state keywords -> precedence done > skip > hold > wip.


def test_several_states_keep_the_strongest() -> None:
    assert repair(reading(WIP, HOLD, SKIP, DONE, owner=2)) == Repaired(DONE, 2, False)
    assert repair(reading(WIP, HOLD, SKIP, owner=2)) == Repaired(SKIP, 2, False)
    assert repair(reading(WIP, HOLD, owner=2)) == Repaired(HOLD, 2, False)
    assert repair_several_states(frozenset({WIP, HOLD}), 2) == Repaired(HOLD, 2, False)
    assert find_problems(reading(WIP, DONE, owner=2)) == (Problem.SEVERAL_STATES,)


def test_several_states_without_owner_then_fall_back_by_rule_3() -> None:
    assert repair(reading(WIP, HOLD)) == Repaired(S.UNHANDLED, None, True)
    # Done needs no owner, so done + wip without owner is simply done.
    assert repair(reading(WIP, DONE)) == Repaired(DONE, None, False)


def test_valid_readings_are_left_alone() -> None:
    for valid in (reading(), reading(WIP, owner=0), reading(DONE), reading(SKIP, owner=69)):
        assert find_problems(valid) == ()
        result = repair(valid, latest_claim=5)
        assert result == Repaired(strongest_state(valid.states), valid.owner_slot, False)


@st.composite
def readings(draw: st.DrawFn) -> KeywordReading:
    """Any literal keyword reading: a slot exists exactly when the weight is 4."""
    states = draw(st.frozensets(st.sampled_from([WIP, HOLD, DONE, SKIP])))
    weight = draw(st.integers(0, 8))
    return KeywordReading(states, draw(st.integers(0, 69)) if weight == 4 else None, weight)


@given(readings(), st.none() | st.integers(0, 69), st.none() | st.frozensets(st.integers(0, 69)))
def test_repair_always_yields_a_valid_fixed_point(
    raw: KeywordReading, claim: int | None, known: frozenset[int] | None
) -> None:
    fixed = repair(raw, latest_claim=claim, known_slots=known)
    again = KeywordReading(
        frozenset() if fixed.state is S.UNHANDLED else frozenset({fixed.state}),
        fixed.owner_slot,
        0 if fixed.owner_slot is None else 4,
    )
    # A valid result: repairing it again changes nothing and needs no event
    # (unless the history's claim is itself unknown to the roster).
    if claim is None or known is None or claim in known:
        assert find_problems(again, known) == ()
        assert repair(again, latest_claim=claim, known_slots=known) == Repaired(
            fixed.state, fixed.owner_slot, False
        )
    if not find_problems(raw, known):
        assert not fixed.needs_event
