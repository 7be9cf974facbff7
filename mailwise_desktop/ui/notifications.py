"""System notifications (tray / notification centre) for what concerns me.

New mail in the shared inbox, a message given to me by a teammate, an
approval asked of me, a decision on my mail. Each kind has its setting
(``notify_*`` in core/settings.py); nothing is shown while the window is the
active one (the user sees it already). Clicking a notice opens what it is
about. Everything is read from the cache and the outbox (local reads): the
engine and the outbox controller keep those current.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.send.outbox import OutboxState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store import queries, team_cache
from mailwise_desktop.store.service_rows import newest_message_row, rows_owned_by
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.outbox_controller import OutboxController
from mailwise_desktop.ui.triage_controller import TriageController

#: Seconds between two looks at approvals (cache and outbox: local reads).
APPROVAL_POLL_MS = 3000


class Notifier(QObject):
    """Turns changes into system notifications; ``last_target`` opens on click."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        ctx: AppContext,
        settings: Settings,
        changes: ChangeBroadcast,
        controller: TriageController,
        outbox: OutboxController,
        icon: QIcon,
        open_approvals: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.settings = settings
        self.controller = controller
        self.outbox = outbox
        self.open_approvals = open_approvals
        self.tray = QSystemTrayIcon(icon, self)
        self.tray.messageClicked.connect(self.open_last)
        self.last_target: Callable[[], None] | None = None
        # "Given to me" needs the owner before a change, but the cache is updated
        # when Changes arrive: remembered are the rows I own (one indexed query per
        # account, not a read of every row: 0.4 s of the cold start at 50k) and how
        # far the cache reached at start (a row past that never seen is not announced).
        self._mine: set[int] = set()
        self._seen_up_to = 0
        self._seen_since: set[int] = set()
        self._follow_mark: dict[str, int] = {}  # account -> last team record row looked at
        self._announced: set[int] = set()  # rows already told as given to me
        self._queue_seen: set[str] | None = None
        self._waiting: dict[int, str] = {}
        changes.published.connect(self.on_changes)
        self.timer = QTimer(self)
        self.timer.setInterval(APPROVAL_POLL_MS)
        self.timer.timeout.connect(self.check_approvals)
        self.timer.start()
        outbox.changed.connect(self.check_approvals)

    # ------------------------------------------------------------------ showing

    def quiet(self) -> bool:
        return self.window.isActiveWindow()

    def show(self, setting: str, title: str, text: str, target: Callable[[], None]) -> bool:
        """One notification, unless muted or the window is in front; True when shown."""
        if not self.settings.get(setting) or self.quiet():
            return False
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        if not self.tray.isVisible():
            self.tray.show()
        self.last_target = target
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        return True

    def open_last(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        if self.last_target is not None:
            self.last_target()

    def _open_message(self, row_id: int) -> Callable[[], None]:
        def open_() -> None:
            model = self.controller.model
            if row_id in model.ids:
                view = self.controller.workspace.message_list
                view.setCurrentIndex(model.index(model.ids.index(row_id), 0))
            self.controller.show_message(row_id)

        return open_

    # ------------------------------------------------------------------ mail

    def on_changes(self, changes: Changes, initiator: object | None = None) -> None:
        self._mail_changes(changes, initiator)
        if changes.team_records:
            self.check_follow_ups()

    def check_follow_ups(self) -> None:
        """A customer's follow-up routed to me: a notice in the window, and the tray when away.

        Read from the ``follow_up`` events of the history (the routing client names
        the holder in ``notify``), so the notice comes even when the follow-up
        reached this machine already owned by me.
        """
        for account_id in self.controller.accounts:
            me = self.controller.me(account_id)
            with self.ctx.cache.transaction() as session:
                mark = self._follow_mark.get(account_id)
                if mark is None:  # nothing older than the window is announced
                    self._follow_mark[account_id] = team_cache.last_row_id(session, account_id)
                    continue
                found = team_cache.events_after(session, account_id, "follow_up", mark)
                rows = []
                for row_mark, record in found:
                    self._follow_mark[account_id] = row_mark
                    notify = record.payload.get("notify")
                    if me is None or not isinstance(notify, list) or me.id not in notify:
                        continue
                    try:
                        box = queries.mailbox(
                            session, account_id, str(record.payload.get("mailbox"))
                        )
                        uid = int(record.payload.get("uid", 0))
                        rows.append((queries.message_by_uid(session, box.id, uid).id, record))
                    except (NotFoundError, TypeError, ValueError):
                        continue
            for row_id, record in rows:
                if row_id in self._announced:
                    continue
                self._announced.add(row_id)
                self._mine.add(row_id)
                subject = str(record.payload.get("subject") or "") or self.tr("(no subject)")
                text = self.tr("A customer's follow-up was given to you: %1").replace("%1", subject)
                self.controller.workspace.notice.show_notice(
                    text, actions=[(self.tr("Open"), self._open_message(row_id))]
                )
                self.show("notify_assigned", self.tr("Follow-up for you"), subject,
                          self._open_message(row_id))  # fmt: skip

    def _mail_changes(self, changes: Changes, initiator: object | None) -> None:
        for batch in changes.mailboxes:
            if batch.rebuilt or batch.mailbox.upper() != "INBOX":
                continue
            me = self.controller.me(batch.account_id)
            with self.ctx.cache.transaction() as session:
                added = queries.summaries(session, sorted(batch.added))
                changed = queries.summaries(session, sorted(batch.changed))
            for summary in added:
                self._seen_since.add(summary.id)
                self._note_owner(summary.id, summary.owner_slot, me)
            if added:
                newest = added[-1]
                text = (
                    f"{newest.from_name or newest.from_email}: {newest.subject}"
                    if len(added) == 1
                    else self.tr("%1 new messages").replace("%1", str(len(added)))
                )
                self.show(
                    "notify_new_mail", self.tr("New mail"), text, self._open_message(newest.id)
                )
            for summary in changed:
                seen = summary.id <= self._seen_up_to or summary.id in self._seen_since
                was_mine = summary.id in self._mine
                self._seen_since.add(summary.id)
                self._note_owner(summary.id, summary.owner_slot, me)
                if not seen:
                    continue
                if me is None or summary.owner_slot != me.slot or was_mine:
                    continue
                if initiator is not None or summary.id in self._announced:
                    continue  # my own action (a claim, a reply), or its follow-up notice came
                self.show(
                    "notify_assigned",
                    self.tr("Given to you"),
                    summary.subject or self.tr("(no subject)"),
                    self._open_message(summary.id),
                )

    def _note_owner(self, row_id: int, slot: int | None, me: Teammate | None) -> None:
        if me is not None and slot == me.slot:
            self._mine.add(row_id)
        else:
            self._mine.discard(row_id)

    def remember_owners(self) -> None:
        """Know which rows are mine now, so a later change of owner can be told apart.

        Called once the accounts (and so who I am in each) are known.
        """
        mine: set[int] = set()
        with self.ctx.cache.transaction() as session:
            top = newest_message_row(session)
            for account_id in self.controller.accounts:
                me = self.controller.me(account_id)
                if me is None:
                    continue
                mine.update(rows_owned_by(session, account_id, me.slot))
        self._mine = mine
        self._seen_up_to = int(top or 0)
        self.check_follow_ups()  # sets the marks: only what comes from now on is announced
        self._seen_since.clear()

    # ------------------------------------------------------------------ approvals

    def check_approvals(self) -> None:
        """New requests for me, and decisions on my waiting mail (local reads only)."""
        for service in self.outbox.services.values():
            try:
                queue = service.approvals.queue(refresh=False)
            except Exception:
                continue
            ids = {c.request_id for c in queue}
            if self._queue_seen is not None:
                for case in queue:
                    if case.request_id in self._queue_seen:
                        continue
                    who = service.roster().by_id(case.requester)
                    name = who.name if who is not None else case.requester
                    self.show(
                        "notify_approvals",
                        self.tr("Approval requested by %1").replace("%1", name),
                        case.subject or self.tr("(no subject)"),
                        self._show_approvals,
                    )
            self._queue_seen = (self._queue_seen or set()) | ids
            items = service.outbox.items(service.account.id)
            for item in items:
                was = self._waiting.pop(item.id, None)
                if item.state is OutboxState.APPROVAL:
                    self._waiting[item.id] = item.subject
                elif was is not None:
                    self._decided(item.state, item.subject)
            present = {i.id for i in items}
            for gone in [i for i in self._waiting if i not in present]:
                subject = self._waiting.pop(gone)
                try:
                    state = service.outbox.get(gone).state
                except NotFoundError:
                    continue  # taken back into the editor: nothing was decided
                self._decided(state, subject)

    def _show_approvals(self) -> None:
        self.open_approvals()

    def _decided(self, state: OutboxState, subject: str) -> None:
        title = (
            self.tr("Your mail was sent back")
            if state is OutboxState.HELD
            else self.tr("Your mail was approved")
        )
        self.show("notify_approvals", title, subject, self.outbox.open_requested.emit)
