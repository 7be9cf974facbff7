"""The hostile mailbox against the real Dovecot (issue 9 acceptance).

About four hundred broken, truncated, mis-labelled, oversized and nasty
mails (``tests/harness/hostile_corpus.py``: the Ruby mail gem's parser test
mails plus bytes of our own) and about a hundred hostile team records go
into one shared mailbox. Then, as a support person would: ``mailwise sync``,
``list``, ``show`` of every message, ``search``, ``team check``, and the live
engine. Nothing raises, every message is listed, and mail after them arrives.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from mailwise_desktop.cli.main import main as mailwise_main
from mailwise_desktop.core.errors import ExitCode, NotFoundError
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.imap.engine_status import LinkState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.bridge import ENV as WINDOWS_LANE
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.hostile_corpus import hostile_mails, hostile_records
from tests.harness.seed import make_message
from tests.integration.test_cli_mailbox import MAILWISE, add_account, mailwise

pytestmark = pytest.mark.integration

TEAM_MAILBOX = "Mailwise"
# Over IMAP APPEND as well as straight into the Maildir: Dovecot refuses NUL in a literal.
APPENDED = 40
# Each show here opens the profile (settings, both databases, a new SQLAlchemy engine that
# compiles its statements again): about 0.24 s under Wine. The Windows lane shows every
# message as text (the console path, where Windows differs) and every fourth as JSON
# (UTF-8 bytes whatever the console); 822 shows there were 200 s of its 300 s limit.
JSON_SHOW_EVERY = 4 if os.environ.get(WINDOWS_LANE) else 1


def seed_hostile_mailbox(dovecot: DovecotServer, user: TestUser) -> tuple[int, list[int]]:
    """Every hostile mail into INBOX and every hostile record into the team mailbox."""
    mails = [raw for _name, raw in hostile_mails()]
    dovecot.seed_maildir(user, mails[APPENDED:])
    for raw in mails[:APPENDED]:
        dovecot.append(user, raw)
    dovecot.create_folder(user, TEAM_MAILBOX)
    records = [dovecot.append(user, raw, TEAM_MAILBOX) for raw in hostile_records()]
    return len(mails), records


def test_hostile_mailbox_sync_list_show_search_and_team_check(
    cli_env: dict[str, str],
    dovecot: DovecotServer,
    imap_user: TestUser,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    count, record_uids = seed_hostile_mailbox(dovecot, imap_user)
    assert count >= 300 and len(record_uids) >= 90
    assert add_account(cli_env, dovecot, imap_user).returncode == 0
    # --bodies: every hostile body comes down in the sync's batched fetch, so each `show`
    # below parses a cached body instead of opening an IMAP connection of its own for it
    # (under Wine that download, TLS + LOGIN + FETCH, was 0.32 s of a 0.43 s show).
    # Bodies over the size cap are still fetched by `show`, one connection each.
    synced = mailwise(cli_env, "sync", "--bodies", timeout=600)
    assert synced.returncode == 0, synced.stderr
    assert "Traceback" not in synced.stderr
    assert "bodies downloaded" in synced.stdout, synced.stdout

    listed = mailwise(cli_env, "list", "--json", "--limit", "10000")
    assert listed.returncode == 0, listed.stderr
    messages = json.loads(listed.stdout)["messages"]
    assert len(messages) == dovecot.messages_count(imap_user) == count
    assert mailwise(cli_env, "list", "--limit", "10000").returncode == 0

    # show of every message: the CLI's own entry point, in this process (400 starts of a
    # Python would take minutes); the in-process keychain gets the CLI's password.
    ctx = AppContext.open()
    try:
        ctx.keychain.set_password(imap_key("support"), imap_user.password)
    finally:
        ctx.close()
    capsys.readouterr()
    problems = {m["uid"]: m["read_problem"] for m in messages}
    for n, uid in enumerate(sorted(problems)):
        assert mailwise_main(["show", str(uid)]) == 0, uid
        text = capsys.readouterr().out
        assert text.startswith("From:"), (uid, text[:200])
        if problems[uid]:
            assert "could not be read fully" in text, uid
        if n % JSON_SHOW_EVERY:
            continue
        assert mailwise_main(["show", "--json", str(uid)]) == 0, uid
        shown = json.loads(capsys.readouterr().out)
        assert shown["uid"] == uid

    # Show source / save as .eml: the message as received, for any of them. --source
    # in a real process, for the bytes on a real pipe; the rest in this process, as the
    # shows above: each start of a Windows Python under Wine is seconds (28 of them
    # were half of this test's time there).
    by_id = {m["message_id"]: m["uid"] for m in messages}
    sample = [(n, r) for n, r in hostile_mails() if n.startswith(("mime/", "label/", "word/"))]
    for name, raw in sample[::25]:
        uid = by_id[name.replace("/", "-") + "@hostile.example"]
        source = subprocess.run(
            [*MAILWISE, "show", "--source", str(uid)], env=cli_env, capture_output=True, check=False
        )
        assert source.returncode == 0, source.stderr
        assert source.stdout.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n"), name
        saved = tmp_path / f"{uid}.eml"
        assert mailwise_main(["show", "--save-eml", str(saved), str(uid)]) == 0, uid
        assert saved.read_bytes() == source.stdout

    capsys.readouterr()
    for query in (
        "請求書",
        "mislabelled",
        "loop",
        '"',
        "*",
        "NEAR(",
        "a OR",
        "\u202e",
        "=?utf-8?B?",
    ):
        assert mailwise_main(["search", query, "--json"]) == 0, query
        json.loads(capsys.readouterr().out)
    assert mailwise_main(["search", "mislabelled", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["messages"]

    assert mailwise_main(["team", "check", "--json"]) == ExitCode.TEAM_PROBLEMS
    refused = {p["uid"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert refused <= set(record_uids)
    # Every record of a kind we read is refused; only kinds no version reads may be skipped.
    assert len(refused) >= len(record_uids) - 12, sorted(set(record_uids) - refused)
    assert mailwise_main(["team", "list"]) == 0


def test_engine_stays_online_over_the_hostile_mailbox(
    dovecot: DovecotServer, imap_user: TestUser, cli_env: dict[str, str]
) -> None:
    count, _records = seed_hostile_mailbox(dovecot, imap_user)
    assert add_account(cli_env, dovecot, imap_user).returncode == 0
    ctx = AppContext.open()
    ctx.keychain.set_password(imap_key("support"), imap_user.password)
    arrived = threading.Event()
    engine = SyncService(ctx).engine(ctx.account(), on_changes=lambda _c: arrived.set())
    engine.start()
    try:
        assert engine.initial_sync_done.wait(300), engine.status
        assert engine.status.state is LinkState.ONLINE, engine.status
        after = dovecot.append(imap_user, make_message(subject="after the hostile mailbox"))

        def stored() -> bool:
            with ctx.cache.transaction() as session:
                box = queries.mailbox(session, "support", "INBOX")
                try:
                    return queries.message_by_uid(session, box.id, after).uid == after
                except NotFoundError:
                    return False

        while not stored():
            assert arrived.wait(30), engine.status
            arrived.clear()
        assert engine.status.state is LinkState.ONLINE, engine.status
        with ctx.cache.transaction() as session:
            box = queries.mailbox(session, "support", "INBOX")
            assert len(queries.list_ids(session, box.id)) == count + 1
    finally:
        engine.stop()
        ctx.close()
