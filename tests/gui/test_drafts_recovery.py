"""Drafts survive a crash and come back; View ▸ Drafts lists, opens and discards them.

The crash is real: a child process opens the window, types into a compose
window, lets it autosave, and ends with ``os._exit`` (no Qt shutdown, no close
events) — as when the machine loses power or the process is killed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.compose_window import ComposeWindow
from mailwise_desktop.ui.drafts_view import OPEN_DRAFTS_FILE
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow
from tests.harness.keyring_backend import FILE_ENV

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
REPO = Path(__file__).resolve().parents[2]
# Nobody can reach it (port 1): drafts are local, the window shows the account offline.
_ENDPOINT = Endpoint("127.0.0.1", 1, Security.TLS, "support")
ACCOUNT = Account(
    "support", _ENDPOINT, default_smtp(_ENDPOINT), address="support@example.jp"
).to_json()

CRASHING_APP = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from mailwise_desktop.core.profile import Profile
    from mailwise_desktop.core.settings import Settings
    from mailwise_desktop.ui.icons import app_icon
    from mailwise_desktop.ui.main_window import MainWindow

    app = QApplication([])
    profile = Profile(Path(sys.argv[1]))
    window = MainWindow(profile, Settings(profile.settings_file), app_icon())
    window.show()
    window.triage.new_mail.trigger()
    compose = window.replies.windows[-1]
    compose.subject_edit.setText("見積もりの件")
    compose.body_edit.setPlainText("山田様\\n\\nお見積もりを添付いたします。")
    assert compose.save_draft()
    print(compose.draft.id, flush=True)
    os._exit(3)  # a crash: no close events, no clean quit
    """
)


@pytest.fixture
def profile(mailwise_home: Path) -> Profile:
    prof = Profile(mailwise_home).ensure()
    settings = Settings(prof.settings_file)
    settings.set("accounts", [ACCOUNT])
    settings.save()
    return prof


def crash_with_a_draft_open(profile: Profile) -> str:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "tests.harness.keyring_backend.FileKeyring",
        FILE_ENV: str(profile.root.parent / "child-keyring.json"),
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_APP, str(profile.root)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert (profile.root / OPEN_DRAFTS_FILE).exists()
    return done.stdout.strip()


def open_window(qtbot, profile: Profile) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(profile, Settings(profile.settings_file), app_icon())
    window.persist_state = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_draft_open_at_a_crash_is_offered_again_with_its_text(qtbot, profile: Profile) -> None:
    draft_id = crash_with_a_draft_open(profile)
    window = open_window(qtbot, profile)
    notice = window.workspace.notice
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    assert "stopped while a draft was open" in notice.label.text()
    reopen = next(b for b in notice._extra if b.text() == "Open them")
    reopen.click()
    composes = [w for w in window.replies.windows if isinstance(w, ComposeWindow)]
    assert len(composes) == 1
    assert composes[0].draft.id == draft_id
    assert composes[0].subject_edit.text() == "見積もりの件"
    assert "お見積もりを添付" in composes[0].body_edit.toPlainText()
    window.close()
    # A clean quit with the compose window open leaves nothing to offer next time.
    assert not (profile.root / OPEN_DRAFTS_FILE).exists()
    again = open_window(qtbot, profile)
    assert not again.workspace.notice.isVisible()


def test_the_drafts_window_opens_and_discards(
    qtbot, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash_with_a_draft_open(profile)
    window = open_window(qtbot, profile)
    window.triage.new_mail.trigger()
    second = window.replies.windows[-1]
    second.subject_edit.setText("Second draft")
    assert second.save_draft()
    second.close()

    dialog = window.drafts.show()
    qtbot.waitExposed(dialog)
    subjects = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert subjects == ["Second draft", "見積もりの件"]  # newest first
    monkeypatch.setattr("mailwise_desktop.ui.drafts_view.ask_yes_cancel", lambda *a: True)
    dialog.discard_selected()
    assert dialog.tree.topLevelItemCount() == 1
    dialog.open_selected()
    assert window.replies.windows[-1].subject_edit.text() == "見積もりの件"
    service = window.outbox.service("support")
    assert [d.subject for d in service.drafts.list("support")] == ["見積もりの件"]


SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


@pytest.mark.parametrize(
    ("language", "words"), [("ja", "下書きを 1 件"), ("en", "a draft was open")]
)
def test_recovery_notice_and_drafts_window_screenshots(
    qtbot, profile: Profile, language: str, words: str
) -> None:
    from tests.gui.ui_language import install_translation

    crash_with_a_draft_open(profile)
    translation = install_translation(language)
    try:
        window = open_window(qtbot, profile)
        window.resize(1100, 640)
        qtbot.waitUntil(window.workspace.notice.isVisible, timeout=5000)
        assert words in window.workspace.notice.label.text()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SCREENSHOT_DIR / f"draft-recovered-{language}.png"))
        dialog = window.drafts.show()
        qtbot.waitExposed(dialog)
        assert dialog.grab().save(str(SCREENSHOT_DIR / f"drafts-{language}.png"))
    finally:
        translation.remove()
