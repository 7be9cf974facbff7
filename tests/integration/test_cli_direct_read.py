"""`mailwise list` and `search` read SQLite directly and print exactly what the service path prints.

One synced cache (real Dovecot, realistic Japanese/English mail, a roster and
claimed messages); every command runs twice in the same profile — through
the direct sqlite3 reader and through the SQLAlchemy services — and the
output (text and JSON, exit code, error line) must be the same.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mailwise_desktop.cli import cache_commands
from mailwise_desktop.cli.main import main
from mailwise_desktop.core.profile import HOME_ENV
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store.direct_read import DirectCache
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import realistic_mailbox
from tests.harness.teammates import Team, do, seed

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["list", "--limit", "7"],
    ["list", "--state", "in_progress", "--json"],
    ["list", "--state", "done", "--state", "unhandled", "--limit", "20"],
    ["list", "--owner", "me", "--json"],
    ["list", "--owner", "suzuki"],
    ["list", "--owner", "none", "--limit", "5", "--json"],
    ["list", "--owner", "nosuchperson"],
    ["list", "--mailbox", "NoSuchFolder"],
    ["search", "請求"],  # two characters: the substring scan
    ["search", "請求書", "--json"],  # the trigram index
    ["search", "ログイン 再発行"],
    ["search", "invoice", "--limit", "3", "--json"],
    ["search", "佐藤"],
    ["search", "ｲﾝﾎﾞｲｽ"],  # half-width: NFKC finds インボイス
    ["search", "nothing-matches-this"],
    ["search", "請求", "--mailbox", "INBOX", "--json"],
    ["search", "請求", "--mailbox", "NoSuchFolder"],
]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def synced_profile(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """sato's profile, synced: 300 realistic messages, two claimed, one done."""
    dovecot.seed_maildir(imap_user, realistic_mailbox(300, seed=3))
    mine = seed(dovecot, imap_user, "請求書の再発行について")
    theirs = seed(dovecot, imap_user, "インボイスの件")
    closed = seed(dovecot, imap_user, "ログインできません")
    sato, suzuki = team("sato"), team("suzuki")
    assert do(sato, Operation.CLAIM, mine).won
    assert do(suzuki, Operation.CLAIM, theirs).won
    assert do(sato, Operation.DONE, closed).won
    SyncService(sato).sync_once(sato.account())
    # The commands below are another program: nothing of this one keeps the file
    # open (Windows would refuse to rebuild or delete it, WinError 32).
    sato.close()
    monkeypatch.setenv(HOME_ENV, str(sato.profile.root))
    return sato.profile.cache_db


def test_list_and_search_print_the_same_through_both_paths(
    synced_profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[bool] = []
    real_open = DirectCache.open

    def watched_open(path: Path) -> DirectCache | None:
        cache = real_open(path)
        opened.append(cache is not None)
        return cache

    monkeypatch.setattr(cache_commands.DirectCache, "open", staticmethod(watched_open))
    direct = [_run(capsys, argv) for argv in COMMANDS]
    assert opened and all(opened)  # every command read the cache directly
    monkeypatch.setattr(cache_commands.DirectCache, "open", staticmethod(lambda path: None))
    full = [_run(capsys, argv) for argv in COMMANDS]
    for argv, d, f in zip(COMMANDS, direct, full, strict=True):
        assert d == f, argv
    # The comparison means something: rows, owners, both search kinds, errors.
    listed = json.loads(direct[1][1])["messages"]
    assert len(listed) == 303
    assert {m["owner"] for m in listed} == {None, "sato", "suzuki"}
    mine = {m["subject"]: m["state"] for m in json.loads(direct[5][1])["messages"]}
    assert mine == {"請求書の再発行について": "in_progress", "ログインできません": "done"}
    assert "インボイスの件" in direct[6][1] and "鈴木" in direct[6][1]
    assert direct[10][1].count("\n") > 5  # 請求 found in many messages
    found = json.loads(direct[11][1])["messages"]
    assert "請求書の再発行について" in [m["subject"] for m in found]
    assert "インボイスの件" in direct[15][1]
    assert direct[16] == (0, "", "")
    assert direct[8][0] != 0 and "nosuchperson" in direct[8][2]
    assert direct[9][0] != 0 and "NoSuchFolder" in direct[9][2]


def test_a_cache_of_another_schema_version_takes_the_service_path(
    synced_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(synced_profile) as db:
        db.execute("PRAGMA user_version=2")  # an older app's cache: rebuilt, not read
    db.close()
    assert DirectCache.open(synced_profile) is None
    code, out, err = _run(capsys, ["list", "--json"])
    # The service path rebuilt it, as before this reader: empty until the next sync.
    assert (code, out) == (8, "")
    assert "not in the local cache. Run a sync first" in err
    assert DirectCache.open(synced_profile) is not None  # and now it is current


def test_a_missing_cache_is_created_by_the_service_path(
    synced_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{synced_profile}{suffix}").unlink(missing_ok=True)
    assert DirectCache.open(synced_profile) is None
    code, out, err = _run(capsys, ["search", "請求", "--json"])
    assert code == 0, err
    assert json.loads(out)["messages"] == []
    assert synced_profile.is_file()


_PROBE = """
import io, json, sys, contextlib
from mailwise_desktop.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
sys.__stdout__.write(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("argv", [["list", "--owner", "me"], ["search", "請求書"]])
def test_list_and_search_load_no_sqlalchemy_engine_or_keyring(
    synced_profile: Path, argv: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, check=True, timeout=120
    )
    result = json.loads(done.stdout)
    assert result["code"] == 0
    assert "請求書" in result["out"]
    heavy = ("sqlalchemy", "imapclient", "keyring", "PySide6", "jinja2")
    assert [m for m in result["modules"] if m.split(".")[0] in heavy] == []
    assert "mailwise_desktop.imap.engine" not in result["modules"]
