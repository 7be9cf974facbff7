"""The window on a Mode B mailbox (Exchange-like Dovecot: no keywords, no CONDSTORE).

The list, the reading pane's chip and the tab counts show what the team log
decides: my own claim, and a teammate's claim from another machine, live.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.store.triage_queries import Tab
from mailwise_desktop.ui.message_list_model import COL_OWNER, COL_STATE
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import cell, select, show_all, uid_of
from tests.gui.ui_language import install_translation
from tests.harness.teammates import server_flags

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_mode_b_claims_show_in_the_window_mine_and_a_teammates_live(
    qtbot, log_team: Team, open_window: OpenWindow
) -> None:
    window = open_window(log_team.me)
    show_all(window)
    theirs, mine = SUBJECTS[0], SUBJECTS[1]
    uid = uid_of(window, theirs)
    other = log_team.other
    outcome = run_once(
        other.ctx, other.account, other.coordination.operation_job(Operation.CLAIM, uid)
    )
    assert outcome.won
    # No keyword on the server: only the team log says it, and the window shows it.
    assert server_flags(log_team.dovecot, log_team.user, uid) <= {"\\Seen"}
    qtbot.waitUntil(lambda: cell(window, theirs, COL_OWNER) == "鈴木 健太", timeout=5000)
    assert cell(window, theirs, COL_STATE) == "In progress"

    select(window, mine)
    window.triage.by_operation[Operation.CLAIM].trigger()
    qtbot.waitUntil(lambda: cell(window, mine, COL_STATE) == "In progress", timeout=5000)
    assert cell(window, mine, COL_OWNER) == "佐藤 美咲"
    assert window.workspace.reading_pane.chip.text() == "In progress · 佐藤 美咲"
    qtbot.waitUntil(lambda: window.workspace.filter_bar.counts.get(Tab.MINE) == 1)
    # The teammate's claim and mine: one unhandled left (the counts follow both changes).
    qtbot.waitUntil(
        lambda: window.workspace.filter_bar.counts.get(Tab.UNHANDLED) == len(SUBJECTS) - 2
    )

    # Trying the teammate's message names the holder, as in Mode A.
    select(window, theirs)
    window.triage.by_operation[Operation.CLAIM].trigger()
    notice = window.workspace.notice
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    assert notice.label.text().startswith("鈴木 健太 ")


SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_status_line_says_the_team_log_decides(
    qtbot, log_team: Team, open_window: OpenWindow, language: str
) -> None:
    translation = install_translation(language)
    try:
        window = open_window(log_team.me)
        show_all(window)
        other = log_team.other
        uid = uid_of(window, SUBJECTS[0])
        run_once(other.ctx, other.account, other.coordination.operation_job(Operation.CLAIM, uid))
        qtbot.waitUntil(lambda: cell(window, SUBJECTS[0], COL_OWNER) == "鈴木 健太", timeout=5000)
        label = window.status.label
        words = {
            "ja": "INBOX: 担当はチームログで管理",
            "en": "INBOX: who handles what is kept in the team log",
        }
        qtbot.waitUntil(lambda: words[language] in label.text(), timeout=5000)
        assert label.toolTip()  # and why, in plain words
        select(window, SUBJECTS[0])
        window.resize(1280, 800)
        qtbot.wait(200)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SCREENSHOT_DIR / f"mode-b-window-{language}.png"))
    finally:
        translation.remove()
