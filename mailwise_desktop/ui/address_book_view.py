"""The address book in the main window: View ▸ Address book…, and the sender card beside the mail.

The card sits at the right of the reading area (message and conversation
tabs) and follows the shown message; "Contact page…" on it opens the address
book window on that sender. Edits in the window run as engine jobs of the
account (a record in the team mailbox).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QMenu, QWidget

from mailwise_desktop.core.contact_cards import canonical_address
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.services.address_book import SaveOutcome
from mailwise_desktop.services.contact_history import ContactHistory
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store import queries
from mailwise_desktop.store.conversations import our_addresses
from mailwise_desktop.ui.background import BackgroundOps, EngineOp
from mailwise_desktop.ui.contact_window import ContactWindow
from mailwise_desktop.ui.sender_card import SenderCardPanel
from mailwise_desktop.ui.triage_controller import TriageController

log = logging.getLogger(__name__)


class AddressBookView(QObject):
    """Owns the menu action, the address book window and the sender card."""

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        *,
        ctx: AppContext,
        controller: TriageController,
        ops: BackgroundOps,
        reading_area: QWidget,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.controller = controller
        self.ops = ops
        self.dialog: ContactWindow | None = None
        self.account_id: str | None = None
        splitter = controller.workspace.reader_splitter
        index = splitter.indexOf(reading_area)
        sizes = splitter.sizes()  # the restored layout: the swap below keeps it
        holder = QWidget(splitter)
        holder.setObjectName("readingWithSender")
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(reading_area, 1)
        self.card = SenderCardPanel(holder)
        row.addWidget(self.card)
        splitter.insertWidget(index, holder)
        splitter.setSizes(sizes)
        # Built after the window is shown (first paint comes first): a widget moved
        # into a new parent is hidden until shown again, and the splitter would
        # give the swapped-in widget whatever size is left.
        reading_area.show()
        holder.show()
        self.card.open_contact.connect(self.open_contact)
        controller.workspace.reading_pane.message_shown.connect(self.show_sender)
        self.action = QAction(window)
        self.action.setObjectName("actionAddressBook")
        self.action.triggered.connect(self._menu_chosen)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def history(self, account_id: str | None = None) -> ContactHistory | None:
        services = self.controller.services.get(account_id or self.account_id or "")
        return services.contact_history if services is not None else None

    def show_sender(self, account_id: str, row_id: int) -> None:
        """Fill the sender card for the message shown (hidden for our own mail)."""
        self.account_id = account_id
        history = self.history(account_id)
        try:
            with self.ctx.cache.transaction() as session:
                found = queries.summaries(session, [row_id])
                ours = our_addresses(
                    session, account_id, history.account.address if history else ""
                )
            summary = found[0] if found else None
            address = summary.from_email if summary else ""
            if history is None or not address or canonical_address(address) in ours:
                self.card.show_card(None)
                return
            self.card.show_card(history.sender_card(address, summary.from_name if summary else ""))
        except MailwiseError as exc:  # a cache problem: no card, the mail still shows
            log.info("sender card not shown: %s", exc.message)
            self.card.show_card(None)

    def _run(
        self,
        job: Callable[[EngineContext], SaveOutcome],
        success: Callable[[SaveOutcome], object],
        failure: Callable[[BaseException], object],
    ) -> None:
        if self.account_id is None:
            failure(MailwiseError("No mailbox is set up yet."))
            return
        EngineOp(self.account_id, job).success(success).failure(failure).run_in(self.ops)

    def show(self, address: str | None = None) -> ContactWindow | None:
        """Open the address book (on ``address`` when given)."""
        if self.account_id is None and self.controller.accounts:
            self.account_id = next(iter(self.controller.accounts))
        history = self.history()
        if history is None:
            return None
        if self.dialog is None or self.dialog.history.account.id != history.account.id:
            self.dialog = ContactWindow(history, self._run, self.window, self.ops)
        self.dialog.reload(canonical_address(address) if address else None)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _menu_chosen(self) -> None:
        self.show()

    def open_contact(self, address: str) -> None:
        self.show(address)

    def retranslate(self) -> None:
        self.action.setText(self.tr("Address &book…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
