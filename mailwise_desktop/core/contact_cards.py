"""Shared contact records (アドレス帳): one card per address, folded from team-mailbox records.

A teammate's edit is a ``contact`` record naming only the fields it changes
(``target``: the canonical address), so two teammates editing different
fields of one card at once both keep their change; the latest record of a
field wins. ``{"deleted": true}`` removes the card. Pure: no I/O.

Addresses are compared canonically (:func:`canonical_address`): the local
part lower-cased, the domain in IDNA A-label form, so ``Tanaka@Example.JP``
and ``tanaka@example.jp``, or ``taro@例え.jp`` and ``taro@xn--r8jz45g.jp``,
are one contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import idna

KIND = "contact"
#: The text fields of a card, in the order files and forms show them.
TEXT_FIELDS = ("name", "company", "department", "phone", "memo")
FLAG_FIELDS = ("vip", "do_not_contact")
#: A tag is a short label; these separate tags in a CSV cell and a vCard CATEGORIES value.
TAG_SEPARATORS = frozenset(",;")


def canonical_address(address: str) -> str:
    """The comparison form of an address ("" when it is no address at all)."""
    text = address.strip().strip("<>").strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return ""
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        ascii_domain = domain
    return f"{local.lower()}@{ascii_domain.lower()}"


def display_domain(address: str) -> str:
    """The domain of an address in its readable (Unicode) form."""
    domain = address.rpartition("@")[2]
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return domain


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags without separators or surrounding blanks, each once, in the given order."""
    out: list[str] = []
    for tag in tags:
        bare = "".join(" " if c in TAG_SEPARATORS else c for c in tag).strip()
        if bare and bare not in out:
            out.append(bare)
    return tuple(out)


def clean_text(value: str) -> str:
    """Line ends as ``\\n`` (files write them back that way)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class ContactCard:
    """One contact as the team keeps it.

    Attributes:
        address: the address as written (its canonical form is the key).
        name, company, department, phone, memo: free text.
        tags: labels ("見積中", "reseller").
        vip: handle with priority.
        do_not_contact: nobody writes to this address (the confirm-send dialog warns).
    """

    address: str
    name: str = ""
    company: str = ""
    department: str = ""
    phone: str = ""
    memo: str = ""
    tags: tuple[str, ...] = field(default=())
    vip: bool = False
    do_not_contact: bool = False

    @property
    def key(self) -> str:
        return canonical_address(self.address)

    def changes_to(self, other: ContactCard) -> dict[str, Any]:
        """The record payload that turns this card into ``other`` (only fields that differ)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if mine != theirs:
                out[f.name] = list(theirs) if f.name == "tags" else theirs
        return out

    def to_payload(self) -> dict[str, Any]:
        """Every field, as a record that sets the whole card."""
        return ContactCard("").changes_to(self) | {"address": self.address}

    def with_payload(self, payload: Mapping[str, Any]) -> ContactCard:
        """This card with a record's fields applied (unknown or mistyped fields ignored)."""
        values: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            if isinstance(payload.get(name), str):
                values[name] = clean_text(payload[name])
        for name in FLAG_FIELDS:
            if isinstance(payload.get(name), bool):
                values[name] = payload[name]
        tags = payload.get("tags")
        if isinstance(tags, list):
            values["tags"] = clean_tags(t for t in tags if isinstance(t, str))
        address = payload.get("address")
        if isinstance(address, str) and canonical_address(address) == self.key:
            values["address"] = address.strip()
        return replace(self, **values)


def card_from(values: Mapping[str, Any]) -> ContactCard:
    """A card from loose values (a form, a file row); text cleaned, tags split."""
    tags = values.get("tags", ())
    if isinstance(tags, str):
        tags = tags.replace(",", ";").split(";")
    return ContactCard(
        address=str(values.get("address", "")).strip(),
        **{n: clean_text(str(values.get(n) or "")) for n in TEXT_FIELDS},
        tags=clean_tags(str(t) for t in tags),
        vip=bool(values.get("vip", False)),
        do_not_contact=bool(values.get("do_not_contact", False)),
    )


@dataclass(frozen=True)
class RecordFacts:
    """What folding needs of one ``contact`` record (in UID order)."""

    target: str
    payload: Mapping[str, Any]
    actor: str = ""
    created: float = 0.0


def fold(records: Iterable[RecordFacts]) -> dict[str, ContactCard]:
    """Canonical address -> card, from the records oldest first.

    A record whose target is not an address is skipped; targets that differ
    only in case or IDN form fold into one card (duplicates merged).
    """
    cards: dict[str, ContactCard] = {}
    for record in records:
        key = canonical_address(record.target)
        if not key:
            continue
        if record.payload.get("deleted") is True:
            cards.pop(key, None)
            continue
        card = cards.get(key) or ContactCard(record.target.strip())
        cards[key] = card.with_payload(record.payload)
    return cards


def merged(cards: Iterable[ContactCard]) -> dict[str, ContactCard]:
    """Cards with the same canonical address as one (later non-empty fields win, tags joined)."""
    out: dict[str, ContactCard] = {}
    for card in cards:
        key = card.key
        if not key:
            continue
        old = out.get(key)
        if old is None:
            out[key] = card
            continue
        values: dict[str, Any] = {n: getattr(card, n) or getattr(old, n) for n in TEXT_FIELDS}
        out[key] = replace(
            old,
            **values,
            tags=clean_tags((*old.tags, *card.tags)),
            vip=old.vip or card.vip,
            do_not_contact=old.do_not_contact or card.do_not_contact,
        )
    return out
