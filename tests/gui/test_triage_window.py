"""The triage window against the real Dovecot: claim, a teammate's live claim, refusal, notes.

Two profiles on the same shared mailbox (tests/gui/conftest.py): 佐藤 (me,
the window under test) and 鈴木 (a teammate acting through the same services
the CLI uses, or in a second window).
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.store.triage_queries import Tab
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.message_list_model import COL_OWNER, COL_STATE
from tests.gui.conftest import SUBJECTS, OpenWindow, Team

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def row_of(window: MainWindow, subject: str) -> int:
    model = window.controller.model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and summary.subject == subject:
            return row
    raise AssertionError(f"{subject!r} is not listed")


def cell(window: MainWindow, subject: str, column: int) -> str:
    model = window.controller.model
    return str(model.index(row_of(window, subject), column).data())


def select(window: MainWindow, subject: str) -> None:
    model = window.controller.model
    window.workspace.message_list.setCurrentIndex(model.index(row_of(window, subject), 0))


def uid_of(window: MainWindow, subject: str) -> int:
    summary = window.controller.model.summary(row_of(window, subject))
    assert summary is not None
    return summary.uid


def show_all(window: MainWindow) -> None:
    window.workspace.filter_bar.set_tab(Tab.ALL)


def test_claim_from_the_list_changes_state_and_owner(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    show_all(window)
    subject = SUBJECTS[0]
    assert cell(window, subject, COL_STATE) == "Unhandled"
    select(window, subject)
    claim = window.triage.by_operation[Operation.CLAIM]
    assert claim.isEnabled()
    assert window.triage.by_operation[Operation.RELEASE].isEnabled() is False
    claim.trigger()
    # Never a fake success: the row says "Claiming…" until the server answers.
    assert cell(window, subject, COL_STATE) == "Claiming…"
    qtbot.waitUntil(lambda: cell(window, subject, COL_STATE) == "In progress", timeout=5000)
    assert cell(window, subject, COL_OWNER) == "佐藤 美咲"
    # The reading pane's chip and the actions follow.
    assert window.workspace.reading_pane.chip.text() == "In progress · 佐藤 美咲"
    assert window.triage.by_operation[Operation.RELEASE].isEnabled()
    assert window.triage.by_operation[Operation.HOLD].isEnabled()
    # And the tab counts: one less unhandled, one more of mine.
    qtbot.waitUntil(lambda: window.workspace.filter_bar.counts.get(Tab.MINE) == 1)
    assert window.workspace.filter_bar.counts[Tab.UNHANDLED] == len(SUBJECTS) - 1


def test_teammates_claim_shows_their_name_within_a_second(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    show_all(window)
    subject = SUBJECTS[1]
    uid = uid_of(window, subject)
    outcome = run_once(
        team.other.ctx,
        team.other.account,
        team.other.coordination.operation_job(Operation.CLAIM, uid),
    )
    assert outcome.won
    # How fast it arrives is bench/claim's "seen by a teammate" row; here: that it does.
    qtbot.waitUntil(lambda: cell(window, subject, COL_OWNER) == "鈴木 健太", timeout=5000)
    assert cell(window, subject, COL_STATE) == "In progress"
    # A teammate's change is highlighted briefly, then goes back to normal.
    model = window.controller.model
    row_id = model.ids[row_of(window, subject)]
    assert model.is_flashing(row_id)
    qtbot.waitUntil(lambda: not model.is_flashing(row_id), timeout=3000)


def test_refused_claim_names_the_holder_and_offers_take_over(
    qtbot, team: Team, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(team.me)
    show_all(window)
    subject = SUBJECTS[2]
    uid = uid_of(window, subject)
    other = team.other
    run_once(other.ctx, other.account, other.coordination.operation_job(Operation.CLAIM, uid))
    qtbot.waitUntil(lambda: cell(window, subject, COL_OWNER) == "鈴木 健太", timeout=3000)

    select(window, subject)
    claim = window.triage.by_operation[Operation.CLAIM]
    assert claim.isEnabled(), "trying a held message must be possible: the answer says who"
    claim.trigger()
    notice = window.workspace.notice
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    text = notice.label.text()
    assert text.startswith("鈴木 健太 has been handling this since ")
    assert str(time.localtime().tm_year) in text  # when: date and time, in the locale's form
    assert cell(window, subject, COL_OWNER) == "鈴木 健太"

    # Take over, after a confirmation.
    asked: list[str] = []
    monkeypatch.setattr(
        window.operations, "confirm_take_over", lambda holder: asked.append(holder) or True
    )
    [take_over] = notice.action_buttons()
    take_over.click()
    assert asked == ["鈴木 健太"]
    qtbot.waitUntil(lambda: cell(window, subject, COL_OWNER) == "佐藤 美咲", timeout=5000)
    assert cell(window, subject, COL_STATE) == "In progress"


def test_note_appears_in_the_other_teammates_window(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    mine = open_window(team.me)
    theirs = open_window(team.other)
    subject = SUBJECTS[0]
    for window in (mine, theirs):
        show_all(window)
        select(window, subject)
    panel = mine.workspace.team_panel
    assert panel.add_button.isEnabled()
    panel.note_edit.setPlainText("請求書は経理に確認中です")
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.notes_list.count() == 1, timeout=5000)
    assert panel.note_edit.toPlainText() == ""

    # The claim goes into the history too; both arrive in the teammate's window live.
    mine.triage.by_operation[Operation.CLAIM].trigger()
    qtbot.waitUntil(lambda: cell(mine, subject, COL_OWNER) == "佐藤 美咲", timeout=5000)
    other_panel = theirs.workspace.team_panel
    qtbot.waitUntil(lambda: other_panel.notes_list.count() == 1, timeout=8000)
    note = other_panel.notes_list.item(0).text()
    assert note.startswith("佐藤 美咲 · ") and note.endswith("請求書は経理に確認中です")
    qtbot.waitUntil(lambda: other_panel.history_list.count() == 1, timeout=8000)
    line = other_panel.history_list.item(0).text()
    assert "佐藤 美咲: claimed" in line and "Unhandled → In progress" in line
    assert cell(theirs, subject, COL_OWNER) == "佐藤 美咲"


def test_offline_the_cache_stays_readable_and_searchable(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    window.bridge.stop_all()  # the line is gone
    qtbot.waitUntil(lambda: "Offline" in window.connection_label.text(), timeout=5000)
    show_all(window)
    window.workspace.filter_bar.search.setText("ログイン")
    qtbot.waitUntil(lambda: window.controller.model.rowCount() == 1, timeout=3000)
    select(window, SUBJECTS[1])
    assert window.workspace.reading_pane.subject.text() == SUBJECTS[1]
    assert "本文です" in window.workspace.reading_pane.browser.toPlainText()
    # Changing state needs the server: said plainly, nothing pretends.
    window.triage.by_operation[Operation.CLAIM].trigger()
    assert window.workspace.notice.isVisible()
    assert "offline" in window.workspace.notice.label.text()
    assert cell(window, SUBJECTS[1], COL_STATE) == "Unhandled"


def test_new_mail_appears_without_a_refresh(qtbot, team: Team, open_window: OpenWindow) -> None:
    from tests.harness.seed import make_message

    window = open_window(team.me)
    window.workspace.filter_bar.set_tab(Tab.UNHANDLED)
    before = window.controller.model.rowCount()
    team.dovecot.append(team.user, make_message(subject="新着のお問い合わせ", body="至急"))
    qtbot.waitUntil(lambda: window.controller.model.rowCount() == before + 1, timeout=3000)
    assert cell(window, "新着のお問い合わせ", COL_STATE) == "Unhandled"
    qtbot.waitUntil(
        lambda: window.workspace.filter_bar.counts.get(Tab.UNHANDLED) == before + 1, timeout=2000
    )
    assert window.workspace.message_list.horizontalHeader().sortIndicatorSection() == 4
    assert (
        window.workspace.message_list.horizontalHeader().sortIndicatorOrder()
        == Qt.SortOrder.DescendingOrder
    )
