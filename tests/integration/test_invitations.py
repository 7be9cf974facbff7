"""Joining a team from an invitation: one password, the roster, "who am I" — real Dovecot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mailwise_desktop.core.errors import ExitCode
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, seed
from tests.integration.test_team_cli import profile_env

REPO = Path(__file__).resolve().parents[2]


def mailwise(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def _admin(team: Team, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path) -> dict:
    sato = team("sato")  # the fixture's roster: sato, suzuki, tanaka
    return profile_env(cli_env, tmp_path / "admin", imap_user.password, sato.account().to_json())


def test_a_teammate_joins_from_a_file_with_one_password(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    admin = _admin(team, imap_user, cli_env, tmp_path)
    assert mailwise(admin, "me", "sato").returncode == 0
    invite_file = tmp_path / "suzuki.mailwise-invite"
    made = mailwise(admin, "invite", "--for", "suzuki", "--out", str(invite_file))
    assert made.returncode == 0, made.stderr
    text = invite_file.read_text(encoding="utf-8")
    assert imap_user.password not in text
    assert str(dovecot.ca_file) not in text  # the CA travels as PEM, not as the admin's path
    assert "-----BEGIN CERTIFICATE-----" in text

    newcomer = {**cli_env, "MAILWISE_HOME": str(tmp_path / "newcomer")}
    joined = mailwise(
        newcomer,
        "join",
        str(invite_file),
        "--password-stdin",
        "--json",
        stdin=imap_user.password + "\n",
    )
    assert joined.returncode == 0, joined.stderr
    doc = json.loads(joined.stdout)
    assert doc["me"] == "suzuki"
    assert {t["id"] for t in doc["roster"]} == {"sato", "suzuki", "tanaka"}
    status = json.loads(mailwise(newcomer, "team", "status", "--json").stdout)
    assert (status["me"], status["identity"]) == ("suzuki", "declared")
    assert status["mailboxes"]["INBOX"]["ready"] is True

    # The joined profile is a working teammate: it syncs and its claim is seen by the admin.
    uid = seed(dovecot, imap_user, "invited-claim")
    assert mailwise(newcomer, "sync").returncode == 0
    won = mailwise(newcomer, "claim", str(uid))
    assert won.returncode == 0, won.stderr
    lost = mailwise(admin, "claim", str(uid))
    assert lost.returncode == ExitCode.HELD_BY_OTHER
    assert "鈴木" in lost.stderr
    # The password lives in the keychain only, never in the profile's files.
    for path in (tmp_path / "newcomer").rglob("*"):
        if path.is_file() and path.suffix in (".json", ".pem", ".txt", ""):
            assert imap_user.password.encode() not in path.read_bytes(), path


def test_a_code_joins_and_a_wrong_password_leaves_the_profile_as_it_was(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    admin = _admin(team, imap_user, cli_env, tmp_path)
    code = mailwise(admin, "invite", "--code")
    assert code.returncode == 0, code.stderr
    token = code.stdout.strip()
    assert token.startswith("MWINV1-")

    newcomer = {**cli_env, "MAILWISE_HOME": str(tmp_path / "newcomer")}
    refused = mailwise(newcomer, "join", token, "--password-stdin", stdin="wrong-password\n")
    assert refused.returncode == ExitCode.AUTH, refused.stderr
    listed = mailwise(newcomer, "account", "list", "--json")
    assert json.loads(listed.stdout) == []
    assert not list((tmp_path / "newcomer").glob("certificates/*.pem"))

    joined = mailwise(newcomer, "join", token, "--password-stdin", stdin=imap_user.password + "\n")
    assert joined.returncode == 0, joined.stderr
    assert "Say who you are" in joined.stdout  # a code for nobody in particular
    assert mailwise(newcomer, "me", "tanaka").returncode == 0
    assert "3 teammate(s)" in joined.stdout

    again = mailwise(newcomer, "join", token, "--password-stdin", stdin=imap_user.password + "\n")
    assert again.returncode == ExitCode.USAGE and "--as NAME" in again.stderr


def test_an_invitation_for_someone_not_on_the_roster_is_not_made(
    team: Team, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    admin = _admin(team, imap_user, cli_env, tmp_path)
    assert mailwise(admin, "team", "list").returncode == 0  # the roster is cached
    made = mailwise(admin, "invite", "--for", "nobody")
    assert made.returncode == ExitCode.NOT_FOUND
    assert "mailwise team add" in made.stderr


def test_a_damaged_invitation_gets_its_own_exit_code(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "x.mailwise-invite"
    broken.write_text('{"mailwise_invitation": 1, "account": {"id": 5}}', encoding="utf-8")
    env = {**cli_env, "MAILWISE_HOME": str(tmp_path / "p")}
    done = mailwise(env, "join", str(broken), "--password-stdin", stdin="x\n")
    assert done.returncode == ExitCode.INVITATION, done.stderr
    assert "Traceback" not in done.stderr
    assert "damaged" in done.stderr
