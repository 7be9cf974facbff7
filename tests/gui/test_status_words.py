"""The engine's status and a refused claim in the window's language (issue 9).

The engine gives a case and data (``EngineStatus.case``, ``error``, ``seconds``);
``ui/connection_status.py`` puts it into words. Before, the engine's English
sentence was shown as-is in the Japanese window. The refused claim runs
against the real Dovecot with a teammate holding the message; the
screenshots (ja and en) are for a person to look at.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from mailwise_desktop.cli.error_words import cli_words
from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import (
    AuthError,
    CapabilityError,
    ErrorCase,
    NotFoundError,
    TeamOffReason,
)
from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState, StatusCase
from mailwise_desktop.imap.session import start_session
from mailwise_desktop.send.submission import submit
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.ui.connection_status import ConnectionStatus
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.message_list_model import COL_OWNER
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import cell, select, show_all, uid_of
from tests.gui.ui_language import install_translation
from tests.harness.dovecot import free_port

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))

RESTARTING = EngineStatus(
    LinkState.RECONNECTING,
    "Mailwise hit an unexpected problem and restarts the connection in 4 s.",
    "ValueError: boom",
    case=StatusCase.RESTARTING,
    seconds=4.0,
)
FOLDER_GONE = NotFoundError(
    "The folder 'Sales' no longer exists on the server (deleted or renamed elsewhere).",
    case=ErrorCase.FOLDER_GONE,
    data={"folder": "Sales"},
)
NO_CONDSTORE = CapabilityError(
    "This mail server cannot change messages atomically (no CONDSTORE).",
    case=ErrorCase.NO_CONDSTORE,
    detail="capabilities: IMAP4rev1",
)
REFUSED = AuthError("The server refused the login.", detail="NO [AUTHENTICATIONFAILED]")

WORDS = {
    "ja": {
        "restarting": "再接続中…（予期しない問題が起きたため、4 秒後に接続をやり直します。）",
        "refused": "未接続: サーバーがユーザー名またはパスワードを受け付けませんでした。",
        "folder": "フォルダー「Sales」はサーバーにもうありません",
        "lost": "再接続中…（",
        "lost_while_down": "接続が切れている間にチームメンバーがこのメールを変更したため、"
        "あなたの変更は行われませんでした。",
        "online": "オンライン · ",
        "team_off": "フォルダー「INBOX」ではチームでの対応管理が使えません。"
        "サーバーが「ほかの人が先に変更していない場合だけ変更する」ことができないため、"
        "二人のメンバーが同じメールを担当してしまうおそれがあります。",
        "no_condstore": "このメールサーバーは「ほかの人が先に変更していない場合だけ変更する」"
        "ことができない（CONDSTORE がない）ため、誰が対応しているかを共有できません。",
    },
    "en": {
        "restarting": "Reconnecting… (Mailwise hit an unexpected problem and restarts the "
        "connection in 4 s.)",
        "refused": "Not connected: The server refused the user name or password.",
        "folder": "The folder Sales is not on the server any more",
        "lost": "Reconnecting… (",
        "lost_while_down": "A teammate changed this message while the connection was down, "
        "so yours was not made.",
        "online": "Online · ",
        "team_off": "Team handling is off for INBOX: the server cannot change a "
        "message only if nobody changed it first, so two teammates could both take the same "
        "message.",
        "no_condstore": "This mail server cannot change a message only if nobody changed it "
        "first (no CONDSTORE), so Mailwise cannot share who handles what on it.",
    },
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_status_cases_are_said_in_the_window_language(qtbot, language: str) -> None:
    translation = install_translation(language)
    try:
        status = ConnectionStatus()
        qtbot.addWidget(status)
        status.set_accounts({"support": None})
        words = WORDS[language]
        status.update_status("support", RESTARTING)
        assert status.label.text().startswith(words["restarting"])
        status.update_status(
            "support",
            EngineStatus(LinkState.ERROR, REFUSED.message, REFUSED.detail, error=REFUSED,
                         case=StatusCase.ERROR),
        )  # fmt: skip
        assert status.label.text().startswith(words["refused"])
        online = EngineStatus(
            LinkState.ONLINE, FOLDER_GONE.message, error=FOLDER_GONE, case=StatusCase.ERROR
        )
        status.update_status("support", online)
        assert words["folder"] in status.label.text()
        lost = ConnectionResetError(104, "Connection reset by peer")
        status.update_status(
            "support",
            EngineStatus(LinkState.RECONNECTING, str(lost), error=lost, case=StatusCase.ERROR),
        )
        text = status.label.text()
        assert text.startswith(words["lost"]) and "Connection reset" not in text
        if language == "ja":  # nothing of the engine's English is left in the line
            for said in (RESTARTING, online):
                status.update_status("support", said)
                assert said.message not in status.label.text()
                assert "Mailwise hit" not in status.label.text()
    finally:
        translation.remove()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_refused_claim_and_status_bar_in_the_window_language(
    qtbot, team: Team, open_window: OpenWindow, language: str
) -> None:
    translation = install_translation(language)
    try:
        window = open_window(team.me)
        show_all(window)
        subject = SUBJECTS[2]
        uid = uid_of(window, subject)
        other = team.other
        run_once(other.ctx, other.account, other.coordination.operation_job(Operation.CLAIM, uid))
        qtbot.waitUntil(lambda: cell(window, subject, COL_OWNER) == "鈴木 健太", timeout=5000)
        select(window, subject)
        window.triage.by_operation[Operation.CLAIM].trigger()
        notice = window.workspace.notice
        qtbot.waitUntil(notice.isVisible, timeout=5000)
        text = notice.label.text()
        year = str(time.localtime().tm_year)
        if language == "ja":
            assert text.startswith("鈴木 健太さんが ") and text.endswith("から担当しています。")
            assert f"{year}/" in text  # the ja locale's date (the C locale wrote "Dec 2, 2026")
        else:
            assert text.startswith("鈴木 健太 has been handling this since ")
            assert year[2:] in text  # en_US short date: 12/2/26
        # the other refusals are worded from the outcome's data too
        outcome = window.operations.last_outcome
        assert outcome is not None and outcome.refusal is not None
        lost = replace(outcome, refusal=None, lost_while_down=True)
        said = window.operations.refusal_text(lost)
        assert said == WORDS[language]["lost_while_down"]
        account_id = next(iter(window.status.statuses), team.me.account.id)
        window.status.update_status(account_id, RESTARTING)
        assert window.status.label.text().startswith(WORDS[language]["restarting"])
        window.resize(1100, 640)
        qtbot.wait(50)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SCREENSHOT_DIR / f"status-words-{language}.png"))
    finally:
        translation.remove()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_team_problem_and_capability_error_in_the_window_language(
    qtbot, team: Team, language: str
) -> None:
    """The team check's status line is worded from reason codes, not the check's English.

    Real Dovecot: a connection that never enabled CONDSTORE fails the check of
    INBOX in the engine's team job (services/repairs.live_team_job); before,
    the window showed that job's English sentence as-is.
    """
    me = team.me
    account = me.account
    SyncService(me.ctx).sync_once(account)
    session = start_session(open_imap(account.imap, team.user.password), enable=False)
    try:
        job = AccountServices(me.ctx, account).live_team_job()
        changes = job(EngineContext(session, me.ctx.cache, account, {}))
    finally:
        session.close()
    assert isinstance(changes, Changes) and changes.status is not None
    (problem,) = changes.problems
    assert problem.case is ErrorCase.TEAM_OFF
    assert problem.data == {"mailbox": "INBOX", "reasons": TeamOffReason.NO_CONDSTORE.value}
    translation = install_translation(language)
    try:
        status = ConnectionStatus()
        qtbot.addWidget(status)
        status.set_accounts({"support": None})
        # as the engine reports a team job's problems (imap/engine.py: _run_team_job)
        said = EngineStatus(
            LinkState.ONLINE, changes.status, case=StatusCase.TEAM_PROBLEM, problems=(problem,)
        )
        status.update_status("support", said)
        words = WORDS[language]
        text = status.label.text()
        assert text.startswith(words["online"]) and text.endswith(" · " + words["team_off"])
        failed = EngineStatus(
            LinkState.ONLINE, NO_CONDSTORE.message, error=NO_CONDSTORE, case=StatusCase.ERROR
        )  # as the engine reports a team job that raised (imap/engine.py: _run_team_job)
        status.update_status("support", failed)
        text = status.label.text()
        assert text.startswith(words["online"]) and text.endswith(" · " + words["no_condstore"])
        if language == "ja":  # none of the check's English is left in the line
            status.update_status("support", said)
            assert "Team handling" not in status.label.text()
            assert "CONDSTORE" not in status.label.text()
    finally:
        translation.remove()


class _Accept:
    """aiosmtpd handler of a plain server: takes every mail (none is expected here)."""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_smtp_without_starttls_or_login_in_the_window_language(
    qtbot, smtp_endpoint: Endpoint, language: str
) -> None:
    """A real plain aiosmtpd (no STARTTLS, no AUTH): the refusals have cases the window words.

    Before, both fell to the capability lead "lacks something … shared handling",
    which is not what is wrong.
    """
    controller = Controller(_Accept(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        plain = replace(smtp_endpoint, port=controller.port)
        with pytest.raises(CapabilityError) as no_tls:
            submit(plain, "pw", mail_from="a@example.com", rcpt_to=["b@example.com"],
                   message=b"Subject: x\r\n\r\nx\r\n", timeout=10)  # fmt: skip
        bare = replace(plain, security=Security.PLAIN)
        with pytest.raises(CapabilityError) as no_auth:
            submit(bare, "pw", mail_from="a@example.com", rcpt_to=["b@example.com"],
                   message=b"Subject: x\r\n\r\nx\r\n", timeout=10)  # fmt: skip
    finally:
        controller.stop()
    assert no_tls.value.case is ErrorCase.NO_STARTTLS
    assert no_auth.value.case is ErrorCase.NO_SMTP_AUTH
    for error in (no_tls.value, no_auth.value):  # the CLI's English is the error's own sentence
        assert cli_words(error, "en") == error.message
    port = str(controller.port)
    expected = {
        "ja": (
            f"サーバー 127.0.0.1 はポート {port} で STARTTLS に対応していないため、"
            "接続しませんでした。アカウント設定で TLS（ポート 465）を選ぶか、"
            "サーバーの管理者に問い合わせてください。",
            f"サーバー 127.0.0.1 はポート {port} でログイン（SMTP AUTH）に対応していないため、"
            "メールを送信できません。アカウント設定で送信ポートを確認してください。",
        ),
        "en": (
            f"The server 127.0.0.1 does not offer STARTTLS on port {port}, so Mailwise did not "
            "connect. Choose TLS (port 465) in the account settings, or ask the server's "
            "administrator.",
            f"The server 127.0.0.1 does not offer login (SMTP AUTH) on port {port}, so mail "
            "cannot be sent. Check the sending port in the account settings.",
        ),
    }[language]
    translation = install_translation(language)
    try:
        assert (plain_error(no_tls.value)[0], plain_error(no_auth.value)[0]) == expected
        assert no_tls.value.message in plain_error(no_tls.value)[1]  # English in the details
    finally:
        translation.remove()
