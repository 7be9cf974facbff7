"""Approval from the window (確認者, issue 15) against the real Dovecot and aiosmtpd.

The trainee's compose window asks for approval instead of sending (the
confirm dialog says who must approve); the approver's window lists the mail
as the customer gets it and approves it; the trainee's outbox then sends
exactly the approved bytes, once. Nobody sees their own mail in the queue.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Account, Endpoint
from mailwise_desktop.core.keychain import smtp_key
from mailwise_desktop.send.outbox import OutboxState
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import CheckReport, SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.ui.compose_window import ComposeWindow
from mailwise_desktop.ui.confirm_send_dialog import ConfirmSendDialog
from tests.gui.conftest import SUBJECTS, OpenWindow, Team, _member
from tests.gui.test_replying_window import reply_to
from tests.gui.ui_language import install_translation
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def trainee_team(
    dovecot: DovecotServer,
    imap_user: TestUser,
    imaps_endpoint: Endpoint,
    smtp_endpoint: Endpoint,
    smtp_server: SmtpServer,
    mailwise_home: Path,
    tmp_path: Path,
) -> Iterator[Team]:
    """sato (me) is the trainee: every mail of theirs needs approval; suzuki approves."""
    for subject in SUBJECTS:
        dovecot.append(imap_user, make_message(subject=subject, body=f"{subject}\n本文です。"))
    account = Account("support", imaps_endpoint, smtp_endpoint, address="support@example.com")
    me = _member(mailwise_home, "sato", "佐藤 美咲", account, imap_user.password)
    other = _member(tmp_path / "suzuki-home", "suzuki", "鈴木 健太", account, imap_user.password)
    for member in (me, other):
        member.ctx.keychain.set_password(smtp_key(account.id), smtp_server.password)
    rows = [TeammateRow("sato", "佐藤 美咲"), TeammateRow("suzuki", "鈴木 健太")]
    run_once(me.ctx, account, TeamService(me.ctx, account).import_job(rows))
    admin = SendingService(me.ctx, account)
    admin.set_policy("undo_seconds", "0")
    admin.approvals.set_rule("always_for", "sato")
    for member in (me, other):
        run_once(member.ctx, account, member.coordination.refresh_team_job())
        SyncService(member.ctx).sync_once(account, bodies=True)
    yield Team(me, other, dovecot, imap_user)
    for member in (me, other):
        member.ctx.close()


def test_trainee_asks_approver_approves_in_the_window_sent_once(
    qtbot,
    trainee_team: Team,
    smtp_server: SmtpServer,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports: list[CheckReport] = []

    def confirm(self: ComposeWindow, report: CheckReport) -> bool:
        reports.append(report)
        dialog = ConfirmSendDialog(report, self)
        qtbot.addWidget(dialog)
        assert dialog.send_button.text() == "Ask for approval"
        assert dialog.approval_label.text().startswith("Needs approval by 鈴木 健太")
        return True

    monkeypatch.setattr(ComposeWindow, "confirm", confirm)
    window = open_window(trainee_team.me)
    compose = reply_to(qtbot, window, SUBJECTS[0])
    compose.body_edit.setPlainText("再発行いたしました。")
    compose.send_button.click()
    qtbot.waitUntil(lambda: compose.outbox_item is not None, timeout=15_000)
    assert reports and reports[0].approvers == ("鈴木 健太",)
    item = compose.outbox_item
    assert item is not None and item.state is OutboxState.APPROVAL
    assert "approval" in compose.undo_bar.text()
    own = window.approvals.show()  # my own request is never in my queue
    qtbot.waitUntil(lambda: not own.loading, timeout=10_000)
    assert own.tree.topLevelItemCount() == 0
    assert smtp_server.messages == []

    approver = open_window(trainee_team.other)
    dialog = approver.approvals.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=15_000)
    assert dialog.tree.topLevelItem(0).text(0) == "佐藤 美咲"
    assert "再発行いたしました。" in dialog.preview.toPlainText()
    assert "To: " in dialog.preview.toPlainText()
    dialog.return_button.click()  # without a comment: refused in plain words, nothing sent
    assert "needs a comment" in dialog.status.text()
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Approved"), timeout=15_000)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0, timeout=10_000)

    qtbot.waitUntil(lambda: len(smtp_server.messages) == 1, timeout=20_000)
    sent = smtp_server.messages[0].data.replace(b"\r\n", b"\n")
    assert sent == item.raw.replace(b"\r\n", b"\n")
    service = window.outbox.service("support")
    qtbot.waitUntil(lambda: service.outbox.get(item.id).state is OutboxState.SENT, timeout=10_000)
    window.outbox.process()
    qtbot.wait(300)
    assert len(smtp_server.messages) == 1


SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
WORDS = {
    "ja": ("承認を依頼", "送信前に 鈴木 健太 さんの承認が必要です", "承認", "差し戻し"),
    "en": ("Ask for approval", "Needs approval by 鈴木 健太", "Approve", "Send back"),
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_approval_screenshots(
    qtbot,
    trainee_team: Team,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    ask, needs, approve, send_back = WORDS[language]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    translation = install_translation(language)
    try:

        def confirm(self: ComposeWindow, report: CheckReport) -> bool:
            dialog = ConfirmSendDialog(report, self)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            assert dialog.send_button.text() == ask
            assert dialog.approval_label.text().startswith(needs)
            dialog.grab().save(str(SCREENSHOT_DIR / f"confirm-approval-{language}.png"))
            return True

        monkeypatch.setattr(ComposeWindow, "confirm", confirm)
        window = open_window(trainee_team.me)
        compose = reply_to(qtbot, window, SUBJECTS[0])
        compose.body_edit.setPlainText("山田 太郎 様\n\n請求書を再発行いたしました。\n")
        compose.send_button.click()
        qtbot.waitUntil(lambda: compose.outbox_item is not None, timeout=15_000)
        compose.grab().save(str(SCREENSHOT_DIR / f"compose-approval-{language}.png"))
        approver = open_window(trainee_team.other)
        dialog = approver.approvals.show()
        qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=15_000)
        assert dialog.approve_button.text() == approve
        assert dialog.return_button.text() == send_back
        qtbot.waitExposed(dialog)
        dialog.grab().save(str(SCREENSHOT_DIR / f"approvals-{language}.png"))
    finally:
        translation.remove()
