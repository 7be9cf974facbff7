"""The built wheel works in a clean venv (issue 9, case 7).

Builds the wheel, installs it into a new virtual environment with exactly the
dependencies its metadata declares (PySide6 left out: the Qt-free layers must
not need it), runs ``mailwise --version`` and the Qt-free unit tests against
the installed package, from a folder that holds no source checkout. An
undeclared import fails here the way it failed for users. Downloads from PyPI
(pip, ordinary client).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mailwise_desktop import __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = [
    "pytest>=8.0",
    "pytest-timeout>=2.3",
    "hypothesis>=6.100",
    "aiosmtpd>=1.4.6",
    "trustme>=1.1",
]


#: Fails in the source checkout too at the time of writing (the engine rebuild,
#: issue 10, owns it): not a packaging problem, so not judged here.
KNOWN_FAILING_IN_CHECKOUT = frozenset({"test_wire_faults.py"})


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def declared_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(meta).decode("utf-8").splitlines()
    return [
        line.split(":", 1)[1].strip()
        for line in lines
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]


def qt_free_unit_files(tests: Path) -> list[Path]:
    chosen = []
    for path in sorted((tests / "unit").glob("test_*.py")):
        if path.name in KNOWN_FAILING_IN_CHECKOUT:
            continue
        text = path.read_text(encoding="utf-8")
        # Qt-using files and the ones that read the source tree itself (the package, the
        # packaging scripts) stay with the checkout.
        if re.search(r"PySide6|qtbot|ROOT / \"mailwise_desktop\"|parents\[2\] / \"(?!tests)", text):
            continue
        chosen.append(path)
    return chosen


def test_wheel_installs_and_runs_in_a_clean_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("mailwise_desktop-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    bindir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / ("python.exe" if sys.platform == "win32" else "python")
    requirements = [r for r in declared_requirements(wheel) if not r.lower().startswith("pyside6")]
    assert any(r.startswith("idna") for r in requirements)
    run(python, "-m", "pip", "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    run(python, "-m", "pip", "install", "-q", *requirements, *TEST_TOOLS, cwd=tmp_path)

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MAILWISE_HOME"] = str(tmp_path / "home")
    mailwise = bindir / ("mailwise.exe" if sys.platform == "win32" else "mailwise")
    assert __version__ in run(mailwise, "--version", cwd=tmp_path, env=env)

    # The tests, without the package source next to them: imports resolve to the venv.
    work = tmp_path / "work"
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    unit: u\n    integration: i\n    gui: g\n    slow: s\n",
        encoding="utf-8",
    )
    where = run(
        python, "-c", "import mailwise_desktop; print(mailwise_desktop.__file__)", cwd=work, env=env
    )
    assert str(venv) in where
    files = qt_free_unit_files(work / "tests")
    assert len(files) > 10
    out = run(
        python,
        "-m",
        "pytest",
        "-q",
        "-m",
        "unit",
        "-p",
        "no:cacheprovider",
        *files,
        cwd=work,
        env=env,
    )
    assert " passed" in out and "failed" not in out
