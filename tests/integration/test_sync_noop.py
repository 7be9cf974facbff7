"""`mailwise sync` with nothing changed answers from a quick look; every change still syncs.

Real Dovecot, a synced profile (sato) with a roster and a claim. The quick
check (cli/sync_commands.py) must be taken when nothing changed — in a real
process it then loads no SQLAlchemy, imapclient or engine — and each kind of
change must fall through to the full sync, which then syncs it (and the next
run is quick again: the full path left the marks the check compares).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mailwise_desktop.cli import mailbox_commands
from mailwise_desktop.cli.main import main
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import HOME_ENV
from mailwise_desktop.core.states import Operation
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store.direct_read import DirectCache
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.keyring_backend import FILE_ENV, FileKeyring
from tests.harness.teammates import Team, do, seed


@pytest.fixture
def sato(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> AppContext:
    """sato's profile, synced, with one message claimed by sato; ``$MAILWISE_HOME`` is it."""
    for subject in ("請求書の再発行", "ログインできません", "納期の確認"):
        seed(dovecot, imap_user, subject)
    ctx = team("sato")
    SyncService(ctx).sync_once(ctx.account())
    assert do(ctx, Operation.CLAIM, 1).won
    SyncService(ctx).sync_once(ctx.account())
    monkeypatch.setenv(HOME_ENV, str(ctx.profile.root))
    return ctx


def _sync(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """``mailwise sync`` in-process: (stdout, whether the full sync ran)."""
    ran: list[bool] = []
    real = mailbox_commands.full_sync

    def watched(ctx: AppContext, args: object) -> int:
        ran.append(True)
        return real(ctx, args)  # type: ignore[arg-type]

    monkeypatch.setattr(mailbox_commands, "full_sync", watched)
    code = main(["sync"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out, bool(ran)


def test_nothing_changed_takes_the_quick_path_and_prints_the_same(
    sato: AppContext, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick, full_ran = _sync(capsys, monkeypatch)
    assert not full_ran
    # The full path's own no-op output is the same text.
    assert quick == "INBOX: up to date\n"
    code = mailbox_commands.full_sync(AppContext.open(), _namespace())
    assert code == 0
    assert capsys.readouterr().out == quick


def _namespace() -> object:
    import argparse

    return argparse.Namespace(account=None, mailbox=None, bodies=False)


def _cached_count(ctx: AppContext) -> int:
    cache = DirectCache.open(ctx.profile.cache_db)
    assert cache is not None
    try:
        return len(cache.list_ids(cache.folder(ctx.account().id, "INBOX").id))
    finally:
        cache.close()


def _new_mail(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    seed(dovecot, user, "新しい問い合わせ")
    return "INBOX: 1 new, 0 changed, 0 removed"


def _teammate_flag(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    dovecot.doveadm("flags", "add", "\\Flagged", "mailbox", "INBOX", "uid", "2", user=user)
    return "INBOX: 0 new, 1 changed, 0 removed"


def _teammate_claim(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    assert do(team("suzuki"), Operation.CLAIM, 3).won  # flags and a history record
    return "INBOX: 0 new, 1 changed, 0 removed"


def _new_folder(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    dovecot.create_folder(user, "見積もり")
    return "INBOX: up to date"


def _team_note(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    suzuki = team("suzuki")
    job = CoordinationService(suzuki, suzuki.account()).note_job(2, "折り返します")
    run_once(suzuki, suzuki.account(), job)  # only the team mailbox changes
    return "INBOX: up to date"


def _queued_record(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    record = TeamRecord(
        kind=RecordKind.NOTE,
        target="<請求書の再発行@example.jp>",
        actor="sato",
        payload={"text": "送れなかったメモ", "mailbox": "INBOX", "uid": 1},
        subject="[mailwise] note",
    )
    headers = record.queue_headers()
    ctx.local.queue_team_record(ctx.account().id, record.kind, record.subject, headers, {})
    return "INBOX: up to date"


def _expunge(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    dovecot.doveadm("expunge", "mailbox", "INBOX", "uid", "2", user=user)
    return "INBOX: 0 new, 0 changed, 1 removed"


def _uidvalidity(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    with sqlite3.connect(ctx.profile.cache_db) as db:
        (current,) = db.execute("SELECT uidvalidity FROM mailboxes WHERE name = 'INBOX'").fetchone()
    db.close()
    dovecot.doveadm("mailbox", "update", "--uid-validity", str(current + 7), "INBOX", user=user)
    return "INBOX: the server renumbered the folder; cache rebuilt"


def _ungrouped(ctx: AppContext, dovecot: DovecotServer, user: TestUser, team: Team) -> str:
    with sqlite3.connect(ctx.profile.cache_db) as db:  # as a killed sync leaves a new row
        db.execute("UPDATE messages SET conversation_id = NULL WHERE uid = 2")
    db.close()
    return "INBOX: up to date"


CHANGES: dict[str, Callable[[AppContext, DovecotServer, TestUser, Team], str]] = {
    "new mail": _new_mail,
    "a flag set by a teammate": _teammate_flag,
    "a claim by a teammate": _teammate_claim,
    "a new folder": _new_folder,
    "a team record": _team_note,
    "a queued local record": _queued_record,
    "an expunge": _expunge,
    "UIDVALIDITY": _uidvalidity,
    "a row not grouped yet": _ungrouped,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_takes_the_full_sync_and_is_synced(
    change: str,
    sato: AppContext,
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _sync(capsys, monkeypatch) == ("INBOX: up to date\n", False)
    expected = CHANGES[change](sato, dovecot, imap_user, team)
    out, full_ran = _sync(capsys, monkeypatch)
    assert full_ran, change
    assert expected in out.splitlines()[0] if "rebuilt" in expected else out.startswith(expected)
    again, full_again = _sync(capsys, monkeypatch)
    assert (again, full_again) == ("INBOX: up to date\n", False), change
    # And the change is in the cache / delivered, read without the code under test's reader.
    with sqlite3.connect(sato.profile.cache_db) as db:
        folders = {r[0] for r in db.execute("SELECT name FROM mailboxes")}
        records = db.execute("SELECT count(*) FROM team_records WHERE kind = 'note'").fetchone()[0]
    db.close()
    if change == "new mail":
        assert _cached_count(sato) == 4
    elif change == "an expunge":
        assert _cached_count(sato) == 2
    elif change == "a new folder":
        assert "見積もり" in folders
    elif change in ("a team record", "a queued local record"):
        assert records == 1
        with sqlite3.connect(sato.profile.local_db) as local:
            assert local.execute("SELECT count(*) FROM pending_team_records").fetchone()[0] == 0
        local.close()


_PROBE = """
import io, json, sys, contextlib
from mailwise_desktop.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
sys.__stdout__.write(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def test_a_real_process_answers_the_no_op_without_the_sync_machinery(
    sato: AppContext,
    team: Team,
    imap_user: TestUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyring_file = tmp_path / "keyring.json"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.harness.keyring_backend.FileKeyring")
    monkeypatch.setenv(FILE_ENV, str(keyring_file))
    FileKeyring().set_password(
        sato.profile.keyring_service, imap_key(sato.account().id), imap_user.password
    )
    root = str(Path(__file__).resolve().parents[2])
    monkeypatch.setenv("PYTHONPATH", root)

    def run() -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, "sync"], capture_output=True, check=True, timeout=120
        )
        result: dict[str, object] = json.loads(done.stdout)
        return result

    result = run()
    assert (result["code"], result["out"]) == (0, "INBOX: up to date\n")
    modules = result["modules"]
    assert isinstance(modules, list)
    heavy = ("sqlalchemy", "imapclient", "PySide6", "jinja2")
    assert [m for m in modules if m.split(".")[0] in heavy] == []
    assert "mailwise_desktop.imap.engine" not in modules
    assert "mailwise_desktop.cli.mailbox_commands" not in modules
    # A teammate's change: the same command takes the full sync and reports it.
    assert do(team("suzuki"), Operation.CLAIM, 2).won
    changed = run()
    assert changed["out"] == "INBOX: 0 new, 1 changed, 0 removed\n"
    assert "sqlalchemy" in changed["modules"]  # type: ignore[operator]
