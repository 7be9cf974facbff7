"""The CLI printing Japanese and emoji to a cp1252 pipe, its profile under a Japanese name.

This is the Windows crash seen under Wine (``mailwise team add … --name 佐藤`` with
stdout a pipe raised ``UnicodeEncodeError``), reproduced on Linux by giving the
child the ANSI code page's encoding through ``PYTHONIOENCODING``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.harness.dovecot import TestUser
from tests.harness.teammates import Team
from tests.integration.test_team_cli import REPO, profile_env

NAME = "山田 🙂"


def mailwise_bytes(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", *args],
        cwd=REPO,
        env={**env, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"},
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_team_add_and_list_with_a_name_the_pipe_cannot_show(
    team: Team, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    account_json = team("sato").account().to_json()
    root = tmp_path / "ユーザー佐藤" / "Mailwise"
    env = profile_env(cli_env, root, imap_user.password, account_json)

    added = mailwise_bytes(env, "team", "add", "yamada", "--name", NAME)
    assert added.returncode == 0, added.stderr
    assert b"Traceback" not in added.stderr
    assert b"?? ? (yamada) is on the team" in added.stdout

    listed = mailwise_bytes(env, "team", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    names = {t["id"]: t["name"] for t in json.loads(listed.stdout.decode("utf-8"))["teammates"]}
    assert names["yamada"] == NAME
    assert (root / "cache.sqlite3").is_file()
