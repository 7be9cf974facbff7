"""Keyboard-only triage: single keys on the message list, as mail power users expect.

J / K move down / up (the arrows work too), N jumps to the next unhandled
message, C claims, H holds, D marks done, E marks "no reply needed", R replies,
? lists every shortcut. They are :class:`QShortcut` objects on the list itself
(``WidgetShortcut``): typing in the search box, a note or a reply never
triggers them, and each one goes through the same QAction as the menu, so a key
does exactly what the menu item would (and nothing when that item is disabled).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QApplication

from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.ui.message_list_model import MessageListModel
from mailwise_desktop.ui.triage_actions import TriageActions

_MNEMONIC = re.compile(r"\(&\w\)")

# How far "next unhandled" looks before it says there is none (pages load lazily)
SEARCH_LIMIT = 5_000


@dataclass(frozen=True)
class ListKey:
    """One single-key shortcut of the list: its key and what it does (for the shortcuts window)."""

    key: str
    describe: Callable[[], str]


class KeyboardTriage(QObject):
    """The list's single-key shortcuts.

    Args:
        view: the message list.
        model: its model (states are read from it for "next unhandled").
        triage: the window's triage actions (claim, done, reply …).
        show_shortcuts: opens the shortcuts window.
    """

    def __init__(
        self,
        view: QAbstractItemView,
        model: MessageListModel,
        triage: TriageActions,
        show_shortcuts: Callable[[], None],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.model = model
        self.keys: list[ListKey] = []
        self._bind("J", self.next_message, lambda: self.tr("Next message"))
        self._bind("K", self.previous_message, lambda: self.tr("Previous message"))
        self._bind("N", self._jump_to_unhandled, lambda: self.tr("Next unhandled message"))
        for key, operation in (
            ("C", Operation.CLAIM),
            ("H", Operation.HOLD),
            ("D", Operation.DONE),
            ("E", Operation.SKIP),
        ):
            action = triage.by_operation[operation]
            self._bind(key, self._trigger(action), self._text_of(action))
        self._bind("R", self._trigger(triage.reply), self._text_of(triage.reply))
        self._bind("?", show_shortcuts, lambda: self.tr("Keyboard shortcuts"))

    def _bind(self, key: str, slot: Callable[[], None], describe: Callable[[], str]) -> None:
        shortcut = QShortcut(self.view)
        # "?" is Shift+/ on most layouts: Qt may report it with or without the Shift.
        extra = [QKeySequence(f"Shift+{key}")] if not key.isalnum() else []
        shortcut.setKeys([QKeySequence(key), *extra])
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)
        self.keys.append(ListKey(key, describe))

    @staticmethod
    def _trigger(action: QAction) -> Callable[[], None]:
        def run() -> None:
            if action.isEnabled():
                action.trigger()

        return run

    @staticmethod
    def _text_of(action: QAction) -> Callable[[], str]:
        return lambda: plain_action_text(action)

    # -- moving ------------------------------------------------------------

    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        """Make ``row`` the current, only selected row and show it."""
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)

    def next_message(self) -> None:
        self.select_row(min(self._current_row() + 1, self.model.rowCount() - 1))

    def previous_message(self) -> None:
        self.select_row(max(self._current_row() - 1, 0))

    def _jump_to_unhandled(self) -> None:
        if not self.next_unhandled():
            QApplication.beep()  # nothing left to take: say so without a dialog

    def next_unhandled(self) -> bool:
        """Select the next unhandled message below the current one (wrapping once).

        Returns:
            Whether one was found.
        """
        total = self.model.rowCount()
        start = self._current_row()
        for step in range(1, min(total, SEARCH_LIMIT) + 1):
            row = (start + step) % total
            summary = self.model.summary(row)
            if summary is not None and summary.state == HandlingState.UNHANDLED.value:
                self.select_row(row)
                return True
        return False


def plain_action_text(action: QAction) -> str:
    """An action's menu text without its access key ("&Claim", "対応する(&C)…" → plain)."""
    text = _MNEMONIC.sub("", action.text().rstrip("…").rstrip())
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()
