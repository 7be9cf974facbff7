"""The three-pane workspace: folder tree | message list | reading pane.

This is the structure only (UI.md's layout); the panes are empty until the
issues that bring folders, the message list model and the reader fill them.
They are found by object name (``folderTree``, ``messageList``,
``readingPane``) so those issues can replace or populate them.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QSplitter, QTreeView, QWidget

# Initial proportions of the three panes (folders narrow, list and reader wide).
_INITIAL_SIZES = (220, 520, 460)


class Workspace(QSplitter):
    """Folder tree, message list and reading pane side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("workspace")
        self.setChildrenCollapsible(False)

        self.folder_tree = QTreeView(self)
        self.folder_tree.setObjectName("folderTree")
        self.folder_tree.setHeaderHidden(True)

        self.message_list = QTreeView(self)
        self.message_list.setObjectName("messageList")
        # Large mailboxes need uniform rows and no tree decoration (ARCHITECTURE.md).
        self.message_list.setUniformRowHeights(True)
        self.message_list.setRootIsDecorated(False)
        self.message_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

        self.reading_pane = QFrame(self)
        self.reading_pane.setObjectName("readingPane")
        self.reading_pane.setFrameShape(QFrame.Shape.StyledPanel)

        # On resize the folder tree keeps its width; list and reader share the rest.
        for index in range(self.count()):
            self.setStretchFactor(index, 0 if index == 0 else 1)
        self.setSizes(list(_INITIAL_SIZES))

    def save_sizes(self) -> str:
        """The splitter state, base64-encoded for the JSON settings file."""
        return bytes(self.saveState().toBase64().data()).decode("ascii")

    def restore_sizes(self, state: str) -> bool:
        """Restore a state from :meth:`save_sizes`; False if it is unusable."""
        return bool(self.restoreState(QByteArray.fromBase64(state.encode("ascii"))))
