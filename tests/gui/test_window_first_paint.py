"""The window paints its first page from the sqlite3 reader, then works (issue 13).

The first page (folders, counts, rows, owners) is read through
store/direct_list.py before SQLAlchemy, the IMAP engine or the account
services are imported; those are built on the event loop's next turn.
Each test runs the real window in a fresh process (sys.modules of its own)
on a profile synced from the real Dovecot, and claims a message there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mailwise_desktop.core.keychain import imap_key
from tests.gui.conftest import SUBJECTS, Team
from tests.harness.keyring_backend import FILE_ENV, FileKeyring

pytestmark = [pytest.mark.gui]

REPO = Path(__file__).resolve().parents[2]
_WINE_DEBUG = re.compile(r"^[0-9a-f]{4}:(fixme|err|warn|trace):")

_WINDOW = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QEventLoop, QObject
from PySide6.QtWidgets import QApplication

app = QApplication([])
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.core.states import Operation
from mailwise_desktop.store.list_filter import Tab
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.message_list_model import COL_OWNER, COL_STATE

EARLY = sys.argv[1] == "early"
SUBJECT = sys.argv[2]
HEAVY = ("sqlalchemy", "imapclient", "jinja2", "mailwise_desktop.imap.engine",
         "mailwise_desktop.services.coordination", "mailwise_desktop.services.sending")


def loaded():
    return sorted(m for m in HEAVY if m in sys.modules)


# Each folder's GROUP BY state, as the first page reads it (one per folder is enough).
from mailwise_desktop.store.direct_list import DirectListReader
COUNTED = []
_state_counts = DirectListReader.state_counts
def _counting(self, mailbox_id):
    COUNTED.append(mailbox_id)
    return _state_counts(self, mailbox_id)
DirectListReader.state_counts = _counting


class FirstPaint(QObject):
    # What the window holds when the list's viewport paints for the first time.
    def __init__(self, window):
        super().__init__(window)
        self.window, self.seen = window, None
        window.workspace.message_list.viewport().installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.seen is None:
            w = self.window
            model = w.controller.model
            rows = [model.summary(r) for r in range(model.rowCount())]
            self.seen = {
                "loaded": loaded(), "started": w.started,
                "direct": w.controller.direct is not None,
                "subjects": sorted(s.subject for s in rows if s is not None),
                "counts": {str(k): v for k, v in w.workspace.filter_bar.counts.items()},
                "owner_names": w.controller.names,
                "state_counts_read": list(COUNTED),
            }
        return False


def wait(check, limit=30.0):
    loop, deadline = QEventLoop(), time.time() + limit
    while not check() and time.time() < deadline:
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    return check()


def row_of(subject):
    model = window.controller.model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and summary.subject == subject:
            return row
    raise AssertionError(subject)


def cell(column):
    model = window.controller.model
    return str(model.index(row_of(SUBJECT), column).data())


profile = Profile.from_env()
window = MainWindow(profile, Settings(profile.settings_file), app_icon())
window.persist_state = False
window.workspace.filter_bar.set_tab(Tab.ALL)
painted = FirstPaint(window)
window.show()
result = {}
model = window.controller.model
claim = window.triage.by_operation[Operation.CLAIM]
if EARLY:
    # Before any event is processed: nothing painted, no service built, no engine.
    result["before_click"] = {"loaded": loaded(), "started": window.started}
    window.triage.outbox.trigger()  # needs the outbox service: built now, then shown
    result["outbox_shown"] = window.outbox_dialog.isVisible()
    result["started_after_click"] = window.started
    window.outbox_dialog.close()
    window.workspace.message_list.setCurrentIndex(model.index(row_of(SUBJECT), 0))
    claim.trigger()  # not online yet: said so, as before the services moved after the paint
    result["early_claim_notice"] = window.workspace.notice.label.text()
else:
    wait(lambda: painted.seen is not None)
    result["first_paint"] = painted.seen
wait(lambda: window.bridge.is_online("support"))
window.workspace.message_list.setCurrentIndex(model.index(row_of(SUBJECT), 0))
result["claim_enabled"] = claim.isEnabled()
claim.trigger()
wait(lambda: cell(COL_STATE) == "In progress")
result["state"], result["owner"] = cell(COL_STATE), cell(COL_OWNER)
result["chip"] = window.workspace.reading_pane.chip.text()
result["status"] = window.connection_label.text()
window.close()
print("RESULT " + json.dumps(result, ensure_ascii=False))
sys.stdout.flush()
"""


def run_window(team: Team, tmp_path: Path, mode: str, subject: str) -> dict[str, object]:
    keyring_file = tmp_path / "window-keyring.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    env.update(
        {"PYTHON_KEYRING_BACKEND": "tests.harness.keyring_backend.FileKeyring",
         FILE_ENV: str(keyring_file)}
    )  # fmt: skip
    os.environ[FILE_ENV] = str(keyring_file)
    try:
        FileKeyring().set_password(
            team.me.ctx.profile.keyring_service, imap_key("support"), team.user.password
        )
    finally:
        del os.environ[FILE_ENV]
    done = subprocess.run(
        [sys.executable, "-c", _WINDOW, mode, subject],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, done.stderr
    # Qt warnings fail tests; the offscreen plugin's size-hint notice is the only one allowed
    # (and Wine's own debug lines, "0024:fixme:...", in the Windows lane).
    warnings = [
        x
        for x in done.stderr.splitlines()
        if x.strip() and "propagateSizeHints" not in x and not _WINE_DEBUG.match(x)
    ]
    assert warnings == [], done.stderr
    found: dict[str, object] = json.loads(line[len("RESULT ") :])
    return found


def test_first_page_is_painted_from_sqlite3_then_a_claim_works(team: Team, tmp_path: Path) -> None:
    result = run_window(team, tmp_path, "painted", SUBJECTS[0])
    first = result["first_paint"]
    assert isinstance(first, dict)
    # Painted from the direct reader: no SQLAlchemy, engine, services or Jinja2 yet.
    assert first["loaded"] == []
    assert first["direct"] is True and first["started"] is False
    assert first["subjects"] == sorted(SUBJECTS)
    assert first["counts"]["all"] == len(SUBJECTS)
    assert first["counts"]["unhandled"] == len(SUBJECTS)
    # Folder tree and tabs share one count per folder (a GROUP BY over the whole
    # folder: three of them for INBOX before, 0.1 s of a 200k cold start).
    read = first["state_counts_read"]
    assert isinstance(read, list) and read and len(read) == len(set(read))
    # The owner names come from the cached roster already (JSON keys are strings).
    assert set(first["owner_names"]["support"].values()) == {"佐藤 美咲", "鈴木 健太"}
    # Then the services come up and a claim goes through the real Dovecot.
    assert result["claim_enabled"] is True
    assert result["state"] == "In progress"
    assert result["owner"] == "佐藤 美咲"
    assert result["chip"] == "In progress · 佐藤 美咲"


def test_a_claim_before_the_services_are_built_waits_for_them(team: Team, tmp_path: Path) -> None:
    result = run_window(team, tmp_path, "early", SUBJECTS[1])
    before = result["before_click"]
    assert isinstance(before, dict)
    assert before["started"] is False and before["loaded"] == []
    # The click builds what it needs at once: the outbox opens, nothing is lost.
    assert result["outbox_shown"] is True and result["started_after_click"] is True
    # A claim before the engine is online is refused in words (as it always was) ...
    assert "You are offline" in str(result["early_claim_notice"])
    # ... and goes through once it is.
    assert result["claim_enabled"] is True
    assert result["state"] == "In progress"
    assert result["owner"] == "佐藤 美咲"
