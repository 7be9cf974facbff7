"""Screenshots of replying in Japanese and English: main window, compose, confirm, outbox.

Rendered offscreen against the real servers (a refused mail fills the
outbox), checked for untranslated text, saved to ``$MAILWISE_SCREENSHOTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailwise_desktop.ui.confirm_send_dialog import ConfirmSendDialog
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_replying_window import confirm_everything, reply_to, sending_team
from tests.gui.ui_language import install_translation
from tests.harness.smtp import SmtpServer

__all__ = ["confirm_everything", "sending_team"]

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
WORDS = {
    "ja": ("返信", "送信トレイ", "未送信", "再試行"),
    "en": ("Reply", "Outbox", "Not sent", "Retry"),
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_replying_screenshots(
    qtbot,
    sending_team: Team,
    smtp_server: SmtpServer,
    open_window: OpenWindow,
    language: str,
) -> None:
    reply, outbox, not_sent, retry = WORDS[language]
    translation = install_translation(language)
    try:
        window = open_window(sending_team.me)
        assert window.triage.reply.iconText() == reply
        # One refused mail in the outbox, then a reply being written.
        first = reply_to(qtbot, window, SUBJECTS[2])
        smtp_server.fail_data("451 4.3.0 Try again later")
        first.send_button.click()
        qtbot.waitUntil(
            lambda: bool(window.outbox.items()) and window.workspace.notice.isVisible(),
            timeout=15_000,
        )
        first.close()
        compose = reply_to(qtbot, window, SUBJECTS[0])
        compose.body_edit.setPlainText(
            "山田 太郎 様\n\nいつもお世話になっております。\n請求書を再発行いたしました。\n"
        )
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SCREENSHOT_DIR / f"reply-main-{language}.png"))
        assert compose.grab().save(str(SCREENSHOT_DIR / f"compose-{language}.png"))

        report = compose.service.check(compose.current())
        dialog = ConfirmSendDialog(report, compose)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.grab().save(str(SCREENSHOT_DIR / f"confirm-send-{language}.png"))
        dialog.reject()

        window.show_outbox()
        view = window.outbox_dialog
        qtbot.waitExposed(view)
        assert view.windowTitle() == outbox
        assert view.tree.topLevelItem(0).text(0) == not_sent
        assert view.buttons["retry"].text() == retry
        assert view.grab().save(str(SCREENSHOT_DIR / f"outbox-{language}.png"))
    finally:
        translation.remove()
