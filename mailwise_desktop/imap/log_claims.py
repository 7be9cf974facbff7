"""Mode B changes on the wire: APPEND a record, read the log back, say who won.

The writer reads the target's records, decides on the head's state
(``core/states.py: check``), APPENDs a record naming that head as its base,
learns its UID from APPENDUID (or, without UIDPLUS, by searching for its
Message-ID), and reads the log back until its record is placed; then
``core/claim_log.py: resolve`` says whether it was accepted ("yours") or lost
to an earlier record ("taken by …"). A record rejected because the head moved
on while the operation still applies (someone released in between) is
retried on the new head a few times. Rejected records stay in the log; every
reader skips them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from imapclient import IMAPClient

from mailwise_desktop.core.claim_log import LOG_MODE, LogEntry, Resolution, entry_from, resolve
from mailwise_desktop.core.errors import ProtocolError
from mailwise_desktop.core.states import Operation, Refusal, StateView, Transition, check
from mailwise_desktop.mail.team_records import (
    RecordKind,
    TeamRecord,
    build_message,
    event_subject,
    parse_message,
)

_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")
READ_BACK_TIMEOUT = 10.0


class LogStatus(StrEnum):
    WON = "won"  # our record is the new head
    REFUSED = "refused"  # the head's state does not allow the operation
    UNCHANGED = "unchanged"  # already so: nothing written
    CONTENDED = "contended"  # still allowed, but every record lost a race


@dataclass(frozen=True)
class LogResult:
    """How a Mode B change ended.

    Attributes:
        status: how it ended.
        view: the target's state now (ours after a win, the winner's otherwise).
        head: the head entry now (None when the target has none).
        refusal: why not, for :attr:`LogStatus.REFUSED`.
        attempts: records written.
    """

    status: LogStatus
    view: StateView
    head: LogEntry | None
    refusal: Refusal | None = None
    attempts: int = 0


class LogClaims:
    """Mode B on one connection; the client is used from one thread only.

    Args:
        client: a logged-in connection (it selects the team mailbox as it goes).
        team_mailbox: the team mailbox's name (it must exist).
        sender: cosmetic From of the records.
    """

    def __init__(self, client: IMAPClient, team_mailbox: str, *, sender: str | None = None):
        self.client = client
        self.team_mailbox = team_mailbox
        self.sender = sender or "mailwise@mailwise.invalid"

    # -- reading ----------------------------------------------------------

    def entries(self, target: str) -> list[LogEntry]:
        """Every valid Mode B entry for ``target``, in UID order (a fresh read)."""
        self.client.select_folder(self.team_mailbox, readonly=True)
        uids = self.client.search(["HEADER", "X-Mailwise-Target", target])
        if not uids:
            return []
        found: list[LogEntry] = []
        for uid, data in self.client.fetch(sorted(uids), ["BODY.PEEK[]"]).items():
            raw = data.get(b"BODY[]")
            record = parse_message(raw, int(uid)) if isinstance(raw, bytes) else None
            if record is None or record.target != target or record.kind != RecordKind.EVENT:
                continue
            entry = entry_from(int(uid), record.record_id, target, record.actor, record.payload)
            if entry is not None:
                found.append(entry)
        return sorted(found, key=lambda e: e.uid)

    def resolution(self, target: str) -> Resolution:
        return resolve(self.entries(target))

    # -- writing ----------------------------------------------------------

    def change(
        self,
        target: str,
        operation: Operation,
        *,
        actor: str,
        actor_label: str,
        me: int,
        subject: str = "",
        target_slot: int | None = None,
        take_over: bool = False,
        retries: int = 3,
    ) -> LogResult:
        """Apply ``operation`` by teammate ``actor`` (owner slot ``me``) to ``target``."""
        attempts = 0
        while True:
            known = self.resolution(target)
            head = known.heads.get(target)
            current = known.view(target)
            decided = check(operation, current, me, target_slot, take_over)
            if isinstance(decided, Refusal):
                return LogResult(LogStatus.REFUSED, current, head, decided, attempts)
            if decided.after == current:
                return LogResult(LogStatus.UNCHANGED, current, head, None, attempts)
            if attempts > retries:
                return LogResult(LogStatus.CONTENDED, current, head, None, attempts)
            attempts += 1
            record = self._record(
                target,
                operation=operation,
                actor=actor,
                actor_label=actor_label,
                subject=subject,
                head=head,
                decided=decided,
            )
            uid = self._append(record)
            placed = self._read_back(target, record.record_id, uid)
            if record.record_id in placed.accepted:
                mine = placed.heads[target]
                return LogResult(LogStatus.WON, mine.view, mine, None, attempts)
            # Lost: someone's record was placed first. Re-decide on the new head.

    def _record(
        self,
        target: str,
        *,
        operation: Operation,
        actor: str,
        actor_label: str,
        subject: str,
        head: LogEntry | None,
        decided: Transition,
    ) -> TeamRecord:
        def side(view: StateView) -> dict[str, Any]:
            return {"state": str(view.state), "owner_slot": view.owner_slot}

        payload: dict[str, Any] = {
            "mode": LOG_MODE,
            "operation": str(operation),
            "base": head.record_id if head else None,
            "from": side(decided.before),
            "to": side(decided.after),
            "subject": subject,
        }
        return TeamRecord(
            kind=RecordKind.EVENT,
            target=target,
            actor=actor,
            payload=payload,
            subject=event_subject(actor_label, str(operation), subject),
        )

    def _append(self, record: TeamRecord) -> int | None:
        reply = self.client.append(
            self.team_mailbox, build_message(record, sender=self.sender), flags=("\\Seen",)
        )
        found = _APPENDUID.search(reply or b"")
        return int(found.group(1)) if found else None

    def _read_back(self, target: str, record_id: str, uid: int | None) -> Resolution:
        """Read the log until our record is in it; resolve up to and including it."""
        deadline = time.monotonic() + READ_BACK_TIMEOUT
        while True:
            entries = self.entries(target)
            if uid is None:  # no UIDPLUS: find our record by its Message-ID
                uid = next((e.uid for e in entries if e.record_id == record_id), None)
            if uid is not None and any(e.uid == uid for e in entries):
                return resolve(e for e in entries if e.uid <= uid)
            if time.monotonic() > deadline:
                raise ProtocolError(
                    "The team mailbox did not show our change; try again.",
                    detail=f"record {record_id} not found after APPEND",
                )
            time.sleep(0.02)
