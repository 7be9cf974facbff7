"""`mailwise team …`, `me`, `claim`, `note`, `history` as processes, and the live engine.

The CLI runs in subprocesses with the file-backed test keychain (``cli_env``);
the second teammate is a second profile folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.keyring_backend import FILE_ENV, FileKeyring
from tests.harness.teammates import Team, do, seed

REPO = Path(__file__).resolve().parents[2]


def mailwise(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", *args],
        cwd=REPO,
        env=env,
        # Its own stdin: under Wine a child inheriting pytest's may not start (WinError 1359).
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def profile_env(
    cli_env: dict[str, str], root: Path, password: str, account_json: dict
) -> dict[str, str]:
    """Environment of a CLI teammate whose profile is ``root`` (account and password set up)."""
    env = {**cli_env, "MAILWISE_HOME": str(root)}
    root.mkdir(parents=True, exist_ok=True)
    (root / "settings.json").write_text(
        json.dumps({"version": 1, "accounts": [account_json]}), encoding="utf-8"
    )
    os.environ[FILE_ENV] = cli_env[FILE_ENV]
    try:
        FileKeyring().set_password(
            f"mailwise-desktop:{root.resolve()}", imap_key("support"), password
        )
    finally:
        del os.environ[FILE_ENV]
    return env


def test_cli_team_me_claim_note_history(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    sato = team("sato")
    account_json = sato.account().to_json()
    a = profile_env(cli_env, tmp_path / "cli-a", imap_user.password, account_json)
    b = profile_env(cli_env, tmp_path / "cli-b", imap_user.password, account_json)
    csv = tmp_path / "team.csv"
    csv.write_text("id,name,email\nyamada,山田,yamada@example.jp\nito,伊藤,\n", encoding="utf-8")
    done = mailwise(a, "team", "import", str(csv))
    assert done.returncode == 0, done.stderr
    listed = mailwise(b, "team", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    slots = {t["id"]: t["slot"] for t in json.loads(listed.stdout)["teammates"]}
    assert slots == {"sato": 0, "suzuki": 1, "tanaka": 2, "yamada": 3, "ito": 4}
    assert mailwise(a, "me", "yamada").returncode == 0
    assert mailwise(b, "me", "ito").returncode == 0
    assert mailwise(b, "me", "nobody-here").returncode == ExitCode.NOT_FOUND

    uid = seed(dovecot, imap_user, "cli-claim")
    won = mailwise(a, "claim", str(uid))
    assert won.returncode == 0, won.stderr
    lost = mailwise(b, "claim", str(uid), "--json")
    assert lost.returncode == ExitCode.HELD_BY_OTHER, lost.stderr
    assert "山田 has held this since" in lost.stderr
    outcome = json.loads(lost.stdout)
    assert (outcome["won"], outcome["owner"], outcome["refusal"]) == (
        False,
        "yamada",
        "held_by_other",
    )
    assert mailwise(b, "release", str(uid)).returncode == ExitCode.HELD_BY_OTHER
    assert mailwise(a, "note", str(uid), "見積書を送付済み").returncode == 0
    hist = mailwise(b, "history", str(uid), "--json")
    assert hist.returncode == 0, hist.stderr
    doc = json.loads(hist.stdout)
    assert [(h["operation"], h["actor_name"]) for h in doc["history"]] == [("claim", "山田")]
    assert [(n["actor"], n["text"]) for n in doc["notes"]] == [("yamada", "見積書を送付済み")]
    handed = mailwise(a, "transfer", str(uid), "--to", "ito")
    assert handed.returncode == 0, handed.stderr
    assert mailwise(b, "sync").returncode == 0
    mine = json.loads(mailwise(b, "list", "--json", "--owner", "me").stdout)["messages"]
    assert [(m["uid"], m["state"], m["owner"]) for m in mine] == [(uid, "in_progress", "ito")]
    removed = mailwise(a, "team", "remove", "tanaka")
    assert removed.returncode == 0 and "slot 2 stays retired" in removed.stdout
    checked = mailwise(a, "team", "status", "--json")
    assert checked.returncode == 0, checked.stderr
    status = json.loads(checked.stdout)
    assert status["mailboxes"]["INBOX"]["ready"] is True
    assert (status["me"], status["identity"], status["pending_records"]) == (
        "yamada",
        "declared",
        0,
    )


def test_engine_brings_a_teammates_claim_and_note_within_seconds(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "live")
    sato, suzuki = team("sato"), team("suzuki")
    received: list[Changes] = []
    arrived = threading.Condition()

    def on_changes(changes: Changes) -> None:
        with arrived:
            received.append(changes)
            arrived.notify_all()

    engine = SyncService(suzuki).engine(suzuki.account(), on_changes=on_changes)
    engine.start()
    try:
        assert engine.initial_sync_done.wait(30), engine.status
        start = time.monotonic()
        assert do(sato, Operation.CLAIM, uid).won

        def owner_slot() -> int | None:
            with suzuki.cache.transaction() as session:
                box = queries.mailbox(session, "support", "INBOX")
                return queries.message_by_uid(session, box.id, uid).owner_slot

        with arrived:
            arrived.wait_for(lambda: owner_slot() == 0, timeout=10)
        assert owner_slot() == 0, "the claim never reached the teammate's cache"
        claim_seen = time.monotonic() - start
        service = CoordinationService(suzuki, suzuki.account())
        note = CoordinationService(sato, sato.account()).note_job(uid, "折り返し電話します")
        run_once(sato, sato.account(), note)
        with arrived:
            arrived.wait_for(lambda: bool(service.notes(uid)), timeout=15)
        assert [n.text for n in service.notes(uid)] == ["折り返し電話します"]
        assert any(c.team_records for c in received)
        assert claim_seen < 10  # timing itself is measured in bench/claim.py
    finally:
        engine.stop()
