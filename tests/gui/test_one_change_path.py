"""One change, one update per view (issue 10): the list, the reading pane, the counts, the outbox.

A claim by me (the window's own operation) and a claim by a teammate (a
second profile on its own connection to the same Dovecot) must each reach a
view exactly once. Before, my claim reached the list from the operation's
callback, again from the engine re-emitting the result and again from the
IDLE echo of my own STORE, with a 3-second timer hiding it. No timer is used
here: each test waits until the engine has read the server's state past the
change (the echo included) and then until a job queued behind it on the
engine thread has answered; only then are the updates counted.
"""

from __future__ import annotations

import pytest

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.store import queries
from mailwise_desktop.ui.background import EngineOp
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.message_list_model import COL_OWNER, COL_STATE
from tests.gui.conftest import SUBJECTS, OpenWindow, Team
from tests.gui.test_triage_window import cell, row_of, select, show_all, uid_of

pytestmark = [pytest.mark.gui]


def server_modseq(team: Team) -> int:
    """INBOX's HIGHESTMODSEQ as the server has it now (a connection of its own)."""
    client = team.dovecot.connect(team.user)
    try:
        status = client.folder_status("INBOX", [b"HIGHESTMODSEQ"])
        return int(status[b"HIGHESTMODSEQ"])
    finally:
        client.logout()


def cached_modseq(window: MainWindow) -> int:
    """INBOX's HIGHESTMODSEQ as the window's engine last stored it."""
    with window.ctx.cache.transaction() as session:
        return int(queries.mailbox(session, "support", "INBOX").highestmodseq or 0)


def settle(qtbot, window: MainWindow, team: Team, *, echo: bool = True) -> None:
    """Wait until the window's engine has seen everything the server has, echo included.

    The engine reads INBOX after every IDLE push and stores the HIGHESTMODSEQ
    it read up to. Once that reaches the server's (``echo``: after a change, the
    push of that change has been read), a job queued now runs after that read on
    the engine thread, and its answer reaches the UI thread after the read's
    Changes (one queue of signals, in order).
    """
    if echo:
        wanted = server_modseq(team)
        qtbot.waitUntil(lambda: cached_modseq(window) >= wanted, timeout=15_000)
    done: list[object] = []
    EngineOp("support", lambda ectx: True).success(done.append).run_in(window.ops)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    # And the counts' coalescing (one read for a burst of changes) has run.
    qtbot.waitUntil(lambda: not window.controller._counts_timer.isActive(), timeout=5000)


def claim(qtbot, window: MainWindow, team: Team, who: str, subject: str) -> None:
    """A claim by me (the window's own operation) or by the teammate's profile."""
    if who == "me":
        select(window, subject)
        window.triage.by_operation[Operation.CLAIM].trigger()
        qtbot.waitUntil(lambda: cell(window, subject, COL_STATE) == "In progress", timeout=10_000)
        return
    other = team.other
    job = other.coordination.operation_job(Operation.CLAIM, uid_of(window, subject))
    assert run_once(other.ctx, other.account, job).won
    qtbot.waitUntil(lambda: cell(window, subject, COL_OWNER) == "鈴木 健太", timeout=10_000)


WHO = ["me", "teammate"]


@pytest.fixture
def window(team: Team, open_window: OpenWindow) -> MainWindow:
    window = open_window(team.me)
    show_all(window)
    return window


@pytest.mark.parametrize("who", WHO)
def test_the_list_updates_a_claimed_row_once(
    qtbot, team: Team, window: MainWindow, who: str
) -> None:
    subject = SUBJECTS[0]
    row_id = window.controller.model.ids[row_of(window, subject)]
    select(window, SUBJECTS[2])  # the claimed row is not the open one
    settle(qtbot, window, team, echo=False)
    updates: list[frozenset[int]] = []
    window.controller.model.rows_updated.connect(updates.append)
    published: list[object] = []

    def count(changes: Changes, initiator: object) -> None:
        if any(row_id in (b.changed | b.added) for b in changes.mailboxes):
            published.append(initiator)

    window.changes.published.connect(count)
    claim(qtbot, window, team, who, subject)
    settle(qtbot, window, team)
    # Published once, by whoever caused it (None: it came from the server) ...
    assert published == [window.operations if who == "me" else None]
    # ... and the row was drawn again once.
    assert [u for u in updates if row_id in u] == [frozenset({row_id})]
    # Only a teammate's change is highlighted.
    assert window.controller.model.is_flashing(row_id) is (who == "teammate")


@pytest.mark.parametrize("who", WHO)
def test_the_reading_pane_shows_a_claim_once(
    qtbot, team: Team, window: MainWindow, who: str
) -> None:
    subject = SUBJECTS[1]
    select(window, subject)
    row_id = window.controller.model.ids[row_of(window, subject)]
    settle(qtbot, window, team, echo=False)
    shown: list[int] = []
    window.controller.message_updated.connect(shown.append)
    claim(qtbot, window, team, who, subject)
    settle(qtbot, window, team)
    assert shown == [row_id]
    owner = "佐藤 美咲" if who == "me" else "鈴木 健太"
    assert window.workspace.reading_pane.chip.text() == f"In progress · {owner}"


@pytest.mark.parametrize("who", WHO)
def test_the_counts_change_once_per_claim(qtbot, team: Team, window: MainWindow, who: str) -> None:
    from mailwise_desktop.store.triage_queries import Tab

    bar = window.workspace.filter_bar
    settle(qtbot, window, team, echo=False)
    unhandled = bar.counts[Tab.UNHANDLED]
    updated: list[dict[Tab, int]] = []
    window.controller.counts_updated.connect(lambda: updated.append(dict(bar.counts)))
    claim(qtbot, window, team, who, SUBJECTS[2])
    settle(qtbot, window, team)
    assert len(updated) == 1
    assert updated[0][Tab.UNHANDLED] == unhandled - 1
    assert updated[0].get(Tab.MINE, 0) == (1 if who == "me" else 0)


@pytest.mark.parametrize("who", WHO)
def test_the_outbox_view_is_not_redrawn_by_claims(
    qtbot, team: Team, window: MainWindow, who: str
) -> None:
    """A claim changes nothing the outbox shows: the view stays as drawn.

    The outbox still says "changed" on every run (every few seconds and at a
    send); the view compares and draws only what differs.
    """
    window.show_outbox()
    dialog = window.outbox_dialog
    redrawn: list[int] = []
    dialog.redrawn.connect(lambda: redrawn.append(1))
    claim(qtbot, window, team, who, SUBJECTS[0])
    window.outbox.process()  # an outbox run: "changed" at its start and its end
    qtbot.waitUntil(lambda: not window.outbox.processing, timeout=10_000)
    settle(qtbot, window, team)
    assert redrawn == []
    assert dialog.empty_label.isVisibleTo(dialog)
