"""Owner names for every profile, and the same owner in ``list --json`` and ``show --json`` (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.profile import HOME_ENV
from mailwise_desktop.core.states import Operation
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, endpoint_for, open_profile, seed


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)  # type: ignore[no-any-return]


def test_profile_that_never_said_who_it_is_sees_owners_in_list_and_show(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uid = seed(dovecot, imap_user, "担当者の表示")
    assert do(team("sato"), Operation.CLAIM, uid).won
    root = tmp_path / "newcomer"
    open_profile(root, endpoint_for(dovecot, imap_user), imap_user.password).close()
    monkeypatch.setenv(HOME_ENV, str(root))
    assert main(["sync"]) == 0
    capsys.readouterr()
    listed = cli_json(capsys, "list")
    row = next(m for m in listed["messages"] if m["uid"] == uid)
    assert row["owner"] == "sato"
    shown = cli_json(capsys, "show", str(uid))
    assert shown["owner"] == "sato"
