"""Replying from the main window against the real Dovecot and aiosmtpd (issue 6).

Reply claims the selected message and opens the compose window with the
quoted original; Send runs the checks, queues the mail and the main
window's outbox sends it — every network step off the UI thread. SMTP
failures stay in the Outbox view with Retry; a teammate answering during the
undo window holds the mail and the user is asked.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from mailwise_desktop.core.accounts import Account, Endpoint
from mailwise_desktop.core.keychain import smtp_key
from mailwise_desktop.send.line_wrap import wrap_line
from mailwise_desktop.send.outbox import OutboxState
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.ui.background import Lane
from mailwise_desktop.ui.compose_window import ComposeWindow
from mailwise_desktop.ui.main_window import MainWindow
from tests.gui.conftest import SUBJECTS, OpenWindow, Team, _member
from tests.gui.test_triage_window import cell, select, show_all, uid_of
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

COL_STATE, COL_OWNER = 0, 1


@pytest.fixture
def sending_team(
    dovecot: DovecotServer,
    imap_user: TestUser,
    imaps_endpoint: Endpoint,
    smtp_endpoint: Endpoint,
    smtp_server: SmtpServer,
    mailwise_home: Path,
    tmp_path: Path,
) -> Iterator[Team]:
    """Like ``team``, with a sending address and SMTP on aiosmtpd; undo window 0."""
    for subject in SUBJECTS:
        dovecot.append(imap_user, make_message(subject=subject, body=f"{subject}\n本文です。"))
    account = Account("support", imaps_endpoint, smtp_endpoint, address="support@example.com")
    me = _member(mailwise_home, "sato", "佐藤 美咲", account, imap_user.password)
    other = _member(tmp_path / "suzuki-home", "suzuki", "鈴木 健太", account, imap_user.password)
    me.ctx.keychain.set_password(smtp_key(account.id), smtp_server.password)
    rows = [TeammateRow("sato", "佐藤 美咲"), TeammateRow("suzuki", "鈴木 健太")]
    run_once(me.ctx, account, TeamService(me.ctx, account).import_job(rows))
    SendingService(me.ctx, account).set_policy("undo_seconds", "0")
    for member in (me, other):
        run_once(member.ctx, account, member.coordination.refresh_team_job())
        SyncService(member.ctx).sync_once(account, bodies=True)
    yield Team(me, other, dovecot, imap_user)
    for member in (me, other):
        member.ctx.close()


@pytest.fixture(autouse=True)
def confirm_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """The confirm dialog has its own tests; here the user confirms at once."""
    monkeypatch.setattr(ComposeWindow, "confirm", lambda self, report: True)


def reply_to(qtbot, window: MainWindow, subject: str) -> ComposeWindow:
    show_all(window)
    select(window, subject)
    assert window.triage.reply.isEnabled()
    before = list(window.replies.windows)
    window.triage.reply.trigger()
    qtbot.waitUntil(lambda: any(w not in before for w in window.replies.windows), timeout=10_000)
    compose = window.replies.windows[-1]
    qtbot.waitExposed(compose)
    return compose


def server_flags(team: Team, uid: int) -> set[str]:
    client = team.dovecot.connect(team.user)
    try:
        client.select_folder("INBOX", readonly=True)
        return {f.decode().lower() for f in client.get_flags([uid])[uid]}
    finally:
        client.logout()


def test_reply_claims_the_message_and_quotes_it(
    qtbot, sending_team: Team, open_window: OpenWindow
) -> None:
    window = open_window(sending_team.me)
    compose = reply_to(qtbot, window, SUBJECTS[0])
    assert compose.subject_edit.text() == f"Re: {SUBJECTS[0]}"
    assert "> 本文です。" in compose.quoted_view.toPlainText()
    assert not compose.banner.isVisible() and compose.send_button.isEnabled()
    assert cell(window, SUBJECTS[0], COL_OWNER) == "佐藤 美咲"
    assert cell(window, SUBJECTS[0], COL_STATE) == "In progress"


def test_reply_to_a_teammates_message_shows_the_take_over_banner(
    qtbot, sending_team: Team, open_window: OpenWindow
) -> None:
    from mailwise_desktop.core.states import Operation

    window = open_window(sending_team.me)
    show_all(window)
    uid = uid_of(window, SUBJECTS[1])
    other = sending_team.other
    run_once(other.ctx, other.account, other.coordination.operation_job(Operation.CLAIM, uid))
    qtbot.waitUntil(lambda: cell(window, SUBJECTS[1], COL_OWNER) == "鈴木 健太", timeout=3000)
    compose = reply_to(qtbot, window, SUBJECTS[1])
    assert compose.banner.isVisible() and "鈴木 健太" in compose.banner.text()
    assert not compose.send_button.isEnabled()
    compose.take_over_button.click()
    qtbot.waitUntil(compose.send_button.isEnabled, timeout=10_000)
    assert not compose.banner.isVisible()


#: The slow server's 250 comes this late: a window frozen by SMTP misses ticks that long.
SMTP_DELAY = 4.0


def test_send_delivers_once_and_marks_done_without_blocking(
    qtbot, sending_team: Team, smtp_server: SmtpServer, open_window: OpenWindow
) -> None:
    window = open_window(sending_team.me)
    show_all(window)
    uid = uid_of(window, SUBJECTS[0])
    compose = reply_to(qtbot, window, SUBJECTS[0])
    compose.body_edit.setPlainText("再発行いたしました。")
    smtp_server.delay_reply(SMTP_DELAY)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    compose.send_button.click()
    assert compose.busy == "checking"  # returned at once; the work is on the SMTP lane
    service = window.outbox.service("support")

    def submitting() -> bool:
        return any(i.state is OutboxState.SUBMITTING for i in service.outbox.items("support"))

    # The server has the mail and holds its 250 back: the SMTP lane is waiting now.
    qtbot.waitUntil(lambda: len(smtp_server.messages) == 1 and submitting(), timeout=15_000)
    # A reply to another message opens meanwhile: its draft is built on the quick
    # lane, not behind the send.
    second = reply_to(qtbot, window, SUBJECTS[1])
    assert submitting() and window.ops.busy(Lane.SMTP), "the draft waited for the send"
    assert second.subject_edit.text() == f"Re: {SUBJECTS[1]}"
    qtbot.waitUntil(lambda: cell(window, SUBJECTS[0], COL_STATE) == "Done", timeout=20_000)
    timer.stop()
    # A freeze (SMTP on the UI thread) shows as one gap as long as the server's delay.
    longest = max(b - a for a, b in itertools.pairwise(ticks))
    assert longest < SMTP_DELAY / 2, f"the window froze for {longest:.1f} s during the send"
    assert ticks[-1] - ticks[0] >= SMTP_DELAY  # the ticks covered the slow SMTP reply
    assert len(smtp_server.messages) == 1
    assert {"\\answered", "mw-done"} <= server_flags(sending_team, uid)
    service = window.outbox.service("support")
    [item] = service.outbox.items(states=list(OutboxState))
    assert item.state is OutboxState.SENT
    qtbot.waitUntil(lambda: window.replies.windows == [second], timeout=5000)  # closed once sent


def test_smtp_refusal_is_listed_and_retry_delivers_once(
    qtbot, sending_team: Team, smtp_server: SmtpServer, open_window: OpenWindow
) -> None:
    window = open_window(sending_team.me)
    compose = reply_to(qtbot, window, SUBJECTS[2])
    smtp_server.fail_data("451 4.3.0 Try again later")
    compose.send_button.click()
    notice = window.workspace.notice
    qtbot.waitUntil(lambda: notice.isVisible() and "refused" in notice.label.text(), timeout=15_000)
    assert "451 4.3.0" in notice.details.toPlainText()
    assert smtp_server.messages == []
    qtbot.waitUntil(lambda: "Not sent" in compose.undo_bar.text(), timeout=5000)

    window.show_outbox()
    dialog = window.outbox_dialog
    assert dialog.tree.topLevelItemCount() == 1
    assert dialog.tree.topLevelItem(0).text(0) == "Not sent"
    assert "451 4.3.0" in dialog.reason.toPlainText()
    assert dialog.buttons["retry"].isVisible() and not dialog.buttons["send_again"].isVisible()
    smtp_server.reset()
    dialog.buttons["retry"].click()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0, timeout=15_000)
    assert len(smtp_server.messages) == 1
    assert dialog.empty_label.isVisible()


def test_teammate_answer_during_undo_window_holds_and_asks(
    qtbot, sending_team: Team, smtp_server: SmtpServer, open_window: OpenWindow
) -> None:
    me = sending_team.me
    SendingService(me.ctx, me.account).set_policy("undo_seconds", "2")
    window = open_window(me)
    show_all(window)
    uid = uid_of(window, SUBJECTS[0])
    compose = reply_to(qtbot, window, SUBJECTS[0])
    compose.body_edit.setPlainText("確認いたします。")
    compose.send_button.click()
    qtbot.waitUntil(lambda: compose.outbox_item is not None, timeout=10_000)
    assert compose.undo_button.isVisible() and "Undo" in compose.undo_bar.text()
    compose.close()  # the main window's outbox sends it all the same
    sending_team.dovecot.flags_add(sending_team.user, "\\Answered", uid)

    notice = window.workspace.notice
    qtbot.waitUntil(
        lambda: notice.isVisible() and "teammate replied" in notice.label.text(), timeout=15_000
    )
    assert "answered" in notice.details.toPlainText()
    assert smtp_server.messages == []
    labels = [b.text() for b in notice.action_buttons()]
    assert labels == ["Send anyway", "Edit", "Discard"]
    notice.action_buttons()[1].click()  # Edit: back in a compose window, text kept
    qtbot.waitUntil(lambda: len(window.replies.windows) == 1, timeout=5000)
    editor = window.replies.windows[-1]
    assert editor.body_edit.toPlainText().startswith("確認いたします。")
    assert window.outbox.items() == []
    assert smtp_server.messages == []


def test_window_sends_the_text_wrapped_and_keeps_showing_it_as_typed(
    qtbot, sending_team: Team, smtp_server: SmtpServer, open_window: OpenWindow
) -> None:
    typed = (
        "いつもお世話になっております。株式会社サンプルのサポート担当者、佐藤です。"
        "請求書を再発行いたしましたので、下記よりダウンロードしてください。 "
        "https://support.example.com/invoices/download?id=2026-1234567&token=abcdefghijklmnop"
    )
    window = open_window(sending_team.me)
    compose = reply_to(qtbot, window, SUBJECTS[0])
    compose.body_edit.setPlainText(typed)
    compose.send_button.click()
    assert compose.body_edit.toPlainText() == typed  # the editor is not rewritten
    qtbot.waitUntil(lambda: len(smtp_server.messages) == 1, timeout=15_000)
    sent = email.message_from_bytes(smtp_server.messages[0].data, policy=email.policy.default)
    text = sent.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    # The same bytes as the CLI sends: wrapped by send/line_wrap.py at the 72-column default.
    expected = wrap_line(typed, 72)
    assert len(expected) == 3 and text.split("\n")[:3] == expected
    assert expected[0].endswith("佐藤で") and expected[1].startswith("す。")  # kinsoku
