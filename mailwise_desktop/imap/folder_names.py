"""Folder names and kinds as LIST reports them: pure, with no cache and no IMAP library.

The sync (imap/folders.py) and the CLI's no-op check (imap/status_probe.py)
both read folders through :func:`folder_info`, so they see the same set.
"""

from __future__ import annotations

from dataclasses import dataclass

_SPECIAL_USE = ("\\Sent", "\\Trash", "\\Drafts", "\\Junk", "\\Archive", "\\All", "\\Flagged")


@dataclass(frozen=True)
class FolderInfo:
    name: str
    delimiter: str | None
    special_use: str | None
    selectable: bool


def folder_info(
    flags: tuple[bytes | str, ...], delimiter: bytes | str | None, name: str
) -> FolderInfo:
    """One LIST entry (its flags, delimiter, decoded name) as a :class:`FolderInfo`."""
    flag_text = [f.decode("ascii", "replace") if isinstance(f, bytes) else str(f) for f in flags]
    special = next((f for f in flag_text if f in _SPECIAL_USE), None)
    return FolderInfo(
        name=str(name),
        delimiter=delimiter.decode() if isinstance(delimiter, bytes) else delimiter,
        special_use=special,
        selectable="\\Noselect" not in flag_text and "\\NonExistent" not in flag_text,
    )


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
