"""Can this mailbox carry handling state? The per-mailbox check of COORDINATION.md, Mode A.

Three preconditions: custom keywords (``\\*`` in PERMANENTFLAGS of a
read-write SELECT), CONDSTORE (HIGHESTMODSEQ reported after ENABLE, not
NOMODSEQ), and the right to write keywords (not READ-ONLY; with ACL, the ``w``
right). The result is kept in the cache (``store/team_cache.py``) so the CLI
(``mailwise team status``) and the account's status in the UI can say in plain
words why team features are off, and every state change is refused with that
reason.

:func:`prepare` runs the check once per connection and mailbox, then primes
our keywords (``imap/cas.py: ensure_keywords``) and leaves the mailbox
selected read-write, ready for compare-and-set.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailwise_desktop.core.errors import (
    TEAM_OFF_CLAUSES,
    CapabilityError,
    ErrorCase,
    TeamOffReason,
)
from mailwise_desktop.imap.cas import ensure_keywords
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.mailbox_sync import ServerFeatures
from mailwise_desktop.imap.select_state import MailboxStatus
from mailwise_desktop.imap.tokens import Token
from mailwise_desktop.imap.wire import Wire, mailbox_arg
from mailwise_desktop.store import team_cache


@dataclass(frozen=True)
class Readiness:
    """The outcome of the check for one mailbox."""

    mailbox: str
    custom_keywords: bool
    condstore: bool
    writable: bool

    @property
    def ready(self) -> bool:
        return self.custom_keywords and self.condstore and self.writable

    @property
    def reason_codes(self) -> tuple[TeamOffReason, ...]:
        """What is missing, as codes each front end words (empty when ready)."""
        found = []
        if not self.custom_keywords:
            found.append(TeamOffReason.NO_KEYWORDS)
        if not self.condstore:
            found.append(TeamOffReason.NO_CONDSTORE)
        if not self.writable:
            found.append(TeamOffReason.READ_ONLY)
        return tuple(found)

    @property
    def reasons(self) -> tuple[str, ...]:
        """What is missing, one plain English clause each (empty when ready)."""
        return tuple(TEAM_OFF_CLAUSES[code] for code in self.reason_codes)


def explain(mailbox: str, reasons: tuple[str, ...]) -> str:
    """One sentence for the account's status and for every refused change."""
    return f"Team handling is off for {mailbox}: " + "; ".join(reasons) + "."


def assess(
    mailbox: str, status: MailboxStatus, features: ServerFeatures, rights: str | None
) -> Readiness:
    """Decide from a read-write SELECT's status, the enabled features, and MYRIGHTS (if ACL)."""
    writable = not status.read_only and (rights is None or "w" in rights)
    return Readiness(
        mailbox=mailbox,
        custom_keywords=status.allows_keywords,
        condstore=features.condstore and status.highestmodseq is not None,
        writable=writable,
    )


def my_rights(wire: Wire, mailbox: str) -> str | None:
    """``MYRIGHTS`` for the mailbox (RFC 4314), or None when the server has no ACL."""
    response = wire.command(b"MYRIGHTS " + mailbox_arg(mailbox))
    if not response.ok:
        return None
    for tokens in response.untagged:
        if tokens and tokens[0] == b"MYRIGHTS" and len(tokens) >= 3:
            last: Token = tokens[-1]
            if isinstance(last, bytes):
                return last.decode("ascii", "replace")
    return None


def prepare(ectx: EngineContext, mailbox: str) -> Readiness:
    """Check ``mailbox`` (once per connection), prime our keywords, leave it selected read-write.

    Raises:
        CapabilityError: the mailbox cannot carry handling state
            (:attr:`ErrorCase.TEAM_OFF`, data: mailbox and the reason codes);
            the message says why in plain English (and the cache remembers it).
    """
    sync = ectx.mailbox(mailbox)
    if mailbox in ectx.primed:
        sync.ensure_selected()
        return Readiness(mailbox, True, True, True)
    status = sync.select()
    acl = "ACL" in ectx.session.capabilities
    rights = my_rights(ectx.session.wire, mailbox) if acl else None
    readiness = assess(mailbox, status, ectx.session.features, rights)
    with ectx.db.transaction() as session:
        team_cache.save_check(session, ectx.account.id, mailbox, readiness.ready, readiness.reasons)
    if not readiness.ready:
        raise CapabilityError(
            explain(mailbox, readiness.reasons),
            case=ErrorCase.TEAM_OFF,
            data={
                "mailbox": mailbox,
                "reasons": ",".join(code.value for code in readiness.reason_codes),
            },
            detail=f"PERMANENTFLAGS {status.permanent_flags}, HIGHESTMODSEQ "
            f"{status.highestmodseq}, read-only {status.read_only}, MYRIGHTS {rights}",
        )
    ensure_keywords(ectx.session.client, mailbox)  # leaves it selected read-write
    ectx.primed.add(mailbox)
    return readiness
