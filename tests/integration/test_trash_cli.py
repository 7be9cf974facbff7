"""`mailwise delete` and `mailwise trash list|restore|empty` on the real Dovecot.

Delete never erases; only `trash empty`, asked for, expunges — and on a server
without MOVE it removes exactly the originals Delete marked, nothing another
client marked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core.errors import ExitCode
from tests.harness.dovecot import WITHOUT_MOVE, DovecotServer, TestUser, start_dovecot
from tests.harness.teammates import Team, endpoint_for, open_profile, seed, server_flags
from tests.integration.test_team_cli import profile_env

REPO = Path(__file__).resolve().parents[2]


def mailwise(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def uids(dovecot: DovecotServer, user: TestUser, folder: str, *query: str) -> list[int]:
    out = dovecot.doveadm("search", "mailbox", folder, *(query or ("ALL",)), user=user)
    return sorted(int(line.split()[1]) for line in out.splitlines() if line.strip())


def test_delete_lists_restores_and_empties_only_when_asked(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = profile_env(
        cli_env, tmp_path / "cli", imap_user.password, team("sato").account().to_json()
    )
    assert mailwise(env, "me", "sato").returncode == 0
    keep = seed(dovecot, imap_user, "残すメール")
    first = seed(dovecot, imap_user, "削除する見積書")
    second = seed(dovecot, imap_user, "spam-offer")
    assert mailwise(env, "sync").returncode == 0
    assert mailwise(env, "claim", str(first)).returncode == 0

    deleted = mailwise(env, "delete", str(first), str(second))
    assert deleted.returncode == 0, deleted.stderr
    assert uids(dovecot, imap_user, "INBOX") == [keep]
    assert len(uids(dovecot, imap_user, "Trash")) == 2
    listed = json.loads(mailwise(env, "list", "--json").stdout)["messages"]
    assert [m["uid"] for m in listed] == [keep]

    in_trash = json.loads(mailwise(env, "trash", "list", "--json").stdout)
    subjects = {m["subject"]: m["uid"] for m in in_trash["messages"]}
    assert set(subjects) == {"削除する見積書", "spam-offer"}

    restored = mailwise(env, "trash", "restore", str(subjects["削除する見積書"]))
    assert restored.returncode == 0, restored.stderr
    back = [m for m in json.loads(mailwise(env, "list", "--json").stdout)["messages"]]
    again = next(m for m in back if m["subject"] == "削除する見積書")
    assert (again["state"], again["owner"]) == ("in_progress", "sato")  # keywords travelled

    refused = mailwise(env, "trash", "empty")  # no terminal, no --yes: nothing erased
    assert refused.returncode == ExitCode.CANCELLED
    assert len(uids(dovecot, imap_user, "Trash")) == 1
    emptied = mailwise(env, "trash", "empty", "--yes")
    assert emptied.returncode == 0, emptied.stderr
    assert uids(dovecot, imap_user, "Trash") == []
    assert len(uids(dovecot, imap_user, "INBOX")) == 2  # the kept and the restored one


def test_deleting_a_message_not_in_the_cache_says_so(
    team: Team, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = profile_env(
        cli_env, tmp_path / "cli", imap_user.password, team("sato").account().to_json()
    )
    assert mailwise(env, "sync").returncode == 0
    done = mailwise(env, "delete", "999999")
    assert done.returncode == ExitCode.NOT_FOUND
    assert "No message with UID 999999" in done.stderr


@pytest.fixture(scope="module")
def no_move_dovecot() -> Iterator[DovecotServer]:
    server = start_dovecot(imap_settings=WITHOUT_MOVE)
    try:
        yield server
    finally:
        server.stop()


def test_without_move_empty_trash_erases_only_the_originals_delete_marked(
    no_move_dovecot: DovecotServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    dovecot = no_move_dovecot
    user = dovecot.add_user()
    ctx = open_profile(tmp_path / "p", endpoint_for(dovecot, user), user.password)
    account = ctx.account().to_json()
    ctx.close()
    env = profile_env(cli_env, tmp_path / "p", user.password, account)
    ours = seed(dovecot, user, "to-delete")
    theirs = seed(dovecot, user, "marked-by-another-client", flags=("\\Deleted",))
    kept = seed(dovecot, user, "kept")
    assert mailwise(env, "sync").returncode == 0

    assert mailwise(env, "delete", str(ours)).returncode == 0
    assert "\\Deleted" in server_flags(dovecot, user, ours)  # copied and marked, not expunged
    assert uids(dovecot, user, "INBOX") == [ours, theirs, kept]
    assert len(uids(dovecot, user, "Trash")) == 1

    emptied = mailwise(env, "trash", "empty", "--yes")
    assert emptied.returncode == 0, emptied.stderr
    assert "Also erased 1 original" in emptied.stdout
    assert uids(dovecot, user, "Trash") == []
    assert uids(dovecot, user, "INBOX") == [theirs, kept]  # another client's mark is theirs
