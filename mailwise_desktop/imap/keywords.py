"""The keyword codec: handling state and owner <-> IMAP keywords.

The wire format is fixed by COORDINATION.md: one state keyword (``mw-wip``,
``mw-hold``, ``mw-done``, ``mw-skip``; none means unhandled) and an owner slot
written as a 4-of-8 constant-weight code over ``mw-o0`` … ``mw-o7``. Slot k is
the k-th 4-element subset of {0..7} in lexicographic order, so 70 slots exist
and any union of two owners' codes, or a lost bit, has the wrong weight.

Keywords are compared case-insensitively (servers may change the case) and
written in lower case. Everything here is pure; ``imap/cas.py`` does the I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from mailwise_desktop.core.repair import (
    OWNER_WEIGHT,
    KeywordReading,
    Problem,
    find_problems,
    repair,
)
from mailwise_desktop.core.states import HandlingState, StateView

__all__ = [
    "MAX_SLOTS",
    "OUR_KEYWORDS",
    "OWNER_KEYWORDS",
    "RECENT",
    "STATE_KEYWORDS",
    "Decoded",
    "Problem",
    "apply",
    "decode",
    "encode",
    "is_ours",
    "slot_bits",
    "slot_from_bits",
    "to_text",
]

KW_WIP = "mw-wip"
KW_HOLD = "mw-hold"
KW_DONE = "mw-done"
KW_SKIP = "mw-skip"

#: State -> its keyword. Unhandled has none.
STATE_KEYWORDS: dict[HandlingState, str] = {
    HandlingState.IN_PROGRESS: KW_WIP,
    HandlingState.ON_HOLD: KW_HOLD,
    HandlingState.DONE: KW_DONE,
    HandlingState.NO_REPLY_NEEDED: KW_SKIP,
}
_STATE_BY_KEYWORD = {kw: state for state, kw in STATE_KEYWORDS.items()}

#: ``mw-o0`` … ``mw-o7``; index = bit number.
OWNER_KEYWORDS: tuple[str, ...] = tuple(f"mw-o{bit}" for bit in range(8))
_BIT_BY_KEYWORD = {kw: bit for bit, kw in enumerate(OWNER_KEYWORDS)}

#: All 12 keywords this protocol owns (lower case).
OUR_KEYWORDS: frozenset[str] = frozenset(STATE_KEYWORDS.values()) | frozenset(OWNER_KEYWORDS)

#: A session flag the server sets; it can never be stored.
RECENT = "\\Recent"

# combinations() yields subsets in lexicographic order, which is the contract.
_SLOTS: tuple[frozenset[int], ...] = tuple(
    frozenset(c) for c in combinations(range(8), OWNER_WEIGHT)
)
_SLOT_BY_BITS = {bits: slot for slot, bits in enumerate(_SLOTS)}

#: Number of owner slots the code can express.
MAX_SLOTS = len(_SLOTS)


def slot_bits(slot: int) -> frozenset[int]:
    """The owner bits (0..7) of ``slot``.

    Raises:
        ValueError: ``slot`` is not in ``0 <= slot < MAX_SLOTS``.
    """
    if not 0 <= slot < MAX_SLOTS:
        raise ValueError(f"owner slot {slot} out of range 0..{MAX_SLOTS - 1}")
    return _SLOTS[slot]


def slot_from_bits(bits: Iterable[int]) -> int | None:
    """The slot whose code is exactly ``bits``, or ``None`` if no slot has it."""
    return _SLOT_BY_BITS.get(frozenset(bits))


@dataclass(frozen=True)
class Decoded(StateView):
    """A message's state and owner as decoded from its flags.

    ``state`` and ``owner_slot`` are the best interpretation (the repair rules
    applied without history); ``problems`` names what was invalid, and
    ``reading`` keeps the literal keywords so a caller that knows the history
    or the roster can run :func:`mailwise_desktop.core.repair.repair` itself.
    Whether ``owner_slot`` belongs to a current teammate is the roster's call.
    """

    problems: tuple[Problem, ...]
    reading: KeywordReading

    @property
    def valid(self) -> bool:
        """True when the keywords form a valid combination."""
        return not self.problems


def to_text(flag: bytes | str) -> str:
    """A flag from the wire as text; non-ASCII bytes survive as surrogates."""
    # Flags are ASCII atoms; surrogateescape keeps anything else byte-exact
    # instead of crashing on a misbehaving server.
    return flag.decode("ascii", "surrogateescape") if isinstance(flag, bytes) else flag


def is_ours(flag: bytes | str) -> bool:
    """True if ``flag`` is one of the protocol's 12 keywords (any case)."""
    return to_text(flag).lower() in OUR_KEYWORDS


def decode(flags: Iterable[bytes | str]) -> Decoded:
    """Decode a message's flags (bytes or str, any case) into state and owner."""
    states: set[HandlingState] = set()
    bits: set[int] = set()
    for flag in flags:
        name = to_text(flag).lower()
        if name in _STATE_BY_KEYWORD:
            states.add(_STATE_BY_KEYWORD[name])
        elif name in _BIT_BY_KEYWORD:
            bits.add(_BIT_BY_KEYWORD[name])
    reading = KeywordReading(frozenset(states), slot_from_bits(bits), len(bits))
    best = repair(reading)
    return Decoded(best.state, best.owner_slot, find_problems(reading), reading)


def encode(state: HandlingState, owner_slot: int | None) -> frozenset[str]:
    """The keywords (lower case) that say ``state`` owned by ``owner_slot``.

    Raises:
        ValueError: an impossible combination (unhandled with an owner, in
            progress / on hold without one) or a slot out of range.
    """
    if state is HandlingState.UNHANDLED and owner_slot is not None:
        raise ValueError("an unhandled message has no owner")
    if state in (HandlingState.IN_PROGRESS, HandlingState.ON_HOLD) and owner_slot is None:
        raise ValueError(f"{state} needs an owner")
    words = set() if state is HandlingState.UNHANDLED else {STATE_KEYWORDS[state]}
    if owner_slot is not None:
        words.update(OWNER_KEYWORDS[bit] for bit in slot_bits(owner_slot))
    return frozenset(words)


def apply(
    flags: Iterable[bytes | str], state: HandlingState, owner_slot: int | None
) -> tuple[str, ...]:
    """The full new flag set F' = F − our keywords + the keywords for (state, owner).

    Every foreign flag (``\\Seen``, ``$Forwarded``, other apps' keywords) is kept
    exactly as given and in its order; ``\\Recent`` is dropped because it cannot
    be stored. Our keywords follow in a fixed order (state, then owner bits).
    """
    kept: list[str] = []
    for flag in flags:
        text = to_text(flag)
        if text.lower() in OUR_KEYWORDS or text.lower() == RECENT.lower() or text in kept:
            continue
        kept.append(text)
    ours = encode(state, owner_slot)
    # Sorting puts "mw-done"/"mw-hold"/... before "mw-o*", state first.
    ordered = sorted(ours, key=lambda kw: (kw in _BIT_BY_KEYWORD, kw))
    return (*kept, *ordered)
