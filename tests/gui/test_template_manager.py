"""The template manager against the real Dovecot: shared and personal templates, a preview
for a chosen message, problems in plain words, duplicate and delete; screenshots ja/en."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.templates.records import TemplateRecord
from mailwise_desktop.templates.variables import sample_variables
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.template_manager import TemplateManager
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import select, show_all
from tests.gui.ui_language import install_translation

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
BODY = "{{ customer.name }} 様\n\n「{{ original.subject }}」の件、承知いたしました。\n"


def open_manager(qtbot, window: MainWindow, subject: str) -> TemplateManager:  # type: ignore[no-untyped-def]
    show_all(window)
    select(window, subject)
    manager = window.tools.templates.show()
    assert manager is not None
    qtbot.addWidget(manager)
    qtbot.waitExposed(manager)
    return manager


def choose(manager: TemplateManager, name: str, shared: bool) -> None:
    tree = manager.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        assert group is not None
        for j in range(group.childCount()):
            item = group.child(j)
            if item is not None and tuple(item.data(0, 256)) == (name, shared):
                tree.setCurrentItem(item)
                return
    raise AssertionError(f"{name} not listed")


def test_a_shared_template_made_in_the_manager_reaches_the_team(
    qtbot, team: Team, open_window: OpenWindow
) -> None:
    window = open_window(team.me)
    manager = open_manager(qtbot, window, SUBJECTS[1])
    assert manager.names() == []
    editor = manager.new_template()
    editor.name_edit.setText("お問い合わせのお礼")
    editor.shared_box.setChecked(True)
    editor.body_edit.setPlainText(BODY)
    qtbot.waitUntil(editor.checked_current, timeout=10_000)
    assert editor.problems() == []
    editor.buttons.accepted.emit()
    qtbot.waitUntil(lambda: ("お問い合わせのお礼", True) in manager.names(), timeout=15_000)

    # The preview is the reply to the message chosen in the window, not the sample.
    qtbot.waitUntil(lambda: SUBJECTS[1] in manager.preview.toPlainText(), timeout=10_000)
    assert manager.preview.toPlainText().startswith("山田 太郎 様")
    manager.preview_with.setCurrentIndex(manager.preview_with.findData("sample"))
    sample = sample_variables(manager.language)["original"]["subject"]
    qtbot.waitUntil(lambda: sample in manager.preview.toPlainText(), timeout=10_000)

    # A teammate's profile reads it from the team mailbox.
    theirs = SendingService(team.other.ctx, team.other.account)
    theirs.refresh_team()
    assert [t.name for t in theirs.templates() if t.shared] == ["お問い合わせのお礼"]


def test_problems_in_plain_words_duplicate_and_delete(
    qtbot, team: Team, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(team.me)
    service = window.outbox.service("support")
    service.save_template(TemplateRecord(name="巨大", body="{{ 9 ** (9 ** 9) }}"))
    service.save_template(TemplateRecord(name="誤字", body="{{ customer.nmae }} 様"))
    manager = open_manager(qtbot, window, SUBJECTS[0])
    assert manager.names() == [("巨大", False), ("誤字", False)]
    choose(manager, "巨大", False)
    qtbot.waitUntil(lambda: manager.preview.toPlainText() != "", timeout=15_000)
    assert "stopped" in manager.preview.toPlainText().lower()  # the sandbox, not a freeze
    choose(manager, "誤字", False)
    qtbot.waitUntil(manager.problems.isVisible, timeout=10_000)
    assert "There is no value called {{ customer.nmae }}. Did you mean {{ customer.name }}?" in (
        manager.problems.text()
    )

    copy = manager.duplicate_current()
    assert copy is not None and copy.name_edit.text() == "誤字 (copy)"
    copy.body_edit.setPlainText("{{ customer.name }} 様")
    qtbot.waitUntil(copy.checked_current, timeout=10_000)
    copy.buttons.accepted.emit()
    qtbot.waitUntil(lambda: ("誤字 (copy)", False) in manager.names(), timeout=10_000)

    monkeypatch.setattr("mailwise_desktop.ui.template_manager.ask_yes_cancel", lambda *a: True)
    choose(manager, "巨大", False)
    manager.delete_current()
    qtbot.waitUntil(lambda: ("巨大", False) not in manager.names(), timeout=10_000)
    assert [t.name for t in service.templates()] == ["誤字", "誤字 (copy)"]


WORDS = {"ja": ("テンプレート", "チームで共有"), "en": ("Templates", "Shared with the team")}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_template_manager_screenshot(
    qtbot, team: Team, open_window: OpenWindow, language: str
) -> None:
    title, group = WORDS[language]
    translation = install_translation(language)
    try:
        theirs = SendingService(team.other.ctx, team.other.account)
        theirs.save_template(TemplateRecord(name="お問い合わせのお礼", body=BODY, shared=True))
        run_once(team.me.ctx, team.me.account, team.me.coordination.refresh_team_job())
        window = open_window(team.me)
        window.outbox.service("support").save_template(
            TemplateRecord(name="見積もり送付", body=BODY)
        )
        manager = open_manager(qtbot, window, SUBJECTS[1])
        manager.language = language
        assert manager.windowTitle() == title
        top = manager.tree.topLevelItem(0)
        assert top is not None and top.text(0) == group
        qtbot.waitUntil(lambda: SUBJECTS[1] in manager.preview.toPlainText(), timeout=10_000)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert manager.grab().save(str(SCREENSHOT_DIR / f"templates-{language}.png"))
    finally:
        translation.remove()
