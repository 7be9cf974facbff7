"""The shared address book (アドレス帳): contact cards in the team mailbox, edited by anyone.

Reading is offline: the cached ``contact`` records folded into cards
(:func:`core.contact_cards.fold`; a record that fails its schema in
``mail/record_schema.py`` is never applied and ``mailwise team check``
lists it). Every change is a job run on an engine connection (the window's
engine or a CLI run): one record per card, naming only the fields changed,
so teammates editing different fields of one card never undo each other.
Imports, bulk edits and merges are the same: records, one per card touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.contact_cards import (
    KIND,
    ContactCard,
    RecordFacts,
    canonical_address,
    clean_tags,
    fold,
    merged,
)
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.store import team_cache

Job = Callable[[EngineContext], "SaveOutcome"]


@dataclass(frozen=True)
class SaveOutcome:
    """What a save wrote: cards added, cards changed, cards already as asked."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.added + self.changed


class AddressBookService:
    """Contact cards of one account's team."""

    def __init__(
        self,
        ctx: AppContext,
        account: Account,
        coordination: CoordinationService | None = None,
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.coordination = coordination or CoordinationService(ctx, account)

    # -- reading (offline) --------------------------------------------------

    def cards(self) -> dict[str, ContactCard]:
        """Canonical address -> card, as the team's records say now."""
        with self.ctx.cache.transaction() as session:
            found = team_cache.records(session, self.account.id, kinds=[KIND])
        return fold(RecordFacts(r.target, r.payload, r.actor, r.created) for r in found)

    def card(self, address: str) -> ContactCard | None:
        return self.cards().get(canonical_address(address))

    def duplicates(self, addresses: Iterable[str]) -> dict[str, list[str]]:
        """Canonical address -> the spellings seen of it, where there are several."""
        seen: dict[str, list[str]] = {}
        for address in addresses:
            key = canonical_address(address)
            if key and address not in seen.setdefault(key, []):
                seen[key].append(address)
        return {k: v for k, v in seen.items() if len({s.lower() for s in v}) > 1 or len(v) > 1}

    # -- writing (jobs) -------------------------------------------------------

    def save_job(self, cards: Sequence[ContactCard], *, keep_existing: bool = False) -> Job:
        """The job that makes the team's cards equal ``cards`` (duplicates in it merged first).

        Args:
            cards: the cards as they should be.
            keep_existing: an import: an empty field in ``cards`` keeps what the
                team's card has, and tags are added to the card's tags.
        """
        wanted = merged(cards)
        if any(not key for key in wanted) or any(not c.key for c in cards):
            raise UsageError("Every contact needs an email address.")

        def job(ectx: EngineContext) -> SaveOutcome:
            me = self.coordination.require_me(ectx)
            self.coordination.log.refresh(ectx)
            current = self.cards()
            added = changed = unchanged = 0
            for key, card in wanted.items():
                before = current.get(key)
                target = card if before is None or not keep_existing else _fill(before, card)
                payload = (before or ContactCard(card.address)).changes_to(target)
                if before is None:
                    payload = target.to_payload()
                if not payload:
                    unchanged += 1
                    continue
                added += before is None
                changed += before is not None
                self._write(ectx, me.id, key, payload, target.name or target.address)
            self.coordination.log.refresh(ectx)
            return SaveOutcome(added, changed, unchanged)

        return job

    def edit_job(self, before: ContactCard | None, after: ContactCard) -> Job:
        """The job that writes one teammate's edit: the fields changed from ``before``.

        ``before`` is the card as the editor read it: a field a teammate changed
        meanwhile and this editor did not touch keeps the teammate's value.
        """
        if not after.key:
            raise UsageError("Every contact needs an email address.")
        payload = after.to_payload() if before is None else before.changes_to(after)

        def job(ectx: EngineContext) -> SaveOutcome:
            me = self.coordination.require_me(ectx)
            self.coordination.log.refresh(ectx)
            exists = after.key in self.cards()
            if not payload:
                return SaveOutcome(unchanged=1)
            self._write(ectx, me.id, after.key, payload, after.name or after.address)
            self.coordination.log.refresh(ectx)
            return SaveOutcome(changed=1) if exists else SaveOutcome(added=1)

        return job

    def bulk_job(
        self,
        addresses: Sequence[str],
        *,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        company: str | None = None,
    ) -> Job:
        """The job that tags (or sets the company of) many contacts at once."""
        keys = [canonical_address(a) for a in addresses]
        if not keys or not all(keys):
            raise UsageError("Bulk edit needs one or more email addresses.")
        adding, removing = clean_tags(add_tags), set(clean_tags(remove_tags))

        def job(ectx: EngineContext) -> SaveOutcome:
            current = self.cards()
            cards = []
            for key, address in zip(keys, addresses, strict=True):
                card = current.get(key) or ContactCard(address.strip())
                tags = clean_tags(t for t in (*card.tags, *adding) if t not in removing)
                cards.append(
                    replace(card, tags=tags, company=card.company if company is None else company)
                )
            return self.save_job(cards)(ectx)

        return job

    def delete_job(self, address: str) -> Job:
        """The job that removes a card for the whole team."""
        key = canonical_address(address)
        if not key:
            raise UsageError(f"{address!r} is not an email address.")

        def job(ectx: EngineContext) -> SaveOutcome:
            me = self.coordination.require_me(ectx)
            self.coordination.log.refresh(ectx)
            if key not in self.cards():
                return SaveOutcome(unchanged=1)
            self._write(ectx, me.id, key, {"deleted": True}, address)
            self.coordination.log.refresh(ectx)
            return SaveOutcome(changed=1)

        return job

    def _write(
        self, ectx: EngineContext, actor: str, key: str, payload: dict[str, object], who: str
    ) -> None:
        record = TeamRecord(
            kind=KIND,
            target=key,
            actor=actor,
            payload=dict(payload),
            subject=f"[mailwise] contact {who}: {', '.join(sorted(payload))}",
        )
        self.coordination.log.write(ectx, record)


def _fill(before: ContactCard, imported: ContactCard) -> ContactCard:
    """An imported card over the team's: its non-empty fields win, tags are added."""
    values = {
        n: getattr(imported, n) or getattr(before, n)
        for n in ("name", "company", "department", "phone", "memo")
    }
    return replace(
        before,
        **values,
        tags=clean_tags((*before.tags, *imported.tags)),
        vip=before.vip or imported.vip,
        do_not_contact=before.do_not_contact or imported.do_not_contact,
    )
