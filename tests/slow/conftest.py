"""Fixtures of the slow tests: one PyInstaller build per session, shared by the bundle and .deb tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 600


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/Mailwise built from build.spec into a temp folder."""
    pytest.importorskip("PyInstaller")
    base = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = [sys.executable, "-m", "PyInstaller"]
    paths = ["--distpath", str(base / "dist"), "--workpath", str(base / "work")]
    done = subprocess.run(
        [*pyinstaller, "--noconfirm", "--clean", "--log-level", "WARN", *paths, "build.spec"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    return base / "dist" / "Mailwise"
