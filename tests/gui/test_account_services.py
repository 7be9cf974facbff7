"""One AccountServices per account: the window never builds a second TeamLog.

Before issue 10 the team log (roster memo, retry queue) was built again by
the triage controller, sending, each reply's claim, repairs and the identity
dialog. Here the real window claims, opens the identity dialog and the team
problems, runs the outbox and a report, with every TeamLog construction
counted.
"""

from __future__ import annotations

import threading

import pytest

from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.ui.message_list_model import COL_STATE
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import cell, select, show_all

pytestmark = [pytest.mark.gui]


def test_the_window_builds_one_team_log_per_account(
    qtbot, team: Team, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[TeamLog] = []
    original = TeamLog.__init__

    def counting(self: TeamLog, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(TeamLog, "__init__", counting)
    window = open_window(team.me)
    show_all(window)
    select(window, SUBJECTS[0])
    window.triage.by_operation[Operation.CLAIM].trigger()
    qtbot.waitUntil(lambda: cell(window, SUBJECTS[0], COL_STATE) == "In progress", timeout=8000)
    window.show_identity()
    qtbot.waitUntil(lambda: window.team_dialogs.identity_dialog.roster.count() == 2, timeout=8000)
    window.team_dialogs.identity_dialog.reject()
    window.show_team_problems()
    window.team_dialogs.team_problems_dialog.reject()
    window.outbox.process()
    qtbot.waitUntil(lambda: not window.outbox.processing, timeout=8000)
    assert window.report(0.0) is not None
    services = window.services["support"]
    assert len(built) == 1
    assert built[0] is services.log
    # Every service the window uses reads the same roster memo.
    assert window.controller.coordination["support"].log is services.log
    assert window.outbox.service("support").coordination.log is services.log
    assert window.team_dialogs.identity_dialog.team.log is services.log


def test_account_services_share_one_log_and_one_coordination(team: Team) -> None:
    services = AccountServices(team.me.ctx, team.me.account)
    log, coordination = services.log, services.coordination
    assert coordination.log is log
    assert services.team.log is log
    assert services.conversations.log is log
    assert services.contacts.log is log
    assert services.repairs.coordination is coordination
    assert services.follow_ups.coordination is coordination
    assert services.sending.coordination is coordination
    # Asked from several threads at once, a service is still made once.
    seen: list[object] = []
    barrier = threading.Barrier(4)

    def ask() -> None:
        barrier.wait()
        seen.append(services.reports)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in seen}) == 1
