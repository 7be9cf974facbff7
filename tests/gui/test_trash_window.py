"""Delete moves to Trash, with Undo, in the window against the real Dovecot (issue 15).

The message leaves the list and INBOX for Trash (a MOVE: nothing expunged
from anywhere it was not moved out of); Undo in the notice bar puts it back
with its handling state and owner; Delete in the search box edits the text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.runner import run_once
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import row_of, select, show_all
from tests.gui.ui_language import install_translation
from tests.harness.teammates import server_flags

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


def subjects_in(team: Team, folder: str) -> list[str]:
    """Message-IDs in ``folder`` as doveadm reads them (not through the code under test)."""
    out = team.dovecot.doveadm("fetch", "hdr.message-id", "mailbox", folder, "all", user=team.user)
    return [line for line in out.splitlines() if "@" in line]


def listed(window, subject: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        row_of(window, subject)
    except (AssertionError, ValueError, StopIteration):
        return False
    return True


def test_delete_moves_to_trash_and_undo_puts_it_back(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    show_all(window)
    summary = window.controller.model.summary(row_of(window, SUBJECTS[0]))
    assert summary is not None and summary.message_id
    uid_claimed, mid = summary.uid, summary.message_id.strip("<>")
    other = team.other
    run_once(
        other.ctx, other.account, other.coordination.operation_job(Operation.CLAIM, uid_claimed)
    )
    qtbot.wait(200)

    select(window, SUBJECTS[0])
    window.workspace.message_list.setFocus()
    window.trash.action.trigger()
    notice = window.workspace.notice
    qtbot.waitUntil(lambda: notice.isVisible() and "Trash" in notice.label.text(), timeout=10_000)
    assert notice.label.text() == "Moved 1 message(s) to Trash."
    qtbot.waitUntil(lambda: not listed(window, SUBJECTS[0]), timeout=5000)
    inbox = subjects_in(team, "INBOX")
    assert not any(mid in line for line in inbox) and len(inbox) == 2
    trash = subjects_in(team, "Trash")
    assert len(trash) == 1 and mid in trash[0]

    [undo] = [b for b in notice.action_buttons() if b.text() == "Undo"]
    undo.click()
    qtbot.waitUntil(lambda: listed(window, SUBJECTS[0]), timeout=10_000)
    assert notice.label.text() == "Put back from Trash."
    assert subjects_in(team, "Trash") == []
    assert len(subjects_in(team, "INBOX")) == 3
    # Flags travelled with it: still claimed by 鈴木 (slot keyword kept).
    out = team.dovecot.doveadm(
        "search", "mailbox", "INBOX", "header", "Message-ID", mid, user=team.user
    )
    new_uid = int(out.split()[-1])
    assert new_uid != uid_claimed
    assert any(f.startswith("mw-") for f in server_flags(team.dovecot, team.user, new_uid))


def test_delete_key_in_the_search_box_edits_text(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    show_all(window)
    select(window, SUBJECTS[1])
    search = window.workspace.filter_bar.search
    search.setFocus()
    search.setText("abc")
    search.setCursorPosition(0)
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    qtbot.keyClick(search, Qt.Key.Key_End)
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    assert search.text() == "b"
    qtbot.wait(300)
    assert len(subjects_in(team, "INBOX")) == 3 and window.trash.last is None


@pytest.mark.parametrize("language", ["ja", "en"])
def test_trash_screenshots(qtbot, team: Team, open_window: OpenWindow, language: str) -> None:
    translation = install_translation(language)
    try:
        window = open_window(team.me)
        show_all(window)
        select(window, SUBJECTS[2])
        window.trash.action.trigger()
        notice = window.workspace.notice
        qtbot.waitUntil(
            lambda: notice.isVisible() and bool(notice.action_buttons()), timeout=10_000
        )
        expected = "1 件のメッセージを" if language == "ja" else "Moved 1 message(s)"
        assert notice.label.text().startswith(expected)
        assert window.trash.action.text() == (
            "ゴミ箱に移動(&T)" if language == "ja" else "Move to &Trash"
        )
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        qtbot.wait(1000)  # the counts refresh on a short timer
        window.grab().save(str(SCREENSHOT_DIR / f"trash-undo-{language}.png"))
    finally:
        translation.remove()
