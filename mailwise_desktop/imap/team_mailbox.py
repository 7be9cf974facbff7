"""The hidden team mailbox on the server: created on first use, read by UID, written by APPEND.

Records (``mail/team_records.py``) are never edited: a change is a new
record, so reading is incremental. ``STATUS`` says whether anything new
arrived (one round trip, no SELECT); only then is the mailbox EXAMINEd and the
new UIDs fetched into the cache. A changed UIDVALIDITY drops the cached records
and reads everything again (the cache is rebuildable).

The mailbox is created without subscribing to it, and the folder list hides
it by name (``imap/folders.py: visible_folders``), so it does not clutter a
teammate's folder tree, yet any IMAP client can open it and read the
human-readable subjects.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailwise_desktop.core.errors import ProtocolError
from mailwise_desktop.imap.connection import translate_imap_error
from mailwise_desktop.imap.select_state import MailboxStatus, from_status
from mailwise_desktop.imap.tokens import Token, fetch_items
from mailwise_desktop.imap.wire import Wire, mailbox_arg
from mailwise_desktop.mail.team_records import (
    RecordReading,
    TeamRecord,
    build_message,
    read_message,
)
from mailwise_desktop.store import team_cache
from mailwise_desktop.store.database import CacheDatabase

log = logging.getLogger(__name__)

_APPENDUID = re.compile(rb"APPENDUID (\d+) (\d+)")


@dataclass(frozen=True)
class RecordProblem:
    """A team-mailbox message that is not used: its UID, kind and what is wrong."""

    uid: int
    kind: str
    problems: tuple[str, ...]


class TeamMailbox:
    """One account's team mailbox on one open connection.

    Args:
        client: the logged-in imapclient connection (APPEND goes through it).
        wire: the raw command channel on the same connection.
        db: the cache database.
        account_id: whose team mailbox.
        name: the mailbox name (``Mailwise`` unless configured otherwise).
        sender: address written in the records' From (cosmetic).
    """

    def __init__(
        self,
        client: Any,
        wire: Wire,
        db: CacheDatabase,
        account_id: str,
        name: str,
        *,
        sender: str | None = None,
        reader: Callable[[], Wire] | None = None,
    ) -> None:
        self.client = client
        self.wire = wire
        #: Where EXAMINE and FETCH go (default: ``wire``); STATUS and APPEND stay on ``wire``.
        self.reader = reader or (lambda: wire)
        self.db = db
        self.account_id = account_id
        self.name = name
        self.sender = sender or "mailwise@mailwise.invalid"
        self._exists = False
        #: Records refused by their schema while reading (logged, never applied).
        self.refused = 0

    def status(self) -> MailboxStatus:
        """STATUS of the team mailbox, creating it first when it does not exist yet."""
        line = b"STATUS " + mailbox_arg(self.name) + b" (MESSAGES UIDNEXT UIDVALIDITY)"
        if self.wire.selected == self.name:
            # A Mode B change left it EXAMINEd; Dovecot would answer STATUS from
            # this session's own view of it and miss teammates' new records.
            self.wire.deselect()  # read-only: CLOSE expunges nothing
        response = self.wire.command(line)
        if not response.ok:
            self.create()
            response = self.wire.checked(line)
        self._exists = True
        return from_status(response.untagged)

    def create(self) -> None:
        """CREATE the mailbox (not subscribed); a teammate creating it first is fine."""
        response = self.wire.command(b"CREATE " + mailbox_arg(self.name))
        if not response.ok and b"ALREADYEXISTS" not in response.text.upper():
            # Some servers say NO without the code when it exists: check.
            check = self.wire.command(b"STATUS " + mailbox_arg(self.name) + b" (UIDNEXT)")
            if not check.ok:
                raise ProtocolError(
                    f"The team mailbox {self.name!r} cannot be created on the server.",
                    detail=response.text.decode("utf-8", "replace"),
                )
        log.info("created the team mailbox %s", self.name)
        self._exists = True

    def read_new(self) -> int:
        """Read records that arrived since the last call into the cache.

        Leaves no mailbox selected on the wire it EXAMINEd the team mailbox on
        (:attr:`reader`: the command connection's unless the engine has a reader
        of its own); callers reselect what they work in.

        Returns:
            How many new records were stored.
        """
        status = self.status()
        with self.db.transaction() as session:
            stored = team_cache.team_state(session, self.account_id, self.name)
        start = stored.uidnext or 1
        if stored.uidvalidity is not None and stored.uidvalidity != status.uidvalidity:
            log.warning("team mailbox %s was renumbered: reading it again", self.name)
            with self.db.transaction() as session:
                team_cache.clear_records(session, self.account_id)
            start = 1
        elif stored.uidvalidity == status.uidvalidity and status.uidnext == stored.uidnext:
            return 0
        records: list[TeamRecord] = []
        if status.exists and (status.uidnext is None or status.uidnext > start):
            records = self._fetch_from(start)
        with self.db.transaction() as session:
            added = team_cache.insert_records(session, self.account_id, records)
            team_cache.save_team_state(
                session, self.account_id, self.name, status.uidvalidity, status.uidnext
            )
        return added

    def _fetch_from(self, start: int) -> list[TeamRecord]:
        found: list[TeamRecord] = []
        for uid, reading in self._read_from(start):
            if reading.record is not None:
                found.append(reading.record)
            elif reading.problems:
                self.refused += 1
                log.warning(
                    "team record UID %d (%s) not used: %s",
                    uid,
                    reading.kind or "no kind",
                    "; ".join(reading.problems),
                )
        return found

    def problems(self) -> list[RecordProblem]:
        """Every record of the team mailbox that fails its schema (``mailwise team check``).

        Reads the whole mailbox from the server (records are small; refused
        ones are not cached), so it answers for what every teammate reads.
        """
        status = self.status()
        if not status.exists:
            return []
        return [
            RecordProblem(uid, reading.kind, reading.problems)
            for uid, reading in self._read_from(1)
            if reading.record is None and reading.problems
        ]

    def _read_from(self, start: int) -> list[tuple[int, RecordReading]]:
        wire = self.reader()
        if not wire.select(self.name, readonly=True).ok:
            raise ProtocolError(f"The team mailbox {self.name!r} cannot be opened on the server.")
        found: list[tuple[int, RecordReading]] = []

        def on_untagged(tokens: list[Token]) -> None:
            parsed = fetch_items(tokens)
            if parsed is None:
                return
            uid_token, body = parsed[1].get(b"UID"), parsed[1].get(b"BODY[]")
            if not isinstance(uid_token, bytes) or not isinstance(body, bytes):
                return
            uid = int(uid_token)
            if uid < start:  # "N:*" answers with the last message when N is past it
                return
            found.append((uid, read_message(body, uid)))

        wire.checked(b"UID FETCH " + str(start).encode() + b":* (UID BODY.PEEK[])", on_untagged)
        # Leave it: while a mailbox is selected, Dovecot answers STATUS for it
        # from the session's own view, so the next STATUS would see no news.
        # CLOSE after EXAMINE never expunges (the mailbox is read-only here).
        wire.deselect()
        return found

    def holds(self, record_id: str) -> bool:
        """True when a record with this Message-ID is in the team mailbox already.

        Asked before a queued record is sent again: the process that queued
        it may have been killed after its APPEND reached the server.
        """
        if not record_id.isascii() or not record_id.isprintable():
            return False  # not one of ours (ours are uuid@domain): nothing to find
        status = self.status()
        if not status.exists:
            return False
        wire = self.reader()
        if not wire.select(self.name, readonly=True).ok:
            raise ProtocolError(f"The team mailbox {self.name!r} cannot be opened on the server.")
        found: list[bytes] = []

        def on_untagged(tokens: list[Token]) -> None:
            if len(tokens) > 1 and tokens[0] == b"SEARCH":
                found.extend(t for t in tokens[1:] if isinstance(t, bytes) and t.isdigit())

        quoted = record_id.replace("\\", "\\\\").replace('"', '\\"')
        wire.checked(b'UID SEARCH HEADER Message-ID "<' + quoted.encode() + b'>"', on_untagged)
        wire.deselect()
        return bool(found)

    def append(self, record: TeamRecord) -> tuple[int, int] | None:
        """APPEND one record (marked \\Seen: it is not mail to read); (UIDVALIDITY, UID) if reported.

        Raises:
            MailwiseError: the server refused or the line dropped (the caller
                queues the record locally and retries later).
        """
        raw = build_message(record, sender=self.sender)
        if not self._exists:
            self.status()  # creates the mailbox on first use
        try:
            reply = self.client.append(self.name, raw, flags=(b"\\Seen",))
        except Exception as exc:
            raise translate_imap_error(exc) from exc
        found = _APPENDUID.search(reply or b"")
        return (int(found.group(1)), int(found.group(2))) if found else None
