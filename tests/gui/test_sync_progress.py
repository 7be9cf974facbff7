"""The status bar's first-sync progress: counts, time left, gone once the pass is done."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from mailwise_desktop.imap.engine_status import EngineStatus, LinkState
from mailwise_desktop.ui.connection_status import ConnectionStatus
from tests.gui.ui_language import install_translation

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


def syncing(done: int, total: int = 50_000) -> EngineStatus:
    return EngineStatus(LinkState.ONLINE, sync_done=done, sync_total=total)


def test_bar_follows_the_counts_and_goes_when_done(qtbot) -> None:
    status = ConnectionStatus()
    qtbot.addWidget(status)
    status.set_accounts({"support": None})
    status.show()
    assert not status.progress.isVisible()
    status.update_status("support", syncing(200))
    assert status.progress.isVisible() and status.progress_label.isVisible()
    assert (status.progress.value(), status.progress.maximum()) == (200, 50_000)
    assert status.progress_label.text() == "200 of 50,000 messages"  # no rate yet
    status.update_status("support", syncing(10_200))
    assert status.progress.value() == 10_200
    status.update_status("support", EngineStatus(LinkState.ONLINE, last_sync=time.time()))
    assert not status.progress.isVisible() and not status.progress_label.isVisible()


def test_time_left_from_the_rate_seen(qtbot) -> None:
    status = ConnectionStatus()
    qtbot.addWidget(status)
    status.set_accounts({"support": None})
    status.update_status("support", syncing(0))
    started = status._progress_start["support"][0]
    status.statuses["support"] = syncing(10_000)
    # 10,000 stored in 10 s: 40,000 left take 40 s; in 20 s: 80 s; in 30 s: 120 s.
    assert status.progress_words("support", now=started + 10).endswith("less than a minute left")
    assert status.progress_words("support", now=started + 20).endswith("about 1 min left")
    assert status.progress_words("support", now=started + 30).endswith("about 2 min left")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_progress_screenshot(qtbot, language: str) -> None:
    translation = install_translation(language)
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        status = ConnectionStatus(window)
        window.statusBar().addWidget(status, 1)
        window.resize(900, 120)
        status.set_accounts({"support": None})
        status.update_status("support", syncing(0))
        started = status._progress_start["support"][0]
        status.statuses["support"] = syncing(12_400)
        status.progress.setValue(12_400)
        status.progress_label.setText(status.progress_words("support", now=started + 10))
        window.show()
        qtbot.waitExposed(window)
        expected = "12,400 / 50,000 件" if language == "ja" else "12,400 of 50,000 messages"
        assert status.progress_label.text().startswith(expected)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SCREENSHOT_DIR / f"sync-progress-{language}.png"))
    finally:
        translation.remove()
