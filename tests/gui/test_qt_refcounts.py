"""The Qt binding keeps Python's reference counts (a window runs for days).

PySide6-Essentials 6.12.0 dropped one reference to ``None`` each time a
timer called a Python slot; a window's timers (status, counts, flashes,
completions) drained it until the interpreter aborted with "deallocating
None" — seen first as a crash in the benchmark's window after 44 tab and
search changes. pyproject.toml keeps that release out; this test says so
for any other.
"""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

pytestmark = [pytest.mark.gui]

FIRES = 500


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.hits = 0

    @Slot()
    def hit(self) -> None:
        self.hits += 1


def _settle(qtbot, until: object) -> None:
    qtbot.waitUntil(until, timeout=5000)
    QCoreApplication.processEvents()
    gc.collect()


@pytest.mark.parametrize("kind", ["lambda", "bound method", "receiver and slot"])
def test_timer_fired_python_slots_leave_none_s_count_alone(qtbot, kind: str) -> None:
    receiver = _Receiver()
    calls = {
        "lambda": lambda: QTimer.singleShot(0, lambda: receiver.hit()),  # noqa: PLW0108
        "bound method": lambda: QTimer.singleShot(0, receiver.hit),
        "receiver and slot": lambda: QTimer.singleShot(0, receiver, receiver.hit),
    }
    calls[kind]()  # warm-up: first-use caches of the binding
    _settle(qtbot, lambda: receiver.hits == 1)
    before = sys.getrefcount(None)
    for _ in range(FIRES):
        calls[kind]()
    _settle(qtbot, lambda: receiver.hits == FIRES + 1)
    # A handful either way is the interpreter's own churn; 6.12.0 lost one per call.
    assert sys.getrefcount(None) - before > -FIRES // 10
