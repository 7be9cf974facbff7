"""The decision of one handling change: a pure function of the flags the CAS reads.

The compare-and-set (:mod:`.cas`) calls a ``decide(flags, decoded)`` after
every read. The decisions here depend on nothing else than those flags and
the :class:`TeamFacts` the service read before the CAS started (roster slots,
the history's latest claim): the transition table (core/states.py), the
repair rules (core/repair.py) and the keyword codec (:mod:`.keywords`). No
cache, no team log, no network: the service writes cache and history once,
after the CAS returns, from its result.

When the keywords need repair or name a slot the roster does not know, and
the facts were not read from the server for this change yet, the decision
raises :class:`NeedTeamRecordsError`; the service reads the team mailbox and
runs the CAS again with fresh facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mailwise_desktop.core.repair import repair
from mailwise_desktop.core.states import Operation, StateView, Transition, check
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.cas import Decide, Outcome
from mailwise_desktop.imap.keywords import Decoded


class NeedTeamRecordsError(Exception):
    """Raised inside a decision: the roster or history must be read from the server first."""


@dataclass(frozen=True)
class TeamFacts:
    """What the team knows, read before the CAS.

    Attributes:
        known_slots: owner slots on the roster (current and retired).
        latest_claim: the owner slot of the history's latest accepted claim.
        can_read_more: the roster and history were not read from the server
            for this change yet, and could be (online).
    """

    known_slots: frozenset[int]
    latest_claim: int | None = None
    can_read_more: bool = False


def interpret(decoded: Decoded, facts: TeamFacts) -> tuple[StateView, tuple[str, ...]]:
    """(state and owner as the repair rules read them with the facts, what was wrong).

    Raises:
        NeedTeamRecordsError: something was wrong and ``facts.can_read_more``.
    """
    unknown = decoded.owner_slot is not None and decoded.owner_slot not in facts.known_slots
    problems = tuple(str(p) for p in decoded.problems) + (("unknown_slot",) if unknown else ())
    if not problems:
        return decoded.view, ()
    if facts.can_read_more:
        raise NeedTeamRecordsError
    latest = facts.latest_claim if facts.latest_claim in facts.known_slots else None
    fixed = repair(decoded.reading, latest_claim=latest, known_slots=facts.known_slots)
    return StateView(fixed.state, fixed.owner_slot), problems


def operation_decider(
    operation: Operation,
    me: int,
    facts: TeamFacts,
    *,
    target_slot: int | None = None,
    take_over: bool = False,
) -> Decide:
    """``operation`` by slot ``me`` per the transition table, on the message as interpreted."""

    def decide(flags: tuple[str, ...], decoded: Decoded) -> Outcome:
        current, _ = interpret(decoded, facts)
        result = check(operation, current, me, target_slot, take_over)
        if isinstance(result, Transition):
            return keywords.apply(flags, result.after.state, result.after.owner_slot)
        return result

    return decide


def repair_decider(facts: TeamFacts) -> Decide:
    """Write the repaired state and owner, or nothing when the keywords are valid.

    Every repairer computes the same flags from the same facts, so concurrent
    repairers converge: one wins, the others re-read a valid message.
    """

    def decide(flags: tuple[str, ...], decoded: Decoded) -> Outcome:
        view, problems = interpret(decoded, facts)
        if not problems:
            return flags  # valid (maybe a teammate repaired it first): nothing to write
        return keywords.apply(flags, view.state, view.owner_slot)

    return decide


#: Builds a decision from the facts (called again after the facts were refreshed).
MakeDecide = Callable[[TeamFacts], Decide]
