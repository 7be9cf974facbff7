"""Build the Windows installer on this Linux machine: ``make installer-windows``.

1. PyInstaller, as a Windows program: the Windows test lane's python.exe under
   Wine (scripts/windows_lane.py; PyInstaller's wheels in build/windows/build-site)
   runs build.spec, so ``dist/windows/Mailwise/`` holds ``mailwise-desktop.exe``
   (no console, icon, version resource), ``mailwise.exe`` and ``_internal/``.
2. NSIS (``makensis`` runs natively on Linux) packs that folder with
   packaging/windows/installer.nsi into ``dist/Mailwise-Setup-<version>.exe``.

    python packaging/windows/build_installer.py                 both steps
    python packaging/windows/build_installer.py --nsis-only     step 2 on an existing folder

The lane pins PySide6 6.8 (6.9 needs an ICU Wine 8 lacks, WINDOWS.md): this
installer carries 6.8. release.yml builds the published one on windows-latest.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import windows_lane  # noqa: E402  (scripts/ is not a package)

DIST = ROOT / "dist"
FOLDER = DIST / "windows" / "Mailwise"
NSI = ROOT / "packaging" / "windows" / "installer.nsi"
PROGRAMS = ("mailwise-desktop.exe", "mailwise.exe")


def app_version() -> str:
    text = (ROOT / "mailwise_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if match is None:
        raise SystemExit("no __version__ in mailwise_desktop/__init__.py")
    return match.group(1)


def setup_path(version: str) -> Path:
    return DIST / f"Mailwise-Setup-{version}.exe"


def freeze() -> Path:
    """PyInstaller (under Wine, or natively on Windows); returns the one-folder bundle."""
    if sys.platform == "win32":  # release.yml on windows-latest
        shutil.rmtree(FOLDER, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
             "--distpath", str(FOLDER.parent), "--workpath", str(ROOT / "build" / "pyinstaller"),
             str(ROOT / "build.spec")],
            check=True,
        )  # fmt: skip
        return FOLDER
    windows_lane.prepare()
    windows_lane.prepare_build()
    shutil.rmtree(FOLDER, ignore_errors=True)
    status = windows_lane.run(
        [
            "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", windows_lane.windows_path(FOLDER.parent),
            "--workpath", windows_lane.windows_path(windows_lane.LANE / "pyinstaller"),
            windows_lane.windows_path(ROOT / "build.spec"),
        ],
        {"PYTHONPATH": windows_lane.windows_path(windows_lane.BUILD_SITE)},
    )  # fmt: skip
    missing = [name for name in PROGRAMS if not (FOLDER / name).is_file()]
    if status != 0 or missing:
        raise SystemExit(f"PyInstaller under Wine failed (exit {status}; missing {missing})")
    return FOLDER


def makensis() -> str:
    found = shutil.which("makensis")
    if found is None and sys.platform == "win32":
        default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
        if (default / "NSIS" / "makensis.exe").exists():
            found = str(default / "NSIS" / "makensis.exe")
    if found is None and sys.platform != "win32":
        windows_lane.install_apt_packages(["nsis"])
        found = shutil.which("makensis")
    if found is None:
        raise SystemExit("makensis is missing: apt-get install nsis")
    return found


def build_setup(folder: Path, version: str, out: Path, *, compressor: str | None = None) -> Path:
    """``makensis`` over a PyInstaller folder: the per-user installer ``out``.

    Args:
        folder: the PyInstaller one-folder bundle (``mailwise-desktop.exe`` ...).
        version: shown by the installer and the "Apps" entry.
        out: the installer to write.
        compressor: NSIS compressor instead of the script's solid LZMA (tests: zlib).
    """
    for name in PROGRAMS:
        if not (folder / name).is_file():
            raise SystemExit(f"{folder / name} is missing: build the folder first")
    out.parent.mkdir(parents=True, exist_ok=True)
    numbers = ".".join(str(n) for n in _version_numbers(version))
    subprocess.run(
        [
            makensis(), "-V2", "-INPUTCHARSET", "UTF8",
            *([f"-XSetCompressor /FINAL {compressor}"] if compressor else []),
            f"-DVERSION={version}", f"-DVERSION_NUMBERS={numbers}",
            f"-DSOURCE={folder}", f"-DOUTFILE={out}",
            f"-DICON={ROOT / 'resources' / 'icons' / 'mailwise.ico'}",
            str(NSI),
        ],
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    return out


def _version_numbers(version: str) -> tuple[int, int, int, int]:
    sys.path.insert(0, str(ROOT / "packaging" / "windows"))
    from version_resource import version_tuple

    return version_tuple(version)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nsis-only", action="store_true", help="skip PyInstaller")
    args = parser.parse_args(argv)
    folder = FOLDER if args.nsis_only else freeze()
    version = app_version()
    out = build_setup(folder, version, setup_path(version))
    print(f"Built {out.relative_to(ROOT)} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
