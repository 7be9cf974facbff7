"""Delete = move to Trash, with undo; never an expunge the user did not ask for.

Engine jobs (run on the engine thread in the window, by ``run_once`` in the CLI):

- :func:`to_trash_job`: UID MOVE to the Trash folder (RFC 6851) when the
  server has MOVE; otherwise COPY and flag ``\\Deleted`` *without* EXPUNGE
  (the message stays on the server, marked, until the user empties it).
  The cache forgets the moved rows at once and the :class:`Changes` says so.
- :func:`undo_job`: finds each message again in Trash by its Message-ID and
  moves it back (flags, so handling state and owner, travel with it).

A message without a Message-ID is still moved; undo then says in plain words
that it must be taken back from Trash by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.folders import list_folders
from mailwise_desktop.store.messages import ensure_mailbox, remove_uids

TRASH_NAMES = ("Trash", "Deleted Items", "Deleted Messages", "INBOX.Trash", "ゴミ箱")


@dataclass(frozen=True)
class Trashed:
    """What :func:`to_trash_job` did: enough for :func:`undo_job`."""

    mailbox: str
    trash: str
    message_ids: tuple[str, ...]  # of the moved messages that have one
    count: int
    moved: bool  # MOVE (True) or COPY + \\Deleted (False)
    changes: Changes


def trash_folder(ectx: EngineContext) -> str:
    """The folder marked ``\\Trash``, else a usual name, else created as ``Trash``."""
    folders = list_folders(ectx.session.client)
    for folder in folders:
        if folder.special_use == "\\Trash" and folder.selectable:
            return folder.name
    names = {f.name.casefold(): f.name for f in folders if f.selectable}
    for candidate in TRASH_NAMES:
        if candidate.casefold() in names:
            return names[candidate.casefold()]
    ectx.session.client.create_folder("Trash")
    return "Trash"


def to_trash_job(
    mailbox: str, uids: Sequence[int], message_ids: Sequence[str | None]
) -> Callable[[EngineContext], Trashed]:
    """Move ``uids`` of ``mailbox`` to Trash (``message_ids`` from the cache, for undo)."""

    def job(ectx: EngineContext) -> Trashed:
        client = ectx.session.client
        trash = trash_folder(ectx)
        if trash == mailbox:
            raise NotFoundError("These messages are in Trash already.")
        client.select_folder(mailbox)
        moved = b"MOVE" in client.capabilities()
        if moved:
            client.move(list(uids), trash)
        else:
            client.copy(list(uids), trash)
            client.add_flags(list(uids), [b"\\Deleted"])  # never EXPUNGE unasked
        with ectx.db.transaction() as session:
            box = ensure_mailbox(session, ectx.account.id, mailbox)
            removed = remove_uids(session, box, uids) if moved else []
        change = MailboxChanges(ectx.account.id, mailbox, removed=frozenset(removed))
        return Trashed(
            mailbox,
            trash,
            tuple(m for m in message_ids if m),
            len(uids),
            moved,
            Changes((change,)),
        )

    return job


def undo_job(trashed: Trashed) -> Callable[[EngineContext], Changes]:
    """Put what :func:`to_trash_job` moved back where it was.

    Raises:
        NotFoundError: some message is no longer in Trash (emptied, or moved by
            someone else), or had no Message-ID to find it by.
    """

    def job(ectx: EngineContext) -> Changes:
        client = ectx.session.client
        missing = trashed.count - len(trashed.message_ids)
        if not trashed.moved:  # the original stayed, marked: unmark it, mark the copy
            client.select_folder(trashed.mailbox)
            found = _search(client, trashed.message_ids)
            missing += len(trashed.message_ids) - len(found)
            if found:
                client.remove_flags(found, [b"\\Deleted"])
            client.select_folder(trashed.trash)
            copies = _search(client, trashed.message_ids)
            if copies:
                client.add_flags(copies, [b"\\Deleted"])
        else:
            client.select_folder(trashed.trash)
            found = _search(client, trashed.message_ids)
            missing += len(trashed.message_ids) - len(found)
            if found:
                client.move(found, trashed.mailbox)
        change = ectx.mailbox(trashed.mailbox).sync()
        if missing > 0:
            raise NotFoundError(
                f"{missing} message(s) could not be found in {trashed.trash}; "
                "take them back from there by hand."
            )
        return Changes((change,))

    return job


def _search(client: object, message_ids: Sequence[str]) -> list[int]:
    found: list[int] = []
    for mid in message_ids:
        hits = client.search(["HEADER", "Message-ID", mid])  # type: ignore[attr-defined]
        if hits:
            found.append(int(max(hits)))
    return found
