"""The conversation in the window: the list toggle, the Conversation tab, ja/en screenshots.

Against the real Dovecot: a customer's question, our reply in Sent, a note
and the customer's follow-up; the window must show them in order, each
collapsible, and list the conversation once when the toggle is on.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailwise_desktop.services.conversations import EntryKind
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.store.triage_queries import Tab
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.message_list_model import COL_SUBJECT
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.ui_language import install_translation
from tests.harness.seed import TEAM_ADDRESS, make_message

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
CUSTOMER = ("山田 花子", "hanako@example.co.jp")
SUBJECT = "注文した商品が届きません"


def seed_conversation(team: Team) -> None:
    """Question (INBOX), our reply (Sent), a note, the follow-up (INBOX)."""
    dovecot, user = team.dovecot, team.user
    client = dovecot.connect(user)
    try:
        if not client.folder_exists("Sent"):
            client.create_folder("Sent")
    finally:
        client.logout()
    now = datetime.now(UTC).replace(microsecond=0)
    question = dovecot.append(
        user,
        make_message(
            subject=SUBJECT,
            sender=CUSTOMER,
            message_id="<q1@example.co.jp>",
            body="12月1日に注文した商品がまだ届きません。\n注文番号は A-1024 です。",
            date=now - timedelta(days=1, hours=3),
        ),
    )
    dovecot.append(
        user,
        make_message(
            subject=f"Re: {SUBJECT}",
            sender=TEAM_ADDRESS,
            to=[CUSTOMER],
            message_id="<r1@example.com>",
            in_reply_to="<q1@example.co.jp>",
            references=["<q1@example.co.jp>"],
            body="山田様\n\nお問い合わせありがとうございます。配送状況を確認いたします。",
            date=now - timedelta(days=1),
        ),
        "Sent",
    )
    account = team.me.account.with_folders(("INBOX", "Sent"))
    for member in (team.me, team.other):
        member.account = account
        member.ctx.settings.set("accounts", [account.to_json()])
        member.ctx.settings.save()
    from mailwise_desktop.services.sync import SyncService

    SyncService(team.me.ctx).sync_once(account, bodies=True)
    run_once(
        team.me.ctx,
        account,
        team.me.coordination.note_job(question, "配送業者に問い合わせ中。明日午前に回答予定。"),
    )
    dovecot.append(user, make_message(
        subject=f"返信: {SUBJECT}", sender=CUSTOMER, message_id="<q2@example.co.jp>",
        in_reply_to="<r1@example.com>", references=["<q1@example.co.jp>", "<r1@example.com>"],
        body="ご確認ありがとうございます。\n本日中に届かない場合はキャンセルをお願いします。",
        date=now + timedelta(minutes=10)))  # fmt: skip


def select_subject(window: MainWindow, subject: str) -> None:
    model = window.controller.model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and summary.subject == subject:
            window.workspace.message_list.setCurrentIndex(model.index(row, 0))
            return
    raise AssertionError(f"{subject!r} is not listed")


def test_conversation_tab_and_list_toggle(qtbot, team: Team, open_window: OpenWindow) -> None:
    seed_conversation(team)
    window = open_window(team.me)
    window.workspace.filter_bar.set_tab(Tab.ALL)
    qtbot.waitUntil(lambda: window.controller.model.rowCount() == len(SUBJECTS) + 2, timeout=15_000)
    select_subject(window, f"返信: {SUBJECT}")
    pane = window.conversations.pane
    qtbot.waitUntil(lambda: len(pane.cards) == 4, timeout=5_000)
    assert [c.entry.kind for c in pane.cards] == [
        EntryKind.CUSTOMER, EntryKind.OURS, EntryKind.NOTE, EntryKind.CUSTOMER,
    ]  # fmt: skip
    assert pane.cards[1].entry.mailbox == "Sent"
    # The selected (newest) mail and the note start open, the older mails folded.
    assert [c.is_open for c in pane.cards] == [False, False, True, True]
    pane.cards[0].header.click()
    assert pane.cards[0].is_open and pane.cards[0].body.isVisibleTo(pane)
    assert "A-1024" in pane.cards[0].body.text()
    pane.cards[0].header.click()
    assert not pane.cards[0].body.isVisibleTo(pane)
    assert window.conversations.tabs.tabText(1).endswith("(3)")
    # Conversation mode: the question and the follow-up are one row, sized 2 in INBOX + 1 Sent.
    window.conversations.action.setChecked(True)
    model = window.controller.model
    qtbot.waitUntil(lambda: model.rowCount() == len(SUBJECTS) + 1, timeout=5_000)
    shown = [str(model.index(r, COL_SUBJECT).data()) for r in range(model.rowCount())]
    assert any(s.startswith("返信: " + SUBJECT) and s.endswith("(3)") for s in shown), shown
    window.conversations.action.setChecked(False)
    qtbot.waitUntil(lambda: model.rowCount() == len(SUBJECTS) + 2, timeout=5_000)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_conversation_screenshots(
    qtbot, team: Team, open_window: OpenWindow, language: str
) -> None:
    seed_conversation(team)
    translation = install_translation(language)
    try:
        window = open_window(team.me)
        window.resize(1280, 800)
        window.workspace.filter_bar.set_tab(Tab.ALL)
        qtbot.waitUntil(lambda: window.controller.model.rowCount() >= 4, timeout=15_000)
        select_subject(window, f"返信: {SUBJECT}")
        tabs = window.conversations.tabs
        tabs.setCurrentIndex(1)
        pane = window.conversations.pane
        qtbot.waitUntil(lambda: len(pane.cards) == 4, timeout=5_000)
        pane.cards[0].set_open(True)
        expected = {
            "ja": ("会話", "お客様", "当方の返信", "メモ"),
            "en": ("Conversation", "Customer", "Our reply", "Note"),
        }
        title, customer, ours, note = expected[language]
        assert tabs.tabText(1).startswith(title)
        assert pane.cards[0].header.full_text().startswith(customer)
        assert pane.cards[1].header.full_text().startswith(ours)
        assert pane.cards[2].header.full_text().startswith(note)
        qtbot.wait(200)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SCREENSHOT_DIR / f"conversation-{language}.png"))
    finally:
        translation.remove()
