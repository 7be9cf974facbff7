"""The test keychains keep secrets where tests expect, and nowhere else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.errors import PasswordDeleteError

from mailwise_desktop.core.keychain import Keychain
from tests.harness.keyring_backend import FileKeyring, MemoryKeyring


def test_every_test_gets_an_empty_memory_keyring(memory_keyring: MemoryKeyring) -> None:
    assert keyring.get_keyring() is memory_keyring
    assert memory_keyring.secrets == {}
    Keychain("svc").set_password("support/imap", "s3cret")
    assert memory_keyring.secrets == {("svc", "support/imap"): "s3cret"}
    assert Keychain("svc").get_password("support/imap") == "s3cret"


def test_memory_keyring_delete_of_a_missing_secret_raises() -> None:
    backend = MemoryKeyring()
    with pytest.raises(PasswordDeleteError):
        backend.delete_password("svc", "nobody")


def test_file_keyring_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("MAILWISE_TEST_KEYRING_FILE", str(path))
    backend = FileKeyring()
    backend.set_password("svc", "a", "パスワード")
    assert FileKeyring().get_password("svc", "a") == "パスワード"
    if os.name == "posix":  # Windows has no modes: the profile folder's ACL keeps it private
        assert path.stat().st_mode & 0o077 == 0
    backend.delete_password("svc", "a")
    assert backend.get_password("svc", "a") is None
    with pytest.raises(PasswordDeleteError):
        backend.delete_password("svc", "a")


def test_file_keyring_is_shared_with_a_subprocess(cli_env: dict[str, str], tmp_path: Path) -> None:
    code = "import keyring; keyring.set_password('svc', 'support/imap', 'from-child')"
    subprocess.run([sys.executable, "-c", code], env=cli_env, check=True, timeout=60)
    data = json.loads((tmp_path / "keyring.json").read_text(encoding="utf-8"))
    assert list(data.values()) == ["from-child"]


def test_subprocess_without_opt_in_gets_no_keychain(tmp_path: Path) -> None:
    # The autouse fixture points subprocesses at keyring's failing backend.
    code = (
        "from mailwise_desktop.core.keychain import Keychain\n"
        "from mailwise_desktop.core.errors import KeychainError\n"
        "try:\n    Keychain('svc').set_password('k', 'v')\n"
        "except KeychainError:\n    raise SystemExit(17)\n"
    )
    # Own pipes for the child's streams: a Windows child that inherits pytest's
    # captured handles fails to start under Wine (WinError 1359, WINDOWS.md).
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        timeout=60,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    assert proc.returncode == 17, proc.stderr
