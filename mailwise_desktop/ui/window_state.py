"""The main window's remembered state and its wait before a screenshot.

Geometry, splitter sizes, list columns and the last folder and tab live in
the ``window_state`` setting; other keys of that setting are kept as they are.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QByteArray, QEventLoop
from PySide6.QtWidgets import QMainWindow

from mailwise_desktop.core.settings import Settings
from mailwise_desktop.store.list_filter import Tab
from mailwise_desktop.ui.engine_bridge import EngineBridge
from mailwise_desktop.ui.triage_controller import TriageController
from mailwise_desktop.ui.workspace import Workspace

DEFAULT_SIZE = (1280, 780)


def restore_window_state(window: QMainWindow, workspace: Workspace, settings: Settings) -> None:
    """Put geometry, splitters and columns back as ``window_state`` remembers them."""
    state: dict[str, Any] = settings.get("window_state")
    geometry = state.get("geometry")
    if not (
        isinstance(geometry, str)
        and window.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
    ):
        window.resize(*DEFAULT_SIZE)
    splitter = state.get("splitter")
    if isinstance(splitter, str):
        workspace.restore_sizes(splitter)
    workspace.restore_layout(state)


def save_window_state(
    window: QMainWindow, controller: TriageController, settings: Settings
) -> None:
    """Store geometry, splitters, columns and the last filter in ``window_state``."""
    workspace = controller.workspace
    state: dict[str, Any] = settings.get("window_state")
    state["geometry"] = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    state["splitter"] = workspace.save_sizes()
    state.update(workspace.save_layout())
    current = controller.current
    if current is not None:
        state["filter"] = {
            "account": current.account_id,
            "mailbox": current.mailbox,
            "tab": str(workspace.filter_bar.tab),
        }
    settings.set("window_state", state)
    settings.save()


def wait_for_first_sync(
    bridge: EngineBridge, controller: TriageController, settings: Settings, timeout: float
) -> None:
    """For ``--screenshot``: wait for the first sync (or time out), open the first message."""
    # One QEventLoop instance: PySide6 6.12's static QCoreApplication.processEvents()
    # drops a reference to None per call, which kills the process in a tight loop.
    loop = QEventLoop()
    flags = QEventLoop.ProcessEventsFlag.AllEvents
    deadline = time.monotonic() + timeout
    engines = list(bridge.engines.values())
    while time.monotonic() < deadline and not all(
        e.initial_sync_done.is_set() and bridge.is_online(e.account.id) for e in engines
    ):
        loop.processEvents(flags, 50)
        time.sleep(0.02)
    # Let the first team read (roster, notes) land too.
    settle = time.monotonic() + (0.8 if engines else 0.1)
    while time.monotonic() < settle:
        loop.processEvents(flags, 50)
        time.sleep(0.01)
    if not isinstance(settings.get("window_state").get("filter"), dict):
        # Nothing remembered: show the whole mailbox, every state and owner.
        controller.workspace.filter_bar.set_tab(Tab.ALL)
    view = controller.workspace.message_list
    if controller.model.rowCount() and not view.selectionModel().hasSelection():
        view.setCurrentIndex(controller.model.index(0, 0))
    loop.processEvents(flags, 50)
