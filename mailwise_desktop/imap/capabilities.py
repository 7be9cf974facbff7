"""What an IMAP server can do, in terms of what the app needs from it.

Handling state and owner live in message keywords and a claim is an atomic
``UID STORE (UNCHANGEDSINCE …)``: without CONDSTORE or custom keywords the
team features cannot work, and the user should hear why in plain words
(:meth:`ServerCapabilities.describe`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient

from mailwise_desktop.imap.connection import translate_imap_error


@dataclass(frozen=True)
class ServerCapabilities:
    """Capabilities of one server, as probed after login.

    Attributes:
        condstore: CONDSTORE (RFC 7162): modseq, atomic conditional STORE.
        qresync: QRESYNC: fast resync with VANISHED expunges.
        idle: IDLE (RFC 2177): the server pushes changes.
        uidplus: UIDPLUS (RFC 4315): APPENDUID / COPYUID, UID EXPUNGE.
        move: MOVE (RFC 6851): atomic move between folders.
        enable: ENABLE (RFC 5161).
        custom_keywords: INBOX's PERMANENTFLAGS contains ``\\*``: new keywords
            can be stored permanently.
        permanent_flags: INBOX's PERMANENTFLAGS as reported.
        raw: every capability the server announced, upper case.
    """

    condstore: bool
    qresync: bool
    idle: bool
    uidplus: bool
    move: bool
    enable: bool
    custom_keywords: bool
    permanent_flags: frozenset[str] = field(default_factory=frozenset)
    raw: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_capabilities(
        cls, capabilities: frozenset[str], permanent_flags: frozenset[str]
    ) -> ServerCapabilities:
        """Build from a capability set and INBOX's PERMANENTFLAGS (both as str)."""
        caps = frozenset(c.upper() for c in capabilities)
        return cls(
            condstore="CONDSTORE" in caps or "QRESYNC" in caps,  # QRESYNC implies CONDSTORE
            qresync="QRESYNC" in caps,
            idle="IDLE" in caps,
            uidplus="UIDPLUS" in caps,
            move="MOVE" in caps,
            enable="ENABLE" in caps,
            custom_keywords="\\*" in permanent_flags,
            permanent_flags=permanent_flags,
            raw=caps,
        )

    @property
    def team_ready(self) -> bool:
        """True when claims and handling state can work on this server."""
        return self.condstore and self.custom_keywords

    def describe(self) -> list[str]:
        """One plain-English line per capability the app relies on."""

        def yes(flag: bool) -> str:
            return "yes" if flag else "no"

        return [
            f"Atomic claims (CONDSTORE): {yes(self.condstore)}",
            f"Fast resync after being offline (QRESYNC): {yes(self.qresync)}",
            f"Instant updates (IDLE): {yes(self.idle)}",
            f"Message numbers after saving or copying (UIDPLUS): {yes(self.uidplus)}",
            f"Moving between folders (MOVE): {yes(self.move)}",
            f"Handling state and owner on messages (custom keywords): {yes(self.custom_keywords)}",
        ]


def _text(value: Any) -> str:
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)


def probe(client: IMAPClient, *, mailbox: str = "INBOX") -> ServerCapabilities:
    """Ask a logged-in server what it supports.

    PERMANENTFLAGS comes from a read-write SELECT of ``mailbox``: servers
    report an empty list on EXAMINE. The mailbox is then closed without
    expunging (UNSELECT, or an EXAMINE when UNSELECT is missing: never CLOSE,
    which would expunge ``\\Deleted`` mail).

    Raises:
        MailwiseError: the connection failed (translated).
    """
    try:
        caps = frozenset(_text(c).upper() for c in client.capabilities())
        selected = client.select_folder(mailbox)
        flags = frozenset(_text(f) for f in selected.get(b"PERMANENTFLAGS", ()))
        if "UNSELECT" in caps:
            client.unselect_folder()
        else:
            client.select_folder(mailbox, readonly=True)
    except Exception as exc:
        raise translate_imap_error(exc) from exc
    return ServerCapabilities.from_capabilities(caps, flags)
