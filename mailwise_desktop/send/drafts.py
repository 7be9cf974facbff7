"""Drafts in the local database: saved at once and every few seconds (crash-safe).

The editor calls :meth:`DraftStore.save` when it opens and on a short timer
while the text changes; each save is one committed SQLite transaction (WAL),
so a crash or a killed process loses at most the last few seconds of typing.
A draft is deleted only once its mail is in the outbox (the outbox then holds
the same JSON, and Undo writes it back here).
"""

from __future__ import annotations

import builtins
import json

from sqlalchemy.exc import OperationalError

from mailwise_desktop.core.errors import NotFoundError, StorageError
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.store import draft_rows
from mailwise_desktop.store.local import LocalDatabase

#: How often the editor saves a changed draft.
AUTOSAVE_SECONDS = 3


class DraftStore:
    """The profile's drafts."""

    def __init__(self, local: LocalDatabase) -> None:
        self.local = local

    def save(self, draft: Draft) -> None:
        """Write the draft in one transaction; the previous save stays intact on failure.

        Raises:
            StorageError: the disk is full (or the file is not writable), in
                plain words; the editor keeps the text and tries again.
        """
        try:
            self._save(draft)
        except OperationalError as exc:
            full = "full" in str(exc).lower()
            raise StorageError(
                (
                    "The disk is full, so the draft could not be saved just now. "
                    if full
                    else "The draft could not be saved just now. "
                )
                + "Your text stays in the window and Mailwise keeps trying; "
                "free some disk space, then go on.",
                detail=str(exc),
            ) from exc

    def _save(self, draft: Draft) -> None:
        draft_rows.upsert(
            self.local, draft.id, draft.account_id, json.dumps(draft.to_json(), ensure_ascii=False)
        )

    def load(self, draft_id: str) -> Draft:
        raw = draft_rows.draft_json(self.local, draft_id)
        if raw is None:
            raise NotFoundError(f"There is no draft {draft_id}.")
        return Draft.from_json(json.loads(raw))

    def list(self, account_id: str) -> list[Draft]:
        """The account's drafts, most recently saved first."""
        return [
            Draft.from_json(json.loads(r))
            for r in draft_rows.account_drafts_json(self.local, account_id)
        ]

    def saved(self, account_id: str) -> builtins.list[tuple[Draft, float]]:
        """The account's drafts with when each was last saved (epoch seconds), newest first."""
        return [
            (Draft.from_json(json.loads(raw)), updated)
            for raw, updated in draft_rows.account_drafts_saved(self.local, account_id)
        ]

    def delete(self, draft_id: str) -> None:
        draft_rows.delete(self.local, draft_id)
