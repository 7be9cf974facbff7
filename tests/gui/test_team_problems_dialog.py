"""Actions ▸ Team mailbox problems lists refused records (issue 9, cases 3 and 4)."""

from __future__ import annotations

import pytest

from mailwise_desktop.imap.team_mailbox import RecordProblem
from mailwise_desktop.ui.team_problems_dialog import TeamProblemsDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_dialog_lists_uid_kind_and_reason_as_plain_text(qtbot) -> None:
    dialog = TeamProblemsDialog("Mailwise")
    qtbot.addWidget(dialog)
    dialog.show()
    problems = [
        RecordProblem(12, "policy", ("size_limit should be a whole number, not text",)),
        RecordProblem(13, "note", ("the JSON nests 100000 levels deep (at most 20)",)),
        RecordProblem(14, "template", ("<b>name</b> should be text",)),
    ]
    dialog.show_problems(problems)
    rows = [
        [dialog.table.topLevelItem(i).text(c) for c in range(3)]
        for i in range(dialog.table.topLevelItemCount())
    ]
    assert rows[0] == ["12", "policy", "size_limit should be a whole number, not text"]
    assert [r[0] for r in rows] == ["12", "13", "14"]
    assert "3 record(s) in Mailwise" in dialog.summary.text()
    dialog.show_problems([])
    assert dialog.table.topLevelItemCount() == 0
    assert "is fine" in dialog.summary.text()
    dialog.show_error("The mail server could not be reached.")
    assert "could not be read" in dialog.summary.text()
