"""One window per profile: a second launch asks the first to come forward and stops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mailwise_desktop.core.profile import Profile
from mailwise_desktop.ui.single_instance import SingleInstance, server_name

pytestmark = pytest.mark.gui

# The second launch is another process, as it is for a user: its blocking
# connect/write/wait for the answer must not share the first one's event loop.
SECOND_LAUNCH = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.ui.single_instance import SingleInstance
from PySide6.QtNetwork import QLocalSocket
if "--announce" in sys.argv:
    # Tell the test when "show" is written and this launch waits for the answer.
    wait = QLocalSocket.waitForReadyRead
    def announced(socket, ms):
        print("waiting", flush=True)
        return wait(socket, ms)
    QLocalSocket.waitForReadyRead = announced
app = QCoreApplication([])
second = SingleInstance(Profile(Path(sys.argv[1])))
print(second.ask_running_to_show(), second.acknowledged, flush=True)
"""


def second_launch(profile: Path, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, str(profile), *flags],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
    )


def test_second_launch_of_a_profile_asks_the_first_to_show(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile(tmp_path / "佐藤")
    first = SingleInstance(profile)
    assert first.ask_running_to_show() is False  # nobody runs yet
    assert first.listen()
    try:
        with qtbot.waitSignal(first.activated, timeout=60_000):
            proc = second_launch(profile.root)
        # The window keeps running its event loop, as the real one does.
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60_000)
        out, _ = proc.communicate(timeout=60)
        # It found the running window, and the window confirmed it read "show"
        # (under Wine the message was lost when the second closed first).
        assert out.split() == ["True", "True"], out
        assert proc.returncode == 0
    finally:
        first.close()
    # Once the first has quit, the next launch runs on its own.
    assert SingleInstance(profile).ask_running_to_show() is False


def test_a_busy_window_still_gets_the_show(qtbot: QtBot, tmp_path: Path) -> None:
    """The second launch writes while the first runs no event loop (a busy window).

    Before the answer, the second closed its end right after writing, and under
    Wine the message was then gone before the first read it (the old single-thread
    version of the test above failed that way).
    """
    profile = Profile(tmp_path / "profile")
    first = SingleInstance(profile)
    assert first.listen()
    try:
        proc = second_launch(profile.root, "--announce")
        assert proc.stdout is not None
        # No Qt events are processed here: the window is "busy" until "show" was written.
        assert proc.stdout.readline().strip() == "waiting"
        with qtbot.waitSignal(first.activated, timeout=60_000):
            pass
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60_000)
        out, _ = proc.communicate(timeout=60)
        assert out.split() == ["True", "True"], out
    finally:
        first.close()


def test_two_profiles_are_two_instances(tmp_path: Path) -> None:
    mine, theirs = Profile(tmp_path / "a"), Profile(tmp_path / "b")
    assert server_name(mine) != server_name(theirs)
    first = SingleInstance(mine)
    assert first.listen()
    try:
        assert SingleInstance(theirs).ask_running_to_show() is False
    finally:
        first.close()
