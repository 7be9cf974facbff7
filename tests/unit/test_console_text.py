"""Text to a pipe whose encoding lacks Japanese and emoji (Windows' cp1252, cp932).

Each case runs a child Python with ``PYTHONIOENCODING=cp1252``, which is what a
Windows pipe gets from the ANSI code page: printing must not raise, and JSON for
scripts must arrive as UTF-8.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NAME = "佐藤 🙂"


def run_child(code: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, timeout=60, check=False
    )


def test_the_pipe_really_cannot_show_the_name() -> None:
    """Control: without the fix this child fails, so the cases below prove something."""
    done = run_child(f"print({NAME!r})")
    assert done.returncode != 0
    assert b"UnicodeEncodeError" in done.stderr


def test_people_lines_replace_what_the_pipe_cannot_show() -> None:
    code = (
        "import sys\n"
        "from mailwise_desktop.core.console import make_console_safe\n"
        "make_console_safe()\n"
        f"print('sato: ' + {NAME!r})\n"
        f"print('warning: ' + {NAME!r}, file=sys.stderr)\n"
    )
    done = run_child(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [b"sato: ?? ?"]
    assert done.stderr.splitlines() == [b"warning: ?? ?"]


def test_json_is_utf8_whatever_the_pipe_and_keeps_order_with_lines() -> None:
    code = (
        "from mailwise_desktop.core.console import make_console_safe\n"
        "from mailwise_desktop.cli.output import dump\n"
        "make_console_safe()\n"
        "print('before')\n"
        f"dump({{'name': {NAME!r}}})\n"
    )
    done = run_child(code)
    assert done.returncode == 0, done.stderr
    first, rest = done.stdout.split(b"\n", 1)
    assert first.rstrip(b"\r") == b"before"  # text mode writes CRLF on Windows
    assert json.loads(rest.decode("utf-8")) == {"name": NAME}


def test_stdin_from_a_file_or_the_null_device_is_not_a_person(tmp_path) -> None:
    """On Windows isatty() is True for NUL; a question must not be asked there."""
    import io
    import os

    from mailwise_desktop.core.console import stdin_is_terminal

    assert stdin_is_terminal(io.StringIO("y\n")) is False
    with open(os.devnull, encoding="utf-8") as null:
        assert stdin_is_terminal(null) is False
    path = tmp_path / "answers.txt"
    path.write_text("y\n", encoding="utf-8")
    with path.open(encoding="utf-8") as answers:
        assert stdin_is_terminal(answers) is False
