"""Reading the cached mailbox: list, show, search — shared by the CLI and the UI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.imap.body_fetch import fetch_bodies
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.store import queries
from mailwise_desktop.store.queries import CachedBody, MessageSummary, OwnerFilter
from mailwise_desktop.store.search import search_ids


@dataclass(frozen=True)
class MessageDetail:
    summary: MessageSummary
    body: CachedBody | None


class MessageService:
    """Queries over the local cache (works offline)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def mailbox(self, account: Account, name: str = "INBOX") -> queries.MailboxInfo:
        with self.ctx.cache.transaction() as session:
            return queries.mailbox(session, account.id, name)

    def list_messages(
        self,
        account: Account,
        mailbox: str = "INBOX",
        *,
        states: Sequence[str] | None = None,
        owner: OwnerFilter = None,
        limit: int | None = None,
    ) -> list[MessageSummary]:
        """Messages of a mailbox, newest first."""
        box = self.mailbox(account, mailbox)
        with self.ctx.cache.transaction() as session:
            ids = queries.list_ids(session, box.id, states=states, owner=owner, limit=limit)
            return queries.summaries(session, ids)

    def search(
        self, account: Account, query: str, *, mailbox: str | None = None, limit: int = 200
    ) -> list[MessageSummary]:
        """Messages whose subject, sender or body contain every word of ``query``."""
        with self.ctx.cache.transaction() as session:
            boxes = [
                b.id
                for b in queries.mailboxes(session, account.id)
                if (b.name == mailbox if mailbox else b.synced)
            ]
            return queries.summaries(session, search_ids(session, boxes, query, limit=limit))

    def show_summary(self, account: Account, uid: int, mailbox: str = "INBOX") -> MessageSummary:
        """One cached message's summary (no body download).

        Raises:
            NotFoundError: no message with that UID is cached in ``mailbox``.
        """
        box = self.mailbox(account, mailbox)
        with self.ctx.cache.transaction() as session:
            return queries.message_by_uid(session, box.id, uid)

    def show(self, account: Account, uid: int, mailbox: str = "INBOX") -> MessageDetail:
        """One message; its body is downloaded now when not cached (e.g. over the size cap)."""
        box = self.mailbox(account, mailbox)
        with self.ctx.cache.transaction() as session:
            summary = queries.message_by_uid(session, box.id, uid)
            body = queries.cached_body(session, summary.id)
        if body is None:
            self._download(account, mailbox, [(summary.id, summary.uid, summary.size)])
            with self.ctx.cache.transaction() as session:
                summary = queries.message_by_uid(session, box.id, uid)
                body = queries.cached_body(session, summary.id)
        return MessageDetail(summary, body)

    def _download(
        self, account: Account, mailbox: str, targets: list[tuple[int, int, int]]
    ) -> None:
        def job(ectx: EngineContext) -> None:
            task = ectx.mailbox(mailbox)
            task.ensure_selected()
            fetch_bodies(ectx.session.wire, ectx.db, task.mailbox_id, targets)

        run_once(self.ctx, account, job)
