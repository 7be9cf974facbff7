"""The report window: figures and bars from a report, ja/en screenshots, CSV export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailwise_desktop.core.report import Report, compute
from mailwise_desktop.ui.report_window import ReportWindow
from tests.gui.ui_language import install_translation
from tests.unit.test_report import seeded

pytestmark = [pytest.mark.gui]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))
DAY = 86400.0


def report(_since: float) -> Report:
    messages, events = seeded()
    return compute(
        messages, events, 0.0, 10 * DAY, day_of=lambda t: f"2026-12-{int(t // DAY) + 1:02d}"
    )


@pytest.mark.parametrize(("language", "title"), [("ja", "レポート"), ("en", "Reports")])
def test_report_window(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, title: str
) -> None:
    translation = install_translation(language)
    try:
        window = ReportWindow(report)
        qtbot.addWidget(window)
        window.refresh()
        window.show()
        qtbot.waitExposed(window)
        assert window.windowTitle() == title
        assert window.values["received"].text() == "5"
        assert window.values["handled"].text() == "2"
        assert window.values["first"].text() == "3.5 h / 5.0 h  (2)"
        assert window.daily.categories == ["12-02", "12-03", "12-04", "12-05", "12-10"]
        assert window.backlog.series[0][1] == [1, 0, 0, 3]
        qtbot.wait(100)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SCREENSHOT_DIR / f"report-{language}.png"))
        target = tmp_path / "r.csv"
        monkeypatch.setattr(
            "mailwise_desktop.ui.report_window.QFileDialog.getSaveFileName",
            lambda *a, **k: (str(target), ""),
        )
        assert window.export_csv() == target
        assert target.read_bytes().startswith(b"\xef\xbb\xbf")
        assert "total,received,5" in target.read_text(encoding="utf-8-sig")
    finally:
        translation.remove()
