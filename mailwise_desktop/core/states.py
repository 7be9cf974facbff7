"""Handling states, operations and the transition table of the coordination protocol.

This is the operation/precondition table of ``COORDINATION.md`` as data, plus
:func:`check`, a pure function that decides whether an operation applies to a
message's current (state, owner) and what the result is. It knows nothing of
IMAP: the keyword codec (``imap/keywords.py``) turns flags into a
:class:`StateView`, and the compare-and-set (``imap/cas.py``) writes the result.

Owners are slots (0 ≤ slot < 70); the roster maps them to teammates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class HandlingState(StrEnum):
    """A message's handling state as the team sees it."""

    UNHANDLED = "unhandled"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    DONE = "done"
    NO_REPLY_NEEDED = "no_reply_needed"


class Operation(StrEnum):
    """What a teammate asks to do with a message."""

    CLAIM = "claim"
    RELEASE = "release"
    TRANSFER = "transfer"
    HOLD = "hold"
    RESUME = "resume"
    DONE = "done"
    SKIP = "skip"
    REOPEN = "reopen"


class NewOwner(Enum):
    """Who owns the message after a transition."""

    NONE = "none"
    ME = "me"
    KEEP = "keep"
    TARGET = "target"


class RefusalKind(StrEnum):
    """Why an operation was refused."""

    HELD_BY_OTHER = "held_by_other"
    NOT_ALLOWED = "not_allowed"


# Owned states are the only ones where "owner = me" can be a precondition: the
# owner of a done message is a record of who handled it, not a lock.
OWNED_STATES = frozenset({HandlingState.IN_PROGRESS, HandlingState.ON_HOLD})


@dataclass(frozen=True)
class StateView:
    """A message's decoded (state, owner slot)."""

    state: HandlingState
    owner_slot: int | None

    @property
    def view(self) -> StateView:
        """This value as a plain :class:`StateView` (drops subclass extras)."""
        return StateView(self.state, self.owner_slot)


@dataclass(frozen=True)
class Rule:
    """One row of the transition table.

    Attributes:
        operation: the operation the row is for.
        from_states: states in which the row applies.
        owner_must_be_me: the current owner must be the caller ...
        take_over_allowed: ... unless the caller confirmed a take-over.
        to_state: the resulting state, or ``None`` to keep the current one.
        new_owner: who owns the message afterwards.
    """

    operation: Operation
    from_states: frozenset[HandlingState]
    owner_must_be_me: bool
    take_over_allowed: bool
    to_state: HandlingState | None
    new_owner: NewOwner


_S = HandlingState
_NOT_DONE = frozenset({_S.UNHANDLED, _S.IN_PROGRESS, _S.ON_HOLD, _S.NO_REPLY_NEEDED})

#: The table of COORDINATION.md. Several rows per operation are tried in order.
TRANSITIONS: tuple[Rule, ...] = (
    Rule(Operation.CLAIM, frozenset({_S.UNHANDLED}), False, False, _S.IN_PROGRESS, NewOwner.ME),
    Rule(Operation.RELEASE, OWNED_STATES, True, False, _S.UNHANDLED, NewOwner.NONE),
    Rule(Operation.TRANSFER, OWNED_STATES, True, True, None, NewOwner.TARGET),
    Rule(Operation.HOLD, frozenset({_S.IN_PROGRESS}), True, False, _S.ON_HOLD, NewOwner.KEEP),
    Rule(Operation.RESUME, frozenset({_S.ON_HOLD}), True, False, _S.IN_PROGRESS, NewOwner.KEEP),
    Rule(Operation.DONE, OWNED_STATES, True, False, _S.DONE, NewOwner.ME),
    # Quick close: an unhandled message can be marked done directly.
    Rule(Operation.DONE, frozenset({_S.UNHANDLED}), False, False, _S.DONE, NewOwner.ME),
    Rule(Operation.SKIP, _NOT_DONE, False, False, _S.NO_REPLY_NEEDED, NewOwner.ME),
    Rule(
        Operation.REOPEN,
        frozenset({_S.DONE, _S.NO_REPLY_NEEDED}),
        False,
        False,
        _S.IN_PROGRESS,
        NewOwner.ME,
    ),
)


@dataclass(frozen=True)
class Transition:
    """An accepted operation: what the message looks like before and after."""

    operation: Operation
    before: StateView
    after: StateView


@dataclass(frozen=True)
class Refusal:
    """A refused operation, with the real state so the caller can explain it.

    Attributes:
        operation: what was asked.
        kind: held by another teammate, or not allowed in this state.
        current: the message's state and owner as read.
        holder_slot: for ``held_by_other``, who holds it (so the UI can say
            "held by 佐藤 since 10:42"); otherwise the current owner, if any.
    """

    operation: Operation
    kind: RefusalKind
    current: StateView
    holder_slot: int | None


def check(
    operation: Operation,
    current: StateView,
    me: int,
    target_slot: int | None = None,
    take_over: bool = False,
) -> Transition | Refusal:
    """Decide whether ``operation`` by ``me`` applies to ``current``.

    Args:
        operation: the requested operation.
        current: the message's decoded state and owner.
        me: the caller's owner slot.
        target_slot: the new owner, for :attr:`Operation.TRANSFER` only.
        take_over: the user confirmed taking a message from another owner
            (only a transfer honours it).

    Returns:
        The :class:`Transition` to write, or a :class:`Refusal` naming why not.

    Raises:
        ValueError: a transfer without a target, or a target with another
            operation.
    """
    if (operation is Operation.TRANSFER) != (target_slot is not None):
        raise ValueError("target_slot is required for transfer and only for transfer")
    before = current.view
    held_by_other: Refusal | None = None
    for rule in TRANSITIONS:
        if rule.operation is not operation or before.state not in rule.from_states:
            continue
        mine = before.owner_slot == me
        if rule.owner_must_be_me and not mine and not (rule.take_over_allowed and take_over):
            held_by_other = Refusal(operation, RefusalKind.HELD_BY_OTHER, before, before.owner_slot)
            continue
        after = StateView(
            rule.to_state if rule.to_state is not None else before.state,
            _new_owner(rule.new_owner, before, me, target_slot),
        )
        if after == before:
            # Transferring to the current owner and the like: nothing to do,
            # and nothing to record in the history either.
            return Refusal(operation, RefusalKind.NOT_ALLOWED, before, before.owner_slot)
        return Transition(operation, before, after)
    if held_by_other is not None:
        return held_by_other
    if before.state in OWNED_STATES and before.owner_slot != me:
        # E.g. claiming a message a teammate is working on: "held by 佐藤"
        # tells the user more than "not allowed".
        return Refusal(operation, RefusalKind.HELD_BY_OTHER, before, before.owner_slot)
    return Refusal(operation, RefusalKind.NOT_ALLOWED, before, before.owner_slot)


def _new_owner(rule: NewOwner, before: StateView, me: int, target: int | None) -> int | None:
    if rule is NewOwner.ME:
        return me
    if rule is NewOwner.TARGET:
        return target
    if rule is NewOwner.KEEP:
        return before.owner_slot
    return None
