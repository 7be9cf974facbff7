"""The PyInstaller bundle: built from build.spec, both executables run frozen.

Builds once per session into temporary dist/work folders (about a minute on
2 cores), then runs the frozen ``mailwise --version`` and
``mailwise-desktop --self-test`` offscreen with a throwaway profile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailwise_desktop import __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def frozen_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["MAILWISE_HOME"] = str(tmp_path / "home")
    # The frozen app must not lean on the developer's environment.
    for name in ("PYTHONPATH", "PYTHONHOME", "QT_PLUGIN_PATH"):
        env.pop(name, None)
    return env


def run(bundle: Path, program: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bundle / f"{program}{EXE_SUFFIX}"), *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=bundle.parent,
    )


def test_bundle_holds_both_programs_and_the_resources(bundle: Path) -> None:
    assert (bundle / f"mailwise{EXE_SUFFIX}").is_file()
    assert (bundle / f"mailwise-desktop{EXE_SUFFIX}").is_file()
    resources = bundle / "_internal" / "mailwise_desktop" / "resources"
    for name in (
        "icons/mailwise.svg",
        "icons/mailwise.png",
        "i18n/mailwise_ja.qm",
        "mailwise.desktop",
    ):
        assert (resources / name).is_file(), name
    if sys.platform.startswith("linux"):
        assert (bundle / "mailwise.desktop").is_file()


def test_bundle_leaves_out_heavy_qt_modules(bundle: Path) -> None:
    names = [path.name for path in (bundle / "_internal").rglob("*")]
    for heavy in ("Qt6WebEngine", "Qt6Quick", "Qt6Qml", "Qt63D", "Qt6Multimedia", "Qt6Pdf"):
        assert not [name for name in names if heavy in name], heavy
    translations = [name for name in names if name.startswith("qtbase_")]
    assert sorted(translations) == ["qtbase_en.qm", "qtbase_ja.qm"]


def test_frozen_cli_version(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle, "mailwise", "--version", env=frozen_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_frozen_gui_self_test(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle, "mailwise-desktop", "--self-test", env=frozen_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout


def test_frozen_gui_finds_both_japanese_translations(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle, "mailwise-desktop", "--self-test", "--lang", "ja", env=frozen_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "translations: mailwise_ja.qm, qtbase_ja.qm" in done.stdout


def test_frozen_gui_version(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle, "mailwise-desktop", "--version", env=frozen_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout
