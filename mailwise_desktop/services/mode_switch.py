"""Switching a mailbox between Mode A and Mode B with its state kept (COORDINATION.md, "Switching").

The mode is a team-wide fact in the team log (``core/log_modes.py``). A
switch is two chain links with the carry-over between them:

- to the log: ``log/switching`` (Mode A clients stop changing state in the
  mailbox as soon as they read it); where the server can still do Mode A the
  switcher waits :data:`SWITCH_GRACE` so every running client has read it
  and finished what it started; then the readers' resolution starts from the
  Mode A history events (``core/claim_log.py``: seeds), and the switcher adds
  a ``carry`` record for every message whose keywords say otherwise (a lost
  event, a repair); then ``log/effective``.
- to keywords: ``keywords/switching`` (from here every reader fences off
  Mode B records, so the log is frozen exactly there); the switcher writes
  each message's keywords from the frozen log; then ``keywords/effective``.

A link still ``switching`` after :data:`SWITCH_STALE` seconds (its writer
died) is aborted by the next client: an ``effective`` link of the old mode.
Automatic: a mailbox whose server cannot do Mode A goes to the log by
itself; one that went there automatically comes back when the server can
again. A team decision (``mailwise team mode``) is never undone automatically.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from imapclient.exceptions import IMAPClientError

from mailwise_desktop.core.claim_log import Resolution, resolve_records
from mailwise_desktop.core.errors import CapabilityError, NotAllowedError
from mailwise_desktop.core.log_modes import Authority, ModeEntry, Phase
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import Operation, StateView, Transition
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.connection import translate_imap_error
from mailwise_desktop.imap.coordination_mode import CoordinationMode, ModeChoice
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.handling_cas import HandlingCas
from mailwise_desktop.services.log_operations import (
    LogCoordination,
    change_by_log,
    keep_records,
    log_claims,
)
from mailwise_desktop.store import log_states


class CoordinationService(LogCoordination, Protocol):
    """What a switch needs of the coordination service (a protocol: no import circle)."""

    ctx: AppContext

    def require_me(
        self, ectx: EngineContext | None = None, roster: Roster | None = None
    ) -> Teammate: ...


log = logging.getLogger(__name__)

#: Seconds the switcher to the log waits for Mode A clients to read "switching"
#: (they read it before an operation when their copy is older than 4 s).
SWITCH_GRACE = 6.0
#: A switch still unfinished after this many seconds is aborted by the next client.
SWITCH_STALE = 120.0

_WORDS = {Authority.LOG: "the team log", Authority.KEYWORDS: "labels on each message"}


@dataclass(frozen=True)
class SwitchOutcome:
    """How a switch ended: the chain head afterwards and how much state was carried."""

    mailbox: str
    authority: Authority
    carried: int
    switched: bool  # this client wrote the switch (False: it was so already, or a teammate did)

    @property
    def message(self) -> str:
        where = _WORDS[self.authority]
        if not self.switched:
            return f"{self.mailbox}: who handles what is kept by {where}."
        return (
            f"{self.mailbox}: who handles what is now kept by {where}; "
            f"{self.carried} message(s) carried over, nothing lost."
        )


def cached_link(service: CoordinationService, mailbox: str) -> ModeEntry | None:
    """The mailbox's chain head as cached."""
    with service.ctx.cache.transaction() as session:
        chain = log_states.chain_records(session, service.account.id)
    return resolve_records(chain).chain.get(mailbox)


def authority(
    service: CoordinationService,
    ectx: EngineContext,
    mailbox: str,
    choice: ModeChoice,
    me: Teammate,
    *,
    may_switch_back: bool = False,
) -> Authority:
    """Who decides in ``mailbox`` now; performs the automatic switches on the way.

    Raises:
        NotAllowedError: a teammate is switching the mailbox right now.
    """
    capable = choice.mode is CoordinationMode.KEYWORDS
    for _ in range(3):
        link = cached_link(service, mailbox)
        if link is None:
            if capable:
                return Authority.KEYWORDS
            switch(service, ectx, mailbox, Authority.LOG, choice, me, auto=True)
            continue
        if not link.settled:
            if time.time() - link.created > SWITCH_STALE:
                _abort(service, ectx, mailbox, link, me)
                continue
            raise NotAllowedError(
                f"The team is switching how {mailbox} keeps who handles what; "
                "try again in a moment."
            )
        if link.authority is Authority.KEYWORDS:
            if capable:
                return Authority.KEYWORDS
            switch(service, ectx, mailbox, Authority.LOG, choice, me, auto=True)
            continue
        if capable and link.auto and may_switch_back:
            switch(service, ectx, mailbox, Authority.KEYWORDS, choice, me, auto=True)
            continue
        return Authority.LOG
    raise NotAllowedError(f"{mailbox} keeps changing modes; try again in a moment.")


def switch(  # noqa: PLR0917 - the parts of one switch
    service: CoordinationService,
    ectx: EngineContext,
    mailbox: str,
    to: Authority,
    choice: ModeChoice,
    me: Teammate,
    *,
    auto: bool,
) -> SwitchOutcome:
    """Move ``mailbox`` to ``to`` with its state kept (see the module docstring)."""
    capable = choice.mode is CoordinationMode.KEYWORDS
    if to is Authority.KEYWORDS and not capable:
        raise CapabilityError(
            f"{mailbox} cannot use labels on each message: " + "; ".join(choice.reasons) + "."
        )
    claims = log_claims(service, ectx, mailbox)
    try:
        head = claims.chain_head()
        service.log.refresh(ectx)  # the cache learns the chain as the server has it
        if head is not None and head.authority is to:
            if head.settled:
                return SwitchOutcome(mailbox, to, 0, False)
            raise NotAllowedError(f"A teammate is switching {mailbox} right now.")
        direct = to is Authority.LOG and not capable and not _has_history(service, mailbox)
        phase = Phase.EFFECTIVE if direct else Phase.SWITCHING
        placed, ours, seen = claims.put_link(
            to, phase, actor=me.id, actor_label=me.label, base=_id(head), auto=auto
        )
    except IMAPClientError as exc:
        raise translate_imap_error(exc) from exc
    keep_records(service, ectx, seen)
    if placed is None or not ours:
        return SwitchOutcome(mailbox, to, 0, False)  # a teammate moved the chain first
    log.info("%s: switching to %s (%s)", mailbox, to, "automatic" if auto else "team decision")
    carried = 0
    if not direct:
        if to is Authority.LOG:
            if capable:
                time.sleep(SWITCH_GRACE)  # running Mode A clients read "switching" meanwhile
            carried = _carry_to_log(service, ectx, mailbox, choice, me)
        else:
            carried = _carry_to_keywords(service, ectx, mailbox)
        _finish(service, ectx, mailbox, to, placed, me, auto)
    service.log.refresh(ectx)
    return SwitchOutcome(mailbox, to, carried, True)


def _id(link: ModeEntry | None) -> str | None:
    return link.record_id if link else None


def _finish(  # noqa: PLR0917
    service: CoordinationService,
    ectx: EngineContext,
    mailbox: str,
    to: Authority,
    switching: ModeEntry,
    me: Teammate,
    auto: bool,
) -> None:
    claims = log_claims(service, ectx, mailbox)
    try:
        _, _, seen = claims.put_link(
            to,
            Phase.EFFECTIVE,
            actor=me.id,
            actor_label=me.label,
            base=switching.record_id,
            auto=auto,
        )
    except IMAPClientError as exc:
        raise translate_imap_error(exc) from exc
    keep_records(service, ectx, seen)


def _abort(
    service: CoordinationService,
    ectx: EngineContext,
    mailbox: str,
    stalled: ModeEntry,
    me: Teammate,
) -> None:
    """A switch whose writer died: back to the mode it left (first placed wins)."""
    back = Authority.KEYWORDS if stalled.authority is Authority.LOG else Authority.LOG
    log.warning("%s: a switch by %s stalled; going back to %s", mailbox, stalled.actor, back)
    _finish(service, ectx, mailbox, back, stalled, me, stalled.auto)


def _has_history(service: CoordinationService, mailbox: str) -> bool:
    """Any Mode A event about ``mailbox`` in the cached log (then the log starts from it)."""
    with service.ctx.cache.transaction() as session:
        return log_states.has_mode_a_events(session, service.account.id, mailbox)


def _rows(service: CoordinationService, mailbox: str) -> list[tuple[int, str, str]]:
    with service.ctx.cache.transaction() as session:
        return log_states.mailbox_rows(session, service.account.id, mailbox)


def _resolved(service: CoordinationService, keys: list[str]) -> Resolution:
    with service.ctx.cache.transaction() as session:
        return log_states.resolution_for(session, service.account.id, keys)


def _carry_to_log(
    service: CoordinationService,
    ectx: EngineContext,
    mailbox: str,
    choice: ModeChoice,
    me: Teammate,
) -> int:
    """A ``carry`` record for each message whose keywords differ from where the log starts."""
    ectx.mailbox(mailbox).sync()
    service.log.refresh(ectx)
    if not choice.keywords:
        return 0  # the server keeps no keywords: its Mode A history is all there is
    rows = _rows(service, mailbox)
    resolved = _resolved(service, [key for _, _, key in rows])
    carried = 0
    for uid, flags, key in rows:
        decoded = keywords.decode(flags.split())
        said = StateView(decoded.state, decoded.owner_slot)
        if resolved.view(key) == said:
            continue
        cas = HandlingCas(service, ectx, mailbox, uid)

        def decide(current: StateView, said: StateView = said) -> Transition:
            return Transition(Operation.CLAIM, current, said)

        change_by_log(service, ectx, cas, "carry", me, choice, decide=decide)
        carried += 1
    return carried


def _carry_to_keywords(service: CoordinationService, ectx: EngineContext, mailbox: str) -> int:
    """Each message's keywords from the frozen log, one STORE per distinct flag set."""
    service.log.refresh(ectx)
    ectx.mailbox(mailbox).sync()
    rows = _rows(service, mailbox)
    resolved = _resolved(service, [key for _, _, key in rows])
    groups: dict[tuple[frozenset[str], frozenset[str]], list[int]] = defaultdict(list)
    for uid, flags, key in rows:
        view = resolved.view(key)
        ours = {f.lower() for f in flags.split() if keywords.is_ours(f)}
        wanted = {f.lower() for f in keywords.apply((), view.state, view.owner_slot)}
        if ours != wanted:
            groups[(frozenset(ours - wanted), frozenset(wanted - ours))].append(uid)
    client = ectx.session.client
    try:
        client.select_folder(mailbox)
        for (remove, add), uids in groups.items():
            # Only our keywords move: a \\Seen set meanwhile is kept.
            if remove:
                client.remove_flags(uids, sorted(remove), silent=True)
            if add:
                client.add_flags(uids, sorted(add), silent=True)
    except IMAPClientError as exc:
        raise translate_imap_error(exc) from exc
    ectx.mailbox(mailbox).sync()
    return sum(len(u) for u in groups.values())


@dataclass(frozen=True)
class ModeStatus:
    """A mailbox's mode as ``mailwise team mode`` shows it."""

    mailbox: str
    authority: Authority
    link: ModeEntry | None  # the chain head (None: never switched, the server decides)
    explain: str  # what the server allows, in plain words
    outcome: SwitchOutcome | None = None  # when this call switched

    def to_json(self) -> dict[str, object]:
        return {
            "mailbox": self.mailbox,
            "mode": str(self.authority),
            "decided_by": None if self.link is None else self.link.actor,
            "automatic": None if self.link is None else self.link.auto,
            "phase": None if self.link is None else str(self.link.phase),
            "server": self.explain,
            "carried": self.outcome.carried if self.outcome else 0,
            "switched": bool(self.outcome and self.outcome.switched),
        }


def mode_job(
    service: CoordinationService, mailbox: str, to: Authority | None
) -> Callable[[EngineContext], ModeStatus]:
    """The job behind ``mailwise team mode``: show the mode, or switch to ``to`` (a team decision)."""

    def job(ectx: EngineContext) -> ModeStatus:
        me = service.require_me(ectx)
        service.log.refresh(ectx)
        choice = service.modes.choice(ectx, mailbox)
        outcome = None
        if to is not None:
            outcome = switch(service, ectx, mailbox, to, choice, me, auto=False)
        link = cached_link(service, mailbox)
        if link is not None and link.settled:
            now = link.authority
        elif link is not None:
            now = Authority.KEYWORDS if link.authority is Authority.LOG else Authority.LOG
        else:
            now = Authority(str(choice.mode))
        return ModeStatus(mailbox, now, link, choice.explain(), outcome)

    return job
