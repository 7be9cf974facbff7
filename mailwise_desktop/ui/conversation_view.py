"""Conversations in the main window: the list toggle and the conversation tab beside the message.

View ▸ Show conversations turns the list into one row per conversation (its
newest listed message, the conversation's size after the subject); the
reading area gains a "Conversation" tab with the whole thread of the shown
message (:class:`ui.conversation_pane.ConversationPane`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget

from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.conversations import ConversationService
from mailwise_desktop.ui.conversation_pane import ConversationPane
from mailwise_desktop.ui.triage_controller import TriageController


class ConversationView(QObject):
    """Owns the toggle action, the conversation tab and one service per account."""

    def __init__(
        self, window: QMainWindow, menu: QMenu, ctx: AppContext, controller: TriageController
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.controller = controller
        workspace = controller.workspace
        reading = workspace.reading_pane
        splitter = workspace.reader_splitter
        index = splitter.indexOf(reading)
        sizes = splitter.sizes()  # the restored layout: the swap below keeps it
        self.tabs = QTabWidget(splitter)
        self.tabs.setObjectName("readerTabs")
        self.tabs.setDocumentMode(True)
        self.pane = ConversationPane(self.tabs)
        self.tabs.addTab(reading, "")
        self.tabs.addTab(self.pane, "")
        splitter.insertWidget(index, self.tabs)
        splitter.setSizes(sizes)
        # Built after the window is shown (first paint comes first): a widget moved
        # into a new parent is hidden until shown again, and the splitter would
        # give the swapped-in widget whatever size is left.
        reading.show()
        self.tabs.show()
        reading.message_shown.connect(self.show_conversation)

        self.action = QAction(window)
        self.action.setObjectName("actionConversations")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+V"))  # T is Transfer
        self.action.toggled.connect(self.set_conversation_list)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def service(self, account_id: str) -> ConversationService | None:
        services = self.controller.services.get(account_id)
        return services.conversations if services is not None else None

    def set_conversation_list(self, on: bool) -> None:
        """One row per conversation (on) or every message (off), then reload the list."""
        self.controller.list_collapse = self._collapse if on else None
        if not on:
            self.controller.model.conversation_sizes = {}
        self.controller.reload_list()

    def _collapse(self, account_id: str, ids: list[int]) -> list[int]:
        service = self.service(account_id)
        if service is None:
            return ids
        shown, sizes = service.collapse(ids)
        self.controller.model.conversation_sizes = sizes
        return shown

    def show_conversation(self, account_id: str, row_id: int) -> None:
        service = self.service(account_id)
        entries = service.thread(row_id) if service is not None else []
        self.pane.show_entries(entries, row_id)
        self._retitle()

    def _retitle(self) -> None:
        mails = sum(1 for c in self.pane.cards if c.entry.row_id)
        self.tabs.setTabText(0, self.tr("Message"))
        title = self.tr("Conversation")
        self.tabs.setTabText(1, f"{title} ({mails})" if mails > 1 else title)

    def retranslate(self) -> None:
        self.action.setText(self.tr("Show &conversations"))
        self.action.setToolTip(self.tr("List one row per conversation instead of every message"))
        self._retitle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
