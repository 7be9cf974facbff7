"""History events written ahead of their compare-and-set, and how an orphaned one is settled.

A change of handling state is a conditional STORE (imap/cas.py) followed by a
history event in the team mailbox. A process killed between the two would
leave a change that stands with no event, so the event is queued *before*
the STORE as an *intended* row (``store/team_queue.queue_intended``) holding
the outcome the STORE would leave: mailbox, UID, UIDVALIDITY, the MODSEQ it
is conditional on and the full flag set. :class:`~.handling_cas.HandlingCas`
settles it itself when the CAS returns (won: sendable; otherwise dropped).

A row left intended by a process that is gone (its ``writers/`` lock is
free), or by this process outside any CAS (a reconnect that never came), is
settled by :func:`settle_orphan` against the server: the message's flags
carry exactly the intended outcome with a newer MODSEQ → the change stands,
the row becomes sendable (adopted by this process, so no other process sends
it too) and the caller delivers it (once: ``TeamMailbox.holds`` first);
anything else → it was never made, the row is dropped. Both are logged.

Known limit: a teammate's *identical* change made after ours was intended
(the same teammate's second process, or two repairers converging) looks the
same on the server; such a row is kept unless the cached history already has
an event for the target that explains the current MODSEQ with the same outcome.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.imap.cas import read_flags, same_flags
from mailwise_desktop.imap.engine_context import EngineContext
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services import record_writers
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store import team_queue
from mailwise_desktop.store.team_queue import PendingRecord

log = logging.getLogger(__name__)

_in_flight: set[int] = set()  # intended rows of this process whose CAS is running
_guard = threading.Lock()


def begin(row: int) -> None:
    """``row`` belongs to a CAS running in this process: not an orphan."""
    with _guard:
        _in_flight.add(row)


def end(row: int) -> None:
    """The CAS of ``row`` returned or gave up (a row still intended is an orphan now)."""
    with _guard:
        _in_flight.discard(row)


def orphaned(ctx: AppContext, item: PendingRecord) -> bool:
    """True when nobody alive will settle ``item`` (an intended row) but the caller."""
    writer = item.headers.get(record_writers.WRITER_HEADER)
    if writer == record_writers.TOKEN:
        with _guard:
            return item.id not in _in_flight
    return record_writers.writer_gone(ctx.profile, writer)


def explained_by_history(history: list[TeamRecord], payload: dict[str, Any], modseq: int) -> bool:
    """True when a cached event already records the outcome that stands at ``modseq``.

    Such an event's STORE made the current MODSEQ; ours, had it landed before,
    would have left the same flags, and the other writer's decision would
    then have written nothing (an operation on its own outcome is refused or
    unchanged). So ours never landed.
    """
    for record in history:
        if record.payload.get("modseq") == modseq and record.payload.get("to") == payload.get("to"):
            return True
    return False


def settle_orphan(
    ctx: AppContext, ectx: EngineContext, item: PendingRecord, history: list[TeamRecord]
) -> TeamRecord | None:
    """Decide an orphaned intended row on the server; the record to send, or None (dropped).

    Leaves the row's mailbox selected (callers reselect what they work in).
    ``history``: the cached events of the row's target.
    """
    intent = item.intent or {}
    mailbox, uid = str(intent.get("mailbox")), int(intent.get("uid", 0))
    base, wanted = int(intent.get("modseq", 0)), tuple(intent.get("flags", ()))
    why = ""
    try:
        status = ectx.mailbox(mailbox).select()
        if status.uidvalidity != intent.get("uidvalidity"):
            why = "the folder was rebuilt (UIDVALIDITY changed)"
        else:
            flags, modseq = read_flags(ectx.session.client, uid)
            if modseq <= base or not same_flags(flags, wanted):
                why = "the message does not carry the intended flags"
            elif explained_by_history(history, item.payload, modseq):
                why = "a teammate's event already records this outcome"
    except NotFoundError:
        why = "the message or its folder is gone"
    if why:
        if team_queue.drop_intended(ctx.local, item.id):
            log.info(
                "intended %s on %s UID %s not made (%s): dropped", item.kind, mailbox, uid, why
            )
        return None
    payload = {**item.payload, "modseq": modseq}
    headers = {**item.headers, record_writers.WRITER_HEADER: record_writers.my_token(ctx.profile)}
    if not team_queue.make_sendable(ctx.local, item.id, item.subject, headers, payload):
        return None  # another process settled it first
    log.info(
        "intended %s on %s UID %s stands (MODSEQ %s): sending", item.kind, mailbox, uid, modseq
    )
    return TeamRecord.from_queue(item.kind, item.subject, headers, payload)
