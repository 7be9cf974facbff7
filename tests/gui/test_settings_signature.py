"""Settings ▸ Signature: my own signature is kept; empty means the team's."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.settings_dialog import SettingsDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_my_signature_is_saved_and_an_empty_one_means_the_teams(qtbot, tmp_path: Path) -> None:
    profile = Profile(tmp_path / "p").ensure()
    settings = Settings(profile.settings_file)
    dialog = SettingsDialog(settings, None)
    qtbot.addWidget(dialog)
    assert dialog.signature.toPlainText() == ""
    assert "team's signature" in dialog.signature.placeholderText()
    dialog.signature.setPlainText("佐藤 美咲\nサポート窓口\n")
    dialog.apply()
    assert Settings(profile.settings_file).get("signature") == "佐藤 美咲\nサポート窓口"
    again = SettingsDialog(Settings(profile.settings_file), None)
    qtbot.addWidget(again)
    assert again.signature.toPlainText() == "佐藤 美咲\nサポート窓口"
    again.signature.setPlainText("   ")
    again.apply()
    assert Settings(profile.settings_file).get("signature") == ""
