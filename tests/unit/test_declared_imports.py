"""Every third-party import of the package is declared in pyproject (issue 9, case 7)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def imported_top_level_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "mailwise_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"mailwise_desktop", "__future__"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_third_party_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        _normal(re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0]) for d in project["dependencies"]
    }
    # PySide6-Essentials installs the PySide6 and shiboken6 modules.
    declared |= {"pyside6"} if "pyside6-essentials" in declared else set()
    owners = packages_distributions()
    missing = {}
    for name in sorted(imported_top_level_names()):
        dists = {_normal(d) for d in owners.get(name, [name])}
        if not dists & declared:
            missing[name] = sorted(dists)
    assert missing == {}, f"imported but not declared in pyproject dependencies: {missing}"


def test_every_subpackage_goes_into_the_wheel() -> None:
    """pyproject lists packages by hand: a new folder left out is missing from every install."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "mailwise_desktop").rglob("__init__.py")
    }
    assert found - listed == set()
