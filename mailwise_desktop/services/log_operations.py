"""Mode B inside the coordination service: the seam ``CoordinationService._operate`` calls.

:class:`MailboxModes` remembers each mailbox's :class:`ModeChoice` per
connection (the probe runs once per connection and mailbox) and keeps the
last one in memory for the status text. :func:`operate_by_log` runs one
operation through the team log (``imap/log_claims.py``) and answers with the
same :class:`OperationOutcome` as Mode A, so the CLI and the window need no
change. The records it read or wrote go into the team cache at once and the
row's state follows (``store/log_states.py``): the list shows the change
without waiting for the next read of the team mailbox. Where the server
keeps keywords (but lacks CONDSTORE) they mirror the result for other mail apps.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from imapclient.exceptions import IMAPClientError

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.claim_log import resolve_records
from mailwise_desktop.core.log_modes import MODE_KIND
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.core.states import Operation, RefusalKind, StateView
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.connection import translate_imap_error
from mailwise_desktop.imap.coordination_mode import CoordinationMode, ModeChoice, choose
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.log_claims import Decide, LogClaims, LogResult, LogStatus
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord
from mailwise_desktop.services.handling_cas import HandlingCas
from mailwise_desktop.services.handling_outcome import DONE_WORDS, OperationOutcome
from mailwise_desktop.services.team_history import clock, holder_since
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.store import log_states, team_cache

log = logging.getLogger(__name__)


class MailboxModes:
    """The coordination mode of each mailbox, decided once per connection."""

    def __init__(self) -> None:
        self._choices: dict[tuple[int, str], ModeChoice] = {}
        self.last: dict[str, ModeChoice] = {}
        #: (connection, team mailbox) pairs known to exist
        self.team_ready: set[tuple[int, str]] = set()

    def choice(self, ectx: EngineContext, mailbox: str) -> ModeChoice:
        key = (id(ectx.session), mailbox)
        found = self._choices.get(key)
        if found is None:
            try:
                found = choose(ectx.session.client, mailbox)
            except IMAPClientError as exc:
                raise translate_imap_error(exc) from exc
            self._choices[key] = found
            self.last[mailbox] = found
            log.info("%s", found.explain())
        return found

    def assume_keywords(self, ectx: EngineContext, mailbox: str) -> None:
        """The Mode A check passed on this connection: no probe needed to know it."""
        key = (id(ectx.session), mailbox)
        if key not in self._choices:
            self._choices[key] = self.last[mailbox] = ModeChoice(mailbox, True, True, None)


def note_log_mode(modes: MailboxModes, ectx: EngineContext, mailbox: str) -> bool:
    """After the Mode A check refused ``mailbox``: if it is a Mode B mailbox, keep it as ready.

    The saved reason is the plain sentence saying the team log decides, and why.

    Returns:
        True when the mailbox is a Mode B one (its handling works).
    """
    choice = modes.choice(ectx, mailbox)
    if choice.mode is CoordinationMode.LOG:
        with ectx.db.transaction() as session:
            team_cache.save_check(session, ectx.account.id, mailbox, True, (choice.explain(),))
        return True
    return False


class LogCoordination(Protocol):
    """What Mode B needs of the coordination service (no import of it: no circle)."""

    account: Account
    log: TeamLog
    modes: MailboxModes


def log_claims(service: LogCoordination, ectx: EngineContext, mailbox: str) -> LogClaims:
    """A Mode B writer for ``mailbox`` on the engine's connection (team mailbox created first)."""
    key = (id(ectx.session), service.log.name)
    if key not in service.modes.team_ready:  # creates the team mailbox on first use
        service.log.mailbox(ectx).status()
        service.modes.team_ready.add(key)
    account_id = service.account.id

    def known(uidvalidity: int, uids: Sequence[int]) -> Mapping[int, TeamRecord]:
        with ectx.db.transaction() as session:
            state = team_cache.team_state(session, account_id, service.log.name)
            if state.uidvalidity != uidvalidity:
                return {}
            return team_cache.records_by_uid(session, account_id, uids)

    return LogClaims(
        ectx.session.client,
        service.log.name,
        mailbox=mailbox,
        known=known,
        sender=service.account.address or None,
    )


def keep_records(
    service: LogCoordination,
    ectx: EngineContext,
    records: Sequence[TeamRecord],
    placed: tuple[str, StateView] | None = None,
) -> Changes:
    """Cache what a Mode B change read and wrote; the rows it changes, as Changes.

    ``placed``: (target, state) the change left, so its rows take it without
    resolving the log again (the claim's hot path); a new mode link still
    rewrites every row.
    """
    account_id = service.account.id
    with ectx.db.transaction() as session:
        new = team_cache.insert_new_records(
            session, account_id, [r for r in records if r.uid is not None]
        )
        if not new:
            return Changes()
        # The change's reading holds every record of its target and the chain.
        log_states.mark_not_placed(session, account_id, resolve_records(records))
        if placed is not None and all(r.kind != MODE_KIND for r in new):
            touched = log_states.apply_view(session, account_id, *placed)
        elif any(r.kind == MODE_KIND for r in new):
            touched = log_states.apply_to_targets(session, account_id)  # every row
        else:
            events = [r.target for r in new if r.kind == RecordKind.EVENT]
            touched = log_states.apply_to_targets(session, account_id, events)
    boxes = tuple(
        MailboxChanges(account_id, name, changed=frozenset(ids)) for name, ids in touched.items()
    )
    return Changes(boxes, team_records=len(new))


def _mirror(ectx: EngineContext, mailbox: str, uid: int, result: LogResult) -> None:
    """Write our keywords for the new state (plain STORE: the log, not the flags, decides)."""
    client = ectx.session.client
    try:
        client.select_folder(mailbox)
        flags = client.get_flags([uid]).get(uid, ())
        new = keywords.apply(flags, result.view.state, result.view.owner_slot)
        client.set_flags([uid], list(new), silent=True)
    except IMAPClientError as exc:  # display only: the change stands
        log.warning("could not mirror the state on %s/%s: %s", mailbox, uid, exc)


def change_by_log(  # noqa: PLR0917 - the parts of one change
    service: LogCoordination,
    ectx: EngineContext,
    cas: HandlingCas,
    operation: Operation | str,
    me: Teammate,
    choice: ModeChoice,
    *,
    target_slot: int | None = None,
    take_over: bool = False,
    decide: Decide | None = None,
    extra: Mapping[str, Any] | None = None,
) -> tuple[LogResult, Changes]:
    """One Mode B change on ``cas``'s message: the result and the cache rows it changed."""
    claims = log_claims(service, ectx, cas.mailbox)
    try:
        result = claims.change(
            cas.target_key(),
            operation,
            actor=me.id,
            actor_label=me.label,
            me=me.slot,
            subject=cas.summary().subject,
            target_slot=target_slot,
            take_over=take_over,
            decide=decide,
            extra=extra,
        )
    except IMAPClientError as exc:
        raise translate_imap_error(exc) from exc
    placed = None
    if result.status in {LogStatus.WON, LogStatus.REFUSED, LogStatus.UNCHANGED}:
        placed = (cas.target_key(), result.view)
    changes = keep_records(service, ectx, result.records, placed)
    if result.status is LogStatus.WON and choice.keywords:
        _mirror(ectx, cas.mailbox, cas.uid, result)
    return result, changes


def operate_by_log(  # noqa: PLR0917 - mirrors CoordinationService._operate
    service: LogCoordination,
    ectx: EngineContext,
    cas: HandlingCas,
    operation: Operation,
    me: Teammate,
    target_slot: int | None,
    take_over: bool,
    choice: ModeChoice,
) -> OperationOutcome | None:
    """``operation`` on ``cas``'s message, decided by the team log.

    Returns:
        None when the mailbox's mode chain moved to keywords meanwhile (the
        record was fenced off): the caller runs the operation in Mode A.
    """
    summary = cas.summary()
    result, changes = change_by_log(
        service, ectx, cas, operation, me, choice, target_slot=target_slot, take_over=take_over
    )
    if result.status is LogStatus.FENCED:
        return None
    roster = service.log.roster()
    owner = roster.by_slot(result.view.owner_slot)
    state = result.view.state
    if result.status in {LogStatus.WON, LogStatus.UNCHANGED}:
        words = DONE_WORDS[operation]
        if operation is Operation.TRANSFER and owner is not None:
            words = f"Handed over to {owner.label}"
        text = f"{words}: {summary.subject}"
        return OperationOutcome(operation, cas.uid, True, state, owner, None, text, changes)
    if result.status is LogStatus.CONTENDED:
        text = "Teammates kept changing this message at the same moment; try again."
        return OperationOutcome(operation, cas.uid, False, state, owner, None, text, changes)
    refusal = result.refusal
    kind = refusal.kind if refusal is not None else RefusalKind.NOT_ALLOWED
    if kind is RefusalKind.HELD_BY_OTHER:
        who = owner.label if owner else (result.head.actor if result.head else "a teammate")
        slot = result.view.owner_slot
        since = holder_since(cas.records(), slot) if slot is not None else None
        text = f"{who} has held this since {clock(since)}." if since else f"{who} holds this."
        return OperationOutcome(operation, cas.uid, False, state, owner, since, text, changes, kind)
    text = f"Cannot {operation.value}: the message is {state.value.replace('_', ' ')}" + (
        f" ({owner.label})." if owner else "."
    )
    return OperationOutcome(operation, cas.uid, False, state, owner, None, text, changes, kind)
