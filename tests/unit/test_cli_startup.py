"""The CLI starts at once: ``--version``/``--help`` import nothing heavy, commands load lazily."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from mailwise_desktop.cli import main as cli_main

HEAVY = ("sqlalchemy", "PySide6", "imapclient", "jinja2", "keyring")

_PROBE = """
import io, json, sys, contextlib
from mailwise_desktop.cli.main import main
out, err = io.StringIO(), io.StringIO()
code = None
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
sys.__stdout__.write(json.dumps({
    "code": code, "out": out.getvalue(), "err": err.getvalue(),
    "modules": sorted(sys.modules),
}))
"""


def _run(*argv: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _heavy_loaded(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if m.split(".")[0] in HEAVY]


def test_version_imports_nothing_heavy() -> None:
    result = _run("--version")
    assert result["code"] == 0
    assert "mailwise 0.1.0" in str(result["out"])
    assert _heavy_loaded(result["modules"]) == []
    assert not any(
        str(m).startswith("mailwise_desktop.cli.") and m.endswith("_commands")
        for m in result["modules"]
    )  # type: ignore[union-attr]


@pytest.mark.parametrize("argv", [("--help",), ()])
def test_help_lists_every_command_without_importing_them(argv: tuple[str, ...]) -> None:
    result = _run(*argv)
    text = str(result["out"]) + str(result["err"])
    for name in cli_main.COMMANDS:
        assert name in text
    assert _heavy_loaded(result["modules"]) == []


def test_a_command_imports_only_its_own_module() -> None:
    result = _run("search", "--help")
    assert result["code"] == 0
    assert "--limit" in str(result["out"])  # the real subparser, not the placeholder
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "mailwise_desktop.cli.cache_commands" in modules
    assert "mailwise_desktop.cli.mailbox_commands" not in modules
    assert "mailwise_desktop.cli.send_commands" not in modules
    assert "mailwise_desktop.cli.approval_commands" not in modules


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {a.dest: a.help for a in sub._choices_actions}


def test_command_table_matches_what_the_modules_register() -> None:
    registered = _subcommands(cli_main.build_full_parser())
    assert registered == {name: text for name, (_m, text) in cli_main.COMMANDS.items()}
    for name, (module, _text) in cli_main.COMMANDS.items():
        assert name in _subcommands(cli_main.build_parser(name)), module


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["--account", "sync", "list"], "list"),  # an account may be named like a command
        (["-v", "search", "x"], "search"),
        (["--account=a", "claim", "3"], "claim"),
        (["--version"], None),
        ([], None),
    ],
)
def test_command_word_found_after_top_level_options(argv: list[str], command: str | None) -> None:
    assert cli_main.command_in(argv) == command


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        cli_main.main(["sinc"])
    assert exc.value.code == 2
