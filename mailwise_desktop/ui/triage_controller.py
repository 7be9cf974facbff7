r"""What the workspace does: folders, filters, the selection, live changes, notes.

Reads are short indexed SELECTs through the services on the UI thread;
server work (operations, notes, body downloads) goes to the account's engine
as :class:`~mailwise_desktop.ui.background.EngineOp`\ s. Every change reaches
the views through :class:`~mailwise_desktop.ui.change_broadcast.ChangeBroadcast`,
once, with its initiator: :meth:`TriageController.on_changes` merges it into
the list, the counts and the open message, and highlights only what came
from the server (a teammate). The handling operations are in ``ui/operations.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QLocale, QObject, Qt, QTimer, Signal

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.services.account_services import CoordinationsByAccount
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.message_list import CachedTeam, FolderReader, MessageListSource
from mailwise_desktop.services.reading import OpenedMessage
from mailwise_desktop.store.cache_values import SortKey
from mailwise_desktop.store.direct_list import DirectListReader
from mailwise_desktop.store.list_filter import ListFilter, Tab
from mailwise_desktop.store.summaries import MessageSummary
from mailwise_desktop.ui.background import BackgroundOps, EngineOp
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.engine_bridge import EngineBridge
from mailwise_desktop.ui.error_words import kind_sentence
from mailwise_desktop.ui.folder_tree import FolderRef
from mailwise_desktop.ui.message_list_model import COL_DATE, MessageListModel
from mailwise_desktop.ui.triage_actions import TriageActions
from mailwise_desktop.ui.workspace import Workspace

if TYPE_CHECKING:  # made on first use, after the first paint (ui/main_window.py)
    from mailwise_desktop.services.account_services import AccountServices
    from mailwise_desktop.services.coordination import CoordinationService

log = logging.getLogger(__name__)

COUNTS_DELAY_MS = 300  # several changes in a burst: the counts are read once


class TriageController(QObject):
    """Drives one :class:`Workspace` for the profile's accounts.

    Signals:
        counts_updated: the folder and tab counts shown changed.
        message_updated(int): the open message was shown again with new content.
    """

    counts_updated = Signal()
    message_updated = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        bridge: EngineBridge,
        workspace: Workspace,
        actions: TriageActions,
        *,
        ops: BackgroundOps,
        changes: ChangeBroadcast,
        direct: DirectListReader | None = None,
    ) -> None:
        super().__init__(workspace)
        self.ctx = ctx
        self.bridge = bridge
        self.ops = ops
        self.changes = changes
        self.workspace = workspace
        self.actions = actions
        self.reading = workspace.reading_pane.reading
        self.direct = direct  # the window's sqlite3 reader of the list (None: the ORM path)
        self.folders = FolderReader(ctx, direct)
        #: Names and my slot until the window's services are built (None from then on).
        self.cached_team: CachedTeam | None = None if direct is None else CachedTeam(ctx, direct)
        self.accounts: dict[str, Account] = {}
        self.services: dict[str, AccountServices] = {}
        self.coordination: Mapping[str, CoordinationService] = CoordinationsByAccount(self.services)
        self.names: dict[str, dict[int, str]] = {}
        self.current: FolderRef | None = None
        self.filter: ListFilter | None = None
        self._counts_shown: object = None
        self._shown_message: tuple[OpenedMessage, str] | None = None
        self._downloads: set[int] = set()
        #: Set by the conversations toggle (ui/conversation_view.py): one row per conversation.
        self.list_collapse: Callable[[str, list[int]], list[int]] | None = None
        self.model = MessageListModel(self.owner_name, workspace)
        self.model.sort_requested = self.sort_by
        view = workspace.message_list
        view.setModel(self.model)
        workspace.init_columns()
        # Newest first; set before sorting is enabled, which sorts by the indicator.
        view.horizontalHeader().setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        view.setSortingEnabled(True)
        view.selectionModel().selectionChanged.connect(self._selection_changed)
        workspace.folder_tree.folder_chosen.connect(self.choose_folder)
        workspace.filter_bar.tab_changed.connect(lambda _tab: self.reload_list())
        workspace.filter_bar.search_changed.connect(lambda _words: self.reload_list())
        workspace.reading_pane.download_requested.connect(self.download_body)
        workspace.team_panel.note_submitted.connect(self.add_note)
        changes.published.connect(self.on_changes)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)

    # -- accounts and folders ---------------------------------------------

    def set_accounts(self, services: list[AccountServices], state: dict[str, Any]) -> None:
        """Show these accounts; open the folder and tab remembered in ``state``."""
        self.services = {s.account.id: s for s in services}
        self.accounts = {s.account.id: s.account for s in services}
        self.coordination = CoordinationsByAccount(self.services)  # each made on first use
        self._load_names()
        remembered_value = state.get("filter")
        remembered: dict[str, Any] = remembered_value if isinstance(remembered_value, dict) else {}
        tab = remembered.get("tab")
        if isinstance(tab, str) and tab in Tab.__members__.values():
            self.workspace.filter_bar.tabs.blockSignals(True)
            self.workspace.filter_bar.set_tab(Tab(tab))
            self.workspace.filter_bar.tabs.blockSignals(False)
        target = self._find_folder(remembered.get("account"), remembered.get("mailbox"))
        if target is not None:
            self.choose_folder(target)  # counts the folders and the tabs, once
        else:
            self.refresh_counts()
            self.workspace.show_empty_list(
                self.tr("Nothing has been downloaded yet. The first sync is running…")
            )

    def _find_folder(self, account_id: Any, mailbox: Any) -> FolderRef | None:
        first: FolderRef | None = None
        for aid in self.accounts:
            for box in self.folders.folders(aid):
                ref = FolderRef(aid, box.name, box.id)
                first = first or ref
                if (aid, box.name) == (account_id, mailbox):
                    return ref
        return first

    def _load_names(self) -> bool:
        """Read the owners' names; True when they differ from the ones shown."""
        names = {aid: {t.slot: t.label for t in self._roster(aid)} for aid in self.services}
        changed = names != self.names
        self.names = names
        return changed

    def _roster(self, account_id: str) -> list[Teammate]:
        if self.cached_team is not None:
            return self.cached_team.roster(account_id).teammates
        return self.coordination[account_id].roster()

    def me(self, account_id: str | None = None) -> Teammate | None:
        aid = account_id or (self.current.account_id if self.current else None)
        if self.cached_team is not None and aid in self.accounts:
            return self.cached_team.me(self.accounts[aid or ""])
        service = self.coordination.get(aid or "")
        return service.me() if service is not None else None

    def owner_name(self, slot: int | None) -> str:
        if slot is None or self.current is None:
            return ""
        return self.names.get(self.current.account_id, {}).get(slot) or self.tr("slot %1").replace(
            "%1", str(slot)
        )

    def refresh_counts(self) -> None:
        """Counts on the folder tree and the tabs (a GROUP BY per folder, the current one's reused).

        Shown again only when they differ from what is shown (an echo of a
        change already counted moves nothing).
        """
        tree: list[tuple[str, list[Any]]] = []
        counts: dict[int, dict[str, int]] = {}
        for aid in self.accounts:
            boxes = self.folders.folders(aid)
            tree.append((aid, boxes))
            for box in boxes:
                counts[box.id] = self.folders.state_counts(box.id)
        tabs = None
        if self.current is not None:
            me = self.me()
            current_id = self.current.mailbox_id
            tabs = self.folders.counts(current_id, me.slot if me else None, counts.get(current_id))
        shown = (tree, counts, tabs, self.current)
        if shown == self._counts_shown:
            return
        self._counts_shown = shown
        self.workspace.folder_tree.populate(tree, counts)
        if tabs is not None:
            self.workspace.filter_bar.set_counts(tabs)
        self.counts_updated.emit()

    def choose_folder(self, ref: FolderRef) -> None:
        self.current = replace(ref, tab=None)
        self.workspace.folder_tree.mark_current(ref.account_id, ref.mailbox)
        if ref.tab is not None:
            self.workspace.filter_bar.tabs.blockSignals(True)
            self.workspace.filter_bar.set_tab(ref.tab)
            self.workspace.filter_bar.tabs.blockSignals(False)
        self.reload_list()
        self.refresh_counts()

    # -- the list ----------------------------------------------------------

    def reload_list(self, sort: SortKey | None = None, descending: bool | None = None) -> None:
        """A new source for the current folder, tab, search and order: one query, one reset."""
        if self.current is None:
            return
        me = self.me()
        previous = self.filter
        bar = self.workspace.filter_bar
        self.filter = ListFilter(
            mailbox_id=self.current.mailbox_id,
            tab=bar.tab,
            me=me.slot if me else None,
            search=bar.search.text().strip(),
            sort=sort or (previous.sort if previous else "date"),
            descending=descending
            if descending is not None
            else (previous.descending if previous else True),
        )
        selected = self.selected_ids()
        account_id, collapse = self.current.account_id, self.list_collapse
        self.model.set_source(
            MessageListSource(
                self.ctx,
                account_id,
                self.current.mailbox,
                self.filter,
                None if collapse is None else (lambda ids: collapse(account_id, ids)),
                direct=self.direct,
            )
        )
        self._update_empty_text()
        for row_id in selected:
            row = self.model.row_of(row_id)
            if row is not None:
                self.workspace.message_list.setCurrentIndex(self.model.index(row, 0))
                break
        else:
            self._selection_changed()

    def sort_by(self, key: SortKey, descending: bool) -> None:
        self.reload_list(key, descending)

    def _update_empty_text(self) -> None:
        if self.model.rowCount():
            self.workspace.show_empty_list(None)
            return
        assert self.filter is not None
        ws = self.workspace
        if self.filter.search:
            text = self.tr("No message matches “%1”.").replace("%1", self.filter.search)
        elif self.filter.tab is Tab.UNHANDLED:
            text = self.tr("Nothing unhandled. Well done!")
        elif self.filter.tab is Tab.MINE:
            text = (
                self.tr("Nothing is waiting for you.")
                if self.filter.me is not None
                else self.tr("Say who you are (Actions ▸ Who am I…) to see your messages.")
            )
        else:
            text = self.tr("No messages here.")
        ws.show_empty_list(text)

    def selected_ids(self) -> list[int]:
        view = self.workspace.message_list
        rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def selected_summaries(self) -> list[MessageSummary]:
        view = self.workspace.message_list
        rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
        return [s for s in (self.model.summary(r) for r in rows) if s is not None]

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        selection = self.selected_summaries()
        me = self.me()
        self.actions.update_for(selection, me.slot if me else None)
        if len(selection) == 1:
            self.show_message(selection[0].id)
        else:
            self.workspace.reading_pane.clear()
            self.workspace.team_panel.show_entries([], [])
            self.workspace.team_panel.set_enabled_for_message(False)

    def show_message(self, row_id: int) -> None:
        if self.current is None:
            return
        opened = self.reading.load(self.current.account_id, self.current.mailbox, row_id)
        if opened is None:
            self._shown_message = None
            self.workspace.reading_pane.clear()
            return
        owner = self.owner_name(opened.summary.owner_slot)
        self._shown_message = _as_shown(opened, owner)
        self.workspace.reading_pane.show_message(opened, owner)
        self.refresh_team_panel(opened.summary)

    def _update_open_message(self, row_id: int) -> None:
        """A change touched the open message: show it again if what the pane shows differs."""
        if self.current is None:
            return
        opened = self.reading.load(self.current.account_id, self.current.mailbox, row_id)
        if opened is None:
            self.show_message(row_id)
            return
        owner = self.owner_name(opened.summary.owner_slot)
        if _as_shown(opened, owner) == self._shown_message:
            return  # e.g. the IDLE echo of our own STORE: nothing new to show
        self._shown_message = _as_shown(opened, owner)
        self.workspace.reading_pane.show_message(opened, owner)
        self.refresh_team_panel(opened.summary)
        self.message_updated.emit(row_id)

    def refresh_team_panel(self, summary: MessageSummary) -> None:
        assert self.current is not None
        service = self.coordination[self.current.account_id]
        try:
            notes = service.notes(summary.uid, mailbox=self.current.mailbox)
            history = service.history(summary.uid, mailbox=self.current.mailbox)
        except MailwiseError as exc:
            log.info("notes/history unavailable: %s", exc)
            notes, history = [], []
        panel = self.workspace.team_panel
        panel.show_entries(notes, history)
        panel.set_enabled_for_message(True)

    # -- live changes --------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: object | None = None) -> None:
        """Merge one published change: rows, counts, the open message, notes.

        Rows whose shown content did not change are left alone (the model
        compares), so the IDLE echo of our own STORE moves nothing. Only
        changes from the server (``initiator`` None: a teammate) flash.
        """
        if changes.team_records and self._load_names():
            self.model.repaint()
        touched_selected = False
        selected = set(self.selected_ids())
        for batch in changes.mailboxes:
            if batch.empty:
                continue
            self._counts_timer.start()
            current = self.current
            if current is None:
                if batch.account_id in self.accounts and batch.mailbox.upper() == "INBOX":
                    self.set_accounts(list(self.services.values()), {})
                continue
            if (batch.account_id, batch.mailbox) != (current.account_id, current.mailbox):
                continue
            updated = self.model.apply_changes(batch, keep=selected, flash=initiator is None)
            touched_selected |= bool(selected & updated)
            self._update_empty_text()
        if len(selected) != 1 or not (touched_selected or changes.team_records):
            return
        summaries = self.selected_summaries()
        if touched_selected and summaries:
            me = self.me()
            self.actions.update_for(summaries, me.slot if me else None)
            self._update_open_message(summaries[0].id)
        elif summaries:
            self.refresh_team_panel(summaries[0])  # new notes or history

    # -- server work ------------------------------------------------------

    def download_body(self, row_id: int) -> None:
        if self.current is None or row_id in self._downloads:
            return
        account = self.accounts[self.current.account_id]
        self._downloads.add(row_id)
        job = self.reading.body_job(account, self.current.mailbox, row_id)
        EngineOp(account.id, job).success(
            lambda changes: self._downloaded(row_id, changes)
        ).failure(lambda error: self._download_failed(row_id, error)).run_in(self.ops)

    def _downloaded(self, row_id: int, changes: Changes) -> None:
        self._downloads.discard(row_id)
        self.changes.publish(changes, self)

    def _download_failed(self, row_id: int, error: BaseException) -> None:
        self._downloads.discard(row_id)
        if row_id in self.selected_ids():
            message = getattr(error, "message", str(error))
            self.workspace.reading_pane.notice.show_notice(
                self.tr("The message could not be downloaded: %1").replace("%1", message),
                kind="error",
                detail=getattr(error, "detail", None) or str(error),
            )

    def add_note(self, text: str) -> None:
        selection = self.selected_summaries()
        if self.current is None or len(selection) != 1:
            return
        summary, mailbox = selection[0], self.current.mailbox
        account_id = self.current.account_id
        service = self.coordination[account_id]
        panel = self.workspace.team_panel
        panel.note_sending(True)

        def added(changes: Changes) -> None:
            panel.note_added()
            self.changes.publish(changes, self)
            if summary.id in self.selected_ids():
                self.refresh_team_panel(summary)

        def failed(error: BaseException) -> None:
            panel.note_sending(False)
            self.show_error(error, self.tr("The note was not added."))

        try:
            job = service.note_job(summary.uid, text, mailbox=mailbox)
        except MailwiseError as exc:
            failed(exc)
            return
        EngineOp(account_id, job).success(added).failure(failed).run_in(self.ops)

    def show_error(self, error: BaseException, lead: str = "") -> None:
        """An error in plain words on the list's notice bar, details on demand."""
        # A kind of ours is worded for the window (ui/error_words.py), not as the CLI says it.
        message = (
            kind_sentence(error)
            or getattr(error, "message", None)
            or self.tr("Something went wrong.")
        )
        detail = getattr(error, "detail", None) or f"{type(error).__name__}: {error}"
        text = f"{lead} {message}".strip()
        self.workspace.notice.show_notice(text, kind="error", detail=detail)

    def locale(self) -> QLocale:
        return QLocale()

    def run_later(self, callback: Callable[[], None], ms: int = 0) -> None:
        QTimer.singleShot(ms, callback)


def _as_shown(opened: OpenedMessage, owner: str) -> tuple[OpenedMessage, str]:
    """What the reading pane shows of a message: all but its MODSEQ."""
    return replace(opened, summary=replace(opened.summary, modseq=0)), owner
