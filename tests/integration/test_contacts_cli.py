"""Derived contacts on Dovecot: the contact page lists exactly the sender's mail, with its history."""

from __future__ import annotations

import json

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import Team, do


def test_contact_page_lists_exactly_the_senders_mail(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mails = [("田中 花子", "Hanako@Example.co.jp", "注文A"), ("山田", "yamada@gmail.com", "質問"),
             ("田中 花子", "hanako@example.co.jp", "注文B"), ("他社", "hanako@example.co.jp.evil.test", "偽")]  # fmt: skip
    uids = [dovecot.append(imap_user, make_message(subject=s, sender=(n, a), message_id=f"<c{i}@x>"))
            for i, (n, a, s) in enumerate(mails)]  # fmt: skip
    sato = team("sato")
    assert do(sato, Operation.CLAIM, uids[0]).won
    assert do(sato, Operation.DONE, uids[0]).won
    SyncService(sato).sync_once(sato.account())
    monkeypatch.setenv("MAILWISE_HOME", str(sato.profile.root))
    capsys.readouterr()
    assert main(["contacts", "show", "HANAKO@example.co.jp", "--json"]) == 0
    page = json.loads(capsys.readouterr().out)["mails"]
    assert [(m["uid"], m["subject"]) for m in page] == [(uids[0], "注文A"), (uids[2], "注文B")]
    assert page[0]["state"] == "done" and page[0]["owner"] == "佐藤"
    assert page[0]["resolution_seconds"] is not None and page[1]["resolution_seconds"] is None
    assert main(["contacts", "--json"]) == 0
    contacts = {c["address"]: c for c in json.loads(capsys.readouterr().out)}
    assert contacts["hanako@example.co.jp"]["mails"] == 2
    assert contacts["hanako@example.co.jp"]["open"] == 1
    assert contacts["hanako@example.co.jp"]["organisation"] == "example.co.jp"
    assert contacts["yamada@gmail.com"]["organisation"] == ""  # free mail: no company
    assert main(["contacts", "show", "nobody"]) == 2
