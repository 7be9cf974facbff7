"""What the window's list shows: the filter tabs and one filter (no SQLAlchemy here).

The queries that read a filter are in store/triage_queries.py (ORM) and
store/direct_list.py (plain sqlite3, the window's first page).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mailwise_desktop.core.states import OWNED_STATES, HandlingState
from mailwise_desktop.store.cache_values import SortKey

#: Search results are capped: a search is for finding, not for listing a mailbox.
SEARCH_LIMIT = 5000


class Tab(StrEnum):
    """The filter tabs of the message list (未処理 / 自分の担当 / 処理中 / 保留 / 完了 / すべて)."""

    UNHANDLED = "unhandled"
    MINE = "mine"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    CLOSED = "closed"  # done and no reply needed: nothing left to do
    ALL = "all"


TAB_STATES: dict[Tab, tuple[str, ...]] = {
    Tab.UNHANDLED: (HandlingState.UNHANDLED,),
    Tab.MINE: tuple(sorted(OWNED_STATES)),
    Tab.IN_PROGRESS: (HandlingState.IN_PROGRESS,),
    Tab.ON_HOLD: (HandlingState.ON_HOLD,),
    Tab.CLOSED: (HandlingState.DONE, HandlingState.NO_REPLY_NEEDED),
    Tab.ALL: (),
}


@dataclass(frozen=True)
class ListFilter:
    """What the list shows: a folder, a tab, an optional search, an order.

    Attributes:
        mailbox_id: the cache id of the folder.
        tab: the filter tab.
        me: my owner slot (``Tab.MINE`` is empty without one).
        search: words to find (FTS over subject, sender, body); empty for none.
        sort: the sort column; ``descending`` its direction.
    """

    mailbox_id: int
    tab: Tab = Tab.ALL
    me: int | None = None
    search: str = ""
    sort: SortKey = "date"
    descending: bool = True
