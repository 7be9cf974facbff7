"""Translations: complete, compiled from what is committed, and applied to the window."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.i18n import (
    format_datetime,
    install_translation,
    locale_for,
    resolve_language,
    translation_file,
)
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "mailwise_ja.ts"
QM = ROOT / "resources" / "i18n" / "mailwise_ja.qm"
SOURCES = [
    ROOT / "mailwise_desktop" / "app.py",
    *sorted((ROOT / "mailwise_desktop/ui").glob("*.py")),
]


def pyside_tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def unfinished(ts: Path) -> list[str]:
    """Source texts of a .ts file without a finished translation."""
    problems = []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source", "")
        translation = message.find("translation")
        if translation is None or translation.get("type") or not (translation.text or "").strip():
            problems.append(source)
    return problems


def test_every_message_has_a_finished_translation() -> None:
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert messages, "the .ts file holds no messages"
    assert unfinished(TS) == []


def test_translations_keep_placeholders_and_mnemonics() -> None:
    for message in ET.parse(TS).getroot().iter("message"):
        source = message.findtext("source", "")
        translation = message.findtext("translation", "")
        assert re.findall(r"%\d", source) == re.findall(r"%\d", translation), source
        # A menu item with an access key in English keeps one in Japanese: (&F).
        assert ("&" in source) == ("&" in translation), source


def test_ts_covers_every_string_in_the_code(tmp_path: Path) -> None:
    """lupdate over today's code adds nothing untranslated to the committed .ts."""
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    subprocess.run(
        [pyside_tool("pyside6-lupdate"), *map(str, SOURCES), "-no-obsolete", "-ts", str(ts)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert unfinished(ts) == []


def test_committed_qm_is_compiled_from_the_committed_ts(tmp_path: Path) -> None:
    qm = tmp_path / QM.name
    subprocess.run(
        [pyside_tool("pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True
    )
    assert qm.read_bytes() == QM.read_bytes(), "run scripts/update_translations.py and commit"


@pytest.mark.parametrize(
    ("choice", "system", "expected"),
    [
        ("ja", "en_US", "ja"),
        ("en", "ja_JP", "en"),
        ("system", "ja_JP", "ja"),
        ("system", "fr_FR", "en"),
        ("bogus", "ja_JP", "ja"),
    ],
)
def test_resolve_language(choice: str, system: str, expected: str) -> None:
    assert resolve_language(choice, QLocale(system)) == expected


def make_window(qtbot, tmp_path: Path) -> MainWindow:
    profile = Profile(tmp_path / "profile").ensure()
    window = MainWindow(profile, Settings(profile.settings_file), app_icon())
    window.persist_state = False
    qtbot.addWidget(window)
    return window


def test_window_in_japanese(qtbot, tmp_path: Path) -> None:
    translation = install_translation("ja")
    try:
        window = make_window(qtbot, tmp_path)
        assert [a.text() for a in window.menuBar().actions()] == [
            "ファイル(&F)",
            "表示(&V)",
            "操作(&A)",
            "ヘルプ(&H)",
        ]
        assert window.empty_state.heading.text() == "共有メールボックスを追加してください"
        assert window.connection_label.text() == "オフライン"
        assert [p.name for p in translation.files] == ["mailwise_ja.qm", "qtbase_ja.qm"]
    finally:
        translation.remove()


def test_window_in_english(qtbot, tmp_path: Path) -> None:
    translation = install_translation("en")
    try:
        window = make_window(qtbot, tmp_path)
        assert window.file_menu.title() == "&File"
        assert window.empty_state.heading.text() == "Add your shared mailbox"
        assert translation.translators == []
    finally:
        translation.remove()


def test_language_switch_retranslates_an_open_window(qtbot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.empty_state.add_button.text() == "Add shared mailbox…"
    translation = install_translation("ja")
    try:
        qtbot.waitUntil(lambda: window.empty_state.add_button.text() == "共有メールボックスを追加…")
        assert window.file_menu.title() == "ファイル(&F)"
    finally:
        translation.remove()
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File")


def test_japanese_translation_file_is_shipped() -> None:
    assert translation_file("ja").is_file()


def test_format_datetime_japanese() -> None:
    dt = datetime(2026, 11, 29, 10, 42)
    assert format_datetime(dt, locale_for("ja")) == "2026/11/29 (日) 10:42"
    assert format_datetime(datetime(2026, 12, 1, 9, 5), locale_for("ja")) == "2026/12/01 (火) 09:05"


def test_format_datetime_english_uses_the_locale_form() -> None:
    text = format_datetime(datetime(2026, 11, 29, 10, 42), locale_for("en"))
    assert text == "11/29/26 10:42\u202fAM" or text == "11/29/26 10:42 AM"


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs POSIX time.tzset")
def test_format_datetime_converts_aware_times_to_local(monkeypatch) -> None:
    # A POSIX TZ string needs no tz database: Japan, UTC+9, no daylight saving.
    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    try:
        aware = datetime(2026, 11, 29, 1, 42, tzinfo=UTC)
        assert format_datetime(aware, locale_for("ja")) == "2026/11/29 (日) 10:42"
    finally:
        monkeypatch.undo()
        time.tzset()
