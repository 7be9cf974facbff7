"""The Windows version resource text build.spec hands PyInstaller (packaging/windows)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from mailwise_desktop import __version__

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "version_resource.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("version_resource", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("2", (2, 0, 0, 0)),
     ("1.2.3.4.5", (1, 2, 3, 4)), ("10.0.1.dev3", (10, 0, 1, 0))],
)  # fmt: skip
def test_version_numbers_windows_keeps(version: str, numbers: tuple[int, ...]) -> None:
    assert load().version_tuple(version) == numbers


@pytest.mark.parametrize("version", ["", "v1.0", "1.70000"])
def test_a_version_windows_cannot_hold_is_refused(version: str) -> None:
    with pytest.raises(ValueError):
        load().version_tuple(version)


def test_the_version_file_names_the_program_and_its_version() -> None:
    text = load().version_file_text(
        __version__, exe_name="mailwise-desktop", description="Mailwise shared mailbox"
    )
    # The file is a Python expression PyInstaller evaluates: it must parse.
    tree = ast.parse(text, mode="eval")
    strings = {
        node.args[0].value: node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "StringStruct"
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[1], ast.Constant)
    }
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "mailwise-desktop.exe"
    assert strings["FileDescription"] == "Mailwise shared mailbox"
    numbers = str(load().version_tuple(__version__))
    assert f"filevers={numbers}" in text and f"prodvers={numbers}" in text
