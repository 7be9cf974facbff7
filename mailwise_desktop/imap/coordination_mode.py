"""Which coordination mode a mailbox uses, and why, in plain words (COORDINATION.md).

Mode A (keywords) needs custom keywords the server really keeps and
CONDSTORE; anything less is Mode B (the team log decides). The choice uses
CAPABILITY, the read-write SELECT's PERMANENTFLAGS, and a probe STORE of one
of our keywords on a throwaway message: a server may advertise ``\\*`` and
still answer ``NO [CANNOT]`` (Dovecot with a tiny ``mail_max_keyword_length``,
some hosted services).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from mailwise_desktop.imap.keywords import KW_WIP


class CoordinationMode(StrEnum):
    """How handling state is shared for one mailbox."""

    KEYWORDS = "keywords"  # Mode A: keywords + CONDSTORE compare-and-set
    LOG = "log"  # Mode B: records in the team mailbox, first placed wins


@dataclass(frozen=True)
class ModeChoice:
    """The mode of one mailbox and the facts it came from.

    Attributes:
        mailbox: the customer mailbox.
        condstore: the server offers CONDSTORE (or QRESYNC).
        keywords_advertised: ``\\*`` in PERMANENTFLAGS.
        keywords_work: the probe STORE of a keyword was accepted (None: not tried).
        probe_answer: the server's words when the probe was refused.
    """

    mailbox: str
    condstore: bool
    keywords_advertised: bool
    keywords_work: bool | None
    probe_answer: str = ""

    @property
    def keywords(self) -> bool:
        """Keywords can be written (and so can mirror the state for other mail apps)."""
        return self.keywords_advertised and self.keywords_work is not False

    @property
    def mode(self) -> CoordinationMode:
        if self.condstore and self.keywords:
            return CoordinationMode.KEYWORDS
        return CoordinationMode.LOG

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why Mode B, one plain clause each (empty in Mode A)."""
        found = []
        if not self.keywords_advertised:
            found.append("the server does not keep custom labels on messages")
        elif self.keywords_work is False:
            found.append("the server refused to store a label on a test message")
        if not self.condstore:
            found.append("the server cannot change a message only if nobody changed it first")
        return tuple(found)

    def explain(self) -> str:
        """One sentence for ``account add``, ``team status`` and the window."""
        if self.mode is CoordinationMode.KEYWORDS:
            return (
                f"{self.mailbox}: who handles what is kept as labels on each message "
                "(the server supports them), so other mail apps can see it too."
            )
        mirror = (
            " Labels on the messages mirror it for other mail apps."
            if self.keywords
            else " Other mail apps do not see who handles what."
        )
        return (
            f"{self.mailbox}: who handles what is decided by the team log in the team mailbox, "
            f"because {' and '.join(self.reasons)}. Claims still go to exactly one person." + mirror
        )


def has_condstore(capabilities: Iterable[str | bytes]) -> bool:
    """CONDSTORE (or QRESYNC, which implies it) in CAPABILITY."""
    names = {(c.decode() if isinstance(c, bytes) else c).upper() for c in capabilities}
    return bool(names & {"CONDSTORE", "QRESYNC"})


def probe_keyword(client: IMAPClient, mailbox: str) -> tuple[bool, str]:
    """STORE one of our keywords on a throwaway message in ``mailbox``.

    The message is appended already ``\\Deleted`` and removed by UID EXPUNGE
    (with UIDPLUS; without, it stays deleted: a plain EXPUNGE would also remove
    other people's deleted mail). Leaves ``mailbox`` selected read-write.

    Returns:
        (accepted, the server's words when refused).
    """
    raw = (
        b"Subject: [mailwise] label test\r\nX-Mailwise-Kind: primer\r\n"
        b"From: Mailwise <mailwise@mailwise.invalid>\r\n\r\n-\r\n"
    )
    uidplus = client.has_capability("UIDPLUS")
    found = None
    if not uidplus:
        # It cannot be removed afterwards: reuse the one an earlier probe left.
        client.select_folder(mailbox)
        left = client.search(["DELETED", "HEADER", "X-Mailwise-Kind", "primer"])
        if left:
            return _probe(client, max(left), expunge=False)
    reply = client.append(mailbox, raw, flags=("\\Deleted", "\\Seen"))
    found = re.search(rb"APPENDUID \d+ (\d+)", reply or b"") if uidplus else None
    client.select_folder(mailbox)
    if found:
        uid = int(found.group(1))
    else:
        uids = client.search(["DELETED", "HEADER", "X-Mailwise-Kind", "primer"])
        if not uids:
            return True, ""
        uid = max(uids)
    return _probe(client, uid, expunge=found is not None)


def _probe(client: IMAPClient, uid: int, *, expunge: bool) -> tuple[bool, str]:
    accepted, answer = True, ""
    try:
        client.add_flags([uid], [KW_WIP], silent=True)
        flags = client.get_flags([uid]).get(uid, ())
        kept = {(f.decode() if isinstance(f, bytes) else f).lower() for f in flags}
        if KW_WIP not in kept:
            accepted, answer = False, "the label was accepted but not kept"
    except IMAPClientError as exc:
        accepted, answer = False, str(exc)
    if expunge:
        client.uid_expunge([uid])
    elif accepted:
        client.remove_flags([uid], [KW_WIP], silent=True)  # it stays: leave no state on it
    return accepted, answer


def choose(client: IMAPClient, mailbox: str) -> ModeChoice:
    """Select ``mailbox`` read-write, probe, and decide its mode."""
    info = client.select_folder(mailbox)
    permanent = {
        (f.decode() if isinstance(f, bytes) else str(f)) for f in info.get(b"PERMANENTFLAGS", ())
    }
    advertised = "\\*" in permanent
    works: bool | None = None
    answer = ""
    if advertised:
        works, answer = probe_keyword(client, mailbox)
    return ModeChoice(
        mailbox=mailbox,
        condstore=has_condstore(client.capabilities()),
        keywords_advertised=advertised,
        keywords_work=works,
        probe_answer=answer,
    )
