"""Typed operations (ui/background.py): callbacks on the UI thread, lanes that do not wait on each other."""

from __future__ import annotations

import threading

import pytest

from mailwise_desktop.core.errors import ConnectionLostError
from mailwise_desktop.ui.background import BackgroundOps, EngineOp, Lane, LocalOp

pytestmark = [pytest.mark.gui]


@pytest.fixture
def ops(qtbot):  # type: ignore[no-untyped-def]
    runner = BackgroundOps(None)
    yield runner
    runner.shutdown()


def test_success_and_progress_arrive_on_the_ui_thread(qtbot, ops: BackgroundOps) -> None:
    seen: list[tuple[str, object, bool]] = []
    ui = threading.current_thread()

    def work(report) -> int:  # type: ignore[no-untyped-def]
        assert threading.current_thread() is not ui
        for done in range(3):
            report(done + 1, 3)
        return 42

    LocalOp.reporting(work).progress(
        lambda d, t: seen.append(("progress", (d, t), threading.current_thread() is ui))
    ).success(lambda r: seen.append(("success", r, threading.current_thread() is ui))).run_in(ops)
    qtbot.waitUntil(lambda: any(s[0] == "success" for s in seen), timeout=5000)
    assert seen == [
        ("progress", (1, 3), True),
        ("progress", (2, 3), True),
        ("progress", (3, 3), True),
        ("success", 42, True),
    ]
    assert not ops.busy(Lane.QUICK)


def test_failure_gets_the_error_and_a_broken_callback_is_contained(
    qtbot, ops: BackgroundOps, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("bad input")

    LocalOp(boom).success(lambda _r: errors.append(AssertionError("no"))).failure(
        errors.append
    ).run_in(ops)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError)

    done: list[int] = []
    LocalOp(lambda: 1).success(lambda _r: 1 / 0).run_in(ops)  # the callback raises
    LocalOp(lambda: 2).success(done.append).run_in(ops)  # ... and the next still runs
    qtbot.waitUntil(lambda: done == [2], timeout=5000)
    assert "operation callback failed" in caplog.text


def test_the_quick_lane_does_not_wait_behind_the_smtp_lane(qtbot, ops: BackgroundOps) -> None:
    release = threading.Event()
    finished: list[str] = []
    LocalOp(lambda: release.wait(30), lane=Lane.SMTP).success(
        lambda _r: finished.append("smtp")
    ).run_in(ops)
    LocalOp(lambda: "draft").success(finished.append).run_in(ops)
    qtbot.waitUntil(lambda: finished == ["draft"], timeout=5000)
    assert ops.busy(Lane.SMTP)  # the send still waits for its server
    release.set()
    qtbot.waitUntil(lambda: finished == ["draft", "smtp"], timeout=5000)


def test_an_engine_op_without_an_engine_fails_in_plain_words(qtbot, ops: BackgroundOps) -> None:
    errors: list[BaseException] = []
    assert EngineOp("support", lambda ectx: 1).failure(errors.append).run_in(ops) is None
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ConnectionLostError)
    assert errors[0].message == "This mailbox is not connected right now."


def test_nothing_runs_after_shutdown(qtbot, ops: BackgroundOps) -> None:
    ops.shutdown()
    ran: list[int] = []
    assert LocalOp(lambda: ran.append(1)).run_in(ops) is None
    assert ran == [] and ops.stopped
