"""The main window's menu bar: File, View, Actions and Help.

The handling operations and reply actions are also put on the message list
(its context menu), so a right click offers the same actions as the menu.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from mailwise_desktop.ui.triage_actions import TriageActions


@dataclass(frozen=True)
class MainMenus:
    """The four menus of the menu bar."""

    file: QMenu
    view: QMenu
    actions: QMenu
    help: QMenu


def window_action(
    window: QMainWindow,
    name: str,
    triggered: Callable[[], object] | None = None,
    *,
    role: QAction.MenuRole | None = None,
    keys: Sequence[QKeySequence] = (),
) -> QAction:
    """One of the window's own actions (its text is set by the window's ``retranslate``)."""
    action = QAction(window)
    action.setObjectName(name)
    if role is not None:
        action.setMenuRole(role)
    if keys:
        action.setShortcuts(list(keys))
    if triggered is not None:
        action.triggered.connect(triggered)
    return action


def _menu(window: QMainWindow, name: str) -> QMenu:
    menu = QMenu(window)
    menu.setObjectName(name)
    return menu


def build_menus(
    window: QMainWindow,
    triage: TriageActions,
    list_view: QWidget,
    *,
    account_actions: Sequence[QAction],
    quit_action: QAction,
    full_screen: QAction,
    team_actions: Sequence[QAction],
    help_actions: Sequence[QAction],
) -> MainMenus:
    """Fill the window's menu bar; ``account_actions`` go to File, ``team_actions`` last in Actions."""
    menus = MainMenus(
        _menu(window, "menuFile"),
        _menu(window, "menuView"),
        _menu(window, "menuActions"),
        _menu(window, "menuHelp"),
    )
    menus.file.addAction(triage.new_mail)
    menus.file.addSeparator()
    menus.file.addActions(list(account_actions))
    menus.file.addSeparator()
    menus.file.addAction(quit_action)

    menus.view.addActions([triage.find, triage.refresh, triage.outbox])
    menus.view.addSeparator()
    menus.view.addAction(full_screen)

    for operation in triage.menu_operations:
        action = triage.by_operation[operation]
        menus.actions.addAction(action)
        list_view.addAction(action)  # the list's context menu
    menus.actions.addSeparator()
    separator = QAction(list_view)
    separator.setSeparator(True)
    list_view.addAction(separator)
    for action in (triage.note, triage.reply, triage.reply_all, triage.forward):
        menus.actions.addAction(action)
        list_view.addAction(action)
    menus.actions.addSeparator()
    menus.actions.addActions(list(team_actions))

    menus.help.addActions(list(help_actions))
    for menu in (menus.file, menus.view, menus.actions, menus.help):
        window.menuBar().addMenu(menu)
    return menus
