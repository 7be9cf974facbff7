"""The filter tabs with live counts (未処理 / 自分の担当 / 処理中 / 保留 / 完了 / すべて) and search."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QTabBar, QWidget

from mailwise_desktop.store.list_filter import Tab

TABS: tuple[Tab, ...] = (Tab.UNHANDLED, Tab.MINE, Tab.IN_PROGRESS, Tab.ON_HOLD, Tab.CLOSED, Tab.ALL)
SEARCH_DELAY_MS = 250


def tab_label(tab: Tab) -> str:
    labels = {
        Tab.UNHANDLED: QCoreApplication.translate("FilterBar", "Unhandled"),
        Tab.MINE: QCoreApplication.translate("FilterBar", "Mine"),
        Tab.IN_PROGRESS: QCoreApplication.translate("FilterBar", "In progress"),
        Tab.ON_HOLD: QCoreApplication.translate("FilterBar", "On hold"),
        Tab.CLOSED: QCoreApplication.translate("FilterBar", "Done"),
        Tab.ALL: QCoreApplication.translate("FilterBar", "All"),
    }
    return labels[tab]


class FilterBar(QWidget):
    """Tabs over the list plus the search box.

    Signals:
        tab_changed(Tab): another tab was chosen.
        search_changed(str): the search words changed (debounced).
    """

    tab_changed = Signal(object)
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("filterTabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.tabs.setUsesScrollButtons(True)
        for _ in TABS:
            self.tabs.addTab("")
        self.tabs.currentChanged.connect(lambda i: self.tab_changed.emit(TABS[i]))
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.tabs, 1)
        row.addWidget(self.search)
        self.counts: dict[Tab, int] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search subject, sender, text…"))
        self.set_counts(self.counts)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _search_now(self) -> None:
        self._timer.stop()
        self.search_changed.emit(self.search.text().strip())

    @property
    def tab(self) -> Tab:
        return TABS[max(0, self.tabs.currentIndex())]

    def set_tab(self, tab: Tab) -> None:
        self.tabs.setCurrentIndex(TABS.index(tab))

    def set_counts(self, counts: dict[Tab, int]) -> None:
        """Put each tab's count next to its name ("Unhandled 12"); done and all show none."""
        self.counts = dict(counts)
        for index, tab in enumerate(TABS):
            count = counts.get(tab)
            show = count is not None and tab not in (Tab.CLOSED, Tab.ALL)
            self.tabs.setTabText(index, f"{tab_label(tab)} {count}" if show else tab_label(tab))
