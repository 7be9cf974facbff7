"""`mailwise account add` on a machine without a usable keychain: plain words, nothing kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mailwise_desktop.core.errors import NO_KEYCHAIN_WORDS, ExitCode
from tests.harness.dovecot import DovecotServer, TestUser


def add_account(
    env: dict[str, str], dovecot: DovecotServer, user: TestUser
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", "account", "add", "support",
         "--host", "127.0.0.1", "--port", str(dovecot.imaps_port), "--user", user.name,
         "--ca-file", str(dovecot.ca_file), "--password-stdin"],
        input=user.password + "\n",
        capture_output=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["ja", "en"])
def test_account_add_without_a_keychain_refuses_in_plain_words(
    cli_env: dict[str, str],
    dovecot: DovecotServer,
    imap_user: TestUser,
    mailwise_home: Path,
    tmp_path: Path,
    language: str,
) -> None:
    # keyring's "fail" backend is what keyring picks on Linux without Secret Service.
    env = {
        **cli_env,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "LANG": "ja_JP.UTF-8" if language == "ja" else "en_US.UTF-8",
        "LC_ALL": "",
        "PYTHONUTF8": "1",
    }
    result = add_account(env, dovecot, imap_user)
    assert result.returncode == ExitCode.KEYCHAIN, result.stderr
    assert NO_KEYCHAIN_WORDS[language] in result.stderr
    assert "Traceback" not in result.stderr
    # Nothing kept: no account in the settings, no password in any file of the
    # profile or beside it (the login itself would have succeeded).
    settings = mailwise_home / "settings.json"
    assert not settings.exists() or '"support"' not in settings.read_text(encoding="utf-8")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert imap_user.password.encode() not in path.read_bytes(), path


def test_account_add_with_a_keychain_still_works(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    result = add_account(cli_env, dovecot, imap_user)
    assert result.returncode == 0, result.stderr
    assert "Added support" in result.stdout
