"""Listing the account's folders into the cache."""

from __future__ import annotations

from typing import Any

from mailwise_desktop.imap.folder_names import (
    FolderInfo,
    copies_everything,
    folder_info,
    visible_folders,
    without_all_mail,
)
from mailwise_desktop.store import messages as store
from mailwise_desktop.store.database import CacheDatabase

__all__ = [
    "FolderInfo",
    "copies_everything",
    "list_folders",
    "record_folders",
    "visible_folders",
    "without_all_mail",
]


def list_folders(client: Any) -> list[FolderInfo]:
    """Every folder on the server, with its special use (Sent, Trash …) when advertised."""
    return [folder_info(flags, delimiter, name) for flags, delimiter, name in client.list_folders()]


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
