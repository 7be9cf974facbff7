"""Help ▸ Keyboard shortcuts: every shortcut of the window, read from the actions themselves.

Nothing is typed twice: the list is built from the window's QActions (their
current text and key sequences, in the platform's notation — ⌘ on macOS) and
the list's single keys (:mod:`mailwise_desktop.ui.keyboard_triage`), so it
can never drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.ui.keyboard_triage import KeyboardTriage, ListKey, plain_action_text
from mailwise_desktop.ui.message_list_model import MessageListModel
from mailwise_desktop.ui.triage_actions import TriageActions
from mailwise_desktop.ui.window_menus import MainMenus

Group = tuple[str, Sequence[QAction]]


# Keys above this are multimedia / launcher keys (Qt::Key_Back and on) that
# QKeySequence.StandardKey adds on some platforms; nobody types them.
_LAST_TYPABLE_KEY = 0x01000060


def keys_of(action: QAction) -> str:
    """The action's typable key sequences in the platform's notation, comma-separated."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(k.toString(native) for k in action.shortcuts() if _typable(k))


def _typable(sequence: QKeySequence) -> bool:
    if sequence.isEmpty():
        return False
    first = sequence[0]  # type: ignore[index]  # PySide6's stubs lack __getitem__
    return int(first.key().value) <= _LAST_TYPABLE_KEY


class ShortcutsDialog(QDialog):
    """A two-column list (what, keys) in groups: the message list, handling, writing, window."""

    def __init__(
        self,
        list_keys: Sequence[ListKey],
        groups: Sequence[Group],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.intro = QLabel(self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsTree")
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self._list_keys = list(list_keys)
        self._groups = list(groups)
        self.retranslate()
        self.resize(560, 620)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.intro.setText(
            self.tr(
                "The single keys work while the message list has the focus; the others work anywhere in the window."
            )
        )
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.clear()
        section = self._section(self.tr("In the message list"))
        for key in self._list_keys:
            self._row(section, key.describe(), key.key)
        for title, actions in self._groups:
            section = self._section(title)
            for action in actions:
                keys = keys_of(action)
                if keys:
                    self._row(section, plain_action_text(action), keys)
        self.tree.expandAll()

    def rows(self) -> list[tuple[str, str]]:
        """(what, keys) of every row, in order (for tests)."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(i)
            assert section is not None
            for j in range(section.childCount()):
                child = section.child(j)
                assert child is not None
                found.append((child.text(0), child.text(1)))
        return found

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title, ""])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        return item

    def _row(self, section: QTreeWidgetItem, text: str, keys: str) -> None:
        QTreeWidgetItem(section, [text, keys])


class ShortcutsMenu(QObject):
    """Help ▸ Keyboard shortcuts (Ctrl+/, or ? in the list) and the list's single keys.

    Args:
        window: the main window (its menus hold the actions listed).
        menus: the window's menus; the entry goes first in Help.
        triage: the triage actions the single keys trigger.
        view: the message list; model: its model.
    """

    def __init__(
        self,
        window: QMainWindow,
        menus: MainMenus,
        triage: TriageActions,
        view: QAbstractItemView,
        model: MessageListModel,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.menus = menus
        self.dialog: ShortcutsDialog | None = None
        self.action = QAction(window)
        self.action.setObjectName("actionShortcuts")
        self.action.setShortcut(QKeySequence("Ctrl+/"))
        self.action.triggered.connect(self._open)
        existing = menus.help.actions()
        if existing:
            menus.help.insertAction(existing[0], self.action)
            menus.help.insertSeparator(existing[0])
        else:
            menus.help.addAction(self.action)
        self.keys = KeyboardTriage(view, model, triage, self._open)
        window.installEventFilter(self)
        self.retranslate()

    def _groups(self) -> list[Group]:
        return [
            (self.tr("Handling and replying"), self.menus.actions.actions()),
            (self.tr("Mail and folders"), [*self.menus.file.actions(), *self.menus.view.actions()]),
            (self.tr("Help"), self.menus.help.actions()),
        ]

    def show(self) -> ShortcutsDialog:
        """Open the window (rebuilt, so it shows the current language and keys)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = ShortcutsDialog(self.keys.keys, self._groups(), self.window)
        self.dialog.show()
        return self.dialog

    def _open(self) -> None:
        self.show()

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Keyboard shortcuts…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
