"""The transition table: every row of COORDINATION.md, and properties over all inputs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.core.states import (
    HandlingState,
    Operation,
    Refusal,
    RefusalKind,
    StateView,
    Transition,
    check,
)

pytestmark = pytest.mark.unit

S = HandlingState
ME, OTHER, THIRD = 3, 41, 69
SLOTS = st.integers(0, 69)
OWNED = (S.IN_PROGRESS, S.ON_HOLD)


@st.composite
def views(draw: st.DrawFn) -> StateView:
    """Any valid (state, owner): unhandled has none, owned states need one."""
    state = draw(st.sampled_from(list(S)))
    if state is S.UNHANDLED:
        return StateView(state, None)
    if state in OWNED:
        return StateView(state, draw(SLOTS))
    return StateView(state, draw(st.none() | SLOTS))


def valid(view: StateView) -> bool:
    if view.state is S.UNHANDLED:
        return view.owner_slot is None
    if view.state in OWNED:
        return view.owner_slot is not None
    return True


def after(result: Transition | Refusal) -> StateView:
    assert isinstance(result, Transition), result
    return result.after


def refused(result: Transition | Refusal, kind: RefusalKind) -> Refusal:
    assert isinstance(result, Refusal), result
    assert result.kind is kind
    return result


def test_claim_unhandled() -> None:
    assert after(check(Operation.CLAIM, StateView(S.UNHANDLED, None), ME)) == StateView(
        S.IN_PROGRESS, ME
    )


def test_claim_held_by_other_names_the_holder() -> None:
    current = StateView(S.IN_PROGRESS, OTHER)
    refusal = refused(check(Operation.CLAIM, current, ME), RefusalKind.HELD_BY_OTHER)
    assert refusal.holder_slot == OTHER
    assert refusal.current == current
    # Already mine, or finished: not allowed (the current owner is still reported).
    refused(check(Operation.CLAIM, StateView(S.ON_HOLD, ME), ME), RefusalKind.NOT_ALLOWED)
    done = refused(check(Operation.CLAIM, StateView(S.DONE, OTHER), ME), RefusalKind.NOT_ALLOWED)
    assert done.holder_slot == OTHER


def test_release_only_by_owner() -> None:
    for state in OWNED:
        assert after(check(Operation.RELEASE, StateView(state, ME), ME)) == StateView(
            S.UNHANDLED, None
        )
        refusal = refused(
            check(Operation.RELEASE, StateView(state, OTHER), ME), RefusalKind.HELD_BY_OTHER
        )
        assert refusal.holder_slot == OTHER
    refused(check(Operation.RELEASE, StateView(S.DONE, ME), ME), RefusalKind.NOT_ALLOWED)


def test_transfer_by_owner_or_with_take_over() -> None:
    held = StateView(S.ON_HOLD, ME)
    assert after(check(Operation.TRANSFER, held, ME, target_slot=THIRD)) == StateView(
        S.ON_HOLD, THIRD
    )
    theirs = StateView(S.IN_PROGRESS, OTHER)
    refusal = refused(
        check(Operation.TRANSFER, theirs, ME, target_slot=ME), RefusalKind.HELD_BY_OTHER
    )
    assert refusal.holder_slot == OTHER
    taken = check(Operation.TRANSFER, theirs, ME, target_slot=ME, take_over=True)
    assert after(taken) == StateView(S.IN_PROGRESS, ME)
    # Take-over also lets me hand it to a third person, state kept.
    assert after(
        check(Operation.TRANSFER, theirs, ME, target_slot=THIRD, take_over=True)
    ) == StateView(S.IN_PROGRESS, THIRD)


def test_transfer_needs_a_target_and_an_owned_state() -> None:
    with pytest.raises(ValueError):
        check(Operation.TRANSFER, StateView(S.IN_PROGRESS, ME), ME)
    with pytest.raises(ValueError):
        check(Operation.CLAIM, StateView(S.UNHANDLED, None), ME, target_slot=OTHER)
    for state, owner in ((S.UNHANDLED, None), (S.DONE, ME), (S.NO_REPLY_NEEDED, ME)):
        refused(
            check(Operation.TRANSFER, StateView(state, owner), ME, OTHER, take_over=True),
            RefusalKind.NOT_ALLOWED,
        )
    # To the current owner: nothing would change.
    refused(
        check(Operation.TRANSFER, StateView(S.IN_PROGRESS, ME), ME, target_slot=ME),
        RefusalKind.NOT_ALLOWED,
    )


def test_take_over_only_helps_transfer() -> None:
    theirs = StateView(S.IN_PROGRESS, OTHER)
    for op in (Operation.RELEASE, Operation.HOLD, Operation.DONE):
        refused(check(op, theirs, ME, take_over=True), RefusalKind.HELD_BY_OTHER)


def test_hold_and_resume() -> None:
    assert after(check(Operation.HOLD, StateView(S.IN_PROGRESS, ME), ME)) == StateView(
        S.ON_HOLD, ME
    )
    assert after(check(Operation.RESUME, StateView(S.ON_HOLD, ME), ME)) == StateView(
        S.IN_PROGRESS, ME
    )
    refused(check(Operation.HOLD, StateView(S.ON_HOLD, ME), ME), RefusalKind.NOT_ALLOWED)
    refused(check(Operation.RESUME, StateView(S.IN_PROGRESS, ME), ME), RefusalKind.NOT_ALLOWED)
    refused(check(Operation.HOLD, StateView(S.IN_PROGRESS, OTHER), ME), RefusalKind.HELD_BY_OTHER)
    refused(check(Operation.RESUME, StateView(S.ON_HOLD, OTHER), ME), RefusalKind.HELD_BY_OTHER)
    refused(check(Operation.HOLD, StateView(S.UNHANDLED, None), ME), RefusalKind.NOT_ALLOWED)


def test_done_from_owned_and_quick_close() -> None:
    for state in OWNED:
        assert after(check(Operation.DONE, StateView(state, ME), ME)) == StateView(S.DONE, ME)
        refused(check(Operation.DONE, StateView(state, OTHER), ME), RefusalKind.HELD_BY_OTHER)
    assert after(check(Operation.DONE, StateView(S.UNHANDLED, None), ME)) == StateView(S.DONE, ME)
    refused(check(Operation.DONE, StateView(S.DONE, OTHER), ME), RefusalKind.NOT_ALLOWED)
    refused(check(Operation.DONE, StateView(S.NO_REPLY_NEEDED, ME), ME), RefusalKind.NOT_ALLOWED)


def test_skip_from_anything_not_done() -> None:
    for current in (
        StateView(S.UNHANDLED, None),
        StateView(S.IN_PROGRESS, OTHER),
        StateView(S.ON_HOLD, ME),
        StateView(S.NO_REPLY_NEEDED, OTHER),
    ):
        assert after(check(Operation.SKIP, current, ME)) == StateView(S.NO_REPLY_NEEDED, ME)
    refused(check(Operation.SKIP, StateView(S.DONE, OTHER), ME), RefusalKind.NOT_ALLOWED)
    # Already skipped by me: nothing to write.
    refused(check(Operation.SKIP, StateView(S.NO_REPLY_NEEDED, ME), ME), RefusalKind.NOT_ALLOWED)


def test_reopen_done_or_skipped() -> None:
    for current in (StateView(S.DONE, OTHER), StateView(S.NO_REPLY_NEEDED, None)):
        assert after(check(Operation.REOPEN, current, ME)) == StateView(S.IN_PROGRESS, ME)
    for current in (StateView(S.UNHANDLED, None), StateView(S.IN_PROGRESS, ME)):
        refused(check(Operation.REOPEN, current, ME), RefusalKind.NOT_ALLOWED)


@given(views(), st.sampled_from(list(Operation)), SLOTS, SLOTS, st.booleans())
def test_every_success_yields_a_valid_changed_state(
    current: StateView, op: Operation, me: int, target: int, take_over: bool
) -> None:
    result = check(op, current, me, target if op is Operation.TRANSFER else None, take_over)
    if isinstance(result, Transition):
        assert result.before == current
        assert valid(result.after)
        assert result.after != current
        assert result.operation is op
    else:
        assert result.current == current
        assert result.operation is op


@given(views(), SLOTS)
def test_claim_only_from_unhandled(current: StateView, me: int) -> None:
    result = check(Operation.CLAIM, current, me)
    assert isinstance(result, Transition) == (current.state is S.UNHANDLED)


@given(views(), st.sampled_from(list(Operation)), SLOTS, SLOTS)
def test_held_by_other_only_when_someone_else_owns_it(
    current: StateView, op: Operation, me: int, target: int
) -> None:
    result = check(op, current, me, target if op is Operation.TRANSFER else None)
    if isinstance(result, Refusal) and result.kind is RefusalKind.HELD_BY_OTHER:
        assert current.state in OWNED
        assert result.holder_slot == current.owner_slot != me


@given(views(), st.sampled_from(list(Operation)), SLOTS)
def test_owner_after_is_me_unless_released_kept_or_transferred(
    current: StateView, op: Operation, me: int
) -> None:
    target = (me + 1) % 70
    result = check(op, current, me, target if op is Operation.TRANSFER else None, True)
    if not isinstance(result, Transition):
        return
    expected = {
        Operation.RELEASE: None,
        Operation.TRANSFER: target,
        Operation.HOLD: current.owner_slot,
        Operation.RESUME: current.owner_slot,
    }.get(op, me)
    assert result.after.owner_slot == expected
