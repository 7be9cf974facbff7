"""The whole conversation from the cache: customer mails, our replies from Sent, notes between."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.services.conversations import ConversationService, EntryKind
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import TEAM_ADDRESS, make_message
from tests.harness.teammates import Team

CUSTOMER = ("田中 花子", "hanako@example.co.jp")


def test_thread_lists_mails_replies_and_notes_in_order_and_the_cli_shows_it(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = dovecot.connect(imap_user)
    try:
        if not client.folder_exists("Sent"):
            client.create_folder("Sent")
    finally:
        client.logout()
    now = datetime.now(UTC)
    q1 = dovecot.append(
        imap_user,
        make_message(
            subject="配送について",
            sender=CUSTOMER,
            message_id="<q1@example.co.jp>",
            body="届きません。",
            date=now - timedelta(days=2),
        ),
    )
    dovecot.append(
        imap_user,
        make_message(
            subject="Re: 配送について",
            sender=TEAM_ADDRESS,
            to=[CUSTOMER],
            message_id="<r1@example.com>",
            in_reply_to="<q1@example.co.jp>",
            references=["<q1@example.co.jp>"],
            body="確認いたします。",
            date=now - timedelta(days=1),
        ),
        "Sent",
    )
    other = dovecot.append(
        imap_user, make_message(subject="別件", sender=CUSTOMER, message_id="<x1@example.co.jp>")
    )
    sato = team("sato")
    account = sato.account().with_folders(("INBOX", "Sent"))
    sato.settings.set("accounts", [account.to_json()])
    sato.settings.save()
    SyncService(sato).sync_once(account, bodies=True)
    coordination = CoordinationService(sato, account)
    run_once(sato, account, coordination.note_job(q1, "配送業者に確認中"))
    q2 = dovecot.append(imap_user, make_message(
        subject="Re: 配送について", sender=CUSTOMER, message_id="<q2@example.co.jp>",
        in_reply_to="<r1@example.com>", references=["<q1@example.co.jp>", "<r1@example.com>"],
        body="まだです。", date=now + timedelta(minutes=5)))  # fmt: skip
    SyncService(sato).sync_once(account, bodies=True)
    run_once(sato, account, coordination.refresh_team_job())
    with sato.cache.transaction() as session:
        box = queries.mailbox(session, account.id, "INBOX")
        q2_row = queries.message_by_uid(session, box.id, q2).id
        other_row = queries.message_by_uid(session, box.id, other).id
    service = ConversationService(sato, account)
    thread = service.thread(q2_row)
    assert [(e.kind, e.who) for e in thread] == [
        (EntryKind.CUSTOMER, "田中 花子"),
        (EntryKind.OURS, "サポート窓口"),
        (EntryKind.NOTE, "佐藤"),
        (EntryKind.CUSTOMER, "田中 花子"),
    ]
    assert [e.text.strip() for e in thread] == [
        "届きません。",
        "確認いたします。",
        "配送業者に確認中",
        "まだです。",
    ]
    assert thread[1].mailbox == "Sent" and thread[0].uid == q1 and thread[3].uid == q2
    assert [e.kind for e in service.thread(other_row)] == [EntryKind.CUSTOMER]
    # The list in conversation mode shows each conversation once, with its size.
    with sato.cache.transaction() as session:
        ids = queries.list_ids(session, box.id)
    shown, counts = service.collapse(ids)
    assert len(shown) == 2 and counts[shown[0]] in {1, 3} and sorted(counts.values()) == [1, 3]

    monkeypatch.setenv("MAILWISE_HOME", str(sato.profile.root))
    capsys.readouterr()
    assert main(["conversations", "show", str(q1), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in printed] == ["customer", "ours", "note", "customer"]
    assert main(["conversations", "show", "abc"]) == 2
