"""Contacts derived from the cache (アドレス帳, first part): who writes to the team, and their history.

A contact is a sender address of the handled folders (our own addresses left
out): the latest display name, the organisation by domain (free-mail domains
have none), how many mails, how many still open, the last one. The contact
page lists every mail from that address with its state, owner, and the
first-response and resolution times read from the history events.
Shared contact records (company, phone, VIP ...) are in
``services/address_book.py``; the handling history per conversation and the
sender card in ``services/contact_history.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.contact_cards import canonical_address, display_domain
from mailwise_desktop.core.report import CLOSED_STATES, OPEN_STATES
from mailwise_desktop.mail.team_records import RecordKind, target_key
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import contact_rows, team_cache
from mailwise_desktop.store.conversations import our_addresses

FREE_MAIL = frozenset({
    "gmail.com", "yahoo.co.jp", "yahoo.com", "outlook.com", "outlook.jp", "hotmail.com",
    "icloud.com", "me.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp",
    "i.softbank.jp", "nifty.com", "biglobe.ne.jp", "ocn.ne.jp",
})  # fmt: skip


@dataclass(frozen=True)
class Contact:
    address: str
    name: str
    organisation: str  # the domain, or "" for free mail
    mails: int
    open: int
    last: datetime | None


@dataclass(frozen=True)
class ContactMail:
    """One mail on the contact page."""

    mailbox: str
    uid: int
    subject: str
    date: datetime | None
    state: str
    owner: str | None
    first_response_seconds: float | None
    resolution_seconds: float | None
    row_id: int = 0
    conversation: int = 0
    from_address: str = ""
    message_key: str = ""


class _Row(NamedTuple):
    id: int
    conversation: int
    target: str | None
    raw_email: str
    mailbox: str
    uid: int
    message_id: str | None
    date: float | None
    name: str
    email: str
    subject: str
    state: str
    owner: int | None


def _when(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


class ContactService:
    """Derived contacts of one account."""

    def __init__(self, ctx: AppContext, account: Account, log: TeamLog | None = None) -> None:
        self.ctx = ctx
        self.account = account
        self.log = log if log is not None else TeamLog(ctx, account)

    def _rows(self, addresses: set[str] | None = None) -> list[_Row]:
        """The handled folders' mail, oldest first (only from ``addresses``, canonical, if given)."""
        with self.ctx.cache.transaction() as session:
            self._ours = our_addresses(session, self.account.id, self.account.address)
            senders = None
            if addresses is not None:
                # The spellings a sender's address may be stored in: as is, IDN domain readable.
                senders = set(addresses)
                senders |= {f"{a.rpartition('@')[0]}@{display_domain(a)}" for a in addresses}
            rows = contact_rows.mail_rows(session, self.account.id, self.account.folders, senders)
            return [
                _Row(int(i), int(c), t, raw or "", str(b), int(u), m, d, n or "",
                     canonical_address(e or "") or (e or "").lower(), s or "", str(st), o)
                for i, c, t, raw, b, u, m, d, n, e, s, st, o in rows
            ]  # fmt: skip

    def contacts(self) -> list[Contact]:
        """Every sender, most mails first (aggregated by SQLite: no Python row per mail)."""
        with self.ctx.cache.transaction() as session:
            ours = our_addresses(session, self.account.id, self.account.address)
            groups, names = contact_rows.sender_tallies(
                session, self.account.id, self.account.folders, OPEN_STATES
            )
        found: dict[str, _Tally] = {}
        for email, mails, open_, last in groups:
            key = canonical_address(str(email)) or str(email)
            if key in ours or email in ours:
                continue
            tally = found.setdefault(key, _Tally())
            if (last is not None and (tally.last is None or last >= tally.last)) or not tally.name:
                tally.name = str(names.get(email) or tally.name)
            tally.mails += int(mails)
            tally.open += int(open_ or 0)
            if last is not None and (tally.last is None or last > tally.last):
                tally.last = float(last)
        out = []
        for address, t in found.items():
            domain = address.rpartition("@")[2]
            org = "" if domain in FREE_MAIL else display_domain(address)
            out.append(Contact(address, t.name, org, t.mails, t.open, _when(t.last)))
        return sorted(out, key=lambda c: (-c.mails, c.address))

    def senders(self) -> list[tuple[str, str]]:
        """(address, latest name) of every sender of the handled folders, one SQL GROUP BY."""
        with self.ctx.cache.transaction() as session:
            ours = our_addresses(session, self.account.id, self.account.address)
            found = contact_rows.sender_names(session, self.account.id, self.account.folders)
            return [(a, n) for a, n in found if a not in ours]

    def page(self, address: str | Iterable[str]) -> list[ContactMail]:
        """Every mail from ``address`` (any case or IDN form; or from any of several),
        oldest first, with its handling times."""
        given = [address] if isinstance(address, str) else list(address)
        wanted = {canonical_address(a) or a.strip().lower() for a in given}
        log = self.log
        roster = log.roster()
        rows = [r for r in self._rows(wanted) if r.email in wanted]
        keys = {
            r.id: r.target or target_key(r.message_id, r.date, r.raw_email, r.subject) for r in rows
        }
        with self.ctx.cache.transaction() as session:
            events = team_cache.records_for(
                session, self.account.id, [RecordKind.EVENT], list(keys.values())
            )
        out = []
        for row in rows:
            reply = close = None
            key = keys[row.id]
            for record in events.get(key, []):
                to = record.payload.get("to")
                to_state = to.get("state") if isinstance(to, dict) else None
                if record.payload.get("operation") == "sent" and reply is None:
                    reply = record.created
                if to_state in CLOSED_STATES and close is None:
                    close = record.created
            start = row.date
            teammate = roster.by_slot(row.owner)
            out.append(
                ContactMail(
                    row.mailbox, row.uid, row.subject, _when(start), row.state,
                    teammate.label if teammate else None,
                    None if reply is None or start is None else max(0.0, reply - start),
                    None if close is None or start is None else max(0.0, close - start),
                    row.id, row.conversation, row.email, key,
                )
            )  # fmt: skip
        return out


@dataclass
class _Tally:
    name: str = ""
    mails: int = 0
    open: int = 0
    last: float | None = field(default=None)
