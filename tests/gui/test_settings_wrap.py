"""Settings ▸ line wrapping of sent text: saved as ``wrap_columns``, 0 = off, ja and en."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.settings_dialog import SettingsDialog
from tests.gui.ui_language import install_translation

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


def test_wrap_width_is_saved_and_zero_turns_it_off(qtbot, tmp_path: Path) -> None:
    profile = Profile(tmp_path / "p").ensure()
    dialog = SettingsDialog(Settings(profile.settings_file), None)
    qtbot.addWidget(dialog)
    assert dialog.wrap_columns.value() == 72  # the declared default
    dialog.wrap_columns.setValue(60)
    dialog.apply()
    assert Settings(profile.settings_file).get("wrap_columns") == 60
    again = SettingsDialog(Settings(profile.settings_file), None)
    qtbot.addWidget(again)
    assert again.wrap_columns.value() == 60
    again.wrap_columns.setValue(0)
    assert again.wrap_columns.text() == "Off (lines as typed)"
    again.apply()
    assert Settings(profile.settings_file).get("wrap_columns") == 0


@pytest.mark.parametrize(
    ("language", "label", "suffix"),
    [("ja", "送信時の折り返し:", " 桁"), ("en", "Wrap sent text at:", " columns")],
)
def test_settings_with_wrapping_screenshot(
    qtbot, tmp_path: Path, language: str, label: str, suffix: str
) -> None:
    translation = install_translation(language)
    try:
        dialog = SettingsDialog(Settings(Profile(tmp_path / "p").ensure().settings_file), None)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.wrap_label.text() == label
        assert dialog.wrap_columns.text() == f"72{suffix}"
        # The hint wraps inside the dialog instead of widening or clipping it.
        assert dialog.wrap_hint.geometry().right() <= dialog.width()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(SCREENSHOT_DIR / f"settings-wrap-{language}.png"))
    finally:
        translation.remove()
