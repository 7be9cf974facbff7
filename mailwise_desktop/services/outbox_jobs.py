"""The server side of sending, as engine jobs: collision check, Sent copy, CAS, history.

Each function takes an :class:`EngineContext` (run by the engine thread in the
UI, by ``run_once`` in the CLI). All of them are idempotent, so the outbox can
repeat a step after a crash without doubling anything:

- :func:`collision` reads the original's flags and searches its thread;
- :func:`find_in_sent` looks for a Message-ID in Sent (resolving ``unknown``);
- :func:`append_to_sent` searches first and APPENDs only when absent;
- :func:`mark_answered_done` is one compare-and-set adding ``\\Answered`` and
  done (owner = me); already there → unchanged;
  and appends the ``sent`` history event (queued locally on failure).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from imapclient.exceptions import IMAPClientError

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import HandlingState, Operation, Refusal, StateView, Transition
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.cas import CasResult, CasStatus, Decide, ensure_keywords, read_flags
from mailwise_desktop.imap.connection import translate_imap_error
from mailwise_desktop.imap.coordination_check import prepare
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.folders import list_folders
from mailwise_desktop.imap.handling_decision import TeamFacts, interpret
from mailwise_desktop.imap.keywords import Decoded
from mailwise_desktop.imap.log_claims import LogResult
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.send.checks import Collision
from mailwise_desktop.send.draft import OriginalSnapshot
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.handling_cas import HandlingCas, event_record
from mailwise_desktop.services.log_operations import change_by_log
from mailwise_desktop.services.mode_switch import cached_link
from mailwise_desktop.services.team_log import TeamLog

log = logging.getLogger(__name__)

ANSWERED = "\\Answered"
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "INBOX.Sent", "送信済みアイテム")


@dataclass(frozen=True)
class ServerState:
    """The original as the server has it now."""

    flags: tuple[str, ...]
    modseq: int
    decoded: Decoded

    @property
    def answered(self) -> bool:
        return any(f.lower() == ANSWERED.lower() for f in self.flags)


def _select(ectx: EngineContext, mailbox: str, *, write: bool) -> None:
    client = ectx.session.client
    if write:
        ensure_keywords(client, mailbox)  # selects read-write, primes our keywords
    else:
        client.select_folder(mailbox, readonly=True)


def read_original(ectx: EngineContext, original: OriginalSnapshot) -> ServerState:
    _select(ectx, original.mailbox, write=True)
    flags, modseq = read_flags(ectx.session.client, original.uid)
    return ServerState(flags, modseq, keywords.decode(flags))


def collision(
    ectx: EngineContext, original: OriginalSnapshot, me: Teammate, roster: Roster
) -> Collision:
    """What changed since ``original`` was taken: answered, another owner, new thread mail.

    Raises:
        NotFoundError: the original is gone from the server.
    """
    now = read_original(ectx, original)
    answered = now.answered and not original.answered
    owner_slot = now.decoded.owner_slot
    other = None
    finished = now.decoded.state in (HandlingState.DONE, HandlingState.NO_REPLY_NEEDED)
    changed = owner_slot != original.owner_slot or str(now.decoded.state) != original.state
    if owner_slot is not None and owner_slot != me.slot and changed:
        who = roster.by_slot(owner_slot)
        other = who.label if who else f"slot {owner_slot}"
    elif finished and changed:
        answered = True
    new = 0
    ids = [i for i in (original.message_id, original.thread_key) if i]
    if ids:
        criteria: list[Any] = []
        for mid in dict.fromkeys(ids):
            criteria += [
                ["OR", "HEADER", "In-Reply-To", f"<{mid}>", "HEADER", "References", f"<{mid}>"]
            ]
        found: set[int] = set()
        for c in criteria:
            found.update(int(u) for u in ectx.session.client.search(c))
        new = len([u for u in found if u >= original.uidnext])
    return Collision(new_messages=new, answered=answered, other_owner=other)


def sent_folder(ectx: EngineContext) -> str:
    """The Sent folder: the one marked ``\\Sent``, else a usual name, else created as ``Sent``."""
    folders = list_folders(ectx.session.client)
    for folder in folders:
        if folder.special_use == "\\Sent" and folder.selectable:
            return folder.name
    names = {f.name.casefold(): f.name for f in folders if f.selectable}
    for candidate in SENT_NAMES:
        if candidate.casefold() in names:
            return names[candidate.casefold()]
    ectx.session.client.create_folder("Sent")
    return "Sent"


def find_in_sent(ectx: EngineContext, message_id: str) -> bool:
    """True when a message with this Message-ID is in Sent."""
    folder = sent_folder(ectx)
    ectx.session.client.select_folder(folder, readonly=True)
    return bool(ectx.session.client.search(["HEADER", "Message-ID", f"<{message_id}>"]))


def append_to_sent(ectx: EngineContext, raw: bytes, message_id: str) -> bool:
    """Put the sent mail in Sent (``\\Seen``) unless it is there; True when appended."""
    if find_in_sent(ectx, message_id):
        return False
    ectx.session.client.append(sent_folder(ectx), raw, flags=(b"\\Seen",))
    return True


def mark_answered_done(
    ectx: EngineContext,
    coordination: CoordinationService,
    original: OriginalSnapshot,
    me: Teammate,
    *,
    done: bool,
    message_id: str,
    recipients: list[str],
    template: str | None = None,
) -> tuple[CasResult | LogResult, Changes]:
    """One CAS on the original: add ``\\Answered`` and (by default) done with owner = me.

    Then the ``sent`` history event (queued locally when the APPEND fails).
    Idempotent: a repeat finds the flags in place (unchanged, no second event).
    In Mode B, ``\\Answered`` (a system flag every server keeps) is added by
    a plain STORE and done is one change of the team log, the ``sent`` record.

    Returns:
        The CAS result and the cache rows it changed (the views' one update).
    """
    link = cached_link(coordination, original.mailbox)
    if link is not None and link.log_writes_allowed:
        extra = {"message_id": message_id, "recipients": recipients, "template": template}
        return _answered_by_log(ectx, coordination, original, me, done=done, extra=extra)
    prepare(ectx, original.mailbox)
    cas = HandlingCas(coordination, ectx, original.mailbox, original.uid)

    def make(facts: TeamFacts) -> Decide:
        def decide(flags: tuple[str, ...], decoded: Decoded) -> tuple[str, ...] | Refusal:
            interpret(decoded, facts)  # keywords needing repair: the team mailbox is read first
            answered = any(f.lower() == ANSWERED.lower() for f in flags)
            base = flags if answered else (*flags, ANSWERED)
            return keywords.apply(base, HandlingState.DONE, me.slot) if done else base

        return decide

    def record(won: CasResult) -> TeamRecord:
        event = event_record(cas, "sent", me, won, False)
        payload = {**event.payload, "message_id": message_id, "recipients": recipients}
        # Which template the reply started from (None: free text), for the reports.
        payload["template"] = template
        return replace(event, payload=payload)

    # The event is written ahead of the STORE and sent after a win (HandlingCas).
    result = cas.run_made(make, record=record)
    changes = cas.cache_result(result)
    if result.status is CasStatus.WON:
        cas.deliver()
    return result, changes


def _answered_by_log(
    ectx: EngineContext,
    coordination: CoordinationService,
    original: OriginalSnapshot,
    me: Teammate,
    *,
    done: bool,
    extra: dict[str, Any],
) -> tuple[LogResult, Changes]:
    client = ectx.session.client
    try:
        client.select_folder(original.mailbox)
        client.add_flags([original.uid], [ANSWERED], silent=True)
    except IMAPClientError as exc:
        raise translate_imap_error(exc) from exc
    cas = HandlingCas(coordination, ectx, original.mailbox, original.uid)
    choice = coordination.modes.choice(ectx, original.mailbox)

    def decide(current: StateView) -> Transition:
        after = StateView(HandlingState.DONE, me.slot) if done else current
        return Transition(Operation.DONE, current, after)

    return change_by_log(coordination, ectx, cas, "sent", me, choice, decide=decide, extra=extra)


def team_append(ectx: EngineContext, log: TeamLog, record: TeamRecord) -> bool:
    """APPEND a team record (template, policy) and read it back; queued locally on failure.

    Returns:
        True when the server has it now, False when it was queued.
    """
    log.flush(ectx)
    written = log.write(ectx, record)
    log.refresh(ectx)
    return written


__all__ = [
    "NotFoundError",
    "ServerState",
    "append_to_sent",
    "collision",
    "find_in_sent",
    "mark_answered_done",
    "read_original",
    "sent_folder",
    "team_append",
]
