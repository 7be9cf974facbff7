"""Which authority a mailbox uses, as the team log records it (COORDINATION.md, "Switching").

A mailbox's coordination mode is team-wide, so it lives in the team log as a
chain of ``mode`` records (target ``mode:<mailbox>``), each naming the record
it supersedes like a Mode B change: the first placed on a head wins. A record
says which mode (``log`` = Mode B, ``keywords`` = Mode A) and which phase:

- ``switching``: the team is moving to that mode; nobody changes handling
  state in the mailbox meanwhile (the switcher carries the state over).
- ``effective``: that mode decides from here on.

No record at all means "as the server allows" (Mode A where it can). Mode B
changes placed while the chain says keywords are fenced off: every reader
rejects them, so a writer that missed the switch learns it on read-back.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: The record kind of a chain link, and the prefix of its target.
MODE_KIND = "mode"
_TARGET_PREFIX = "mode:"


class Authority(StrEnum):
    """Who decides handling state in a mailbox."""

    LOG = "log"  # Mode B: the team log
    KEYWORDS = "keywords"  # Mode A: keywords + CONDSTORE compare-and-set


class Phase(StrEnum):
    SWITCHING = "switching"
    EFFECTIVE = "effective"


def mode_target(mailbox: str) -> str:
    """The target of ``mailbox``'s chain records."""
    return _TARGET_PREFIX + mailbox


@dataclass(frozen=True)
class ModeEntry:
    """One link of a mailbox's mode chain.

    Attributes:
        uid: its UID in the team mailbox.
        record_id: its Message-ID (the next link's base).
        mailbox: the customer mailbox it is about.
        authority: the mode it moves to.
        phase: switching or effective.
        base: the link it supersedes (None: the first).
        actor: teammate id of the writer.
        auto: written because the server's abilities changed, not by a team decision.
        created: when it was written (epoch seconds; a stalled switch is aborted by age).
    """

    uid: int
    record_id: str
    mailbox: str
    authority: Authority
    phase: Phase
    base: str | None
    actor: str
    auto: bool = False
    created: float = 0.0

    @property
    def log_writes_allowed(self) -> bool:
        """Mode B changes placed under this link count (else they are fenced off)."""
        return self.authority is Authority.LOG

    @property
    def shows_log(self) -> bool:
        """The list shows the log's state (Mode B, or while switching away from it)."""
        if self.phase is Phase.EFFECTIVE:
            return self.authority is Authority.LOG
        return self.authority is Authority.KEYWORDS  # switching to keywords: the log still shows

    @property
    def settled(self) -> bool:
        return self.phase is Phase.EFFECTIVE


def mode_entry_from(
    uid: int, record_id: str, actor: str, payload: Mapping[str, Any], created: float = 0.0
) -> ModeEntry | None:
    """A :class:`ModeEntry` from a ``mode`` record's parts; None when malformed (outside input)."""
    mailbox, base = payload.get("mailbox"), payload.get("base")
    if not isinstance(mailbox, str) or not mailbox:
        return None
    if not (base is None or isinstance(base, str)):
        return None
    try:
        authority = Authority(str(payload.get("authority")))
        phase = Phase(str(payload.get("phase")))
    except ValueError:
        return None
    auto = payload.get("auto") is True
    return ModeEntry(uid, record_id, mailbox, authority, phase, base, actor, auto, created)


def mode_payload(
    mailbox: str, authority: Authority, phase: Phase, base: str | None, *, auto: bool
) -> dict[str, Any]:
    """The JSON body of a chain link."""
    return {
        "mailbox": mailbox,
        "authority": str(authority),
        "phase": str(phase),
        "base": base,
        "auto": auto,
    }
