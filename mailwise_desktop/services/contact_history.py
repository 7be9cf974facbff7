"""A contact's handling history by conversation, the sender card, and address completion.

The contact page (window and ``mailwise contacts show``) lists every
conversation with a person or a company: subject, its state and owner now,
first-response and resolution times, and the team's notes. The sender card
beside a mail says who wrote: name, company, open conversations, who last
handled their mail, VIP / do-not-contact. Compose completes addresses from
the shared cards and the senders the cache knows. All offline (the cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.contact_cards import ContactCard, canonical_address, display_domain
from mailwise_desktop.core.report import OPEN_STATES
from mailwise_desktop.mail.team_records import RecordKind
from mailwise_desktop.services.address_book import AddressBookService
from mailwise_desktop.services.contacts import FREE_MAIL, ContactMail, ContactService
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_history import note_entries
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import team_cache

#: Operations that count as "handling" a customer's mail (for "last handled by").
HANDLING = frozenset({"claim", "sent", "done", "skip", "hold", "follow_up", "take_over"})


@dataclass(frozen=True)
class ConversationLine:
    """One conversation on a contact page."""

    conversation: int
    subject: str
    started: datetime | None
    last: datetime | None
    mails: int
    state: str
    owner: str | None
    first_response_seconds: float | None
    resolution_seconds: float | None
    notes: tuple[str, ...]
    addresses: tuple[str, ...]
    mailbox: str = ""
    uid: int = 0  # the latest mail's place (to open it)


@dataclass(frozen=True)
class SenderCard:
    """Who wrote a mail, as the card beside the reading pane shows it."""

    address: str
    name: str
    company: str
    open_conversations: int
    conversations: int
    last_handled_by: str | None
    card: ContactCard | None

    @property
    def vip(self) -> bool:
        return self.card is not None and self.card.vip

    @property
    def do_not_contact(self) -> bool:
        return self.card is not None and self.card.do_not_contact


class ContactHistory:
    """Contact pages and sender cards of one account."""

    def __init__(
        self,
        ctx: AppContext,
        account: Account,
        *,
        book: AddressBookService | None = None,
        derived: ContactService | None = None,
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.book = book or AddressBookService(ctx, account)
        self.derived = derived or ContactService(ctx, account, log=self.book.coordination.log)
        self.log: TeamLog = self.book.coordination.log

    def company_addresses(self, company: str) -> set[str]:
        """Addresses of a company: cards naming it, and senders of its domain."""
        wanted = company.strip().casefold()
        found = {k for k, c in self.book.cards().items() if c.company.casefold() == wanted}
        found |= {c.address for c in self.derived.contacts() if c.organisation.casefold() == wanted}
        return found

    def conversations(
        self, addresses: set[str], mails: list[ContactMail] | None = None
    ) -> list[ConversationLine]:
        """Every conversation with mail from ``addresses``, newest first."""
        if mails is None:
            mails = self.derived.page(addresses)
        roster = self.log.roster()
        with self.ctx.cache.transaction() as session:
            notes_of = team_cache.records_for(
                session, self.account.id, [RecordKind.NOTE], [m.message_key for m in mails]
            )
        by_conversation: dict[int, list[ContactMail]] = {}
        for mail in mails:
            by_conversation.setdefault(mail.conversation, []).append(mail)
        lines = []
        for conversation, group in by_conversation.items():
            first, latest = group[0], group[-1]
            notes = []
            for mail in group:
                records = notes_of.get(mail.message_key, [])
                notes += [f"{n.actor_name}: {n.text}" for n in note_entries(records, roster)]
            closed = [m.resolution_seconds for m in group if m.resolution_seconds is not None]
            lines.append(
                ConversationLine(
                    conversation, first.subject, first.date, latest.date, len(group),
                    latest.state, latest.owner, first.first_response_seconds,
                    closed[-1] if closed and latest.state not in OPEN_STATES else None,
                    tuple(notes), tuple(sorted({m.from_address for m in group})),
                    latest.mailbox, latest.uid,
                )
            )  # fmt: skip
        floor = datetime.min.replace(tzinfo=UTC)
        return sorted(lines, key=lambda c: c.last or c.started or floor, reverse=True)

    def sender_card(self, address: str, fallback_name: str = "") -> SenderCard:
        """The card beside a mail from ``address``."""
        key = canonical_address(address) or address.strip().lower()
        card = self.book.cards().get(key)
        mails = self.derived.page({key})
        lines = self.conversations({key}, mails)
        domain = key.rpartition("@")[2]
        name = (card.name if card else "") or fallback_name
        company = (card.company if card else "") or (
            "" if domain in FREE_MAIL else display_domain(key)
        )
        return SenderCard(
            address=address.strip(),
            name=name,
            company=company,
            open_conversations=sum(1 for c in lines if c.state in OPEN_STATES),
            conversations=len(lines),
            last_handled_by=self._last_handler(mails),
            card=card,
        )

    def _last_handler(self, mails: list[ContactMail]) -> str | None:
        """Who last handled one of ``mails`` (claimed, replied, closed ...): one indexed query."""
        targets = sorted({m.message_key for m in mails})
        if not targets:
            return None
        with self.ctx.cache.transaction() as session:
            found = (
                session.connection()
                .exec_driver_sql(
                    "SELECT actor FROM team_records WHERE account_id = ? AND kind = 'event' "
                    f"AND operation IN ({', '.join('?' * len(HANDLING))}) "
                    f"AND target IN ({', '.join('?' * len(targets))}) ORDER BY created DESC, id DESC LIMIT 1",
                    (self.account.id, *sorted(HANDLING), *targets),
                )
                .scalar()
            )
        if found is None:
            return None
        teammate = self.log.roster().by_id(str(found))
        return teammate.label if teammate else str(found)

    def completions(self) -> list[str]:
        """ "Name <address>" texts for compose: the team's cards first, then senders."""
        cards = self.book.cards()
        # Do-not-contact cards stay: the confirm-send dialog warns about them.
        out = [
            f"{c.name} <{c.address}>" if c.name else c.address for _k, c in sorted(cards.items())
        ]
        for address, name in sorted(self.derived.senders()):
            if (canonical_address(address) or address) not in cards:
                out.append(f"{name} <{address}>" if name else address)
        return out
