"""The window's start imports only what its first paint needs (issue 13, bench/ui.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui]

_PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow
profile = Profile.from_env()
window = MainWindow(profile, Settings(profile.settings_file), app_icon())
window.persist_state = False
window.connect_on_show = False
window.show()
app.processEvents()
print("MODULES " + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "jinja2")))
sys.stdout.flush()
"""


def test_the_window_starts_without_jinja2(tmp_path: Path) -> None:
    # Templates render in Jinja2 only when a reply or the template editor needs one;
    # before, the compose window, template editor and reply drafts imported it at start.
    env = dict(os.environ, MAILWISE_HOME=str(tmp_path / "profile"), QT_QPA_PLATFORM="offscreen")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("MODULES ")), None)
    assert line is not None, done.stderr
    assert json.loads(line[len("MODULES ") :]) == []
