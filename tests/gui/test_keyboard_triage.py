"""Keyboard-only triage on the real Dovecot: J/K, N (next unhandled), C/D, ?, and the shortcuts window."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.message_list_model import COL_STATE
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import show_all
from tests.gui.ui_language import install_translation

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


def current_row(window: MainWindow) -> int:
    return window.workspace.message_list.currentIndex().row()


def state_at(window: MainWindow, row: int) -> str:
    return str(window.controller.model.index(row, COL_STATE).data())


def press(qtbot, window: MainWindow, key: Qt.Key, text: str = "") -> None:  # type: ignore[no-untyped-def]
    view = window.workspace.message_list
    qtbot.keyClick(view, key)


def test_the_list_is_worked_from_the_keyboard_alone(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    show_all(window)
    view = window.workspace.message_list
    qtbot.waitUntil(lambda: window.controller.model.rowCount() == len(SUBJECTS), timeout=5000)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    window.shortcuts.keys.select_row(0)
    press(qtbot, window, Qt.Key.Key_J)
    assert current_row(window) == 1
    press(qtbot, window, Qt.Key.Key_J)
    assert current_row(window) == 2
    press(qtbot, window, Qt.Key.Key_J)  # stays on the last row
    assert current_row(window) == 2
    press(qtbot, window, Qt.Key.Key_K)
    press(qtbot, window, Qt.Key.Key_K)
    assert current_row(window) == 0
    assert [i.row() for i in view.selectionModel().selectedRows()] == [0]  # one row, not a range

    press(qtbot, window, Qt.Key.Key_C)  # claim the current message, as the menu would
    qtbot.waitUntil(lambda: state_at(window, 0) == "In progress", timeout=8000)

    press(qtbot, window, Qt.Key.Key_N)  # the next unhandled one
    assert current_row(window) == 1 and state_at(window, 1) == "Unhandled"
    press(qtbot, window, Qt.Key.Key_K)
    press(qtbot, window, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: state_at(window, 0) == "Done", timeout=8000)

    # Typing in the search box is typing, never a shortcut.
    search = window.workspace.filter_bar.search
    search.setFocus()
    qtbot.keyClicks(search, "c")
    assert search.text() == "c"
    assert state_at(window, current_row(window)) != "Claiming…"


def test_question_mark_and_ctrl_slash_open_the_shortcuts_window(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    view = window.workspace.message_list
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    dialog = window.shortcuts.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    rows = dialog.rows()
    assert ("Next message", "J") in rows and ("Next unhandled message", "N") in rows
    assert ("Claim", "Ctrl+Shift+C") in rows  # read from the real action
    assert ("Reply", "R") in rows and ("Reply", "Ctrl+R") in rows
    dialog.close()
    window.activateWindow()
    window.shortcuts.action.trigger()
    assert window.shortcuts.dialog is not None and window.shortcuts.dialog is not dialog
    assert window.shortcuts.action in window.menus.help.actions()
    assert window.shortcuts.action.shortcut().toString() == "Ctrl+/"


WORDS = {
    "ja": ("キーボードショートカット", "次のメッセージ"),
    "en": ("Keyboard shortcuts", "Next message"),
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_shortcuts_window_screenshot(
    qtbot, team: Team, open_window: OpenWindow, language: str
) -> None:
    title, first = WORDS[language]
    translation = install_translation(language)
    try:
        window = open_window(team.me)
        dialog = window.shortcuts.show()
        qtbot.waitExposed(dialog)
        assert dialog.windowTitle() == title
        assert dialog.rows()[0][0] == first
        QApplication.processEvents()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(SCREENSHOT_DIR / f"shortcuts-{language}.png"))
    finally:
        translation.remove()


def test_no_two_actions_of_the_window_share_a_key(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    """An ambiguous shortcut fires neither action: every key sequence is used once."""
    from PySide6.QtGui import QAction

    window = open_window(team.me)
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if key.isEmpty():
                continue
            name = key.toString()
            assert name not in seen, f"{name}: {seen.get(name)} and {action.objectName()}"
            seen[name] = action.objectName()
    assert "Ctrl+Shift+C" in seen and "Ctrl+/" in seen
