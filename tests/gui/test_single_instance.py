"""One window per profile: a second launch asks the first to come forward and stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mailwise_desktop.core.profile import Profile
from mailwise_desktop.ui.single_instance import SingleInstance, server_name

pytestmark = pytest.mark.gui


def test_second_launch_of_a_profile_asks_the_first_to_show(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile(tmp_path / "佐藤")
    first = SingleInstance(profile)
    assert first.ask_running_to_show() is False  # nobody runs yet
    assert first.listen()
    try:
        second = SingleInstance(profile)
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert second.ask_running_to_show() is True
    finally:
        first.close()
    # Once the first has quit, the next launch runs on its own.
    assert SingleInstance(profile).ask_running_to_show() is False


def test_two_profiles_are_two_instances(tmp_path: Path) -> None:
    mine, theirs = Profile(tmp_path / "a"), Profile(tmp_path / "b")
    assert server_name(mine) != server_name(theirs)
    first = SingleInstance(mine)
    assert first.listen()
    try:
        assert SingleInstance(theirs).ask_running_to_show() is False
    finally:
        first.close()
