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

from mailwise_desktop.core.errors import NotAllowedError, NotFoundError
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.store import outbox_rows
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


def _item(row: Sequence[Any]) -> OutboxItem:
    """An ``OutboxItem`` from a row in :data:`outbox_rows.COLUMNS` order."""
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
        row = outbox_rows.row(self.local, item_id)
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
        return [_item(r) for r in outbox_rows.rows(self.local, wanted, account_id)]

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
        values = {
            "account_id": draft.account_id,
            "message_id": message_id,
            "state": state.value,
            "steps_json": json.dumps({} if approval is None else {"approval": approval}),
            "raw": raw,
            "mail_from": mail_from,
            "rcpt_json": json.dumps(list(rcpt)),
            "draft_json": json.dumps(draft.to_json(), ensure_ascii=False),
            "created": moment,
            "send_after": moment + max(0.0, undo_seconds),
        }
        return self.get(outbox_rows.insert_taking_draft(self.local, values, draft.id))

    def _move(
        self,
        item_id: int,
        from_states: Sequence[OutboxState],
        to_state: OutboxState,
        **values: Any,
    ) -> bool:
        """Conditional state change; True when this call made it."""
        return outbox_rows.move(
            self.local, item_id, [f.value for f in from_states], to_state.value, values
        )

    def claim(self, item_id: int, now: float | None = None) -> bool:
        """Take a due queued mail for processing (False: someone else has it, or undone)."""
        return outbox_rows.claim_due(self.local, item_id, time.time() if now is None else now)

    def start_submitting(self, item_id: int) -> bool:
        """checking -> submitting, committed *before* the first SMTP byte."""
        return outbox_rows.start_submitting(self.local, item_id)

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
        outbox_rows.record_step(self.local, item_id, step, value)

    def mark_sent(self, item_id: int) -> None:
        self._move(item_id, [OutboxState.ACCEPTED], OutboxState.SENT, last_error=None)

    def note_error(self, item_id: int, error: str) -> None:
        """Remember why a follow-up step failed (the state stays)."""
        outbox_rows.note_error(self.local, item_id, error)

    # ------------------------------------------------------------------ the user's decisions

    def undo(self, item_id: int) -> Draft:
        """Take a mail back into the editor (only while nothing can have left).

        Raises:
            NotAllowedError: it is being sent or was sent already.
        """
        item = self.get(item_id)
        draft = (
            item.draft.id,
            item.account_id,
            json.dumps(item.draft.to_json(), ensure_ascii=False),
        )
        if not outbox_rows.delete_back_to_draft(
            self.local, item_id, [u.value for u in UNDOABLE], draft
        ):
            raise NotAllowedError("Too late to undo: the mail is being sent or was sent already.")
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
        words = "The app stopped while sending; the server may or may not have the mail."
        return outbox_rows.recover(self.local, account_id, cutoff, words)

    def sent_recipients(self, account_id: str) -> set[str]:
        """Every address this profile has sent to from the account (for check 4)."""
        out: set[str] = set()
        for raw in outbox_rows.sent_rcpt_json(self.local, account_id):
            out.update(json.loads(raw))
        return out
