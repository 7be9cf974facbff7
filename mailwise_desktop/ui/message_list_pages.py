"""The message list's rows, read a page at a time into a bounded cache.

:class:`~.message_list_model.MessageListModel` holds every id of the list
(``rowCount() == len(ids)``); the summaries behind them are read only when a
view asks for a row, :data:`PAGE_SIZE` at a time, and at most
:data:`CACHE_ROWS` stay (least recently shown go first). A changed or removed
row is evicted and read again when shown.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

from mailwise_desktop.store.summaries import MessageSummary

PAGE_SIZE = 200
CACHE_ROWS = 2000

#: Reads the summaries of some ids (``Source.summaries``).
Read = Callable[[list[int]], list[MessageSummary]]


class Source(Protocol):
    """What the model reads (``services/message_list.py: MessageListSource``).

    It may also have ``first_ids(limit) -> list[int] | None``: the first ids of
    :meth:`ids` (None when it cannot say without reading them all).
    """

    def ids(self) -> list[int]: ...
    def matching(self, ids: list[int]) -> set[int]: ...
    def summaries(self, ids: list[int]) -> list[MessageSummary]: ...


class RowPages:
    """The summaries of the rows shown lately, by cache id."""

    def __init__(self) -> None:
        self._rows: OrderedDict[int, MessageSummary] = OrderedDict()
        self.pages_loaded = 0  # for tests and the benchmark

    def get(self, ids: Sequence[int], row: int, read: Read | None) -> MessageSummary | None:
        """The summary at ``row`` of ``ids``; its page is read through ``read`` if missing."""
        row_id = ids[row]
        cached = self._rows.get(row_id)
        if cached is not None:
            self._rows.move_to_end(row_id)
            return cached
        if read is None:
            return None
        start = (row // PAGE_SIZE) * PAGE_SIZE
        page = [i for i in ids[start : start + PAGE_SIZE] if i not in self._rows]
        for summary in read(page):
            self._rows[summary.id] = summary
        self.pages_loaded += 1
        while len(self._rows) > CACHE_ROWS:
            self._rows.popitem(last=False)
        return self._rows.get(row_id)

    def pop(self, row_id: int) -> MessageSummary | None:
        """Forget one row (changed or gone); what was cached for it."""
        return self._rows.pop(row_id, None)

    def clear(self) -> None:
        self._rows.clear()
