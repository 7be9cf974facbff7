"""Below the front ends nothing says a CLI command: services return cases, each front end words them.

Every string constant of core/, store/, imap/, send/, mail/, templates/ and
services/ (docstrings aside) is checked for a ``mailwise <command>`` or a
``--option``: those words belong in cli/ (cli/error_words.py for errors).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[2] / "mailwise_desktop"
BELOW = ("core", "store", "imap", "send", "mail", "templates", "services")
CLI_WORDS = re.compile(r"\bmailwise [a-z]{2,}\b|(?<![\w-])--[a-z][a-z-]+")


def docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def cli_words_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and CLI_WORDS.search(node.value)
    ]


def test_no_cli_words_below_the_front_ends() -> None:
    found = {
        path.relative_to(PACKAGE).as_posix(): words
        for layer in BELOW
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        if (words := cli_words_in(path))
    }
    assert found == {}


def test_the_check_finds_cli_words(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text('"""Doc: mailwise me ID."""\nX = "Say who you are: mailwise me ID"\n')
    assert cli_words_in(sample) == ["Say who you are: mailwise me ID"]
