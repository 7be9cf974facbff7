"""Repair decisions for invalid keyword combinations (COORDINATION.md, "Repair").

Every client that sees an invalid combination computes the same repaired
(state, owner) from the same input and writes it with the same compare-and-set,
so concurrent repairers converge: one wins, the others re-read a valid message.
That only works if the decision is deterministic, hence these pure functions.

The input is a :class:`KeywordReading`: what the keywords literally say, before
any interpretation. The keyword codec (``imap/keywords.py``) produces it; the
history ("latest accepted claim") and the roster ("known slots") are supplied by
the caller, because only the layers above know them.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from enum import StrEnum

from mailwise_desktop.core.states import OWNED_STATES, HandlingState

#: Which state keyword wins when several are present.
PRECEDENCE: tuple[HandlingState, ...] = (
    HandlingState.DONE,
    HandlingState.NO_REPLY_NEEDED,
    HandlingState.ON_HOLD,
    HandlingState.IN_PROGRESS,
)

#: Owner keywords in a valid owner code.
OWNER_WEIGHT = 4


class Problem(StrEnum):
    """An invalid combination of our keywords on one message."""

    BAD_OWNER_WEIGHT = "bad_owner_weight"
    UNKNOWN_SLOT = "unknown_slot"
    OWNER_WITHOUT_STATE = "owner_without_state"
    STATE_WITHOUT_OWNER = "state_without_owner"
    SEVERAL_STATES = "several_states"


@dataclass(frozen=True)
class KeywordReading:
    """What a message's keywords literally say.

    Attributes:
        states: the state keywords present (never ``UNHANDLED``).
        owner_slot: the slot, when exactly :data:`OWNER_WEIGHT` owner
            keywords are present; else ``None``.
        owner_weight: how many owner keywords are present.
    """

    states: frozenset[HandlingState]
    owner_slot: int | None
    owner_weight: int


@dataclass(frozen=True)
class Repaired:
    """A repair decision: the valid (state, owner) to write.

    Attributes:
        state: the repaired state.
        owner_slot: the repaired owner.
        needs_event: a ``repair`` event must be appended to the history (and
            the people involved told).
    """

    state: HandlingState
    owner_slot: int | None
    needs_event: bool


def find_problems(
    reading: KeywordReading, known_slots: Container[int] | None = None
) -> tuple[Problem, ...]:
    """Name every invalid combination in ``reading``, in a fixed order.

    Args:
        reading: the literal keyword reading.
        known_slots: the roster's slots; ``None`` skips the unknown-slot check.
    """
    found: list[Problem] = []
    if reading.owner_weight not in (0, OWNER_WEIGHT):
        found.append(Problem.BAD_OWNER_WEIGHT)
    if _unknown_slot(reading, known_slots):
        found.append(Problem.UNKNOWN_SLOT)
    if reading.owner_weight and not reading.states:
        found.append(Problem.OWNER_WITHOUT_STATE)
    if not reading.owner_weight and reading.states & OWNED_STATES:
        found.append(Problem.STATE_WITHOUT_OWNER)
    if len(reading.states) > 1:
        found.append(Problem.SEVERAL_STATES)
    return tuple(found)


def strongest_state(states: frozenset[HandlingState]) -> HandlingState:
    """The state keyword that wins by precedence; ``UNHANDLED`` if there is none."""
    return next((s for s in PRECEDENCE if s in states), HandlingState.UNHANDLED)


def repair_bad_owner(state: HandlingState, latest_claim: int | None) -> Repaired:
    """Rule 1: owner weight not 0 or 4, or an unknown slot.

    Args:
        state: the state by precedence (``UNHANDLED`` if no state keyword).
        latest_claim: the owner of the latest accepted claim in the history.

    Returns:
        The history's owner if there is one (an owner without a state becomes
        in progress, as rule 2 says); else no owner and unhandled, keeping done.
    """
    if latest_claim is not None:
        kept = HandlingState.IN_PROGRESS if state is HandlingState.UNHANDLED else state
        return Repaired(kept, latest_claim, needs_event=True)
    fallback = HandlingState.DONE if state is HandlingState.DONE else HandlingState.UNHANDLED
    return Repaired(fallback, None, needs_event=True)


def repair_owner_without_state(owner_slot: int) -> Repaired:
    """Rule 2: an owner but no state keyword means in progress."""
    return Repaired(HandlingState.IN_PROGRESS, owner_slot, needs_event=False)


def repair_state_without_owner(state: HandlingState) -> Repaired:
    """Rule 3: in progress / on hold without an owner falls back to unhandled."""
    if state not in OWNED_STATES:
        raise ValueError(f"{state} does not need an owner")
    return Repaired(HandlingState.UNHANDLED, None, needs_event=True)


def repair_several_states(states: frozenset[HandlingState], owner_slot: int | None) -> Repaired:
    """Rule 4: keep one state keyword by precedence done > skip > hold > wip.

    The result may still lack an owner; :func:`repair` applies rule 3 after it.
    """
    return Repaired(strongest_state(states), owner_slot, needs_event=False)


def repair(
    reading: KeywordReading,
    *,
    latest_claim: int | None = None,
    known_slots: Container[int] | None = None,
) -> Repaired:
    """Apply every repair rule to ``reading``; a valid reading comes back as is.

    Rules run in the order that keeps their results valid: the owner code
    first (it may clear the owner), then the state precedence (it decides
    whether an owner is needed), then owner-without-state and
    state-without-owner.

    Args:
        reading: the literal keyword reading.
        latest_claim: owner of the latest accepted claim from the history.
        known_slots: the roster's slots; ``None`` trusts any valid code.
    """
    state = strongest_state(reading.states)
    if reading.owner_weight not in (0, OWNER_WEIGHT) or _unknown_slot(reading, known_slots):
        return repair_bad_owner(state, latest_claim)
    owner = reading.owner_slot
    if len(reading.states) > 1:
        state = repair_several_states(reading.states, owner).state
    if owner is not None and state is HandlingState.UNHANDLED:
        return repair_owner_without_state(owner)
    if owner is None and state in OWNED_STATES:
        return repair_state_without_owner(state)
    return Repaired(state, owner, needs_event=False)


def _unknown_slot(reading: KeywordReading, known_slots: Container[int] | None) -> bool:
    return (
        known_slots is not None
        and reading.owner_slot is not None
        and reading.owner_slot not in known_slots
    )
