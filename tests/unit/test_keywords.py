"""The keyword codec: slot code, decode/encode round trips, apply keeps foreign flags."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.core.repair import Problem
from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.keywords import (
    MAX_SLOTS,
    OUR_KEYWORDS,
    OWNER_KEYWORDS,
    apply,
    decode,
    encode,
    slot_bits,
    slot_from_bits,
)
from mailwise_desktop.imap.untagged import parse_uid_set

pytestmark = pytest.mark.unit

SLOTS = st.integers(min_value=0, max_value=MAX_SLOTS - 1)
OWNED = (HandlingState.IN_PROGRESS, HandlingState.ON_HOLD)


@st.composite
def valid_states(draw: st.DrawFn) -> tuple[HandlingState, int | None]:
    """Any (state, owner) the table allows, owner-less done/skip included."""
    state = draw(st.sampled_from(list(HandlingState)))
    if state is HandlingState.UNHANDLED:
        return state, None
    if state in OWNED:
        return state, draw(SLOTS)
    return state, draw(st.none() | SLOTS)


# Foreign flags: system flags, registered and unregistered keywords, and atoms
# that merely look like ours ("mw-o8", "mw-wipe") and must be kept.
SYSTEM_FLAGS = st.sampled_from(
    ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$Forwarded", "$MDNSent"]
)
LOOKALIKES = st.sampled_from(["mw-o8", "mw-wipe", "mw-", "MW-DONEX", "$label1", "NonJunk"])
ATOMS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$_-.",
    min_size=1,
    max_size=12,
)
FOREIGN = st.lists(
    (SYSTEM_FLAGS | LOOKALIKES | ATOMS).filter(lambda f: f.lower() not in OUR_KEYWORDS),
    max_size=8,
    unique=True,
)


def test_slots_are_the_lexicographic_4_subsets() -> None:
    expected = [frozenset(c) for c in combinations(range(8), 4)]
    assert MAX_SLOTS == 70
    assert [slot_bits(k) for k in range(MAX_SLOTS)] == expected
    assert slot_bits(0) == {0, 1, 2, 3}
    assert slot_bits(1) == {0, 1, 2, 4}
    assert slot_bits(69) == {4, 5, 6, 7}
    assert all(slot_from_bits(slot_bits(k)) == k for k in range(MAX_SLOTS))


@pytest.mark.parametrize("bad", [-1, 70, 1000])
def test_slot_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        slot_bits(bad)
    with pytest.raises(ValueError):
        encode(HandlingState.IN_PROGRESS, bad)


@pytest.mark.parametrize("bits", [set(), {0, 1, 2}, {0, 1, 2, 3, 4}, {0, 1, 2, 8}])
def test_slot_from_bits_rejects_non_codes(bits: set[int]) -> None:
    assert slot_from_bits(bits) is None


def test_there_are_twelve_lower_case_keywords() -> None:
    assert len(OUR_KEYWORDS) == 12
    assert all(kw == kw.lower() and kw.startswith("mw-") for kw in OUR_KEYWORDS)


def test_encode_exact_keywords() -> None:
    assert encode(HandlingState.UNHANDLED, None) == frozenset()
    assert encode(HandlingState.IN_PROGRESS, 0) == {"mw-wip", "mw-o0", "mw-o1", "mw-o2", "mw-o3"}
    assert encode(HandlingState.DONE, 69) == {"mw-done", "mw-o4", "mw-o5", "mw-o6", "mw-o7"}
    assert encode(HandlingState.NO_REPLY_NEEDED, None) == {"mw-skip"}


@pytest.mark.parametrize(
    ("state", "owner"),
    [
        (HandlingState.UNHANDLED, 3),
        (HandlingState.IN_PROGRESS, None),
        (HandlingState.ON_HOLD, None),
    ],
)
def test_encode_refuses_impossible_combinations(state: HandlingState, owner: int | None) -> None:
    with pytest.raises(ValueError):
        encode(state, owner)


@pytest.mark.parametrize("state", list(HandlingState))
@pytest.mark.parametrize("slot", range(MAX_SLOTS))
def test_round_trip_every_state_and_slot(state: HandlingState, slot: int) -> None:
    owner = None if state is HandlingState.UNHANDLED else slot
    decoded = decode(encode(state, owner))
    assert (decoded.state, decoded.owner_slot, decoded.problems) == (state, owner, ())


@given(valid_states(), FOREIGN, st.booleans())
def test_round_trip_through_apply_with_foreign_flags(
    target: tuple[HandlingState, int | None], foreign: list[str], as_bytes: bool
) -> None:
    state, owner = target
    flags = apply(foreign, state, owner)
    given_flags = [f.encode() for f in flags] if as_bytes else flags
    decoded = decode(given_flags)
    assert (decoded.state, decoded.owner_slot) == (state, owner)
    assert decoded.valid


@given(valid_states(), valid_states(), FOREIGN, st.booleans())
def test_apply_keeps_every_foreign_flag_and_drops_recent(
    old: tuple[HandlingState, int | None],
    new: tuple[HandlingState, int | None],
    foreign: list[str],
    recent: bool,
) -> None:
    before = [*foreign, *sorted(encode(*old))] + (["\\Recent"] if recent else [])
    after = apply([f.encode() for f in before], *new)
    assert [f for f in after if f.lower() not in OUR_KEYWORDS] == foreign
    assert "\\recent" not in {f.lower() for f in after}
    assert {f for f in after if f in OUR_KEYWORDS} == encode(*new)
    states_written = [f for f in after if f in keywords.STATE_KEYWORDS.values()]
    assert len(states_written) <= 1


def test_apply_replaces_our_keywords_in_any_case() -> None:
    flags = ["\\Seen", "MW-WIP", "Mw-O0", "mw-o1", "MW-O2", "mw-o3", "$label1", "\\Recent"]
    assert apply(flags, HandlingState.DONE, 1) == (
        "\\Seen",
        "$label1",
        "mw-done",
        "mw-o0",
        "mw-o1",
        "mw-o2",
        "mw-o4",
    )


@given(valid_states(), FOREIGN, st.randoms())
def test_decode_is_case_insensitive(
    target: tuple[HandlingState, int | None], foreign: list[str], rnd: random.Random
) -> None:
    flags = [
        "".join(c.upper() if rnd.random() < 0.5 else c for c in f) for f in apply(foreign, *target)
    ]
    assert (decode(flags).state, decode(flags).owner_slot) == target


@given(SLOTS, SLOTS, st.sampled_from(list(OWNED)))
def test_union_of_two_owners_is_detected(a: int, b: int, state: HandlingState) -> None:
    if a == b:
        return
    flags = encode(state, a) | encode(state, b)
    decoded = decode(flags)
    assert Problem.BAD_OWNER_WEIGHT in decoded.problems
    assert decoded.owner_slot is None


@given(SLOTS, st.sampled_from(list(HandlingState)[1:]), st.integers(0, 3))
def test_a_lost_bit_is_detected(slot: int, state: HandlingState, lost: int) -> None:
    bit = sorted(slot_bits(slot))[lost]
    flags = encode(state, slot) - {OWNER_KEYWORDS[bit]}
    decoded = decode(flags)
    assert Problem.BAD_OWNER_WEIGHT in decoded.problems
    assert decoded.owner_slot is None
    # Best interpretation without history: owner cleared, done kept, else unhandled.
    expected = HandlingState.DONE if state is HandlingState.DONE else HandlingState.UNHANDLED
    assert decoded.state is expected


def test_decode_names_each_problem_and_keeps_the_best_interpretation() -> None:
    owner_only = decode(encode(HandlingState.IN_PROGRESS, 5) - {"mw-wip"})
    assert owner_only.problems == (Problem.OWNER_WITHOUT_STATE,)
    assert (owner_only.state, owner_only.owner_slot) == (HandlingState.IN_PROGRESS, 5)

    hold_alone = decode([b"mw-hold", b"\\Seen"])
    assert hold_alone.problems == (Problem.STATE_WITHOUT_OWNER,)
    assert (hold_alone.state, hold_alone.owner_slot) == (HandlingState.UNHANDLED, None)

    several = decode(encode(HandlingState.IN_PROGRESS, 7) | {"mw-done", "mw-hold", "mw-skip"})
    assert several.problems == (Problem.SEVERAL_STATES,)
    assert (several.state, several.owner_slot) == (HandlingState.DONE, 7)
    assert several.reading.states == {
        HandlingState.IN_PROGRESS,
        HandlingState.ON_HOLD,
        HandlingState.DONE,
        HandlingState.NO_REPLY_NEEDED,
    }


def test_decode_ignores_lookalikes_and_accepts_bytes() -> None:
    decoded = decode([b"mw-o8", b"mw-wipe", b"$Forwarded", b"\\Seen"])
    assert (decoded.state, decoded.owner_slot, decoded.problems) == (
        HandlingState.UNHANDLED,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [(b"5", {5}), (b"1:3,7", {1, 2, 3, 7}), (b"(EARLIER) 4:2", {2, 3, 4}), ("9", {9})],
)
def test_vanished_and_modified_sets_expand(text: bytes | str, expected: set[int]) -> None:
    assert parse_uid_set(text) == expected
