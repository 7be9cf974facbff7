"""What is in Trash, taking a message back out, and emptying Trash when asked.

:mod:`mailwise_desktop.services.trash` moves mail *into* Trash (Delete, with
undo). This module is the rest a mail client needs: list Trash, restore from
it, and empty it — the only place Mailwise ever expunges, and only when the
user asked (the CLI asks for ``--yes``, the window for a confirmation).

On a server without MOVE, Delete copied the mail to Trash and marked the
original ``\\Deleted`` without expunging it. Emptying Trash then also removes
those originals — by UID EXPUNGE (UIDPLUS), so nothing another client marked is
touched. Without UIDPLUS the originals stay marked, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import ErrorCase, NotFoundError
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.mail.encoded_words import decode_header_text
from mailwise_desktop.services.trash import trash_folder

#: the newest this many are listed (a Trash of years is not read whole)
LIST_LIMIT = 200


@dataclass(frozen=True)
class TrashedMessage:
    """One message in Trash (UIDs are Trash's own)."""

    uid: int
    subject: str
    sender: str
    date: datetime | None
    message_id: str


@dataclass(frozen=True)
class Emptied:
    """What emptying Trash removed, and what it could not."""

    trash: str
    removed: int
    originals_removed: int
    originals_left: int  # marked originals of a server without UIDPLUS
    changes: Changes


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return decode_header_text(value.decode("latin-1"))
    return "" if value is None else str(value)


def list_job(
    limit: int = LIST_LIMIT,
) -> Callable[[EngineContext], tuple[str, list[TrashedMessage]]]:
    """The newest ``limit`` messages in Trash (name of the Trash folder, messages)."""

    def job(ectx: EngineContext) -> tuple[str, list[TrashedMessage]]:
        client = ectx.session.client
        trash = trash_folder(ectx)
        client.select_folder(trash, readonly=True)
        uids = sorted(int(u) for u in client.search(["NOT", "DELETED"]))[-limit:]
        found: list[TrashedMessage] = []
        if uids:
            for uid, data in sorted(client.fetch(uids, ["ENVELOPE"]).items(), reverse=True):
                env = data.get(b"ENVELOPE")
                if env is None:
                    continue
                sender = ""
                if env.from_:
                    first = env.from_[0]
                    name = _text(first.name)
                    mailbox, host = _text(first.mailbox), _text(first.host)
                    sender = name or f"{mailbox}@{host}"
                found.append(
                    TrashedMessage(
                        int(uid),
                        _text(env.subject),
                        sender,
                        env.date if isinstance(env.date, datetime) else None,
                        _text(env.message_id),
                    )
                )
        return trash, found

    return job


def restore_job(uids: Sequence[int], to: str = "INBOX") -> Callable[[EngineContext], Changes]:
    """Move Trash's ``uids`` back to ``to`` (flags, so state and owner, travel with them).

    Raises:
        NotFoundError: none of ``uids`` is in Trash.
    """

    def job(ectx: EngineContext) -> Changes:
        client = ectx.session.client
        trash = trash_folder(ectx)
        client.select_folder(trash)
        present = sorted(set(int(u) for u in client.search(["UID", ",".join(map(str, uids))])))
        present = [u for u in present if u in set(uids)]
        if not present:
            raise NotFoundError(
                f"No such message in {trash}.", case=ErrorCase.NOT_IN_TRASH, data={"folder": trash}
            )
        if b"MOVE" in client.capabilities():
            client.move(present, to)
        else:
            client.copy(present, to)
            client.add_flags(present, [b"\\Deleted"])
            if b"UIDPLUS" in client.capabilities():
                client.expunge(present)  # only these: the copies are back where they were
        return Changes((ectx.mailbox(to).sync(),))

    return job


def empty_job(folders: Sequence[str]) -> Callable[[EngineContext], Emptied]:
    """Expunge everything in Trash, and the marked originals Delete left in ``folders``."""

    def job(ectx: EngineContext) -> Emptied:
        client = ectx.session.client
        caps = client.capabilities()
        trash = trash_folder(ectx)
        client.select_folder(trash)
        in_trash = [int(u) for u in client.search(["ALL"])]
        ids = _message_ids(client, in_trash)
        if in_trash:
            client.add_flags(in_trash, [b"\\Deleted"])
            client.expunge()  # the user asked: everything in Trash goes
        originals_removed = originals_left = 0
        changes = []
        if b"MOVE" not in caps and ids:
            for folder in folders:
                client.select_folder(folder)
                marked = [int(u) for u in client.search(["DELETED"])]
                ours = [u for u, mid in _message_ids(client, marked).items() if mid in ids.values()]
                if not ours:
                    continue
                if b"UIDPLUS" in caps:
                    client.expunge(ours)
                    originals_removed += len(ours)
                else:
                    originals_left += len(ours)
                changes.append(ectx.mailbox(folder).sync())
        return Emptied(
            trash, len(in_trash), originals_removed, originals_left, Changes(tuple(changes))
        )

    return job


def _message_ids(client: object, uids: Sequence[int]) -> dict[int, str]:
    if not uids:
        return {}
    fetched = client.fetch(list(uids), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])  # type: ignore[attr-defined]
    found: dict[int, str] = {}
    for uid, data in fetched.items():
        raw = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
        text = raw.decode("latin-1").partition(":")[2].strip()
        if text:
            found[int(uid)] = text
    return found
