"""Listing the account's folders into the cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailwise_desktop.store import messages as store
from mailwise_desktop.store.database import CacheDatabase

_SPECIAL_USE = ("\\Sent", "\\Trash", "\\Drafts", "\\Junk", "\\Archive", "\\All", "\\Flagged")


@dataclass(frozen=True)
class FolderInfo:
    name: str
    delimiter: str | None
    special_use: str | None
    selectable: bool


def list_folders(client: Any) -> list[FolderInfo]:
    """Every folder on the server, with its special use (Sent, Trash …) when advertised."""
    folders: list[FolderInfo] = []
    for flags, delimiter, name in client.list_folders():
        flag_text = [
            f.decode("ascii", "replace") if isinstance(f, bytes) else str(f) for f in flags
        ]
        special = next((f for f in flag_text if f in _SPECIAL_USE), None)
        folders.append(
            FolderInfo(
                name=str(name),
                delimiter=delimiter.decode() if isinstance(delimiter, bytes) else delimiter,
                special_use=special,
                selectable="\\Noselect" not in flag_text and "\\NonExistent" not in flag_text,
            )
        )
    return folders


def copies_everything(folder: FolderInfo) -> bool:
    """A folder holding a copy of every message (SPECIAL-USE ``\\All``, Gmail's All Mail).

    Gmail shows each message in ``[Gmail]/All Mail`` as well as under its
    labels (which are folders, INBOX among them): keeping it offline would
    list and count every message twice.
    """
    return folder.special_use == "\\All"


def without_all_mail(wanted: tuple[str, ...], listed: list[FolderInfo]) -> tuple[str, ...]:
    """``wanted`` without the folders that copy everything (see :func:`copies_everything`)."""
    everything = {f.name for f in listed if copies_everything(f)}
    return tuple(name for name in wanted if name not in everything)


def visible_folders(folders: list[FolderInfo], team_mailbox: str) -> list[FolderInfo]:
    """The folders people see: without the hidden team mailbox (or folders under it)."""
    hidden = team_mailbox.casefold()
    return [
        f
        for f in folders
        if f.name.casefold() != hidden
        and not (f.delimiter and f.name.casefold().startswith(hidden + f.delimiter.casefold()))
    ]


def record_folders(db: CacheDatabase, account_id: str, folders: list[FolderInfo]) -> None:
    """Remember the folder list so the UI can show it offline."""
    with db.transaction() as session:
        for folder in folders:
            store.ensure_mailbox(
                session,
                account_id,
                folder.name,
                delimiter=folder.delimiter,
                special_use=folder.special_use,
                selectable=folder.selectable,
            )
