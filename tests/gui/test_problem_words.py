"""Record problems and template-stopped reasons in Japanese and English (issue 9)."""

from __future__ import annotations

import pytest

from mailwise_desktop.imap.team_mailbox import RecordProblem
from mailwise_desktop.mail.team_records import read_message
from mailwise_desktop.templates.bounded import MAX_RANGE
from mailwise_desktop.templates.render import check_template
from mailwise_desktop.ui.problem_words import record_problem_text, template_problem_text
from mailwise_desktop.ui.team_problems_dialog import TeamProblemsDialog
from tests.gui.ui_language import install_translation
from tests.integration.test_hostile_records import HOSTILE, hostile

pytestmark = pytest.mark.gui


def problems_of(kind: str, body: str) -> tuple[str, ...]:
    reading = read_message(hostile(kind, body, n=1), 1)
    assert reading.record is None
    return reading.problems


@pytest.fixture
def japanese(qapp):  # type: ignore[no-untyped-def]
    translation = install_translation("ja")
    yield
    translation.remove()


def test_every_hostile_record_problem_reads_in_japanese(japanese: None) -> None:
    for kind, body in HOSTILE:
        for problem in problems_of(kind, body):
            said = record_problem_text(problem)
            assert said != problem, problem  # a shape we know, said in Japanese
            assert not said.isascii(), (problem, said)
    assert record_problem_text("the JSON nests 100000 levels deep (at most 20)") == (
        "JSON の入れ子が 100000 段あります（上限 20）"
    )
    assert record_problem_text("size_limit should be a whole number, not text") == (
        "size_limit は整数のはずですが、文字列 です"
    )
    assert record_problem_text("something new from a newer client") == (
        "something new from a newer client"
    )  # never dropped


def test_template_stopped_reasons_in_japanese(japanese: None) -> None:
    [problem] = check_template("{% for i in range(100000) %}x{% endfor %}", {})
    said = template_problem_text(f"Body line 1: {problem.message}")
    assert (
        said
        == f"Body line 1: テンプレートを停止しました: range() で数えられるのは {MAX_RANGE:,} 個までです。"
    )
    [power] = check_template("{{ 9 ** (9 ** 9) }}", {})
    assert (
        template_problem_text(power.message)
        == "テンプレートを停止しました: べき乗（**）が大きすぎます。"
    )


def test_english_stays_the_core_wording(qapp) -> None:  # type: ignore[no-untyped-def]
    translation = install_translation("en")
    try:
        [problem] = check_template("{{ 'x' * 1000000000 }}", {})
        assert template_problem_text(problem.message) == problem.message
        text = "the JSON nests 100000 levels deep (at most 20)"
        assert record_problem_text(text) == text
    finally:
        translation.remove()


def test_team_problems_dialog_in_japanese(qtbot, japanese: None) -> None:
    dialog = TeamProblemsDialog("Mailwise")
    qtbot.addWidget(dialog)
    dialog.show_problems(
        [RecordProblem(7, "policy", ("size_limit should be a whole number, not text",))]
    )
    assert dialog.table.topLevelItem(0).text(2) == "size_limit は整数のはずですが、文字列 です"
