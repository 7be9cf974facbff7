"""The team roster: who the teammates are and which owner slot each one has.

Owner keywords carry a slot (0 ≤ slot < 70, see ``imap/keywords.py``); the
roster maps slots to people. It lives in the team mailbox as ``roster``
records, one per change, and every client rebuilds it the same way by
applying the records in UID order (:meth:`Roster.apply`). Slots are handed out
append-only: a removed teammate keeps the slot, retired, and no one else ever
gets it, so an old owner code can never name the wrong person.

Pure: no I/O. Two clients adding teammates at the same moment may both ask
for the same slot; applying records in UID order gives the later record the
next never-used slot, identically on every reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mailwise_desktop.core.errors import ErrorCase, NotFoundError, UsageError

#: How many owner slots the 4-of-8 code can express (C(8, 4)).
SLOT_COUNT = 70

#: A teammate id: an ASCII slug (it is written in headers and CLI arguments).
TEAMMATE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")

#: Words the CLI gives a meaning (``--owner me|none``): never teammate ids.
RESERVED_IDS = frozenset({"me", "none", "nobody", "all"})


@dataclass(frozen=True)
class Teammate:
    """One person of the team.

    Attributes:
        id: ASCII slug, stable forever (``sato``).
        name: display name in any script (``佐藤``).
        email: their own address, for "assigned to you" notices; may be empty.
        slot: owner slot in the keyword code.
        active: False once removed; the slot stays theirs.
    """

    id: str
    name: str
    email: str
    slot: int
    active: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "slot": self.slot,
            "active": self.active,
        }

    @property
    def label(self) -> str:
        """How people see them: the display name, or the id when it is empty."""
        return self.name or self.id


def check_id(teammate_id: str) -> str:
    """``teammate_id`` if it is a usable id.

    Raises:
        UsageError: not a lower-case ASCII slug, or a reserved word.
    """
    if not TEAMMATE_ID.match(teammate_id) or teammate_id in RESERVED_IDS:
        raise UsageError(
            f"{teammate_id!r} cannot be a teammate id: use lower-case letters, digits, "
            "'.', '_' or '-' (e.g. sato), and not me/none/all."
        )
    return teammate_id


class Roster:
    """Teammates by id and by slot, built from roster records in UID order."""

    def __init__(self, teammates: Iterable[Teammate] = ()) -> None:
        self._by_id: dict[str, Teammate] = {}
        self._by_slot: dict[int, Teammate] = {}
        for teammate in teammates:
            self._put(teammate)

    @classmethod
    def from_records(cls, entries: Iterable[Mapping[str, Any]]) -> Roster:
        """The roster after applying roster record bodies in UID order."""
        roster = cls()
        for entry in entries:
            roster.apply(entry)
        return roster

    # -- reading ---------------------------------------------------------

    def by_id(self, teammate_id: str) -> Teammate | None:
        return self._by_id.get(teammate_id)

    def by_slot(self, slot: int | None) -> Teammate | None:
        return None if slot is None else self._by_slot.get(slot)

    @property
    def teammates(self) -> list[Teammate]:
        """Everyone ever on the roster, retired included, in slot order."""
        return [self._by_slot[s] for s in sorted(self._by_slot)]

    @property
    def active(self) -> list[Teammate]:
        return [t for t in self.teammates if t.active]

    @property
    def known_slots(self) -> frozenset[int]:
        """Slots ever assigned (a retired teammate's messages still name them)."""
        return frozenset(self._by_slot)

    def require(self, teammate_id: str) -> Teammate:
        """The teammate with this id.

        Raises:
            NotFoundError: nobody on the roster has it.
        """
        found = self._by_id.get(teammate_id)
        if found is None:
            raise NotFoundError(
                f"There is no teammate {teammate_id!r} on the roster.",
                case=ErrorCase.NO_SUCH_TEAMMATE,
                data={"id": teammate_id},
            )
        return found

    def __len__(self) -> int:
        return len(self._by_id)

    def identify(self, declared: str, login: str) -> tuple[Teammate | None, str | None]:
        """Who a profile acts as, and how that was decided (``declared``, ``login`` or None).

        Args:
            declared: the id set with ``mailwise me ID`` ("" when none).
            login: the account's IMAP login: it names the teammate whose id or
                e-mail it equals (per-user logins).
        """
        if declared:
            return self.by_id(declared), "declared"
        login = login.lower()
        for teammate in self.active:
            if login in (teammate.id, teammate.email.lower()):
                return teammate, "login"
        return None, None

    # -- changing --------------------------------------------------------

    def next_slot(self) -> int | None:
        """The lowest never-used slot, or None when all 70 are taken."""
        return next((s for s in range(SLOT_COUNT) if s not in self._by_slot), None)

    def add(self, teammate_id: str, name: str, email: str = "") -> Teammate:
        """Add a teammate (or bring a retired one back, with their old slot).

        Raises:
            UsageError: a bad id, an active teammate with this id, or no slot left.
        """
        check_id(teammate_id)
        existing = self._by_id.get(teammate_id)
        if existing is not None:
            if existing.active:
                raise UsageError(f"{teammate_id} is on the roster already (slot {existing.slot}).")
            back = replace(existing, name=name or existing.name, email=email, active=True)
            self._put(back)
            return back
        slot = self.next_slot()
        if slot is None:
            raise UsageError(
                f"The roster is full: all {SLOT_COUNT} owner slots have been used "
                "(slots of removed teammates are never reused)."
            )
        teammate = Teammate(teammate_id, name, email, slot, True)
        self._put(teammate)
        return teammate

    def remove(self, teammate_id: str) -> Teammate:
        """Retire a teammate; their slot stays assigned to them.

        Raises:
            NotFoundError: no such teammate.
        """
        retired = replace(self.require(teammate_id), active=False)
        self._put(retired)
        return retired

    def apply(self, entry: Mapping[str, Any]) -> Teammate | None:
        """Apply one roster record body (``Teammate.to_json`` shape), as every reader does.

        A known id keeps its slot (name, e-mail and active flag follow the
        record). A new id gets the slot it asks for when that slot was never
        used, else the next never-used one. Malformed records are ignored.

        Returns:
            The teammate as now on the roster, or None if the record was ignored.
        """
        teammate_id = entry.get("id")
        if not isinstance(teammate_id, str) or not TEAMMATE_ID.match(teammate_id):
            return None
        name, email = entry.get("name") or "", entry.get("email") or ""
        if not isinstance(name, str) or not isinstance(email, str):
            return None
        active = entry.get("active", True) is not False
        existing = self._by_id.get(teammate_id)
        if existing is not None:
            updated = replace(existing, name=name or existing.name, email=email, active=active)
        else:
            asked = entry.get("slot")
            free = type(asked) is int and 0 <= asked < SLOT_COUNT
            slot = asked if free and asked not in self._by_slot else self.next_slot()
            if slot is None:
                return None
            updated = Teammate(teammate_id, name, email, slot, active)
        self._put(updated)
        return updated

    def _put(self, teammate: Teammate) -> None:
        self._by_id[teammate.id] = teammate
        self._by_slot[teammate.slot] = teammate
