"""The address book in the window, on the real Dovecot: contact window, sender card, import dialog.

ja/en screenshots of each; an edit in the window reaches the teammate's
profile; the confirm-send dialog warns about a do-not-contact recipient;
compose completes from the address book; a follow-up routed to me shows a
notice in the window.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.core.contact_cards import ContactCard
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.send.draft import Draft, Recipient
from mailwise_desktop.services.address_book import AddressBookService
from mailwise_desktop.services.contact_history import ContactHistory
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries, team_cache
from mailwise_desktop.store.triage_queries import Tab
from mailwise_desktop.ui.address_completion import AddressCompletion
from mailwise_desktop.ui.confirm_send_dialog import ConfirmSendDialog
from mailwise_desktop.ui.contact_import_dialog import ContactImportDialog
from mailwise_desktop.ui.contact_window import ContactWindow
from tests.gui.conftest import Member, OpenWindow, Team
from tests.gui.test_conversation_window import select_subject
from tests.gui.ui_language import install_translation
from tests.harness.seed import make_message

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot do these; a real desktop does.
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints",
        "This plugin does not support raise",
        "This plugin does not support grabbing",
    ),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
CUSTOMER = ("佐々木 一郎", "sasaki@example.co.jp")
CARD = ContactCard(
    "sasaki@example.co.jp", name="佐々木 一郎", company="株式会社サンプル商事",
    department="購買部", phone="03-1234-5678", memo="見積は月末締め。髙橋さんの紹介。",
    tags=("代理店", "見積中"), vip=True,
)  # fmt: skip


def seed_contact(team: Team) -> list[int]:
    now = datetime.now(UTC).replace(microsecond=0)
    uids = [
        team.dovecot.append(team.user, make_message(
            subject=subject, sender=CUSTOMER, message_id=f"<s{n}@example.co.jp>",
            body=f"{subject}\nよろしくお願いします。", date=now - timedelta(days=3 - n)))
        for n, subject in enumerate(("見積依頼：部品A 200個", "納期の確認", "請求書の宛名変更"))
    ]  # fmt: skip
    me = team.me
    SyncService(me.ctx).sync_once(me.account, bodies=True)
    run_once(me.ctx, me.account, AddressBookService(me.ctx, me.account).save_job([CARD]))
    run_once(me.ctx, me.account, me.coordination.note_job(uids[0], "単価は前回と同じで可。"))
    return uids


def run_now(member: Member) -> Any:
    def run(job: Any, success: Any, failure: Any) -> None:
        try:
            result = run_once(member.ctx, member.account, job)
        except Exception as exc:
            failure(exc)
        else:
            success(result)

    return run


@pytest.mark.parametrize("language", ["ja", "en"])
def test_contact_window(qtbot, team: Team, language: str, tmp_path: Path) -> None:
    seed_contact(team)
    translation = install_translation(language)
    try:
        me = team.me
        window = ContactWindow(ContactHistory(me.ctx, me.account), run_now(me))
        qtbot.addWidget(window)
        window.reload(CARD.address)
        window.show()
        qtbot.waitExposed(window)
        assert window.windowTitle() == {"ja": "アドレス帳", "en": "Address book"}[language]
        assert window.fields["company"].text() == "株式会社サンプル商事"
        assert window.vip.isChecked() and not window.do_not_contact.isChecked()
        top = [
            window.conversations.topLevelItem(i)
            for i in range(window.conversations.topLevelItemCount())
        ]
        assert {i.text(0) for i in top} == {
            "見積依頼：部品A 200個",
            "納期の確認",
            "請求書の宛名変更",
        }
        quote = next(i for i in top if i.text(0).startswith("見積依頼"))
        assert quote.childCount() == 1 and "単価は前回と同じで可。" in quote.child(0).text(0)
        qtbot.wait(150)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SCREENSHOT_DIR / f"contacts-{language}.png"))

        # Edit in the window; the teammate's profile sees it after reading the team mailbox.
        window.fields["phone"].setText("03-9999-0000")
        window.do_not_contact.setChecked(True)
        window.save()
        assert (
            window.status.text()
            == {"ja": "チーム全員に保存しました。", "en": "Saved for the whole team."}[language]
        )
        other = team.other
        run_once(other.ctx, other.account, other.coordination.refresh_team_job())
        seen = AddressBookService(other.ctx, other.account).card("SASAKI@example.co.jp")
        assert seen is not None and (seen.phone, seen.do_not_contact, seen.vip) == (
            "03-9999-0000",
            True,
            True,
        )
    finally:
        translation.remove()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_import_dialog(qtbot, team: Team, language: str, tmp_path: Path) -> None:
    path = tmp_path / "得意先.csv"
    path.write_bytes(
        "メールアドレス,名前,会社,部署,タグ,VIP,連絡不可\r\n"
        "tanaka@example.jp,田中 花子,株式会社サンプル,営業部,展示会;見積中,1,\r\n"
        "Tanaka@Example.JP,,,,,,\r\n"  # the same address again: merged
        "yamada@example.com,山田 太郎,山田商店,,,,1\r\n"
        "電話のみ 03-1111-2222,鈴木,,,,,\r\n".encode("cp932")
    )
    translation = install_translation(language)
    try:
        me = team.me
        window = ContactWindow(ContactHistory(me.ctx, me.account), run_now(me))
        qtbot.addWidget(window)
        dialog = window.import_file(str(path))
        assert isinstance(dialog, ContactImportDialog)
        qtbot.waitExposed(dialog)
        assert dialog.encoding == "cp932"
        assert [c.address for c in dialog.cards] == ["tanaka@example.jp", "yamada@example.com"]
        assert dialog.problem_list.count() == 1
        assert (
            dialog.problem_list.item(0)
            .text()
            .startswith({"ja": "5 行目", "en": "Line 5"}[language])
        )
        qtbot.wait(150)
        assert dialog.grab().save(str(SCREENSHOT_DIR / f"contact-import-{language}.png"))
        dialog.accept()
        cards = AddressBookService(me.ctx, me.account).cards()
        assert cards["yamada@example.com"].do_not_contact
        assert cards["tanaka@example.jp"].tags == ("展示会", "見積中")
    finally:
        translation.remove()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_sender_card_beside_the_mail(
    qtbot, team: Team, open_window: OpenWindow, language: str
) -> None:
    uids = seed_contact(team)
    translation = install_translation(language)
    try:
        window = open_window(team.me)
        window.resize(1360, 800)
        window.workspace.filter_bar.set_tab(Tab.ALL)
        qtbot.waitUntil(lambda: window.controller.model.rowCount() >= 6, timeout=15_000)
        select_subject(window, "納期の確認")
        card = window.address_book.card
        qtbot.waitUntil(lambda: card.isVisible() and card.card is not None, timeout=5_000)
        assert card.name.text() == "佐々木 一郎"
        assert card.company.text() == "株式会社サンプル商事"
        assert card.vip.isVisible() and not card.do_not_contact.isVisible()
        assert (
            card.open_count.text()
            == {"ja": "未完了の会話：3 / 3 件", "en": "Open conversations: 3 of 3"}[language]
        )
        qtbot.wait(200)
        assert window.grab().save(str(SCREENSHOT_DIR / f"sender-card-{language}.png"))
        card.page_button.click()
        dialog = window.address_book.dialog
        assert dialog is not None and dialog.isVisible()
        # The list is read off the UI thread, then the sender is selected.
        qtbot.waitUntil(lambda: dialog.address.text() == CARD.address, timeout=10_000)
        dialog.close()
        assert uids
    finally:
        translation.remove()


def test_do_not_contact_warns_and_compose_completes(qtbot, team: Team) -> None:
    me = team.me
    SyncService(me.ctx).sync_once(me.account)
    stop = ContactCard("stop@example.jp", name="配信停止 希望", do_not_contact=True)
    run_once(me.ctx, me.account, AddressBookService(me.ctx, me.account).save_job([CARD, stop]))
    service = SendingService(me.ctx, me.account)
    draft = Draft(
        account_id="support", from_name="サポート", from_address="support@example.com",
        to=(Recipient("", "STOP@example.jp"),), subject="ご案内", body="本文",
    )  # fmt: skip
    report = service.check(draft)
    assert [f.code for f in report.findings if f.code == "do_not_contact"] == ["do_not_contact"]
    translation = install_translation("ja")
    try:
        dialog = ConfirmSendDialog(report)
        qtbot.addWidget(dialog)
        assert any("「連絡不可」" in t for t in dialog.finding_texts())
    finally:
        translation.remove()

    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    completion = AddressCompletion(edit, ContactHistory(me.ctx, me.account).completions())
    edit.show()
    edit.setText("a@x.jp, sasa")
    completion.update()
    assert completion.completer.currentCompletion() == "佐々木 一郎 <sasaki@example.co.jp>"
    completion.insert(completion.completer.currentCompletion())
    assert edit.text() == "a@x.jp, 佐々木 一郎 <sasaki@example.co.jp>, "


def test_follow_up_routed_to_me_shows_a_notice(qtbot, team: Team, open_window: OpenWindow) -> None:
    window = open_window(team.me)
    notifier = window.notifier
    me = team.me
    uid = team.dovecot.append(team.user, make_message(subject="Re: 見積の件", sender=CUSTOMER))
    SyncService(me.ctx).sync_once(me.account)
    notifier.check_follow_ups()  # sets the mark (only what comes now is announced)
    record = TeamRecord(
        "event", "t@x", "suzuki",
        {"operation": "follow_up", "mailbox": "INBOX", "uid": uid, "subject": "Re: 見積の件",
         "notify": ["sato"], "reason": "held"}, "", uid=10_000,
    )  # fmt: skip
    with me.ctx.cache.transaction() as session:
        team_cache.insert_records(session, "support", [record])
        box = queries.mailbox(session, "support", "INBOX")
        row_id = queries.message_by_uid(session, box.id, uid).id
    notifier.check_follow_ups()
    notice = window.workspace.notice
    assert notice.isVisible()
    assert "Re: 見積の件" in notice.label.text()
    shown: list[int] = []
    window.workspace.reading_pane.message_shown.connect(lambda _a, r: shown.append(r))
    notice.action_buttons()[0].click()
    qtbot.waitUntil(lambda: row_id in shown, timeout=5_000)


def test_follow_up_routed_on_the_server_reaches_my_window(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    """I hold a conversation; the customer writes again; the window says it is mine now."""
    from mailwise_desktop.core.states import Operation
    from mailwise_desktop.services.follow_ups import FollowUpService
    from tests.harness.teammates import do

    original = team.dovecot.append(team.user, make_message(
        subject="部品Bの見積", sender=CUSTOMER, message_id="<hold1@example.co.jp>"))  # fmt: skip
    me, other = team.me, team.other
    SyncService(me.ctx).sync_once(me.account)
    assert do(me.ctx, Operation.CLAIM, original).won
    window = open_window(me)
    notice = window.workspace.notice
    team.dovecot.append(team.user, make_message(
        subject="Re: 部品Bの見積", sender=CUSTOMER, message_id="<hold2@example.co.jp>",
        in_reply_to="<hold1@example.co.jp>", references=["<hold1@example.co.jp>"]))  # fmt: skip
    # The teammate's machine (or mine: whichever sees it first) routes it to me by CAS.
    SyncService(other.ctx).sync_once(other.account)
    run_once(other.ctx, other.account, FollowUpService(other.ctx, other.account).route_job())
    qtbot.waitUntil(lambda: notice.isVisible() and "Re: 部品Bの見積" in notice.label.text(),
                    timeout=20_000)  # fmt: skip
    with me.ctx.cache.transaction() as session:
        events = team_cache.events_after(session, "support", "follow_up", 0)
    assert [r.payload.get("notify") for _i, r in events] == [["sato"]]


def test_report_from_the_menu_is_computed_off_the_ui_thread(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    import threading

    window = open_window(team.me)
    threads: list[str] = []
    real = window.reports.load_report

    def load(since: float) -> Any:
        threads.append(threading.current_thread().name)
        return real(since)

    window.reports.load_report = load
    dialog = window.reports.show()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.period.isEnabled(), timeout=15_000)
    assert threads and threading.main_thread().name not in threads
    # The fixture's three mails are from 2024: none received in the period, all open.
    assert dialog.values["received"].text() == "0"
    assert sum(dialog.backlog.series[0][1]) == 3
    dialog.close()
