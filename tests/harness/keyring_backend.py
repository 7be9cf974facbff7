"""Test-only keyring backends: the tests never touch the real OS keychain.

:class:`MemoryKeyring` is installed for every test by ``tests/conftest.py``.
:class:`FileKeyring` serves CLI tests that run ``mailwise`` in a subprocess:
select it there with ``PYTHON_KEYRING_BACKEND=tests.harness.keyring_backend.FileKeyring``
and ``MAILWISE_TEST_KEYRING_FILE=/path/to/file.json`` (the subprocess must be
able to import ``tests``: run it from the repository root or set PYTHONPATH).

The application never ships a plaintext backend; these live in the test
package only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "MAILWISE_TEST_KEYRING_FILE"


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, gone with the process."""

    priority = 1  # type: ignore[assignment]  # keyring declares it as a property

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError("no such password") from None


class FileKeyring(KeyringBackend):
    """Secrets in a JSON file named by ``$MAILWISE_TEST_KEYRING_FILE`` (tests only).

    Several processes (the test and the CLI it runs) share it; each call reads
    or rewrites the whole file, which is plenty for a handful of test secrets.
    """

    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        try:
            return Path(os.environ[FILE_ENV])
        except KeyError:
            raise RuntimeError(f"FileKeyring needs ${FILE_ENV} (test-only backend)") from None

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def _save(self, data: dict[str, str]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)

    @staticmethod
    def _key(service: str, username: str) -> str:
        return f"{service}\x1f{username}"

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(self._key(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[self._key(service, username)] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(self._key(service, username), None) is None:
            raise PasswordDeleteError("no such password")
        self._save(data)
