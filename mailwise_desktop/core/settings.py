"""Typed settings, declared once, with versioned upgrade steps.

Settings are a small JSON file in the profile. Each option is declared once
in :data:`OPTIONS` with its type and default; reading an undeclared key or
writing a value of the wrong type is a bug caught at once. The file carries a
version; :data:`UPGRADES` turns an older file into the current shape step by
step, so an update never loses a user's choices (Picard's pattern).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailwise_desktop.core.errors import SchemaError, StorageError

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Option:
    """One declared setting."""

    key: str
    type: type
    default: Any
    doc: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("language", str, "system", "UI language: system, ja or en."),
        Option("me", str, "", "Teammate id of this profile's user."),
        Option(
            "body_size_cap", int, 2_000_000, "Bodies up to this size are fetched for offline use."
        ),
        Option(
            "synced_folders", list, ["INBOX"], "Folders kept in the cache besides the team mailbox."
        ),
        Option(
            "team_mailbox", str, "Mailwise", "Hidden mailbox holding notes, history and policy."
        ),
        Option(
            "idle_reissue_seconds",
            int,
            540,
            "IDLE is re-issued before servers drop it (<= 10 min).",
        ),
        Option("notify_new_mail", bool, False, "System tray notice for new mail."),
        Option(
            "notify_assigned", bool, True, "System tray notice when a message is assigned to me."
        ),
        Option(
            "notify_approvals",
            bool,
            True,
            "System tray notice when my approval is asked and when my mail is decided.",
        ),
        Option(
            "notify_teammate_reply",
            bool,
            True,
            "Notice when a teammate replies to a customer I am writing to.",
        ),
        Option("remote_content_senders", list, [], "Senders whose remote images are always shown."),
        Option("window_state", dict, {}, "Geometry, splitters, columns, last filter."),
        Option("accounts", list, [], "Account settings (no passwords)."),
        Option(
            "oauth_clients",
            dict,
            {},
            "The organisation's app registrations for OAuth2 sign-in: provider (microsoft, "
            "google) -> client_id, tenant, client_secret (Google desktop clients). Not secrets.",
        ),
        Option("signature", str, "", "My signature, added to new mail and replies."),
        Option(
            "wrap_columns",
            int,
            72,
            "Outgoing text is wrapped at this many columns (a full-width character takes 2; "
            "72 = 36 full-width characters, as Japanese business mail expects; 0 = off).",
        ),
        Option(
            "keychain_backend",
            str,
            "",
            "The keyring backend (module.Class) that kept this profile's secrets last time; "
            "loaded alone at the next start instead of keyring's full lookup. Not a secret.",
        ),
        Option(
            "server_files_sent",
            list,
            [],
            "Accounts whose SMTP server files sent mail in Sent itself (no APPEND).",
        ),
    )
}

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
# UPGRADES[n] turns a version-n file into version n+1.
UPGRADES: dict[int, Upgrade] = {}


class Settings:
    """The profile's settings file, typed by :data:`OPTIONS`.

    Args:
        path: the JSON file; created on first :meth:`save`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StorageError(
                f"The settings file {self.path} cannot be read.", detail=str(exc)
            ) from exc
        version = int(raw.pop("version", 1))
        if version > SETTINGS_VERSION:
            raise SchemaError(
                "These settings were written by a newer Mailwise. Update the app to open them."
            )
        while version < SETTINGS_VERSION:
            raw = UPGRADES[version](raw)
            version += 1
        self._values = {k: v for k, v in raw.items() if k in OPTIONS}

    def get(self, key: str) -> Any:
        """The value of a declared option, or its default."""
        option = OPTIONS[key]
        value = self._values.get(key, option.default)
        # Defaults are shared objects: hand out copies of mutable ones.
        return json.loads(json.dumps(value)) if isinstance(value, list | dict) else value

    def set(self, key: str, value: Any) -> None:
        """Set a declared option; the type must match its declaration."""
        option = OPTIONS[key]
        if not isinstance(value, option.type) or (option.type is int and isinstance(value, bool)):
            raise TypeError(f"setting {key!r} takes {option.type.__name__}, not {value!r}")
        self._values[key] = value

    def save(self) -> None:
        """Write atomically: a crash mid-write never leaves a half file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": SETTINGS_VERSION, **self._values}
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StorageError(
                f"The settings could not be saved to {self.path}.", detail=str(exc)
            ) from exc
