"""The team mailbox as the services use it: cached roster and records, writes with a retry queue.

Reading is offline (the cache); :meth:`TeamLog.refresh` brings the cache up
to date on an engine connection and first re-sends records queued by an
earlier failed APPEND. :meth:`TeamLog.write` APPENDs one record; when that
fails the record goes to the local database (``ctx.local.queue_team_record``)
and the change it describes stands — the next refresh (engine or CLI run)
delivers it, with the same Message-ID so readers never count it twice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.claim_log import drop_rejected
from mailwise_desktop.core.errors import ConnectionLostError, MailwiseError
from mailwise_desktop.core.log_modes import MODE_KIND
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.team_mailbox import TeamMailbox
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord
from mailwise_desktop.services import intended_records, record_writers
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store import log_states, team_cache, team_queue
from mailwise_desktop.store.database import CacheDatabase

log = logging.getLogger(__name__)

#: Seconds between two looks at the local retry queue when nothing failed here.
FLUSH_INTERVAL = 10.0


@dataclass(frozen=True)
class Identity:
    """Who this profile acts as, and how that was decided.

    ``source`` is ``declared`` (``mailwise me ID``: one shared login, the
    teammate says who they are) or ``login`` (per-user logins: the IMAP login
    equals the teammate's id or e-mail); None when unknown.
    """

    teammate: Teammate | None
    source: str | None


class TeamLog:
    """Roster, records and the retry queue of one account's team mailbox.

    One per account (:class:`~mailwise_desktop.services.account_services.AccountServices`
    builds it). The UI thread, the send worker and the engine thread all read
    the roster; the memo below is guarded by a lock so a rebuild on one thread
    never hands another a half-set pair.
    """

    def __init__(self, ctx: AppContext, account: Account) -> None:
        self.ctx = ctx
        self.account = account
        self.name = account.team_mailbox or str(ctx.settings.get("team_mailbox"))
        self._roster: Roster | None = None
        self._queued = False  # a write failed here since the queue was last flushed
        self._flush_checked = float("-inf")
        self._roster_mark: int | None = None
        self._row_changes: list[MailboxChanges] = []
        self._roster_lock = threading.Lock()

    # -- offline ---------------------------------------------------------

    def roster(self) -> Roster:
        """The roster as cached (records applied in UID order).

        Rebuilt only when the cache holds records it has not seen (one indexed
        MAX per call): claims ask for it several times each.
        """
        with self._roster_lock, self.ctx.cache.transaction() as session:
            mark = team_cache.last_record_id(session, self.account.id, RecordKind.ROSTER)
            if self._roster is not None and mark == self._roster_mark:
                return self._roster
            found = team_cache.records(session, self.account.id, kinds=[RecordKind.ROSTER])
            roster = Roster.from_records(r.payload for r in found)
            self._roster, self._roster_mark = roster, mark
            return roster

    def records(self, target: str, kinds: list[str] | None = None) -> list[TeamRecord]:
        with self.ctx.cache.transaction() as session:
            found = team_cache.records(session, self.account.id, kinds=kinds, target=target)
            chain = log_states.chain_records(session, self.account.id)
        # Mode B records that lost a race, or missed a switch, never happened
        return drop_rejected(found, chain)

    def identity(self, roster: Roster | None = None) -> Identity:
        roster = roster or self.roster()
        declared = str(self.ctx.settings.get("me") or "")
        return Identity(*roster.identify(declared, self.account.imap.user))

    def read_age(self) -> float:
        """Seconds since the team mailbox was last read into the cache (inf: never)."""
        with self.ctx.cache.transaction() as session:
            state = team_cache.team_state(session, self.account.id, self.name)
        return float("inf") if state.last_read is None else max(0.0, time.time() - state.last_read)

    def pending(self) -> int:
        return team_queue.pending_count(self.ctx.local, self.account.id)

    # -- online (engine thread) ------------------------------------------

    def mailbox(self, ectx: EngineContext) -> TeamMailbox:
        sender = self.account.address or None
        return TeamMailbox(
            ectx.session.client,
            ectx.session.wire,
            ectx.db,
            self.account.id,
            self.name,
            sender=sender,
            reader=ectx.team_wire,
        )

    def refresh(self, ectx: EngineContext) -> int:
        """Deliver queued records, then read new ones into the cache; how many were new.

        New Mode B changes and mode links are applied to the cached rows at
        once (``store/log_states.py``); :meth:`take_row_changes` hands out
        which rows that changed.
        """
        self.flush(ectx)
        with ectx.db.transaction() as session:
            mark = team_cache.last_row_id(session, self.account.id)
        added = self.mailbox(ectx).read_new()
        if added:
            self.apply_new_records(ectx.db, mark)
        return added

    def apply_new_records(self, db: CacheDatabase, mark: int) -> None:
        """Rows whose log state changed with the records cached after row ``mark``."""
        with db.transaction() as session:
            new = team_cache.records_since(session, self.account.id, mark)
            if any(r.kind == MODE_KIND for r in new):
                touched = log_states.apply_to_targets(session, self.account.id)  # every row
            else:
                targets = [r.target for r in new if r.kind == RecordKind.EVENT]
                touched = log_states.apply_to_targets(session, self.account.id, targets)
        for mailbox, ids in touched.items():
            self._row_changes.append(
                MailboxChanges(self.account.id, mailbox, changed=frozenset(ids))
            )

    def take_row_changes(self) -> Changes:
        """The rows the log changed since the last call (for the views), as one Changes."""
        found, self._row_changes = tuple(self._row_changes), []
        return Changes(found)

    def write(self, ectx: EngineContext, record: TeamRecord) -> bool:
        """APPEND ``record`` and cache it; on failure it stays queued locally (False).

        The record is queued *before* the APPEND and taken off the queue once
        the server has it: a process killed mid-APPEND leaves it queued, and
        :meth:`flush` delivers it (or finds it already there), so it is
        delivered exactly once.

        Raises:
            ConnectionLostError: the line dropped (the record stays queued),
                so the engine reconnects.
        """
        queued = self.ctx.local.queue_team_record(
            self.account.id,
            record.kind,
            record.subject,
            self.writer_headers(record),
            record.payload,
        )
        return self.send_queued(ectx, queued, record)

    def writer_headers(self, record: TeamRecord) -> dict[str, str]:
        """The headers a queued row of ``record`` keeps: its own, and this process as writer."""
        return {
            **record.queue_headers(),
            record_writers.WRITER_HEADER: record_writers.my_token(self.ctx.profile),
        }

    def send_queued(self, ectx: EngineContext, queued: int, record: TeamRecord) -> bool:
        """APPEND ``record``, queued (sendable) as row ``queued``; False when it stays queued.

        Raises:
            ConnectionLostError: as :meth:`write`.
        """
        try:
            appended = self.mailbox(ectx).append(record)
        except MailwiseError as exc:
            log.warning("team record queued for a retry: %s", exc.message)
            team_queue.failed_again(self.ctx.local, queued, exc.message)
            self._queued = True
            if isinstance(exc, ConnectionLostError):
                raise
            return False
        team_queue.delivered(self.ctx.local, queued)
        if appended is not None:
            uidvalidity, uid = appended
            with ectx.db.transaction() as session:
                team_cache.insert_records(session, self.account.id, [replace(record, uid=uid)])
                # Read past it too when nobody else wrote meanwhile: the next STATUS
                # then shows no news, so no EXAMINE (and no re-SELECT of a big INBOX after).
                team_cache.read_past_own(session, self.account.id, self.name, uidvalidity, uid)
        return True

    def note_intended(self) -> None:
        """A history event stayed intended here (its CAS in doubt): the next flush settles it."""
        self._queued = True

    def flush(self, ectx: EngineContext) -> int:
        """Re-send queued records, oldest first; stops at the first failure. How many went.

        The queue is looked at after a local failure, or at most every
        ``FLUSH_INTERVAL`` seconds (another process of the profile may queue too).
        """
        now = time.monotonic()
        if not self._queued and now - self._flush_checked < FLUSH_INTERVAL:
            return 0
        self._flush_checked, self._queued = now, False
        if not self.pending():
            return 0
        box = self.mailbox(ectx)
        sent = 0
        for item in team_queue.pending(self.ctx.local, self.account.id):
            writer = item.headers.get(record_writers.WRITER_HEADER)
            if item.intended:
                # Written ahead of a CAS (services/intended_records.py): sent only
                # once the change is known to stand.
                if not intended_records.orphaned(self.ctx, item):
                    continue  # its CAS is running right now
                history = self.records(str(item.headers.get("X-Mailwise-Target", "")))
                settled = intended_records.settle_orphan(self.ctx, ectx, item, history)
                if settled is None:
                    continue
                record = settled
            elif not item.attempts and not record_writers.writer_gone(self.ctx.profile, writer):
                continue  # its writer, alive, is APPENDing it right now
            else:
                record = TeamRecord.from_queue(item.kind, item.subject, item.headers, item.payload)
            try:
                # A process killed after its APPEND but before it could say so.
                if not box.holds(record.record_id):
                    box.append(record)
            except MailwiseError as exc:
                team_queue.failed_again(self.ctx.local, item.id, exc.message)
                self._queued = True
                if isinstance(exc, ConnectionLostError):
                    raise
                break
            team_queue.delivered(self.ctx.local, item.id)
            sent += 1
        return sent
