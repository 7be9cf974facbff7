"""The outbox: a durable local queue that never loses a mail and never sends one twice.

One row per mail, in the local database (never dropped). The message bytes
and their Message-ID are fixed when the mail is queued, so any resubmission
is the very same message. Every state change is a conditional UPDATE
(``... WHERE id = ? AND state = ?``): two processes (the window and a CLI
command) can never both take the same row.

States::

    queued ──claim──▶ checking ──clear──▶ submitting ──250──▶ accepted ──steps──▶ sent
      ▲ │                │                    │ refused (before the end of DATA)
      │ └─undo─▶ (editor) └─collision─▶ held  ├──────────────▶ failed ──retry──▶ queued
      │                                      │ line lost after the whole message
      └──────── user: "send again" ──────────┴──────────────▶ unknown

- ``queued``: waiting for the undo window (``send_after``), or a retry.
- ``checking``: a processor took it and asks the server about collisions;
  a crash here is harmless (:meth:`Outbox.recover` puts it back to queued).
- ``submitting``: SMTP is running. A crash here means nobody knows whether
  the server took it: :meth:`Outbox.recover` turns it into ``unknown``.
- ``accepted``: the server said 250. From here on the row is never submitted
  again; the follow-up steps (copy to Sent, ``\\Answered`` + done, history)
  are recorded one by one in ``steps`` and retried until all are done.
- ``unknown``: the line dropped after the whole message went out
  (``outcome_unknown``). Never resent automatically: the service first looks
  for the Message-ID in Sent (when the server files sent mail itself), and
  otherwise the user decides (send again / it was sent).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import text

from mailwise_desktop.core.errors import NotAllowedError, NotFoundError
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.store.local import LocalDatabase

#: A row left in ``checking``/``submitting`` longer than this belongs to a dead process.
STALE_SECONDS = 600


class OutboxState(StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    SUBMITTING = "submitting"
    ACCEPTED = "accepted"
    SENT = "sent"
    HELD = "held"
    FAILED = "failed"
    UNKNOWN = "unknown"
    #: Waiting for a teammate's approval (send/approval_records.py); never due.
    APPROVAL = "approval"


#: States the user can pull back into the editor (nothing can have left).
UNDOABLE = (OutboxState.QUEUED, OutboxState.HELD, OutboxState.FAILED, OutboxState.APPROVAL)
#: States that need the user.
NEEDS_USER = (OutboxState.HELD, OutboxState.FAILED, OutboxState.UNKNOWN)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    account_id: str
    message_id: str
    state: OutboxState
    raw: bytes
    mail_from: str
    rcpt: tuple[str, ...]
    draft: Draft
    created: float
    send_after: float
    updated: float
    attempts: int
    last_error: str | None
    server_reply: str | None
    accepted_at: float | None
    steps: dict[str, Any]

    @property
    def subject(self) -> str:
        return self.draft.subject


_COLUMNS = (
    "id, account_id, message_id, state, raw, mail_from, rcpt_json, draft_json, created, "
    "send_after, updated, attempts, last_error, server_reply, accepted_at, steps_json"
)


def _item(row: Sequence[Any]) -> OutboxItem:
    return OutboxItem(
        id=int(row[0]),
        account_id=row[1],
        message_id=row[2],
        state=OutboxState(row[3]),
        raw=bytes(row[4]),
        mail_from=row[5],
        rcpt=tuple(json.loads(row[6])),
        draft=Draft.from_json(json.loads(row[7])),
        created=row[8],
        send_after=row[9],
        updated=row[10],
        attempts=int(row[11]),
        last_error=row[12],
        server_reply=row[13],
        accepted_at=row[14],
        steps=json.loads(row[15] or "{}"),
    )


class Outbox:
    """The profile's outbox (all accounts)."""

    def __init__(self, local: LocalDatabase) -> None:
        self.local = local

    # ------------------------------------------------------------------ reading

    def get(self, item_id: int) -> OutboxItem:
        with self.local.engine.connect() as conn:
            row = conn.execute(
                text(f"SELECT {_COLUMNS} FROM outbox WHERE id = :i"), {"i": item_id}
            ).one_or_none()
        if row is None:
            raise NotFoundError(f"There is no mail {item_id} in the outbox.")
        return _item(row)

    def items(
        self, account_id: str | None = None, states: Sequence[OutboxState] | None = None
    ) -> list[OutboxItem]:
        """Rows, oldest first; by default everything not yet ``sent``."""
        wanted = [
            s.value for s in (states or [s for s in OutboxState if s is not OutboxState.SENT])
        ]
        marks = ", ".join(f":s{n}" for n in range(len(wanted)))
        params: dict[str, Any] = {f"s{n}": s for n, s in enumerate(wanted)}
        where = f"state IN ({marks})"
        if account_id is not None:
            where += " AND account_id = :a"
            params["a"] = account_id
        with self.local.engine.connect() as conn:
            rows = conn.execute(
                text(f"SELECT {_COLUMNS} FROM outbox WHERE {where} ORDER BY id"), params
            ).all()
        return [_item(r) for r in rows]

    def due(self, account_id: str, now: float | None = None) -> list[OutboxItem]:
        """Queued mail whose undo window is over, plus accepted mail with steps left."""
        moment = time.time() if now is None else now
        ready = [
            i
            for i in self.items(account_id, [OutboxState.QUEUED, OutboxState.ACCEPTED])
            if i.state is OutboxState.ACCEPTED or i.send_after <= moment
        ]
        return ready

    # ------------------------------------------------------------------ writing

    def enqueue(
        self,
        draft: Draft,
        *,
        raw: bytes,
        message_id: str,
        mail_from: str,
        rcpt: Sequence[str],
        undo_seconds: float,
        now: float | None = None,
        approval: dict[str, Any] | None = None,
    ) -> OutboxItem:
        """Queue a confirmed mail; it is sent once ``undo_seconds`` have passed.

        Args:
            approval: the approval request this mail waits for (``request_id``,
                ``sha256``): the row starts in ``approval``, not ``queued``.
        """
        moment = time.time() if now is None else now
        state = OutboxState.QUEUED if approval is None else OutboxState.APPROVAL
        with self.local.engine.begin() as conn:
            result = conn.execute(
                text(
                    "INSERT INTO outbox(account_id, message_id, state, raw, mail_from, rcpt_json, "
                    "draft_json, created, send_after, updated, steps_json) VALUES "
                    "(:a, :m, :st, :r, :f, :rc, :d, :t, :s, :t, :steps)"
                ),
                {
                    "a": draft.account_id,
                    "m": message_id,
                    "st": state.value,
                    "steps": json.dumps({} if approval is None else {"approval": approval}),
                    "r": raw,
                    "f": mail_from,
                    "rc": json.dumps(list(rcpt)),
                    "d": json.dumps(draft.to_json(), ensure_ascii=False),
                    "t": moment,
                    "s": moment + max(0.0, undo_seconds),
                },
            )
            # The draft now lives in the outbox row; Undo writes it back.
            conn.execute(text("DELETE FROM drafts WHERE id = :i"), {"i": draft.id})
        return self.get(int(result.lastrowid or 0))

    def _move(
        self,
        item_id: int,
        from_states: Sequence[OutboxState],
        to_state: OutboxState,
        **values: Any,
    ) -> bool:
        """Conditional state change; True when this call made it."""
        sets = ["state = :to", "updated = :now"] + [f"{k} = :{k}" for k in values]
        marks = ", ".join(f":f{n}" for n in range(len(from_states)))
        params = {"id": item_id, "to": to_state.value, "now": time.time(), **values}
        params.update({f"f{n}": s.value for n, s in enumerate(from_states)})
        with self.local.engine.begin() as conn:
            changed = conn.execute(
                text(f"UPDATE outbox SET {', '.join(sets)} WHERE id = :id AND state IN ({marks})"),
                params,
            ).rowcount
        return changed == 1

    def claim(self, item_id: int, now: float | None = None) -> bool:
        """Take a due queued mail for processing (False: someone else has it, or undone)."""
        moment = time.time() if now is None else now
        with self.local.engine.begin() as conn:
            changed = conn.execute(
                text(
                    "UPDATE outbox SET state = 'checking', updated = :now "
                    "WHERE id = :id AND state = 'queued' AND send_after <= :now"
                ),
                {"id": item_id, "now": moment},
            ).rowcount
        return changed == 1

    def start_submitting(self, item_id: int) -> bool:
        """checking -> submitting, committed *before* the first SMTP byte."""
        with self.local.engine.begin() as conn:
            changed = conn.execute(
                text(
                    "UPDATE outbox SET state = 'submitting', attempts = attempts + 1, "
                    "updated = :now WHERE id = :id AND state = 'checking'"
                ),
                {"id": item_id, "now": time.time()},
            ).rowcount
        return changed == 1

    def mark_accepted(self, item_id: int, reply: str) -> None:
        self._move(
            item_id,
            [OutboxState.SUBMITTING, OutboxState.UNKNOWN],
            OutboxState.ACCEPTED,
            server_reply=reply,
            accepted_at=time.time(),
            last_error=None,
        )

    def mark_failed(self, item_id: int, error: str, reply: str | None) -> None:
        self._move(
            item_id,
            [OutboxState.SUBMITTING, OutboxState.CHECKING],
            OutboxState.FAILED,
            last_error=error,
            server_reply=reply,
        )

    def mark_unknown(self, item_id: int, error: str) -> None:
        self._move(item_id, [OutboxState.SUBMITTING], OutboxState.UNKNOWN, last_error=error)

    def hold(self, item_id: int, reason: str) -> None:
        self._move(item_id, [OutboxState.CHECKING], OutboxState.HELD, last_error=reason)

    def release_check(self, item_id: int, error: str) -> None:
        """The collision check could not run (offline): back to the queue, nothing sent."""
        self._move(item_id, [OutboxState.CHECKING], OutboxState.QUEUED, last_error=error)

    def approved(self, item_id: int, approval: dict[str, Any], undo_seconds: float = 0.0) -> bool:
        """approval -> queued after a new undo window; the decision in ``steps``, in one UPDATE."""
        steps = {**self.get(item_id).steps, "approval": approval}
        return self._move(
            item_id,
            [OutboxState.APPROVAL],
            OutboxState.QUEUED,
            send_after=time.time() + max(0.0, undo_seconds),
            steps_json=json.dumps(steps),
        )

    def returned(self, item_id: int, reason: str) -> bool:
        """approval -> held: a teammate sent it back (the user edits or discards)."""
        return self._move(item_id, [OutboxState.APPROVAL], OutboxState.HELD, last_error=reason)

    def record_step(self, item_id: int, step: str, value: Any = True) -> None:
        with self.local.engine.begin() as conn:
            raw = conn.execute(
                text("SELECT steps_json FROM outbox WHERE id = :i"), {"i": item_id}
            ).scalar_one()
            steps = json.loads(raw or "{}")
            steps[step] = value
            conn.execute(
                text("UPDATE outbox SET steps_json = :s, updated = :n WHERE id = :i"),
                {"s": json.dumps(steps), "n": time.time(), "i": item_id},
            )

    def mark_sent(self, item_id: int) -> None:
        self._move(item_id, [OutboxState.ACCEPTED], OutboxState.SENT, last_error=None)

    def note_error(self, item_id: int, error: str) -> None:
        """Remember why a follow-up step failed (the state stays)."""
        with self.local.engine.begin() as conn:
            conn.execute(
                text("UPDATE outbox SET last_error = :e, updated = :n WHERE id = :i"),
                {"e": error, "n": time.time(), "i": item_id},
            )

    # ------------------------------------------------------------------ the user's decisions

    def undo(self, item_id: int) -> Draft:
        """Take a mail back into the editor (only while nothing can have left).

        Raises:
            NotAllowedError: it is being sent or was sent already.
        """
        item = self.get(item_id)
        with self.local.engine.begin() as conn:
            marks = ", ".join(f"'{s.value}'" for s in UNDOABLE)
            gone = conn.execute(
                text(f"DELETE FROM outbox WHERE id = :i AND state IN ({marks})"), {"i": item_id}
            ).rowcount
            if gone != 1:
                raise NotAllowedError(
                    "Too late to undo: the mail is being sent or was sent already."
                )
            now = time.time()
            conn.execute(
                text(
                    "INSERT OR REPLACE INTO drafts(id, account_id, draft_json, created, updated) "
                    "VALUES (:i, :a, :j, :t, :t)"
                ),
                {
                    "i": item.draft.id,
                    "a": item.account_id,
                    "j": json.dumps(item.draft.to_json(), ensure_ascii=False),
                    "t": now,
                },
            )
        return item.draft

    def retry(self, item_id: int, *, resend_unknown: bool = False) -> None:
        """Queue a failed or held mail again, now (no new undo window).

        Args:
            resend_unknown: the user confirmed that a mail whose outcome is
                unknown should be submitted again (same Message-ID).

        Raises:
            NotAllowedError: nothing to retry in this state.
        """
        states = [OutboxState.FAILED, OutboxState.HELD]
        if resend_unknown:
            states.append(OutboxState.UNKNOWN)
        if not self._move(item_id, states, OutboxState.QUEUED, send_after=time.time()):
            state = self.get(item_id).state
            if state is OutboxState.UNKNOWN:
                raise NotAllowedError(
                    "The server may already have this mail. Check Sent or ask the recipient, "
                    "then confirm sending it again."
                )
            raise NotAllowedError(f"The mail is {state.value}; there is nothing to retry.")

    def confirm_sent(self, item_id: int) -> None:
        """The user checked that a mail of unknown outcome did arrive."""
        if not self._move(
            item_id,
            [OutboxState.UNKNOWN],
            OutboxState.ACCEPTED,
            accepted_at=time.time(),
            server_reply="confirmed by the user",
        ):
            raise NotAllowedError("Only a mail whose delivery is unknown can be marked as sent.")

    def recover(self, account_id: str, *, stale_seconds: float = STALE_SECONDS) -> int:
        """After a crash: checking -> queued (harmless), submitting -> unknown (ask).

        Only rows untouched for ``stale_seconds`` are touched, so a live
        process's work in progress is left alone.
        """
        cutoff = time.time() - stale_seconds
        with self.local.engine.begin() as conn:
            back = conn.execute(
                text(
                    "UPDATE outbox SET state = 'queued' WHERE account_id = :a "
                    "AND state = 'checking' AND updated < :c"
                ),
                {"a": account_id, "c": cutoff},
            ).rowcount
            lost = conn.execute(
                text(
                    "UPDATE outbox SET state = 'unknown', last_error = :e WHERE account_id = :a "
                    "AND state = 'submitting' AND updated < :c"
                ),
                {
                    "a": account_id,
                    "c": cutoff,
                    "e": "The app stopped while sending; the server may or may not have the mail.",
                },
            ).rowcount
        return int(back + lost)

    def sent_recipients(self, account_id: str) -> set[str]:
        """Every address this profile has sent to from the account (for check 4)."""
        out: set[str] = set()
        with self.local.engine.connect() as conn:
            for raw in conn.execute(
                text(
                    "SELECT rcpt_json FROM outbox WHERE account_id = :a "
                    "AND state IN ('accepted', 'sent')"
                ),
                {"a": account_id},
            ).scalars():
                out.update(json.loads(raw))
        return out
