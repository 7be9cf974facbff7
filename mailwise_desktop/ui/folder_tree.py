"""The folder tree: each shared mailbox, its synced folders, and counts per state."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.store.cache_values import MailboxInfo
from mailwise_desktop.store.list_filter import Tab
from mailwise_desktop.ui.state_badges import state_label

#: States listed under a folder, with the tab each one opens.
_STATE_TABS: tuple[tuple[HandlingState, Tab], ...] = (
    (HandlingState.UNHANDLED, Tab.UNHANDLED),
    (HandlingState.IN_PROGRESS, Tab.IN_PROGRESS),
    (HandlingState.ON_HOLD, Tab.ON_HOLD),
    (HandlingState.DONE, Tab.CLOSED),
    (HandlingState.NO_REPLY_NEEDED, Tab.CLOSED),
)


@dataclass(frozen=True)
class FolderRef:
    """What a folder-tree item points at (``tab`` set for a state line)."""

    account_id: str
    mailbox: str
    mailbox_id: int
    tab: Tab | None = None


def folder_label(name: str) -> str:
    """A folder's display name (INBOX in the UI language)."""
    if name.upper() == "INBOX":
        return QCoreApplication.translate("FolderTree", "Inbox")
    return name


class FolderTree(QTreeWidget):
    """Accounts → folders → states, with counts.

    Signals:
        folder_chosen(FolderRef): the user chose a folder (or a state line of one).
    """

    folder_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folderTree")
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)
        self._current: tuple[str, str] | None = None

    def populate(
        self,
        accounts: list[tuple[str, list[MailboxInfo]]],
        counts: dict[int, dict[str, int]],
    ) -> None:
        """Rebuild the tree; ``counts`` maps mailbox ids to counts per state."""
        expanded = {
            self._ref(child).mailbox_id for child in self._folder_items() if child.isExpanded()
        }
        self.clear()
        for account_id, folders in accounts:
            top = QTreeWidgetItem(self, [account_id, ""])
            bold = QFont(self.font())
            bold.setBold(True)
            top.setFont(0, bold)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for box in folders:
                by_state = counts.get(box.id, {})
                unhandled = by_state.get(HandlingState.UNHANDLED, 0)
                item = QTreeWidgetItem(top, [folder_label(box.name), str(unhandled or "")])
                item.setData(0, Qt.ItemDataRole.UserRole, FolderRef(account_id, box.name, box.id))
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                item.setToolTip(1, self.tr("%1 unhandled").replace("%1", str(unhandled)))
                for state, tab in _STATE_TABS:
                    n = by_state.get(state, 0)
                    line = QTreeWidgetItem(item, [state_label(state), str(n)])
                    line.setData(
                        0, Qt.ItemDataRole.UserRole, FolderRef(account_id, box.name, box.id, tab)
                    )
                    line.setTextAlignment(
                        1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setExpanded(box.id in expanded)
                if self._current == (account_id, box.name):
                    self.setCurrentItem(item)
            top.setExpanded(True)
        self.resizeColumnToContents(1)

    def _folder_items(self) -> list[QTreeWidgetItem]:
        """The folder rows under every account row."""
        items: list[QTreeWidgetItem] = []
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            if top is None:
                continue
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    items.append(child)
        return items

    def _ref(self, item: QTreeWidgetItem | None) -> FolderRef:
        data = None if item is None else item.data(0, Qt.ItemDataRole.UserRole)
        return data if isinstance(data, FolderRef) else FolderRef("", "", -1)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        ref = self._ref(item)
        if ref.mailbox_id >= 0:
            self._current = (ref.account_id, ref.mailbox)
            self.folder_chosen.emit(ref)

    def mark_current(self, account_id: str, mailbox: str) -> None:
        self._current = (account_id, mailbox)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setColumnWidth(0, max(60, self.viewport().width() - self.columnWidth(1) - 4))
