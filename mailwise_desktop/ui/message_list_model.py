"""The message list at 50k+ rows: ordered ids from one query, rows loaded in pages.

Anki's browser table model is the pattern: ``rowCount() == len(ids)`` at once
(the scroll bar is right immediately), rows are read in pages into a bounded
cache when the view asks for them (ui/message_list_pages.py), sorting
and filtering run in SQL (a new source, then one reset), and live
:class:`MailboxChanges` touch only the affected rows: changed rows are
evicted from the cache and get ``dataChanged``; added ids that match are
inserted; removed ones (and ones that stopped matching, unless the user has
them selected) are removed. A teammate's change flashes its row briefly.

A source that can (``first_ids``) gives its first :data:`FIRST_ROWS` ids
first: the list is painted from those, and the rest of the ids follow once
the view has painted them: the first display read arms a zero timer, which
runs after that paint (:data:`COMPLETE_UNPAINTED_MS` later if no view paints;
appended rows, the scroll bar grows once). A zero timer armed by the reset
itself ran before the window's first paint, 0.2 s of a 200k cold start. At
200k messages the whole id list is ~80 ms, which a tab switch or a search
would otherwise wait for before anything is painted. Anything that needs all
ids (:attr:`ids`, a live change, a row not among the first) completes them at once.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from mailwise_desktop.core.changes import MailboxChanges
from mailwise_desktop.store.cache_values import SortKey
from mailwise_desktop.store.summaries import MessageSummary
from mailwise_desktop.ui.i18n import format_datetime, format_size
from mailwise_desktop.ui.icons import attachment_icon, read_problem_icon
from mailwise_desktop.ui.message_list_pages import CACHE_ROWS, PAGE_SIZE, RowPages, Source
from mailwise_desktop.ui.read_problem_words import read_problem_text
from mailwise_desktop.ui.state_badges import PENDING_ROLE, STATE_ROLE, state_label

#: Ids read before the first paint (a screen, with room to scroll a little).
FIRST_ROWS = 2 * PAGE_SIZE
#: The rest of the ids when no view asks for a row (hidden, or no view at all).
COMPLETE_UNPAINTED_MS = 250
FLASH_SECONDS = 1.5
FLASH_COLOUR = "#fde68a"

#: Role carrying the row's cache id; and the whole summary.
ID_ROLE = Qt.ItemDataRole.UserRole + 10
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 11

COL_STATE, COL_OWNER, COL_FROM, COL_SUBJECT, COL_DATE, COL_SIZE, COL_ATTACH = range(7)
#: Sort key per column (None: the column cannot be sorted).
SORT_KEYS: dict[int, SortKey | None] = {
    COL_STATE: "state",
    COL_OWNER: None,
    COL_FROM: "from",
    COL_SUBJECT: "subject",
    COL_DATE: "date",
    COL_SIZE: "size",
    COL_ATTACH: None,
}

Index = QModelIndex | QPersistentModelIndex
# Computed once: views ask for flags very often.
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class MessageListModel(QAbstractTableModel):
    """Rows of the message list; see the module docstring.

    Signals:
        rows_updated(frozenset): rows whose shown content changed or that appeared
            through :meth:`apply_changes` (an echo of what is shown is not one).
    """

    rows_updated = Signal(object)

    def __init__(self, owner_name: Callable[[int | None], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.owner_name = owner_name
        self.locale = QLocale()
        self.source: Source | None = None
        self._ids: list[int] = []
        self._complete = True
        self._generation = 0  # of the source; a late completion of an older one does nothing
        self._armed = False  # the completion after the first paint is queued
        self._index: dict[int, int] | None = {}  # row by id; None: build at first use
        self._pages = RowPages()
        self._pending: dict[int, str] = {}
        self._flash: dict[int, float] = {}
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flashes)
        # Formatted date and size per row, valid while the row's summary object is the
        # one cached (a reloaded row is a new object): Qt asks for each cell several
        # times per paint, and formatting a date through QLocale was the largest
        # Python cost of a repaint in the profile.
        self._texts: dict[int, tuple[MessageSummary, str, str]] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        #: Conversation mode: row id -> messages in its conversation (shown after the subject).
        self.conversation_sizes: dict[int, int] = {}

    # -- the source --------------------------------------------------------

    @property
    def ids(self) -> list[int]:
        """Every listed id in order (completes a list shown from its first ids)."""
        self.ensure_complete()
        return self._ids

    def id_at(self, row: int) -> int | None:
        """The id shown in ``row`` (no completion needed)."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def set_source(self, source: Source | None) -> None:
        """Show another folder / filter / search / order: one query, one reset."""
        self.beginResetModel()
        self.source = source
        self._generation += 1
        # A source without first_ids (a test's fake) is read whole, as before.
        first_ids = getattr(source, "first_ids", None)
        first = first_ids(FIRST_ROWS) if first_ids is not None else None
        if source is None:
            first = []
        if first is not None and len(first) >= FIRST_ROWS:
            self._ids, self._complete, self._armed = first, False, False
            generation = self._generation
            QTimer.singleShot(COMPLETE_UNPAINTED_MS, lambda: self._complete_later(generation))
        else:
            self._ids = first if first is not None else source.ids()  # type: ignore[union-attr]
            self._complete = True
        self._reindex()
        self._pages.clear()
        self._texts.clear()
        self._flash.clear()
        self.endResetModel()

    def ensure_complete(self) -> None:
        """Read the ids after the first ones now (a no-op once they are read)."""
        if self._complete or self.source is None:
            return
        self._complete = True
        full = self.source.ids()
        shown = len(self._ids)
        if full[:shown] == self._ids:
            if len(full) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(full) - 1)
                self._ids = full
                self._reindex()
                self.endInsertRows()
            return
        # The cache changed between the two reads (a sync slice committed): list it anew.
        self.beginResetModel()
        self._ids = full
        self._reindex()
        self._pages.clear()
        self._texts.clear()
        self.endResetModel()

    def _arm_completion(self) -> None:
        self._armed = True
        generation = self._generation
        QTimer.singleShot(0, lambda: self._complete_later(generation))

    def _complete_later(self, generation: int) -> None:
        if generation == self._generation:
            self.ensure_complete()

    def repaint(self) -> None:
        """Repaint every row (owners' names or the language changed; the rows are the same)."""
        self._texts.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COL_ATTACH))

    def _reindex(self) -> None:
        self._index = None  # built at first use: 30 ms at 200k ids a tab switch need not pay

    @property
    def _rows_by_id(self) -> dict[int, int]:
        if self._index is None:
            self._index = {row_id: row for row, row_id in enumerate(self._ids)}
        return self._index

    def row_of(self, row_id: int) -> int | None:
        row = self._rows_by_id.get(row_id)
        if row is None and not self._complete:
            self.ensure_complete()
            row = self._rows_by_id.get(row_id)
        return row

    def summary(self, row: int) -> MessageSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        read = None if self.source is None else self.source.summaries
        return self._pages.get(self._ids, row, read)

    @property
    def pages_loaded(self) -> int:
        """Pages read from the source so far (for tests and the benchmark)."""
        return self._pages.pages_loaded

    # -- Qt model API ------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("State"),
            self.tr("Owner"),
            self.tr("From"),
            self.tr("Subject"),
            self.tr("Date"),
            self.tr("Size"),
            self.tr("Att."),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row_id = self._ids[index.row()]
        if role == ID_ROLE:
            return row_id
        summary = self.summary(index.row())
        if summary is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if not self._complete and not self._armed:
                self._arm_completion()  # a view is painting the first rows
            return self._display(summary, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_SUBJECT and summary.read_problem:
                return read_problem_icon()
            return attachment_icon() if column == COL_ATTACH and summary.has_attachments else None
        if role == Qt.ItemDataRole.FontRole:
            return None if summary.seen else self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(FLASH_COLOUR) if row_id in self._flash else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("black") if row_id in self._flash else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == STATE_ROLE:
            return summary.state
        if role == PENDING_ROLE:
            return self._pending.get(row_id)
        if role == SUMMARY_ROLE:
            return summary
        return None

    def _display(self, summary: MessageSummary, column: int) -> str:
        if column == COL_STATE:
            return self._pending.get(summary.id) or state_label(summary.state)
        if column == COL_OWNER:
            return self.owner_name(summary.owner_slot)
        if column == COL_FROM:
            return summary.from_name or summary.from_email
        if column == COL_SUBJECT:
            subject = summary.subject or self.tr("(no subject)")
            size = self.conversation_sizes.get(summary.id, 1)
            return f"{subject} ({size})" if size > 1 else subject
        if column == COL_DATE:
            return self._formatted(summary)[1]
        if column == COL_SIZE:
            return self._formatted(summary)[2]
        return ""

    def _formatted(self, summary: MessageSummary) -> tuple[MessageSummary, str, str]:
        known = self._texts.get(summary.id)
        if known is not None and known[0] is summary:
            return known
        if summary.date_raw:  # a Date that could not be used is shown as sent
            date = summary.date_raw
        else:
            date = "" if summary.date is None else format_datetime(summary.date, self.locale)
        if len(self._texts) > 2 * CACHE_ROWS:
            self._texts.clear()
        made = (summary, date, format_size(summary.size, self.locale))
        self._texts[summary.id] = made
        return made

    def _tooltip(self, summary: MessageSummary, column: int) -> str | None:
        if column == COL_FROM:
            return summary.from_email
        if column == COL_SUBJECT and summary.read_problem:
            return read_problem_text(summary.read_problem) + "\n" + summary.subject
        if column == COL_SUBJECT:
            return summary.subject
        if column == COL_ATTACH and summary.has_attachments:
            return self.tr("Has attachments")
        if column == COL_STATE and summary.state_problem:
            return summary.state_problem
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source's job (SQL); the view's sort request is forwarded."""
        key = SORT_KEYS.get(column)
        if self.sort_requested is not None and key is not None:
            self.sort_requested(key, order == Qt.SortOrder.DescendingOrder)

    #: Set by the owner: called with (sort key, descending) when a header is clicked.
    sort_requested: Callable[[SortKey, bool], None] | None = None

    # -- pending operations and flashes -----------------------------------

    def set_pending(self, row_id: int, words: str | None) -> None:
        """Show "claiming…" in the state column until the server answers (None clears)."""
        if words is None:
            self._pending.pop(row_id, None)
        else:
            self._pending[row_id] = words
        self._row_changed(row_id)

    def _row_changed(self, row_id: int) -> None:
        row = self._rows_by_id.get(row_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, COL_ATTACH))

    def flash(self, row_ids: Collection[int]) -> None:
        until = time.monotonic() + FLASH_SECONDS
        for row_id in row_ids:
            if row_id in self._rows_by_id:
                self._flash[row_id] = until
        self._flash_timer.start(int(FLASH_SECONDS * 1000) + 50)

    def is_flashing(self, row_id: int) -> bool:
        return row_id in self._flash

    def _end_flashes(self) -> None:
        now = time.monotonic()
        for row_id in [r for r, until in self._flash.items() if until <= now]:
            del self._flash[row_id]
            self._row_changed(row_id)
        if self._flash:
            self._flash_timer.start(200)

    # -- live changes -------------------------------------------------------

    def apply_changes(
        self, changes: MailboxChanges, *, keep: Collection[int] = (), flash: bool = True
    ) -> set[int]:
        """Bring the rows in step with a batch of changes (no reset, no full reload).

        Args:
            keep: ids to keep listed even if they stopped matching (the selection).
            flash: highlight changed rows briefly (a teammate's change).

        Returns:
            The ids whose rows changed or appeared.
        """
        if self.source is None:
            return set()
        self.ensure_complete()
        if changes.rebuilt:
            self.set_source(self.source)
            return set(self.ids)
        touched = list(changes.added | changes.changed)
        before: dict[int, MessageSummary] = {}
        for row_id in touched:
            cached = self._pages.pop(row_id)
            if cached is not None:
                before[row_id] = cached
        matching = self.source.matching(touched) if touched else set()
        gone = set(changes.removed) | {
            i for i in changes.changed if i in self._rows_by_id and i not in matching
        }
        gone -= set(keep) - set(changes.removed)
        self._remove(gone)
        new = [i for i in touched if i in matching and i not in self._rows_by_id]
        if new:
            self._insert(new)
        updated = {i for i in touched if i in self._rows_by_id and self._differs(i, before.get(i))}
        updated |= set(new)
        for row_id in updated:
            self._row_changed(row_id)
        if flash and updated:
            self.flash(updated)
        if updated:
            self.rows_updated.emit(frozenset(updated))
        return updated

    def _differs(self, row_id: int, before: MessageSummary | None) -> bool:
        """Whether the row shows something new (an echo of what is shown does not)."""
        if before is None:
            return True  # not on screen: nothing to compare, the view reads it when shown
        row = self._rows_by_id[row_id]
        after = self.summary(row)
        return after is None or replace(after, modseq=0) != replace(before, modseq=0)

    def _remove(self, gone: set[int]) -> None:
        rows = sorted((self._rows_by_id[i] for i in gone if i in self._rows_by_id), reverse=True)
        index = 0
        while index < len(rows):
            last = first = rows[index]
            while index + 1 < len(rows) and rows[index + 1] == first - 1:
                index += 1
                first = rows[index]
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self.endRemoveRows()
            index += 1
        if rows:
            self._reindex()
        for row_id in gone:
            self._pages.pop(row_id)
            self._flash.pop(row_id, None)

    def _insert(self, new: list[int]) -> None:
        assert self.source is not None
        order = {row_id: n for n, row_id in enumerate(self.source.ids())}
        new = sorted((i for i in new if i in order), key=order.__getitem__)
        # Positions of the listed rows in the new order (kept-but-unmatched rows
        # stay glued to the row before them).
        positions: list[int] = []
        last = -1
        for row_id in self._ids:
            last = order.get(row_id, last)
            positions.append(last)
        for row_id in new:
            row = bisect.bisect_right(positions, order[row_id])
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, row_id)
            positions.insert(row, order[row_id])
            self.endInsertRows()
        self._reindex()
