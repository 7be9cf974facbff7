"""System notifications against the real Dovecot (issue 15): new mail, given to me, approvals.

Only the OS boundary is faked: ``QSystemTrayIcon.showMessage`` is captured and
the tray reported available (the offscreen platform has none). Each event
type, muting by its setting, quiet while the window is in front, and a click
opening the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from mailwise_desktop.core.states import Operation
from mailwise_desktop.send.draft import ReplyKind
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.main_window import MainWindow
from tests.gui.conftest import SUBJECTS, Member, OpenWindow, Team
from tests.gui.test_approvals_window import trainee_team
from tests.gui.test_triage_window import row_of, show_all
from tests.harness.seed import make_message

__all__ = ["trainee_team"]

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints",
        # The offscreen platform has no tray and cannot raise windows:
        "QObject::connect: No such signal QPlatformNativeInterface::systemTrayWindowChanged",
        "This plugin does not support raise",
    ),
]

Shown = list[tuple[str, str]]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[Shown]:
    """Notifications as the OS would receive them (title, text)."""
    captured: Shown = []

    def show_message(self: QSystemTrayIcon, title: str, text: str, *args: object) -> None:
        captured.append((title, text))

    monkeypatch.setattr(QSystemTrayIcon, "showMessage", show_message)
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    yield captured


def in_background(qtbot, window: MainWindow) -> QWidget:  # type: ignore[no-untyped-def]
    """Another window in front, as when the user works elsewhere."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=5000)
    return other


def test_new_mail_notifies_click_opens_muting_and_focus_keep_quiet(
    qtbot, team: Team, open_window: OpenWindow, shown: Shown
) -> None:
    team.me.ctx.settings.set("notify_new_mail", True)  # off by default: a busy inbox
    window = open_window(team.me)
    show_all(window)
    in_background(qtbot, window)
    team.dovecot.append(team.user, make_message(subject="新しいお問い合わせ", body="本文"))
    qtbot.waitUntil(lambda: _listed(window, "新しいお問い合わせ"), timeout=15_000)
    qtbot.wait(500)
    assert ("New mail", "山田 太郎: 新しいお問い合わせ") in shown, (shown, window.isActiveWindow())

    window.notifier.tray.messageClicked.emit()
    row = row_of(window, "新しいお問い合わせ")
    assert window.controller.selected_ids() == [window.controller.model.ids[row]]

    shown.clear()
    team.me.ctx.settings.set("notify_new_mail", False)
    in_background(qtbot, window)
    team.dovecot.append(team.user, make_message(subject="二通目", body="本文"))
    qtbot.waitUntil(lambda: _listed(window, "二通目"), timeout=15_000)
    assert shown == []

    team.me.ctx.settings.set("notify_new_mail", True)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    team.dovecot.append(team.user, make_message(subject="三通目", body="本文"))
    qtbot.waitUntil(lambda: _listed(window, "三通目"), timeout=15_000)
    assert shown == []  # the window is in front: the user sees it already


def _listed(window: MainWindow, subject: str) -> bool:
    try:
        row_of(window, subject)
    except AssertionError:
        return False
    return True


def give(other: Member, uid: int) -> None:
    """The teammate claims the message, then hands it over to sato."""
    for op, target in ((Operation.CLAIM, None), (Operation.TRANSFER, "sato")):
        job = other.coordination.operation_job(op, uid, target=target)
        assert run_once(other.ctx, other.account, job).won


def test_message_given_to_me_notifies_and_muting(
    qtbot, team: Team, open_window: OpenWindow, shown: Shown
) -> None:
    window = open_window(team.me)
    show_all(window)
    in_background(qtbot, window)
    uid = window.controller.model.summary(row_of(window, SUBJECTS[1])).uid  # type: ignore[union-attr]
    other = team.other
    give(other, uid)
    qtbot.waitUntil(lambda: ("Given to you", SUBJECTS[1]) in shown, timeout=15_000)

    team.me.ctx.settings.set("notify_assigned", False)
    uid2 = window.controller.model.summary(row_of(window, SUBJECTS[2])).uid  # type: ignore[union-attr]
    give(other, uid2)
    qtbot.wait(2500)
    assert [s for s in shown if s[1] == SUBJECTS[2]] == []


def test_approval_requested_of_me_and_decided_on_my_mail(
    qtbot, trainee_team: Team, open_window: OpenWindow, shown: Shown
) -> None:
    approver_window = open_window(trainee_team.other)
    trainee_window = open_window(trainee_team.me)
    in_background(qtbot, approver_window)
    qtbot.waitUntil(lambda: not trainee_window.isActiveWindow(), timeout=5000)
    trainee = trainee_window.outbox.service("support")

    def request() -> None:
        service = SendingService(trainee.ctx, trainee.account)
        show_all(trainee_window)
        uid = trainee_window.controller.model.summary(  # type: ignore[union-attr]
            row_of(trainee_window, SUBJECTS[0])
        ).uid
        service.claim_for_reply(uid)
        draft = service.with_snapshot(service.reply_draft(uid, kind=ReplyKind.REPLY))
        draft = draft.with_changes(body="再発行いたしました。")
        service.enqueue(draft, service.check(draft))

    request()
    title = "Approval requested by 佐藤 美咲"
    qtbot.waitUntil(lambda: any(t == title for t, _ in shown), timeout=20_000)
    engine_service = approver_window.outbox.service("support")
    approver = SendingService(engine_service.ctx, engine_service.account)  # one session per call
    [case] = approver.approvals.queue()
    approver.approvals.decide(case.request_id, approve=False, comment="宛名を確認")
    qtbot.waitUntil(lambda: any(t == "Your mail was sent back" for t, _ in shown), timeout=20_000)


def test_each_notification_is_switched_in_the_settings_dialog(qtbot, tmp_path: Path) -> None:
    from mailwise_desktop.core.profile import Profile
    from mailwise_desktop.core.settings import Settings
    from mailwise_desktop.ui.settings_dialog import SettingsDialog

    profile = Profile(tmp_path / "p").ensure()
    settings = Settings(profile.settings_file)
    dialog = SettingsDialog(settings, None)
    qtbot.addWidget(dialog)
    assert [b.isChecked() for b in dialog.notify.values()] == [False, True, True, True]
    dialog.notify["notify_new_mail"].setChecked(True)
    dialog.notify["notify_approvals"].setChecked(False)
    dialog.notify["notify_teammate_reply"].setChecked(False)
    dialog.apply()
    again = Settings(profile.settings_file)
    assert again.get("notify_new_mail") is True and again.get("notify_approvals") is False
    assert again.get("notify_assigned") is True and again.get("notify_teammate_reply") is False


def test_a_teammates_reply_to_the_customer_i_am_writing_to(
    qtbot, trainee_team: Team, open_window: OpenWindow, shown: Shown, smtp_server
) -> None:
    """鈴木 answers 山田 while I write to 山田: my compose window says so, and the tray."""
    window = open_window(trainee_team.me)
    show_all(window)
    window.triage.new_mail.trigger()
    compose = window.replies.windows[-1]
    compose.to_edit.setText("山田 太郎 <taro.yamada@example.jp>")
    compose.subject_edit.setText("お見積もりについて")
    other = window.replies.windows  # nothing else open
    assert len(other) == 1
    in_background(qtbot, window)
    qtbot.waitUntil(lambda: not compose.isActiveWindow(), timeout=5000)

    teammate = SendingService(trainee_team.other.ctx, trainee_team.other.account)
    uid = window.controller.model.summary(row_of(window, SUBJECTS[0])).uid  # type: ignore[union-attr]
    teammate.claim_for_reply(uid)
    draft = teammate.with_snapshot(teammate.reply_draft(uid, kind=ReplyKind.REPLY))
    teammate.enqueue(draft.with_changes(body="再発行いたしました。"), teammate.check(draft))
    teammate.process_outbox()
    qtbot.waitUntil(lambda: len(smtp_server.messages) == 1, timeout=20_000)

    words = "鈴木 健太 has just replied to taro.yamada@example.jp."
    qtbot.waitUntil(lambda: compose.notice.label.text().startswith(words), timeout=20_000)
    assert ("A teammate replied to your customer", compose.notice.label.text()) in shown

    # Muted: the compose window still says it (it is about my mail), the tray does not.
    shown.clear()
    trainee_team.me.ctx.settings.set("notify_teammate_reply", False)
    compose.notice.hide()
    uid2 = window.controller.model.summary(row_of(window, SUBJECTS[1])).uid  # type: ignore[union-attr]
    teammate.claim_for_reply(uid2)
    draft2 = teammate.with_snapshot(teammate.reply_draft(uid2, kind=ReplyKind.REPLY))
    teammate.enqueue(draft2.with_changes(body="確認します。"), teammate.check(draft2))
    teammate.process_outbox()
    qtbot.waitUntil(lambda: len(smtp_server.messages) == 2, timeout=20_000)
    qtbot.waitUntil(compose.notice.isVisible, timeout=20_000)
    assert shown == []


def test_a_follow_up_in_my_conversation_is_told_in_the_window_and_the_tray(
    qtbot, team: Team, open_window: OpenWindow, shown: Shown
) -> None:
    """The customer writes again in a conversation I hold; a teammate's app routes it to me."""
    from mailwise_desktop.services.follow_ups import FollowUpService
    from mailwise_desktop.services.sync import SyncService

    customer = ("田中 花子", "hanako@example.co.jp")
    first = team.dovecot.append(
        team.user,
        make_message(subject="納期のご相談", sender=customer, message_id="<nouki@example.co.jp>"),
    )
    window = open_window(team.me)
    show_all(window)
    qtbot.waitUntil(lambda: _listed(window, "納期のご相談"), timeout=15_000)
    job = team.me.coordination.operation_job(Operation.CLAIM, first)
    assert run_once(team.me.ctx, team.me.account, job).won
    in_background(qtbot, window)

    team.dovecot.append(
        team.user,
        make_message(
            subject="Re: 納期のご相談",
            sender=customer,
            message_id="<nouki-2@example.co.jp>",
            in_reply_to="<nouki@example.co.jp>",
            references=["<nouki@example.co.jp>"],
        ),
    )
    other = team.other
    SyncService(other.ctx).sync_once(other.account)
    outcomes = run_once(
        other.ctx, other.account, FollowUpService(other.ctx, other.account).route_job()
    )
    assert outcomes, "the teammate's app routed nothing"
    notice = window.workspace.notice
    qtbot.waitUntil(
        lambda: notice.isVisible() and "follow-up was given to you" in notice.label.text(),
        timeout=20_000,
    )
    assert ("Follow-up for you", "Re: 納期のご相談") in shown
