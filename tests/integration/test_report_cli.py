"""`mailwise report --json` on a seeded Dovecot mailbox, after real claims and closings."""

from __future__ import annotations

import json

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import Team, do


def test_report_counts_the_seeded_mailbox(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    senders = [("A", "a@one.jp"), ("B", "b@one.jp"), ("C", "c@two.com")]
    uids = [
        dovecot.append(imap_user, make_message(subject=f"件{n}", sender=s, message_id=f"<m{n}@x>"))
        for n, s in enumerate(senders)
    ]
    sato = team("sato")
    assert do(sato, Operation.CLAIM, uids[0]).won
    assert do(sato, Operation.DONE, uids[0]).won
    suzuki = team("suzuki")
    assert do(suzuki, Operation.SKIP, uids[2]).won
    assert do(suzuki, Operation.CLAIM, uids[1]).won
    SyncService(sato).sync_once(sato.account())
    from mailwise_desktop.services.coordination import CoordinationService
    from mailwise_desktop.services.runner import run_once

    run_once(sato, sato.account(), CoordinationService(sato, sato.account()).refresh_team_job())
    monkeypatch.setenv("MAILWISE_HOME", str(sato.profile.root))
    capsys.readouterr()
    assert main(["report", "--since", "2000-01-01", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["received"] == 3
    assert doc["handled"] == 2
    assert doc["handled_by"] == {"sato": 1, "suzuki": 1}
    assert doc["per_state"] == {"done": 1, "in_progress": 1, "no_reply_needed": 1}
    assert doc["per_domain"]["one.jp"]["received"] == 2
    assert doc["per_domain"]["one.jp"]["handled"] == 1
    assert doc["per_domain"]["two.com"]["handled"] == 1
    assert doc["resolution"]["count"] == 2
    assert doc["first_response"]["count"] == 0  # nobody replied yet
    assert sum(doc["backlog_by_age"].values()) == 1  # the one in progress
    out = sato.profile.root / "report.csv"
    assert main(["report", "--since", "2000-01-01", "--csv", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    assert "total,handled,2" in out.read_text(encoding="utf-8-sig")
    assert main(["report", "--since", "last tuesday"]) == 2
