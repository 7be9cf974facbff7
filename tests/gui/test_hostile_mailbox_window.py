"""The window over the hostile mailbox (issue 9 acceptance), on the real Dovecot, offscreen.

Every message of ``tests/harness/hostile_corpus.py`` (about four hundred
broken, truncated, mis-labelled, oversized and nasty mails) is listed and
selected one by one, so the reading pane renders each. Nothing raises, no Qt
warning (they fail the test), and the engine stays online. One message our
parser fails on (a scripted fault, as in ``test_hostile_mail.py``) shows the
"could not be read fully" marker in its list row and the reading pane, and
its source, save as .eml, claim and notes all work.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.engine_status import LinkState
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.message_list_model import COL_STATE, COL_SUBJECT
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import show_all
from tests.gui.ui_language import install_translation
from tests.harness.hostile_corpus import hostile_mails
from tests.harness.seed import make_message
from tests.integration.test_hostile_mail import bombs

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

BOMB = "BOMB-PARSE in the window"


def read_every_row(qtbot, window: MainWindow) -> int:
    """Select each row in turn; wait until the pane shows it with its body (or says it failed)."""
    model = window.controller.model
    view = window.workspace.message_list
    pane = window.workspace.reading_pane
    for row in range(model.rowCount()):
        row_id = model.ids[row]
        view.setCurrentIndex(model.index(row, 0))

        def shown(row_id: int = row_id) -> bool:
            m = pane.message
            return (
                m is not None
                and m.summary.id == row_id
                and (m.body is not None or m.summary.body_status == "failed")
            )

        qtbot.waitUntil(shown, timeout=60_000)
        assert pane.subject.textFormat() is Qt.TextFormat.PlainText
    return model.rowCount()


def test_window_reads_every_hostile_message(
    qtbot,
    team: Team,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    bombs(monkeypatch)
    mails = [raw for _name, raw in hostile_mails()]
    team.dovecot.seed_maildir(team.user, mails)
    bomb_raw = make_message(subject=BOMB, body="本文は読めるはずでした。")
    team.dovecot.append(team.user, bomb_raw)
    window = open_window(team.me)
    show_all(window)
    model = window.controller.model
    total = len(SUBJECTS) + len(mails) + 1
    qtbot.waitUntil(lambda: model.rowCount() == total, timeout=120_000)

    assert read_every_row(qtbot, window) == total
    assert window.bridge.statuses["support"].state is LinkState.ONLINE

    # The marked message: a sign and a tooltip in its row, a bar in the pane.
    marked = [
        r for r in range(model.rowCount()) if (s := model.summary(r)) is not None and s.read_problem
    ]
    assert len(marked) == 1  # the scripted one; our parser reads all the rest
    row = marked[0]
    summary = model.summary(row)
    assert summary is not None
    assert summary.read_problem == "RecursionError: maximum recursion depth exceeded"
    subject_cell = model.index(row, COL_SUBJECT)
    assert subject_cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Could not be read fully" in subject_cell.data(Qt.ItemDataRole.ToolTipRole)
    # A row read fully, by its row number in the model (not its place among the others).
    plain = next(
        r
        for r in range(model.rowCount())
        if r != row and (s := model.summary(r)) is not None and not s.read_problem
    )
    assert model.index(plain, COL_SUBJECT).data(Qt.ItemDataRole.DecorationRole) is None
    window.workspace.message_list.setCurrentIndex(model.index(row, 0))
    pane = window.workspace.reading_pane
    qtbot.waitUntil(lambda: pane.message is not None and pane.message.body is not None)
    assert pane.problem_bar.isVisibleTo(pane)
    assert "could not be read fully" in pane.problem_bar.label.text()
    assert [b.text() for b in pane.problem_bar.action_buttons()] == [
        "Show source",
        "Save as .eml…",
    ]

    # Its source and .eml are the message as it arrived.
    dialog = pane.show_source()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert f"Subject: {BOMB}" in dialog.text.toPlainText()
    saved = pane.save_eml(tmp_path / "bomb.eml")
    assert saved is not None and saved.read_bytes().replace(b"\r\n", b"\n") == (
        bomb_raw.replace(b"\r\n", b"\n")
    )

    # Claim and a note work as for any message.
    window.triage.by_operation[Operation.CLAIM].trigger()
    state = model.index(row, COL_STATE)
    qtbot.waitUntil(lambda: state.data() == "In progress", timeout=10_000)
    panel = window.workspace.team_panel
    panel.note_edit.setPlainText("壊れたメールですが対応します")
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.notes_list.count() == 1, timeout=10_000)
    assert window.bridge.statuses["support"].state is LinkState.ONLINE


SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


def test_read_problem_marker_screenshots(
    qtbot, team: Team, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marker in the list and the pane, in English and Japanese (for a human to look at)."""
    bombs(monkeypatch)
    team.dovecot.append(team.user, make_message(subject=BOMB, body="本文は読めるはずでした。"))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for language in ("en", "ja"):
        translation = install_translation(language)
        try:
            window = open_window(team.me)
            window.resize(1280, 720)
            show_all(window)
            model = window.controller.model
            qtbot.waitUntil(lambda m=model: m.rowCount() == len(SUBJECTS) + 1, timeout=30_000)
            row = next(
                r for r in range(model.rowCount()) if (s := model.summary(r)) and s.read_problem
            )
            window.workspace.message_list.setCurrentIndex(model.index(row, 0))
            pane = window.workspace.reading_pane
            qtbot.waitUntil(lambda p=pane: p.problem_bar.isVisibleTo(p), timeout=30_000)
            expected = (
                "一部を読み取れませんでした" if language == "ja" else "Could not be read fully"
            )
            tip = model.index(row, COL_SUBJECT).data(Qt.ItemDataRole.ToolTipRole)
            assert expected in tip
            window.grab().save(str(SCREENSHOT_DIR / f"read-problem-{language}.png"))
            window.close()
        finally:
            translation.remove()
