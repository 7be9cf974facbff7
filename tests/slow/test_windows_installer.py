"""The Windows installer, run silently under Wine: install, upgrade in place, uninstall.

Needs what ``make installer-windows`` builds (``dist/windows/Mailwise`` and
``dist/Mailwise-Setup-<version>.exe``, PyInstaller and NSIS under Wine) and is
run by ``make test-installer-windows`` (its own step in .ci/run, which sets
``MAILWISE_INSTALLER_TEST``); in the ordinary suite it is skipped with that reason.

Each run gets a fresh Wine prefix (a clean "Windows user"); Qt's variables go to
that user's environment (HKCU\\Environment), the way Windows passes them, since
Wine does not forward ``QT_*`` from Linux (WINDOWS.md).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mailwise_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging" / "windows"))
sys.path.insert(0, str(ROOT / "scripts"))

import build_installer  # noqa: E402
import windows_lane  # noqa: E402

OLD_VERSION = "0.0.9"
STALE = "stale-module-of-0.0.9.txt"
UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Mailwise"
PE_SUBSYSTEM_GUI, PE_SUBSYSTEM_CONSOLE = 2, 3

# Set by `make test-installer-windows`: there a missing installer fails the test.
ENABLE_ENV = "MAILWISE_INSTALLER_TEST"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(
        not os.environ.get(ENABLE_ENV),
        reason="runs in its own step after make installer-windows: make test-installer-windows",
    ),
]

# Run by the lane's python.exe: the version resource and icon Windows reads from an .exe.
VERSION_PROBE = r"""
import ctypes, json, sys
from ctypes import wintypes
version = ctypes.windll.version
shell = ctypes.windll.shell32
found = {}
for path in sys.argv[1:]:
    size = version.GetFileVersionInfoSizeW(path, None)
    data = ctypes.create_string_buffer(size)
    strings = {}
    if size and version.GetFileVersionInfoW(path, 0, size, data):
        for key in ("FileVersion", "ProductVersion", "FileDescription", "ProductName",
                    "OriginalFilename"):
            pointer, length = ctypes.c_void_p(), wintypes.UINT()
            query = "\\StringFileInfo\\040904B0\\" + key
            if version.VerQueryValueW(data, query, ctypes.byref(pointer), ctypes.byref(length)):
                strings[key] = ctypes.wstring_at(pointer.value, length.value).rstrip("\0")
    icons = shell.ExtractIconExW(path, -1, None, None, 0)
    found[path] = {"strings": strings, "icons": icons}
print(json.dumps(found))
"""


@dataclass
class WindowsUser:
    """A fresh Wine prefix and the folders of its one user."""

    prefix: Path
    env: dict[str, str]

    @property
    def home(self) -> Path:
        users = [p for p in (self.prefix / "drive_c" / "users").iterdir() if p.name != "Public"]
        assert len(users) == 1, users
        return users[0]

    @property
    def programs(self) -> Path:
        return self.home / "AppData" / "Local" / "Programs" / "Mailwise"

    @property
    def data(self) -> Path:
        return self.home / "AppData" / "Roaming" / "Mailwise"

    @property
    def shortcut(self) -> Path:
        return self.home / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Mailwise.lnk"

    def wine(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a Windows program and wait for every process of the prefix to end.

        The uninstaller copies itself to %TEMP% and returns at once; waiting for
        the wineserver is waiting for it. Own pipes: a Windows child that
        inherits pytest's handles fails to start under Wine (WinError 1359).
        """
        done = subprocess.run(
            [windows_lane.WINE, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env=self.env,
            timeout=timeout,
            check=False,
        )
        subprocess.run(
            [str(Path(windows_lane.WINE).with_name("wineserver")), "-w"],
            env=self.env,
            timeout=timeout,
            check=False,
        )
        return done

    def registry(self, name: str) -> str | None:
        done = self.wine("reg", "query", UNINSTALL_KEY, "/v", name)
        for line in done.stdout.splitlines():
            parts = line.split(None, 2)
            if parts and parts[0] == name and len(parts) == 3:
                return parts[2].strip()
        return None


def pe_subsystem(exe: Path) -> int:
    """IMAGE_OPTIONAL_HEADER.Subsystem: 2 windowed (no console), 3 console."""
    data = exe.read_bytes()[:4096]
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe : pe + 4] == b"PE\0\0"
    return int(struct.unpack_from("<H", data, pe + 24 + 68)[0])


@pytest.fixture(scope="module")
def new_setup() -> Path:
    setup = build_installer.setup_path(__version__)
    assert setup.exists(), "make installer-windows builds it"
    return setup


@pytest.fixture(scope="module")
def old_setup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same programs packed as version 0.0.9, with a file the new version lacks."""
    base = tmp_path_factory.mktemp("old-setup")
    folder = base / "Mailwise"
    shutil.copytree(build_installer.FOLDER, folder, copy_function=os.link)
    (folder / "_internal" / STALE).write_text("from 0.0.9\n", encoding="utf-8")
    # zlib: this throwaway build need not be small, only quick.
    return build_installer.build_setup(
        folder, OLD_VERSION, base / f"Mailwise-Setup-{OLD_VERSION}.exe", compressor="zlib"
    )


@pytest.fixture
def windows_user(tmp_path: Path) -> Iterator[WindowsUser]:
    env = {**windows_lane.lane_env(), "WINEPREFIX": str(tmp_path / "prefix")}
    env["WINEDLLOVERRIDES"] = "mscoree,mshtml,winemenubuilder.exe="  # no menus on the host
    env.pop("MAILWISE_HOME", None)  # the programs use the real per-user data folder
    user = WindowsUser(tmp_path / "prefix", env)
    user.wine("wineboot", "--init")
    fonts = windows_lane.LANE / "fonts"
    for name, value in (
        ("QT_QPA_PLATFORM", "offscreen"),
        ("QT_QPA_FONTDIR", windows_lane.windows_path(fonts)),
    ):
        user.wine("reg", "add", r"HKCU\Environment", "/v", name, "/d", value, "/f")
    yield user
    subprocess.run(
        [str(Path(windows_lane.WINE).with_name("wineserver")), "-k"], env=env, check=False
    )


def test_install_upgrade_and_uninstall_keep_the_users_data(
    windows_user: WindowsUser, old_setup: Path, new_setup: Path
) -> None:
    user = windows_user
    # 1. The older version, silently, without administrator rights.
    assert user.wine(str(old_setup), "/S").returncode == 0
    assert (user.programs / "_internal" / STALE).is_file()
    assert user.registry("DisplayVersion") == OLD_VERSION
    # What a user's profile holds by now.
    user.data.mkdir(parents=True)
    (user.data / "settings.json").write_text('{"me": "sato"}', encoding="utf-8")
    (user.data / "drafts").mkdir()
    (user.data / "drafts" / "1.eml").write_bytes(b"Subject: draft\r\n\r\nkept\r\n")

    # 2. The new version over it: same folder, its files replaced, data untouched.
    assert user.wine(str(new_setup), "/S").returncode == 0
    assert user.registry("DisplayVersion") == __version__
    assert user.registry(
        "InstallLocation",
    ).endswith(r"AppData\Local\Programs\Mailwise")
    assert not (user.programs / "_internal" / STALE).exists()
    for name in ("mailwise-desktop.exe", "mailwise.exe", "uninstall.exe"):
        assert (user.programs / name).is_file(), name
    assert (user.data / "drafts" / "1.eml").read_bytes().endswith(b"kept\r\n")
    link = user.shortcut.read_bytes()
    assert "mailwise-desktop.exe".encode("utf-16-le") in link or b"mailwise-desktop.exe" in link

    # 3. The installed programs run.
    version = user.wine(str(user.programs / "mailwise.exe"), "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"mailwise {__version__}"
    self_test = user.wine(str(user.programs / "mailwise-desktop.exe"), "--self-test")
    assert self_test.returncode == 0, self_test.stdout + self_test.stderr
    # It used the per-user data folder the uninstaller knows (%APPDATA%\Mailwise).
    assert (user.data / "settings.json").read_text(encoding="utf-8") == '{"me": "sato"}'

    # 4. Windowed GUI, console CLI, each with the icon and the version resource.
    assert pe_subsystem(user.programs / "mailwise-desktop.exe") == PE_SUBSYSTEM_GUI
    assert pe_subsystem(user.programs / "mailwise.exe") == PE_SUBSYSTEM_CONSOLE
    exes = [
        windows_lane.windows_path(user.programs / n)
        for n in ("mailwise-desktop.exe", "mailwise.exe")
    ]
    probe = user.wine(str(windows_lane.PY / "python.exe"), "-c", VERSION_PROBE, *exes)
    assert probe.returncode == 0, probe.stderr
    resources = json.loads(probe.stdout.strip().splitlines()[-1])
    for exe, name in zip(exes, ("mailwise-desktop.exe", "mailwise.exe"), strict=True):
        assert resources[exe]["icons"] >= 1, exe
        strings = resources[exe]["strings"]
        assert strings["FileVersion"] == __version__ and strings["ProductVersion"] == __version__
        assert strings["ProductName"] == "Mailwise" and strings["OriginalFilename"] == name

    # 5. Uninstall silently: program files, shortcut and entry gone, data kept.
    assert user.wine(str(user.programs / "uninstall.exe"), "/S").returncode == 0
    assert not user.programs.exists()
    assert not user.shortcut.exists()
    assert user.registry("DisplayVersion") is None
    assert (user.data / "drafts" / "1.eml").is_file()

    # 6. Asked to, the uninstaller removes the data too.
    assert user.wine(str(new_setup), "/S").returncode == 0
    assert user.wine(str(user.programs / "uninstall.exe"), "/S", "/REMOVEDATA").returncode == 0
    assert not user.programs.exists()
    assert not user.data.exists()
