"""The layers below ui/ never import PySide6 (ARCHITECTURE.md: "no PySide6 import, ever").

Each module of those packages is imported in a fresh interpreter where a
meta-path finder refuses PySide6 and shiboken6 and remembers every attempt, so
a module that imports Qt, directly, through another module, or inside
``try/except ImportError``, is named. A static scan adds imports hidden inside
functions, which importing cannot reach.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
QT_FREE = ("core", "store", "imap", "send", "mail", "templates", "services", "cli", "signin")
QT_FREE_PACKAGES = [f"mailwise_desktop.{name}" for name in QT_FREE]
BLOCKED = ("PySide6", "shiboken6")

CHECKER = textwrap.dedent(
    """
    import importlib, importlib.abc, json, pkgutil, sys, traceback

    BLOCKED = ("PySide6", "shiboken6")

    class QtBlocker(importlib.abc.MetaPathFinder):
        def __init__(self):
            self.attempts = []

        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                self.attempts.append(name)
                raise ImportError(f"{name} is blocked in Qt-free layers", name=name)
            return None

    blocker = QtBlocker()
    sys.meta_path.insert(0, blocker)
    report = {"imported": [], "offenders": {}, "failures": {}}

    def check(name):
        blocker.attempts.clear()
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if not blocker.attempts:
                report["failures"][name] = traceback.format_exc()
            module = None
        except BaseException:  # SystemExit too: importing must not run a program
            report["failures"][name] = traceback.format_exc()
            module = None
        if blocker.attempts:
            report["offenders"][name] = sorted(set(blocker.attempts))
        elif module is not None:
            report["imported"].append(name)
        for info in pkgutil.iter_modules(getattr(module, "__path__", []), name + "."):
            # A package's __main__ runs the program when imported; it is no library.
            if not info.name.endswith(".__main__"):
                check(info.name)

    for package in sys.argv[1:]:
        check(package)
    print(json.dumps(report))
    """
)


def qt_import_report(packages: Sequence[str], extra_path: Sequence[Path] = ()) -> dict:
    """Import every module of ``packages`` with Qt blocked, in a subprocess.

    Returns:
        ``imported`` (module names), ``offenders`` (module → Qt modules it tried
        to import) and ``failures`` (module → traceback, for other import errors).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, extra_path), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", CHECKER, *packages],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def static_qt_imports(folder: Path) -> list[str]:
    """``file:line`` of every import of PySide6/shiboken6 written in a folder's sources."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name.partition(".")[0] in BLOCKED for name in names):
                found.append(f"{path.relative_to(folder).as_posix()}:{node.lineno}")
    return found


def test_qt_free_layers_import_without_pyside6() -> None:
    report = qt_import_report(QT_FREE_PACKAGES)
    assert report["offenders"] == {}
    assert report["failures"] == {}, "\n".join(report["failures"].values())
    assert "mailwise_desktop.core.settings" in report["imported"]
    assert "mailwise_desktop.cli.main" in report["imported"]


def test_qt_free_layers_have_no_hidden_qt_imports() -> None:
    for name in QT_FREE:
        assert static_qt_imports(ROOT / "mailwise_desktop" / name) == [], name


@pytest.fixture
def fake_package(tmp_path: Path) -> Path:
    """A package with one clean module, four ways of reaching Qt, and a __main__."""
    root = tmp_path / "fakelayer"
    (root / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "clean.py": "import json\n",
        "uses_qt.py": "from PySide6.QtCore import QObject\n",
        "through_other.py": "from fakelayer import uses_qt\n",
        "guarded.py": "try:\n    import PySide6\nexcept ImportError:\n    PySide6 = None\n",
        "lazy.py": "def later():\n    import shiboken6\n",
        "sub/__init__.py": "",
        "sub/deep.py": "import shiboken6\n",
        "__main__.py": "raise SystemExit(2)\n",
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_checker_names_modules_that_import_qt(fake_package: Path) -> None:
    report = qt_import_report(["fakelayer"], extra_path=[fake_package])
    assert set(report["offenders"]) == {
        "fakelayer.uses_qt",
        "fakelayer.through_other",
        "fakelayer.guarded",
        "fakelayer.sub.deep",
    }
    assert report["offenders"]["fakelayer.sub.deep"] == ["shiboken6"]
    assert {"fakelayer", "fakelayer.clean", "fakelayer.lazy"} <= set(report["imported"])
    assert report["failures"] == {}


def test_static_scan_finds_imports_inside_functions(fake_package: Path) -> None:
    assert static_qt_imports(fake_package / "fakelayer") == [
        "guarded.py:2",
        "lazy.py:2",
        "sub/deep.py:1",
        "uses_qt.py:1",
    ]
