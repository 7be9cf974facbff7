"""Sync as a service: one pass for the CLI, or the live engine for `watch` and the UI."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.errors import ConnectionLostError, MailwiseError
from mailwise_desktop.imap.body_fetch import bodies_to_fetch, fetch_bodies
from mailwise_desktop.imap.engine import AccountEngine, EngineContext
from mailwise_desktop.imap.engine_status import EngineStatus
from mailwise_desktop.imap.folders import (
    FolderInfo,
    list_folders,
    record_folders,
    visible_folders,
    without_all_mail,
)
from mailwise_desktop.imap.mailbox_sync import MailboxSync
from mailwise_desktop.imap.session import ImapSession, open_session
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.store.conversation_ids import update

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SyncReport:
    """What one sync pass did."""

    mailboxes: tuple[MailboxChanges, ...]
    bodies: int = 0
    folders: tuple[FolderInfo, ...] = field(default=())

    @property
    def changes(self) -> Changes:
        return Changes(self.mailboxes)


class SyncService:
    """Brings the cache in step with the server."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def sync_once(
        self,
        account: Account,
        mailboxes: Sequence[str] | None = None,
        *,
        bodies: bool = False,
        progress: Progress | None = None,
        on_command: Callable[[bytes], None] | None = None,
    ) -> SyncReport:
        """One pass over the chosen folders (default: the account's synced folders)."""
        names = list(mailboxes or account.folders)
        session = open_session(account.imap, self.ctx.imap_password(account), on_command=on_command)
        try:
            folders = visible_folders(list_folders(session.client), account.team_mailbox)
            record_folders(self.ctx.cache, account.id, folders)
            names = list(without_all_mail(tuple(names), folders))
            results: list[MailboxChanges] = []
            body_count = 0
            for name in names:
                task = MailboxSync(session.wire, self.ctx.cache, account.id, name, session.features)
                report = None if progress is None else _bind(progress, name)
                results.append(task.sync(progress=report))
                if bodies:
                    targets = bodies_to_fetch(
                        self.ctx.cache, task.mailbox_id, self.ctx.settings.get("body_size_cap")
                    )
                    body_report = None if progress is None else _bind(progress, f"{name} bodies")
                    body_count += len(
                        fetch_bodies(
                            session.wire,
                            self.ctx.cache,
                            task.mailbox_id,
                            targets,
                            progress=body_report,
                        )
                    )
            with self.ctx.cache.transaction() as cache:
                # Conversation ids are stored at sync: what arrived joins (or merges) its
                # conversations; a first sync groups the account once.
                update(cache, account.id, account.address)
            self._read_team_log(account, session)
            return SyncReport(tuple(results), body_count, tuple(folders))
        finally:
            session.close()

    def _read_team_log(self, account: Account, session: ImapSession) -> None:
        """Roster, notes and history into the cache, so owners have names for every profile.

        Without it a profile that never claimed (nor said who it is) listed
        claimed mail with ``owner: null``. A team mailbox that cannot be read
        does not fail the sync: the mail is in, the names stay as cached.
        """
        try:
            CoordinationService(self.ctx, account).log.refresh(
                EngineContext(session, self.ctx.cache, account, {})
            )
        except ConnectionLostError:
            raise
        except MailwiseError as exc:
            log.info("team mailbox not read during sync: %s", exc.message)

    def engine(
        self,
        account: Account,
        *,
        on_changes: Callable[[Changes], None],
        on_status: Callable[[EngineStatus], None] = lambda s: None,
        on_command: Callable[[bytes], None] | None = None,
        services: AccountServices | None = None,
    ) -> AccountEngine:
        """A live engine for the account (not started), running ``services``' team job."""
        services = services or AccountServices(self.ctx, account)
        return AccountEngine(
            account,
            self.ctx.imap_password(account),
            self.ctx.cache,
            on_changes=on_changes,
            on_status=on_status,
            body_size_cap=self.ctx.settings.get("body_size_cap"),
            idle_reissue=float(self.ctx.settings.get("idle_reissue_seconds")),
            on_command=on_command,
            # The team mailbox (notes, history, roster) is read every 2 s with
            # one STATUS, after each push, and repairs run on what it finds.
            team_job=services.live_team_job(),
        )


def _bind(progress: Progress, name: str) -> Callable[[int, int], None]:
    return lambda done, total: progress(name, done, total)
