"""Where a profile's local data lives.

Everything local — settings, the SQLite cache, drafts, the outbox, logs —
sits under one folder: the per-user data folder from platformdirs, or
``$MAILWISE_HOME`` when set (tests, several teammates on one machine,
portable installs). Nothing else in the app computes a path on its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from mailwise_desktop import APP_ID, APP_NAME

HOME_ENV = "MAILWISE_HOME"


@dataclass(frozen=True)
class Profile:
    """The local data folder of one teammate's app.

    Attributes:
        root: the folder holding all of the profile's files.
    """

    root: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Profile:
        """Profile from ``$MAILWISE_HOME``, else the platform's user data folder."""
        env = os.environ if env is None else env
        home = env.get(HOME_ENV, "").strip()
        if home:
            return cls(Path(home).expanduser().resolve())
        return cls(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)))

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def cache_db(self) -> Path:
        """Rebuildable copy of the server's mailboxes."""
        return self.root / "cache.sqlite3"

    @property
    def local_db(self) -> Path:
        """The user's own work (drafts, outbox, personal templates): never dropped."""
        return self.root / "local.sqlite3"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def attachments_dir(self) -> Path:
        """Files attached to drafts and queued mail, copied in so they can't vanish."""
        return self.root / "attachments"

    @property
    def outbox_lock(self) -> Path:
        """Held by the one process sending this profile's outbox (send/outbox.py)."""
        return self.root / "outbox.lock"

    @property
    def writers_dir(self) -> Path:
        """One lock file per live process that writes team records (services/record_writers.py)."""
        return self.root / "writers"

    def ensure(self) -> Profile:
        """Create the folder (user-only permissions) and return self."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(exist_ok=True)
        if os.name == "posix":
            # Customer mail is personal data: the cache is for this user only.
            os.chmod(self.root, 0o700)
        return self

    @property
    def keyring_service(self) -> str:
        """Keychain service name; per profile so two profiles never share secrets."""
        return f"{APP_ID}:{self.root}"
