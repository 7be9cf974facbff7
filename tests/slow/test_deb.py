"""The .deb: built from the PyInstaller folder, installed with dpkg, run from PATH, removed.

Installs a system package, so it needs root and Debian's dpkg (CI's machine is
both); elsewhere it is skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mailwise_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None,
        reason="a Debian package needs dpkg (Debian/Ubuntu)",
    ),
    pytest.mark.skipif(
        sys.platform.startswith("linux") and os.geteuid() != 0,
        reason="installs a system package: needs root (CI runs as root)",
    ),
]
INSTALLED = [
    Path("/opt/mailwise/mailwise"),
    Path("/opt/mailwise/mailwise-desktop"),
    Path("/usr/bin/mailwise"),
    Path("/usr/bin/mailwise-desktop"),
    Path("/usr/share/applications/mailwise.desktop"),
    Path("/usr/share/icons/hicolor/256x256/apps/mailwise.png"),
    Path("/usr/share/icons/hicolor/scalable/apps/mailwise.svg"),
]


def sh(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env, check=False)


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    built = sh(
        sys.executable, str(ROOT / "packaging" / "linux" / "build_deb.py"), str(bundle), str(out)
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return Path(built.stdout.strip().splitlines()[-1])


def test_deb_metadata_and_layout(deb: Path) -> None:
    fields = sh("dpkg-deb", "-f", str(deb), "Package", "Version", "Depends").stdout
    assert "Package: mailwise" in fields
    assert f"Version: {__version__}" in fields
    assert "libxcb-cursor0" in fields and "libegl1" in fields
    listing = sh("dpkg-deb", "-c", str(deb)).stdout
    assert "./usr/bin/mailwise -> /opt/mailwise/mailwise" in listing
    assert "./usr/bin/mailwise-desktop -> /opt/mailwise/mailwise-desktop" in listing
    assert "./usr/share/applications/mailwise.desktop" in listing
    assert " root/root " in listing


def test_install_run_from_path_and_remove(deb: Path, tmp_path: Path) -> None:
    if sh("dpkg-query", "-W", "mailwise").returncode == 0:
        pytest.skip("a mailwise package is already installed here; not touching it")
    installed = sh("dpkg", "-i", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    try:
        for path in INSTALLED:
            assert path.exists(), path
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "MAILWISE_HOME": str(tmp_path / "profile"),
            "QT_QPA_PLATFORM": "offscreen",
            "LANG": "C.UTF-8",
        }
        cli = sh("mailwise", "--version", env=env)
        assert cli.returncode == 0 and __version__ in cli.stdout, cli.stderr
        gui = sh("mailwise-desktop", "--version", env=env)
        assert gui.returncode == 0 and __version__ in gui.stdout, gui.stderr
        test = sh("mailwise-desktop", "--self-test", env=env)
        assert test.returncode == 0, test.stdout + test.stderr
        assert "self-test passed" in test.stdout
    finally:
        removed = sh("dpkg", "-r", "mailwise")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert sh("dpkg-query", "-W", "-f=${Status}", "mailwise").stdout.find("ok installed") < 0
    for path in INSTALLED:
        assert not path.exists() and not path.is_symlink(), path
    assert not Path("/opt/mailwise").exists()
    assert (tmp_path / "profile").is_dir()  # the user's data is theirs
