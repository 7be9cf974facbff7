"""Hostile team-mailbox records against the real Dovecot (issue 9, cases 3 and 4).

Anyone with the mailbox password can APPEND to the team mailbox. Each record
below once raised in every teammate's reader; now each is refused by its
schema, never applied, and listed by ``mailwise team check``, while sync,
``list``, ``history`` and the live engine keep working.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.engine_status import LinkState
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, seed
from tests.integration.test_team_cli import mailwise, profile_env

pytestmark = pytest.mark.integration

TEAM_MAILBOX = "Mailwise"


def hostile(
    kind: str, body: str, *, date: str = "Tue, 01 Dec 2026 10:00:00 +0900", n: int
) -> bytes:
    return (
        "From: attacker@example.jp\r\nSubject: [mailwise] hostile\r\n"
        f"Date: {date}\r\nMessage-ID: <hostile-{n}@example.jp>\r\n"
        f"X-Mailwise-Kind: {kind}\r\nX-Mailwise-Target: {'policy' if kind == 'policy' else 'cli-hostile@example.jp'}\r\n"
        "X-Mailwise-Actor: sato\r\nX-Mailwise-Version: 1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode()


HOSTILE = [
    ("note", "[" * 100_000 + "]" * 100_000),
    ("approval", "[" * 100_000 + "]" * 100_000),
    ("policy", json.dumps({"size_limit": "inf"})),
    ("policy", json.dumps({"keyword_rules": "x"})),
    ("policy", json.dumps({"keyword_rules": [{"pattern": 5, "action": "block"}]})),
    ("template", json.dumps({"name": "evil", "body": "b", "to": 5})),
    ("template", json.dumps({"name": "evil2", "body": "b", "fallbacks": ["ab", "c"]})),
    ("roster", json.dumps({"id": "mallory", "slot": "0", "name": ["x"]})),
    ("event", json.dumps({"operation": "claim", "to": {"owner_slot": "0"}})),
]


def test_hostile_records_are_refused_listed_and_nothing_stops(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, cli_env: dict[str, str], tmp_path: Path
) -> None:
    sato = team("sato")
    uid = seed(dovecot, imap_user, "cli-hostile")
    assert do(sato, Operation.CLAIM, uid).won
    run_once(sato, sato.account(), CoordinationService(sato, sato.account()).refresh_team_job())
    bad_uids = [
        dovecot.append(imap_user, hostile(kind, body, n=i), TEAM_MAILBOX)
        for i, (kind, body) in enumerate(HOSTILE)
    ]
    bad_uids.append(
        dovecot.append(
            imap_user,
            hostile(
                "event", json.dumps({"operation": "done"}), date="31 Dec 9999 23:00:00 -0200", n=99
            ),
            TEAM_MAILBOX,
        )
    )

    # A fresh teammate reads everything from UID 1: the records are refused, not raised.
    env = profile_env(cli_env, tmp_path / "cli-fresh", imap_user.password, sato.account().to_json())
    assert mailwise(env, "me", "suzuki").returncode == 0
    synced = mailwise(env, "sync")
    assert synced.returncode == 0, synced.stderr
    listed = mailwise(env, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    messages = json.loads(listed.stdout)["messages"]
    assert [(m["uid"], m["owner"]) for m in messages] == [(uid, "sato")]
    hist = mailwise(env, "history", str(uid), "--json")
    assert hist.returncode == 0, hist.stderr
    assert [h["operation"] for h in json.loads(hist.stdout)["history"]] == ["claim"]
    team_list = json.loads(mailwise(env, "team", "list", "--json").stdout)["teammates"]
    assert "mallory" not in {t["id"] for t in team_list}

    checked = mailwise(env, "team", "check", "--json")
    assert checked.returncode == ExitCode.TEAM_PROBLEMS, checked.stderr
    problems = json.loads(checked.stdout)["problems"]
    assert [p["uid"] for p in problems] == bad_uids
    assert [p["kind"] for p in problems] == [k for k, _b in HOSTILE] + ["event"]
    by_uid = {p["uid"]: " ".join(p["problems"]) for p in problems}
    assert "nests 100000 levels" in by_uid[bad_uids[1]]
    assert "size_limit" in by_uid[bad_uids[2]]
    assert "date" in by_uid[bad_uids[-1]]
    human = mailwise(env, "team", "check")
    assert human.returncode == ExitCode.TEAM_PROBLEMS
    assert f"UID {bad_uids[2]}\tpolicy\t" in human.stdout

    # The in-process services see the same: policy and templates are the defaults, and
    # the live engine still brings a teammate's change.
    suzuki = team("suzuki")
    run_once(
        suzuki, suzuki.account(), CoordinationService(suzuki, suzuki.account()).refresh_team_job()
    )
    sending = SendingService(suzuki, suzuki.account())
    assert sending.policy().size_limit == 10_000_000
    assert "evil" not in sending.shared_templates()
    engine = SyncService(suzuki).engine(suzuki.account(), on_changes=lambda c: None)
    engine.start()
    try:
        assert engine.initial_sync_done.wait(30), engine.status
        dovecot.append(imap_user, hostile("note", "[" * 50_000 + "]" * 50_000, n=100), TEAM_MAILBOX)
        refresh = CoordinationService(suzuki, suzuki.account()).refresh_team_job()
        engine.submit(refresh).result(timeout=30)
        assert engine.status.state is LinkState.ONLINE
    finally:
        engine.stop()
