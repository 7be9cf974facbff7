"""The three-pane workspace: folder tree | filter bar + message list | reading pane + notes.

Layout and remembered sizes only; what happens on clicks and on live
changes is in ``ui/triage_controller.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QByteArray, QLocale, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.services.reading import ReadingService
from mailwise_desktop.ui.filter_bar import FilterBar
from mailwise_desktop.ui.folder_tree import FolderTree
from mailwise_desktop.ui.i18n import format_datetime
from mailwise_desktop.ui.message_list_model import (
    COL_ATTACH,
    COL_DATE,
    COL_FROM,
    COL_OWNER,
    COL_SIZE,
    COL_STATE,
    COL_SUBJECT,
)
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.reading_pane import ReadingPane
from mailwise_desktop.ui.state_badges import StateBadgeDelegate, state_label
from mailwise_desktop.ui.team_panel import TeamPanel

# Initial proportions of the three panes (folders narrow, list and reader wide).
_INITIAL_SIZES = (180, 700, 400)
_INITIAL_READER_SIZES = (420, 200)
_INITIAL_COLUMNS = {
    COL_STATE: 84,
    COL_OWNER: 80,
    COL_FROM: 104,
    COL_SUBJECT: 200,
    COL_DATE: 168,
    COL_SIZE: 56,
    COL_ATTACH: 24,
}


def _encode(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def _decode(text: Any) -> QByteArray | None:
    return QByteArray.fromBase64(text.encode("ascii")) if isinstance(text, str) else None


class Workspace(QSplitter):
    """Folder tree, message list and reading pane side by side."""

    def __init__(self, reading: ReadingService, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("workspace")
        self.setChildrenCollapsible(False)

        self.folder_tree = FolderTree(self)

        list_column = QWidget(self)
        list_column.setObjectName("listColumn")
        self.filter_bar = FilterBar(list_column)
        self.notice = NoticeBar("listNotice", list_column)
        # A table, not a tree: QTreeView lays out by asking every row for its
        # flags (O(n) Python calls at 50k rows); a table with fixed, uniform row
        # heights only touches the rows on screen (ARCHITECTURE.md).
        self.message_list = QTableView(list_column)
        self.message_list.setObjectName("messageList")
        self.message_list.setShowGrid(False)
        self.message_list.setWordWrap(False)
        self.message_list.setCornerButtonEnabled(False)
        self.message_list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.message_list.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.message_list.horizontalHeader().setHighlightSections(False)
        self.message_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.message_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.message_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.message_list.setItemDelegateForColumn(COL_STATE, StateBadgeDelegate(self.message_list))
        self.empty_label = QLabel(list_column)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setObjectName("emptyListLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.list_stack = QStackedWidget(list_column)
        self.list_stack.addWidget(self.message_list)
        self.list_stack.addWidget(self.empty_label)
        column = QVBoxLayout(list_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.filter_bar)
        column.addWidget(self.notice)
        column.addWidget(self.list_stack, 1)

        self.reader_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.reader_splitter.setObjectName("readerSplitter")
        self.reader_splitter.setChildrenCollapsible(False)
        self.reading_pane = ReadingPane(reading, self.reader_splitter)
        self.team_panel = TeamPanel(self.reader_splitter)
        self.reader_splitter.setSizes(list(_INITIAL_READER_SIZES))

        # On resize the folder tree keeps its width; list and reader share the rest.
        for index in range(self.count()):
            self.setStretchFactor(index, 0 if index == 0 else 1)
        self.setSizes(list(_INITIAL_SIZES))

    def show_empty_list(self, text: str | None) -> None:
        """Show a friendly sentence instead of an empty list (None: show the list)."""
        if text is None:
            self.list_stack.setCurrentWidget(self.message_list)
        else:
            self.empty_label.setText(text)
            self.list_stack.setCurrentWidget(self.empty_label)

    def init_columns(self) -> None:
        header = self.message_list.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setMinimumSectionSize(24)
        # The subject takes what the other columns leave (they keep their widths).
        header.setSectionResizeMode(COL_SUBJECT, QHeaderView.ResizeMode.Stretch)
        widths = dict(_INITIAL_COLUMNS)
        # The badge and date columns fit their longest text in this language (bold: unread).
        bold = QFont(self.message_list.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        # ("Claiming…" is transient: it may be elided.)
        badges = [state_label(s) for s in HandlingState]
        widths[COL_STATE] = max(metrics.horizontalAdvance(t) for t in badges) + 24
        sample = format_datetime(datetime(2026, 12, 30, 23, 59), QLocale())
        widths[COL_DATE] = metrics.horizontalAdvance(sample) + 16
        for column, width in widths.items():
            self.message_list.setColumnWidth(column, width)

    # -- remembered sizes --------------------------------------------------

    def save_sizes(self) -> str:
        """The splitter state, base64-encoded for the JSON settings file."""
        return _encode(self.saveState())

    def restore_sizes(self, state: str) -> bool:
        """Restore a state from :meth:`save_sizes`; False if it is unusable."""
        return bool(self.restoreState(QByteArray.fromBase64(state.encode("ascii"))))

    def save_layout(self) -> dict[str, str]:
        """Reader splitter and list columns (the main splitter is :meth:`save_sizes`)."""
        return {
            "reader_splitter": _encode(self.reader_splitter.saveState()),
            "columns": _encode(self.message_list.horizontalHeader().saveState()),
        }

    def restore_layout(self, state: dict[str, Any]) -> None:
        reader = _decode(state.get("reader_splitter"))
        if reader is not None:
            self.reader_splitter.restoreState(reader)
        columns = _decode(state.get("columns"))
        if columns is not None:
            self.message_list.horizontalHeader().restoreState(columns)
