"""The roster and "who am I": adding, importing and retiring teammates.

Roster changes are ``roster`` records in the team mailbox (append-only, one
per change), never queued locally: a slot must be agreed on by every reader
before anyone's keywords use it, so a roster change either reaches the server
or fails loudly. After writing, the roster is read back, so a slot two
people handed out at the same moment is reported as every reader sees it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.errors import ErrorCase, NotFoundError, UsageError
from mailwise_desktop.core.roster import Roster, Teammate, check_id
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord, roster_subject
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.team_log import TeamLog


@dataclass(frozen=True)
class TeammateRow:
    """One teammate to add (a CSV line, or the CLI's arguments)."""

    id: str
    name: str
    email: str = ""


class TeamService:
    """Roster changes (online) and this profile's identity (offline)."""

    def __init__(self, ctx: AppContext, account: Account, log: TeamLog | None = None) -> None:
        self.ctx = ctx
        self.account = account
        self.log = log if log is not None else TeamLog(ctx, account)

    def add_job(self, row: TeammateRow) -> Callable[[EngineContext], Teammate]:
        """The job that adds one teammate (or brings a removed one back, same slot)."""

        def job(ectx: EngineContext) -> Teammate:
            return self._add_many(ectx, [row])[0]

        return job

    def import_job(self, rows: Sequence[TeammateRow]) -> Callable[[EngineContext], list[Teammate]]:
        """The job that adds many teammates; ones already active with the same data are kept."""
        for row in rows:
            check_id(row.id)
        if len({r.id for r in rows}) != len(rows):
            raise UsageError("The file names a teammate id twice.")

        def job(ectx: EngineContext) -> list[Teammate]:
            return self._add_many(ectx, rows)

        return job

    def remove_job(self, teammate_id: str) -> Callable[[EngineContext], Teammate]:
        """The job that retires a teammate: their slot is kept and never handed out again."""

        def job(ectx: EngineContext) -> Teammate:
            self.log.refresh(ectx)
            roster = self.log.roster()
            retired = roster.remove(teammate_id)
            self._write(ectx, retired)
            self.log.refresh(ectx)
            found = self.log.roster().by_id(teammate_id)
            assert found is not None
            return found

        return job

    def set_me(self, teammate_id: str) -> Teammate:
        """Declare who uses this profile (a shared login); checked against the cached roster."""
        teammate = self.log.roster().by_id(teammate_id)
        if teammate is None or not teammate.active:
            raise NotFoundError(
                f"There is no active teammate {teammate_id!r} on the roster.",
                case=ErrorCase.NOT_A_TEAMMATE,
                data={"id": teammate_id},
            )
        self.ctx.settings.set("me", teammate.id)
        self.ctx.settings.save()
        return teammate

    # -- internals -------------------------------------------------------

    def _add_many(self, ectx: EngineContext, rows: Sequence[TeammateRow]) -> list[Teammate]:
        self.log.refresh(ectx)
        roster = self.log.roster()
        for row in rows:
            existing = roster.by_id(row.id)
            if existing is not None and existing.active:
                if (existing.name, existing.email) == (row.name or existing.name, row.email):
                    continue
                teammate = Teammate(row.id, row.name or existing.name, row.email, existing.slot)
                roster = Roster([*(t for t in roster.teammates if t.id != row.id), teammate])
            else:
                teammate = roster.add(row.id, row.name, row.email)
            self._write(ectx, teammate)
        self.log.refresh(ectx)
        final = self.log.roster()
        return [final.require(row.id) for row in rows]

    def _write(self, ectx: EngineContext, teammate: Teammate) -> None:
        actor = self.log.identity().teammate
        record = TeamRecord(
            kind=RecordKind.ROSTER,
            target=teammate.id,
            actor=actor.id if actor else teammate.id,
            payload=teammate.to_json(),
            subject=roster_subject(teammate.name, teammate.id, teammate.active, teammate.slot),
        )
        self.log.mailbox(ectx).append(record)  # raises: roster changes are never queued


def read_csv(path: Path) -> list[TeammateRow]:
    """Rows of a roster CSV (columns id,name,email; a header line; UTF-8, Excel's BOM ok).

    Raises:
        UsageError: the file cannot be read or lacks the columns.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read {path} as UTF-8 text.", detail=str(exc)) from exc
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not {"id", "name"} <= fields:
        raise UsageError(f"{path} needs a header line with the columns id,name,email.")
    rows = []
    for line in reader:
        clean = {k.strip().lower(): (v or "").strip() for k, v in line.items() if k}
        if not clean.get("id"):
            continue
        rows.append(TeammateRow(clean["id"], clean.get("name", ""), clean.get("email", "")))
    return rows
