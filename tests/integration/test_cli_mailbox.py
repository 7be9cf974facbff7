"""The `mailwise` CLI against the real Dovecot: accounts, sync, list/show/search, errors, watch."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from mailwise_desktop.core.errors import ExitCode
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message, realistic_mailbox

MAILWISE = [sys.executable, "-m", "mailwise_desktop.cli"]


def mailwise(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAILWISE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def add_account(
    env: dict[str, str],
    dovecot: DovecotServer,
    user: TestUser,
    *extra: str,
    password: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return mailwise(
        env,
        "account",
        "add",
        "support",
        "--host",
        "127.0.0.1",
        "--port",
        str(dovecot.imaps_port),
        "--user",
        user.name,
        "--ca-file",
        str(dovecot.ca_file),
        "--address",
        "support@example.jp",
        "--password-stdin",
        *extra,
        stdin=(password if password is not None else user.password) + "\n",
    )


def test_account_add_reports_capabilities_and_stores_no_password(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser, mailwise_home: Path
) -> None:
    result = add_account(cli_env, dovecot, imap_user)
    assert result.returncode == 0, result.stderr
    assert "CONDSTORE" in result.stdout and "IDLE" in result.stdout
    settings = (mailwise_home / "settings.json").read_text(encoding="utf-8")
    assert imap_user.password not in settings  # only in the keychain
    listed = json.loads(mailwise(cli_env, "account", "list", "--json").stdout)
    assert listed[0]["imap"]["user"] == imap_user.name
    assert listed[0]["smtp"]["port"] == 465  # defaulted from the IMAP security
    assert listed[0]["smtp"]["ca_file"] == str(dovecot.ca_file)  # the IMAP CA, by default
    removed = mailwise(cli_env, "account", "remove", "support")
    assert removed.returncode == ExitCode.CANCELLED  # no terminal, no --yes: nothing removed
    assert mailwise(cli_env, "account", "remove", "support", "--yes").returncode == 0
    assert json.loads(mailwise(cli_env, "account", "list", "--json").stdout) == []


@pytest.mark.parametrize(
    ("case", "code", "words"),
    [
        ("wrong password", ExitCode.AUTH, "refused the user name or password"),
        ("closed port", ExitCode.UNREACHABLE, "refused the connection"),
        ("untrusted certificate", ExitCode.CERTIFICATE, "fingerprint"),
        ("password as argument", ExitCode.USAGE, "standard input"),
    ],
)
def test_account_add_errors_are_one_clear_line_with_distinct_codes(
    cli_env: dict[str, str],
    dovecot: DovecotServer,
    imap_user: TestUser,
    mailwise_home: Path,
    case: str,
    code: int,
    words: str,
) -> None:
    if case == "wrong password":
        result = add_account(cli_env, dovecot, imap_user, password="wrong")
    elif case == "closed port":
        from tests.harness.dovecot import free_port

        result = mailwise(
            cli_env,
            "account",
            "add",
            "support",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port()),
            "--user",
            imap_user.name,
            "--ca-file",
            str(dovecot.ca_file),
            "--password-stdin",
            stdin=imap_user.password,
        )
    elif case == "untrusted certificate":
        result = mailwise(
            cli_env,
            "account",
            "add",
            "support",
            "--host",
            "127.0.0.1",
            "--port",
            str(dovecot.imaps_port),
            "--user",
            imap_user.name,
            "--password-stdin",
            stdin=imap_user.password,
        )
    else:
        result = mailwise(
            cli_env, "account", "add", "support", "--host", "127.0.0.1", "--user", "x"
        )
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mailwise: ")
    assert words.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr
    # Nothing half-configured is left behind.
    settings = mailwise_home / "settings.json"
    if settings.exists():
        assert json.loads(settings.read_text(encoding="utf-8")).get("accounts", []) == []


def test_sync_list_show_search_json(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    assert add_account(cli_env, dovecot, imap_user).returncode == 0
    raw = make_message(
        subject="請求書の再発行について",
        body="先月分の請求書を再発行していただけますか。",
        sender=("山田 太郎", "taro@example.co.jp"),
        charset="iso-2022-jp",
        message_id="<inv-1@example.co.jp>",
    )
    dovecot.append(imap_user, raw)
    dovecot.append(
        imap_user,
        make_message(
            subject="Login problem", body="I cannot log in.", sender=("Ann", "ann@example.com")
        ),
    )
    result = mailwise(cli_env, "sync", "--bodies")
    assert result.returncode == 0, result.stderr
    assert "INBOX: 2 new" in result.stdout
    # Piped, progress comes as plain lines on stderr, in order, ending at the total.
    progress = [line for line in result.stderr.splitlines() if line.startswith("INBOX: ")]
    assert progress[0] == "INBOX: 0 / 2" and progress[-1] == "INBOX: 2 / 2", result.stderr

    listed = json.loads(mailwise(cli_env, "list", "--json").stdout)["messages"]
    assert len(listed) == 2
    for key in (
        "uid",
        "message_id",
        "subject",
        "from",
        "to",
        "date",
        "flags",
        "size",
        "has_attachments",
        "state",
    ):
        assert all(key in m for m in listed), key
    japanese = next(m for m in listed if m["message_id"] == "inv-1@example.co.jp")
    assert japanese["subject"] == "請求書の再発行について"
    assert japanese["from"] == {"name": "山田 太郎", "email": "taro@example.co.jp"}
    assert japanese["date"].endswith("+00:00") and "T" in japanese["date"]
    assert japanese["state"] == "unhandled"

    shown = json.loads(mailwise(cli_env, "show", str(japanese["uid"]), "--json").stdout)
    assert "再発行していただけますか" in shown["text"]
    found = json.loads(mailwise(cli_env, "search", "請求", "--json").stdout)["messages"]
    assert [m["uid"] for m in found] == [japanese["uid"]]
    assert (
        json.loads(mailwise(cli_env, "search", "log in", "--json").stdout)["messages"][0]["subject"]
        == "Login problem"
    )

    missing = mailwise(cli_env, "show", "9999")
    assert missing.returncode == ExitCode.NOT_FOUND and "UID 9999" in missing.stderr
    gone = mailwise(cli_env, "list", "--mailbox", "Nope")
    assert gone.returncode == ExitCode.NOT_FOUND


def test_cli_without_account_says_what_to_do(cli_env: dict[str, str]) -> None:
    result = mailwise(cli_env, "list")
    assert result.returncode == ExitCode.NOT_CONFIGURED
    assert "mailwise account add" in result.stderr


class LineReader:
    """Lines of a child's pipe, read by a thread: waits get a deadline on every OS.

    (A bare ``readline()`` blocks past any deadline; ``select`` on a pipe is POSIX.)
    """

    def __init__(self, stream: IO[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)  # end of file: the child is gone

    def wait_for(self, text: str, timeout: float) -> str | None:
        """The first line holding ``text`` within ``timeout`` seconds, else None."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.seen.append(line)
            if text in line:
                return line
        return None


def test_watch_prints_new_mail_and_stops_cleanly(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    assert add_account(cli_env, dovecot, imap_user).returncode == 0
    # Its own stdin: a Windows child inheriting pytest's captured handles does not
    # start under Wine (WinError 1359, or Python's "init_sys_streams" failure).
    proc = subprocess.Popen(
        [*MAILWISE, "watch"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
        env=cli_env,
    )
    try:
        assert proc.stderr is not None and proc.stdout is not None
        status, out = LineReader(proc.stderr), LineReader(proc.stdout)
        assert status.wait_for("[online]", 60), "".join(status.seen)
        dovecot.append(imap_user, make_message(subject="監視テスト"))
        line = out.wait_for("監視テスト", 60)
        assert line is not None, "".join(out.seen + status.seen)
        assert "new" in line
    finally:
        # Ctrl+C as a signal is POSIX; on Windows it needs a console, which
        # the piped child lacks: end it there and leave the exit code unchecked.
        if sys.platform == "win32":
            proc.terminate()
        else:
            proc.send_signal(signal.SIGINT)
        try:
            # Generous: the engine gets 5 s to finish its job, and a loaded CI machine
            # (a 50k-message bench beside the suite) took longer than 10 s once.
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    if sys.platform != "win32":
        assert proc.returncode in (0, 130)


def cache_state(home: Path) -> dict[int, set[str]]:
    import sqlite3

    with sqlite3.connect(home / "cache.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT uid, flags FROM messages").fetchall()
        fts = conn.execute("SELECT count(*) FROM messages_fts").fetchone()[0]
    assert fts == len(rows)  # the search index never diverges from the rows
    return {uid: set(flags.split()) for uid, flags in rows}


def server_state(dovecot: DovecotServer, user: TestUser) -> dict[int, set[str]]:
    out = dovecot.doveadm("fetch", "uid flags", "mailbox", "INBOX", "all", user=user)
    state: dict[int, set[str]] = {}
    uid = None
    for line in out.splitlines():
        if line.startswith("uid: "):
            uid = int(line[5:])
        elif line.startswith("flags:") and uid is not None:
            state[uid] = {f for f in line[6:].split() if f != "\\Recent"}
    return state


def test_killed_sync_leaves_a_consistent_cache_that_converges(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser, mailwise_home: Path
) -> None:
    assert add_account(cli_env, dovecot, imap_user).returncode == 0
    dovecot.seed_maildir(imap_user, realistic_mailbox(6000, seed=3))
    rng = random.Random(os.getpid())
    for attempt in range(3):
        proc = subprocess.Popen(
            [*MAILWISE, "sync", "--bodies"],
            env=cli_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        proc.wait()
        if (mailwise_home / "cache.sqlite3").exists():
            cache_state(mailwise_home)  # consistent after every kill
        if attempt == 1:
            dovecot.flags_add(imap_user, "\\Flagged", 10)
            dovecot.expunge(imap_user, 20)
    result = mailwise(cli_env, "sync")
    assert result.returncode == 0, result.stderr
    assert cache_state(mailwise_home) == server_state(dovecot, imap_user)


def test_smtp_server_can_have_its_own_ca_and_pin(
    cli_env: dict[str, str], dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    smtp_ca = tmp_path / "smtp-ca.pem"
    smtp_ca.write_text("placeholder", encoding="utf-8")
    result = add_account(
        cli_env, dovecot, imap_user, "--smtp-ca-file", str(smtp_ca), "--smtp-pin-sha256", "AB:CD:EF"
    )
    assert result.returncode == 0, result.stderr
    smtp = json.loads(mailwise(cli_env, "account", "list", "--json").stdout)[0]["smtp"]
    assert smtp["ca_file"] == str(smtp_ca) and smtp["pin_sha256"] == "abcdef"
