"""Shared contact cards on the real Dovecot: one teammate edits, the other sees it.

Cards cross between profiles through the team mailbox; two teammates editing
different fields of one card both keep their change; a hostile contact
record is never applied and ``team check`` lists it; CSV (Shift_JIS) and
vCard files go out and come back in through the CLI; the contact page and
the sender card read the shared card.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.contact_cards import ContactCard
from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.address_book import AddressBookService
from mailwise_desktop.services.contact_history import ContactHistory
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import Team, do
from tests.integration.test_hostile_records import TEAM_MAILBOX

pytestmark = pytest.mark.integration


def _refresh(ctx: object) -> None:
    account = ctx.account()  # type: ignore[attr-defined]
    run_once(ctx, account, CoordinationService(ctx, account).refresh_team_job())  # type: ignore[arg-type]


def test_cards_cross_between_teammates(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    sato, suzuki = team("sato"), team("suzuki")
    sato_book = AddressBookService(sato, sato.account())
    suzuki_book = AddressBookService(suzuki, suzuki.account())
    card = ContactCard("Tanaka@Example.co.jp", name="田中 花子", company="株式会社サンプル",
                       tags=("見積中",))  # fmt: skip
    done = run_once(sato, sato.account(), sato_book.save_job([card]))
    assert (done.added, done.changed) == (1, 0)

    _refresh(suzuki)
    seen = suzuki_book.card("tanaka@example.co.jp")  # another spelling: the same card
    assert seen is not None and (seen.name, seen.company, seen.tags) == (
        "田中 花子",
        "株式会社サンプル",
        ("見積中",),
    )

    # Both edit different fields of the same card, each from what they last read.
    run_once(suzuki, suzuki.account(), suzuki_book.edit_job(seen, ContactCard(seen.address, **{
        **_fields(seen), "phone": "03-1234-5678"})))  # fmt: skip
    run_once(sato, sato.account(), sato_book.edit_job(card, ContactCard(card.address, **{
        **_fields(card), "vip": True})))  # fmt: skip
    _refresh(suzuki)
    both = suzuki_book.card(card.address)
    assert both is not None and (both.phone, both.vip) == ("03-1234-5678", True)

    # Bulk edit on sato's side, seen by suzuki; a delete crosses too.
    run_once(sato, sato.account(), sato_book.bulk_job(
        [card.address, "new@example.jp"], add_tags=["展示会"], company="展示会リスト"))  # fmt: skip
    _refresh(suzuki)
    assert suzuki_book.card("NEW@example.jp") is not None
    assert suzuki_book.card(card.address).tags == ("見積中", "展示会")  # type: ignore[union-attr]
    assert suzuki_book.card(card.address).company == "展示会リスト"  # type: ignore[union-attr]
    run_once(suzuki, suzuki.account(), suzuki_book.delete_job("new@example.jp"))
    _refresh(sato)
    assert sato_book.card("new@example.jp") is None


def _fields(card: ContactCard) -> dict[str, object]:
    return {k: getattr(card, k) for k in ("name", "company", "department", "phone", "memo", "tags",
                                          "vip", "do_not_contact")}  # fmt: skip


def test_hostile_contact_record_is_not_applied_and_listed(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = (
        "From: attacker@example.jp\r\nSubject: [mailwise] contact\r\n"
        "Date: Tue, 01 Dec 2026 10:00:00 +0900\r\nMessage-ID: <bad-contact@example.jp>\r\n"
        "X-Mailwise-Kind: contact\r\nX-Mailwise-Target: victim@example.jp\r\n"
        "X-Mailwise-Actor: sato\r\nX-Mailwise-Version: 1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + json.dumps({"name": ["x"], "vip": "yes", "tags": "a"})
        + "\r\n"
    ).encode()
    bad_uid = dovecot.append(imap_user, bad, TEAM_MAILBOX)
    suzuki = team("suzuki")
    _refresh(suzuki)
    assert AddressBookService(suzuki, suzuki.account()).card("victim@example.jp") is None
    monkeypatch.setenv("MAILWISE_HOME", str(suzuki.profile.root))
    capsys.readouterr()
    assert main(["team", "check", "--json"]) == ExitCode.TEAM_PROBLEMS
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["uid"], p["kind"]) for p in problems] == [(bad_uid, "contact")]
    assert "vip" in " ".join(problems[0]["problems"])


def test_files_page_and_sender_card_through_the_cli(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    uids = [dovecot.append(imap_user, make_message(subject=s, sender=("佐々木", "Sasaki@xn--r8jz45g.jp"),
                                                   message_id=f"<p{i}@x>"))
            for i, s in enumerate(("見積依頼", "納期"))]  # fmt: skip
    dovecot.append(imap_user, make_message(subject="別人", sender=("他", "other@example.jp")))
    sato = team("sato")
    assert do(sato, Operation.CLAIM, uids[0]).won
    SyncService(sato).sync_once(sato.account())
    monkeypatch.setenv("MAILWISE_HOME", str(sato.profile.root))
    csv_in = tmp_path / "in.csv"
    csv_in.write_bytes(
        "メールアドレス,名前,会社,タグ,VIP,連絡不可,メモ\r\n"
        "sasaki@例え.jp,佐々木 一郎,例え商事,代理店,1,,髙橋さんの紹介\r\n"
        "stop@example.jp,止め,,,,1,\r\nnot-an-address,x,,,,,\r\n".encode("cp932")
    )
    capsys.readouterr()
    assert main(["contacts", "import", str(csv_in), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == {"added": 2, "changed": 0, "unchanged": 0}
    assert "line 4" in out.err
    assert main(["contacts", "show", "sasaki@例え.jp", "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["card"]["name"] == "佐々木 一郎" and page["card"]["vip"] is True
    assert [m["uid"] for m in page["mails"]] == uids  # exactly that sender's mail
    assert {c["subject"] for c in page["conversations"]} == {"見積依頼", "納期"}
    assert main(["contacts", "show", "--company", "例え商事", "--json"]) == 0
    assert [m["uid"] for m in json.loads(capsys.readouterr().out)["mails"]] == uids

    card = ContactHistory(sato, sato.account()).sender_card("sasaki@例え.jp")
    assert (card.name, card.company, card.vip, card.open_conversations) == (
        "佐々木 一郎",
        "例え商事",
        True,
        2,
    )
    assert card.last_handled_by == "佐藤"

    for name, extra in (("out.csv", ["--encoding", "shift_jis"]), ("out.vcf", [])):
        assert main(["contacts", "export", str(tmp_path / name), *extra]) == 0
        assert "2 contacts written" in capsys.readouterr().out
        assert main(["contacts", "import", str(tmp_path / name), "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"added": 0, "changed": 0, "unchanged": 2}
    assert "髙橋さんの紹介" in (tmp_path / "out.csv").read_bytes().decode("cp932")
