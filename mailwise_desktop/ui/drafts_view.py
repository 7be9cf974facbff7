"""Drafts: View ▸ Drafts… lists every unsent draft, and drafts open at a crash come back.

Every compose window autosaves its draft to the profile's local database
(:class:`~mailwise_desktop.send.drafts.DraftStore`), so a crash loses at most a
few seconds of typing. What a crash loses is the *window*: this module keeps
the ids of the drafts open in compose windows in a small file in the profile,
emptied on a clean quit. A file still listing drafts at start means Mailwise
stopped while they were open; the window then says so and offers to open them
again. The Drafts window lists every saved draft, to open or discard.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.notice_bar import NoticeBar
from mailwise_desktop.ui.plain_question import ask_yes_cancel

log = logging.getLogger(__name__)

OPEN_DRAFTS_FILE = "open-drafts.json"
_MAX_REOPEN = 20  # a damaged file never opens a hundred windows


class OpenDrafts:
    """The ids of drafts open in compose windows, kept in a file in the profile."""

    def __init__(self, profile_root: Path) -> None:
        self.path = profile_root / OPEN_DRAFTS_FILE

    def read(self) -> list[tuple[str, str]]:
        """(account id, draft id) pairs; a missing or damaged file reads as none."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, list):
            return []
        pairs = [
            (str(item[0]), str(item[1]))
            for item in data
            if isinstance(item, list) and len(item) == 2
        ]
        return pairs[:_MAX_REOPEN]

    def _write(self, pairs: list[tuple[str, str]]) -> None:
        try:
            if pairs:
                self.path.write_text(json.dumps([list(p) for p in pairs]), encoding="utf-8")
            else:
                self.path.unlink(missing_ok=True)
        except OSError as exc:  # a full disk must not stop anyone writing
            log.warning("open drafts not recorded: %s", exc)

    def opened(self, account_id: str, draft_id: str) -> None:
        pairs = [p for p in self.read() if p[1] != draft_id]
        self._write([*pairs, (account_id, draft_id)])

    def closed(self, draft_id: str) -> None:
        self._write([p for p in self.read() if p[1] != draft_id])

    def clear(self) -> None:
        self._write([])


class DraftsDialog(QDialog):
    """Every saved draft (newest first) with Open and Discard."""

    def __init__(
        self,
        services: dict[str, SendingService],
        open_draft: Callable[[SendingService, Draft], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("draftsDialog")
        self.services = services
        self.open_draft = open_draft
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("draftsTree")
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.open_selected())
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel(self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setObjectName("draftsEmpty")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openDraftButton")
        self.open_button.clicked.connect(self.open_selected)
        self.discard_button = QPushButton(self)
        self.discard_button.setObjectName("discardDraftButton")
        self.discard_button.clicked.connect(self.discard_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.retranslate()
        self.resize(640, 380)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Drafts"))
        self.tree.setHeaderLabels([self.tr("Subject"), self.tr("To"), self.tr("Saved")])
        self.empty.setText(self.tr("No drafts: every mail you started has been sent or discarded."))
        self.open_button.setText(self.tr("Open"))
        self.discard_button.setText(self.tr("Discard…"))
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        for account_id, service in self.services.items():
            try:
                drafts = service.drafts.saved(account_id)
            except MailwiseError as exc:
                log.warning("drafts of %s not listed: %s", account_id, exc)
                continue
            for draft, updated in drafts:
                to = ", ".join(r.email for r in draft.to)
                saved = time.strftime("%Y-%m-%d %H:%M", time.localtime(updated))
                item = QTreeWidgetItem(
                    self.tree, [draft.subject or self.tr("(no subject)"), to, saved]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, (account_id, draft.id))
        has_any = self.tree.topLevelItemCount() > 0
        self.tree.setVisible(has_any)
        self.empty.setVisible(not has_any)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _selected(self) -> tuple[SendingService, str] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        account_id, draft_id = item.data(0, Qt.ItemDataRole.UserRole)
        return self.services[account_id], draft_id

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        self.open_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)

    def open_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        service, draft_id = chosen
        self.open_draft(service, service.drafts.load(draft_id))
        self.accept()

    def discard_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        service, draft_id = chosen
        if ask_yes_cancel(
            self,
            self.tr("Discard draft"),
            self.tr("Discard this draft for good? It has not been sent."),
        ):
            service.drafts.delete(draft_id)
            self.reload()


class DraftsMenu(QObject):
    """View ▸ Drafts…, and the drafts a crash left open, offered again at start.

    Args:
        window: the main window; menu: where the entry goes (View).
        profile_root: the profile folder (the open-drafts file lives there).
        services: the window's sending service per account (the outbox's dict).
        open_draft: opens a compose window for a draft (the reply launcher's).
        notice: the bar that offers the drafts back.
    """

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        *,
        profile_root: Path,
        services: Callable[[], dict[str, SendingService]],
        open_draft: Callable[[SendingService, Draft], object],
        notice: NoticeBar,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.open_draft = open_draft
        self.notice = notice
        self.open_drafts = OpenDrafts(profile_root)
        self.dialog: DraftsDialog | None = None
        self._recovered = False
        self.action = QAction(window)
        self.action.setObjectName("actionDrafts")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.action.triggered.connect(self._show)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def show(self) -> DraftsDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = DraftsDialog(self.services(), self.open_draft, self.window)
        self.dialog.show()
        return self.dialog

    def _show(self) -> None:
        self.show()

    def watch(self, draft: Draft, window: QObject) -> None:
        """Remember ``draft`` as open until its compose window is really gone."""
        self.open_drafts.opened(draft.account_id, draft.id)
        window.destroyed.connect(lambda _o=None, d=draft.id: self.open_drafts.closed(d))

    def clean_exit(self) -> None:
        """The app quits normally: nothing was left open by a crash."""
        self.open_drafts.clear()

    def accounts_loaded(self) -> None:
        """The window knows its accounts: the first time, offer what a crash left open."""
        if not self._recovered and self.services():
            self._recovered = True
            self.recover()

    def recover(self) -> list[Draft]:
        """Drafts open when Mailwise last stopped without quitting; offered in the notice bar."""
        left = self.open_drafts.read()
        self.open_drafts.clear()
        services = self.services()
        found: list[tuple[SendingService, Draft]] = []
        for account_id, draft_id in left:
            service = services.get(account_id)
            if service is None:
                continue
            try:
                found.append((service, service.drafts.load(draft_id)))
            except MailwiseError:
                continue  # sent or discarded since
        if found:
            if len(found) == 1:
                text = self.tr("Mailwise stopped while a draft was open. It was saved.")
            else:
                text = self.tr(
                    "Mailwise stopped while %1 drafts were open. They were saved."
                ).replace("%1", str(len(found)))
            self.notice.show_notice(
                text,
                kind="warning",
                actions=[(self.tr("Open them"), lambda: self._reopen(found))],
            )
        return [draft for _service, draft in found]

    def _reopen(self, found: list[tuple[SendingService, Draft]]) -> None:
        self.notice.hide()
        for service, draft in found:
            self.open_draft(service, draft)

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Drafts…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
