"""``mailwise_desktop.app.main``: --version, --self-test, --screenshot, --lang."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from mailwise_desktop import __version__
from mailwise_desktop.app import main
from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.window_state import DEFAULT_SIZE

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def home(mailwise_home: Path) -> Path:
    """The per-test $MAILWISE_HOME of tests/conftest.py (not created yet)."""
    return mailwise_home


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_language_is_a_usage_error(qapp) -> None:
    assert main(["--lang", "xx"]) == ExitCode.USAGE


def test_self_test_passes_and_leaves_settings_alone(qapp, home: Path, capsys) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert "self-test passed" in out
    assert str(home) in out
    assert not (home / "settings.json").exists(), "a diagnostic run must not write settings"


def test_lang_option_overrides_the_setting(qapp, home: Path, capsys) -> None:
    home.mkdir()
    settings = Settings(home / "settings.json")
    settings.set("language", "en")
    settings.save()
    assert main(["--self-test", "--lang", "ja"]) == 0
    assert "language: ja; translations: mailwise_ja.qm" in capsys.readouterr().out


def test_language_setting_is_used(qapp, home: Path, capsys) -> None:
    home.mkdir()
    settings = Settings(home / "settings.json")
    settings.set("language", "ja")
    settings.save()
    assert main(["--self-test"]) == 0
    assert "language: ja;" in capsys.readouterr().out


def test_unreadable_settings_fail_with_a_message(qapp, home: Path, capsys) -> None:
    home.mkdir()
    (home / "settings.json").write_text("{not json", encoding="utf-8")
    assert main(["--self-test"]) == ExitCode.STORAGE
    assert "settings file" in capsys.readouterr().err


def test_screenshot_writes_a_png_of_the_window(qapp, home: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    assert main(["--screenshot", str(shot), "--lang", "ja"]) == 0
    image = QImage(str(shot))
    assert not image.isNull()
    dpr = image.devicePixelRatio()
    assert (image.width() / dpr, image.height() / dpr) == DEFAULT_SIZE
    assert shot.stat().st_size > 5_000, "a real window has text and an icon, not a blank"


def test_screenshot_to_an_unwritable_place_fails(qapp, home: Path, tmp_path: Path) -> None:
    assert main(["--screenshot", str(tmp_path / "missing-dir" / "shot.png")]) == 1
