"""A teammate's reply to a customer I am writing to: told in my compose window, and the tray.

The confirm-before-send dialog stops a second answer at the last moment; this
tells the writer as soon as the teammate's ``sent`` event reaches the team
mailbox, while there is still time to read their answer instead of writing a
second one. Read from the cached history (local reads) whenever new team
records arrive; only events newer than the window's start are told.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store import team_cache
from mailwise_desktop.ui.change_broadcast import ChangeBroadcast
from mailwise_desktop.ui.compose_window import ComposeWindow
from mailwise_desktop.ui.notifications import Notifier
from mailwise_desktop.ui.reply_launcher import ReplyLauncher
from mailwise_desktop.ui.triage_controller import TriageController

SETTING = "notify_teammate_reply"


class TeammateReplyWatch(QObject):
    """Compares teammates' ``sent`` events with the recipients of my open compose windows."""

    def __init__(
        self,
        notifier: Notifier,
        *,
        ctx: AppContext,
        controller: TriageController,
        replies: ReplyLauncher,
        changes: ChangeBroadcast,
    ) -> None:
        super().__init__(notifier)
        self.notifier, self.ctx = notifier, ctx
        self.controller, self.replies = controller, replies
        self._mark: dict[str, int] = {}  # account -> last team record row looked at
        changes.published.connect(self.on_changes)
        # Nothing older than the window is told: marks are where the cache is now.
        with ctx.cache.transaction() as session:
            for account in ctx.accounts():
                self._mark[account.id] = team_cache.last_row_id(session, account.id)

    def on_changes(self, changes: Changes, initiator: object | None = None) -> None:
        if changes.team_records:
            self.check()

    def check(self) -> None:
        for account_id in self.controller.accounts:
            me = self.controller.me(account_id)
            with self.ctx.cache.transaction() as session:
                mark = self._mark.get(account_id)
                if mark is None:
                    self._mark[account_id] = team_cache.last_row_id(session, account_id)
                    continue
                found = team_cache.events_after(session, account_id, "sent", mark)
            for row_mark, record in found:
                self._mark[account_id] = row_mark
                if me is not None and record.actor == me.id:
                    continue  # my own reply
                self._tell(account_id, record)

    def _tell(self, account_id: str, record: TeamRecord) -> None:
        raw = record.payload.get("recipients")
        sent_to = {r.lower() for r in raw if isinstance(r, str)} if isinstance(raw, list) else set()
        for compose in list(self.replies.windows):
            if compose.draft.account_id != account_id:
                continue
            writing_to = {r.email.lower() for r in compose.current().recipients}
            both = sorted(sent_to & writing_to)
            if not both:
                continue
            who = self._name(account_id, record.actor)
            text = (
                self.tr("%1 has just replied to %2. Read their answer before you send yours.")
                .replace("%1", who)
                .replace("%2", ", ".join(both))
            )
            compose.notice.show_notice(text, kind="warning")
            self.notifier.show(
                SETTING, self.tr("A teammate replied to your customer"), text, _raise(compose)
            )

    def _name(self, account_id: str, teammate_id: str) -> str:
        service = self.controller.coordination.get(account_id)
        found = service.log.roster().by_id(teammate_id) if service is not None else None
        return found.name if found is not None else teammate_id


def _raise(window: ComposeWindow) -> Callable[[], None]:
    def show() -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    return show
