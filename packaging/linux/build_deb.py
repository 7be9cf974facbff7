"""Build ``dist/mailwise_<version>_<arch>.deb`` from the PyInstaller folder (``make deb``).

Layout: the one-folder bundle under ``/opt/mailwise``; ``/usr/bin/mailwise`` and
``/usr/bin/mailwise-desktop`` are symlinks into it; the desktop entry and icons
under ``/usr/share``. Depends lists the system libraries Qt's X11/Wayland
platform plugins and QtGui load that the bundle does not carry.

    python packaging/linux/build_deb.py [BUNDLE [OUT_DIR]]   (defaults dist/Mailwise, dist)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "mailwise"
PREFIX = Path("opt/mailwise")
# QtGui/QtWidgets (GL, fonts, D-Bus), and the xcb platform plugin's own libraries.
DEPENDS = [
    "libc6 (>= 2.31)",
    "libegl1",
    "libgl1",
    "libglib2.0-0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libx11-6",
    "libx11-xcb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
]
RECOMMENDS = ["fonts-noto-cjk", "gnome-keyring | kwalletmanager"]


def version() -> str:
    text = (ROOT / "mailwise_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert match
    return match.group(1)


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def installed_size_kib(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024 + 1


def build(bundle: Path, out_dir: Path) -> Path:
    if not (bundle / "mailwise").is_file() or not (bundle / "mailwise-desktop").is_file():
        raise SystemExit(f"{bundle} holds no PyInstaller build: run `make package` first")
    ver, arch = version(), architecture()
    stage = ROOT / "build" / "deb" / f"{PACKAGE}_{ver}_{arch}"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / PREFIX, symlinks=True)
    # The copies beside the executables are for a user without a package; the
    # package puts them where desktops look.
    for loose in ("mailwise.desktop", "mailwise.png"):
        (stage / PREFIX / loose).unlink(missing_ok=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for program in ("mailwise", "mailwise-desktop"):
        (bin_dir / program).symlink_to(f"/{PREFIX}/{program}")
    share = stage / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(
        ROOT / "resources" / "mailwise.desktop", share / "applications" / "mailwise.desktop"
    )
    icons = ROOT / "resources" / "icons"
    for size_dir, source in (("256x256", "mailwise.png"), ("scalable", "mailwise.svg")):
        target = share / "icons" / "hicolor" / size_dir / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / source, target / source)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Mailwise Desktop\nCopyright: the Mailwise team\nLicense: proprietary\n", encoding="utf-8"
    )
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {PACKAGE}\n"
        f"Version: {ver}\n"
        f"Architecture: {arch}\n"
        "Maintainer: Mailwise team <support@mailwise.jp>\n"
        f"Installed-Size: {installed_size_kib(stage)}\n"
        f"Depends: {', '.join(DEPENDS)}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: mail\n"
        "Priority: optional\n"
        "Homepage: https://mailwise.jp/\n"
        "Description: shared-mailbox client for support teams\n"
        " Handle a team's shared IMAP mailbox together: who handles which message,\n"
        " stored on your own mail server. Japanese and English. Includes the\n"
        " mailwise command-line tool.\n",
        encoding="utf-8",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{ver}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(stage), str(deb)], check=True
    )
    return deb


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "Mailwise"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "dist"
    print(build(folder, out))
