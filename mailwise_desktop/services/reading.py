"""Reading one message in the window: cached body, download on demand, attachments, remote content.

Offline first: :meth:`ReadingService.load` answers from the cache only (a
short indexed read, fine on the UI thread). A body that is not cached yet is
fetched by :meth:`ReadingService.body_job` on the account's engine thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.errors import StorageError
from mailwise_desktop.mail import web_mark
from mailwise_desktop.mail.filenames import Risk, attachment_risk, safe_filename
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.store.cache_values import AttachmentSummary, CachedBody
from mailwise_desktop.store.summaries import MessageSummary

if TYPE_CHECKING:
    from mailwise_desktop.imap.engine import EngineContext

# The cache queries (SQLAlchemy), the body fetch and the MIME parser are imported on first
# use: the window builds this service before its first paint (ui/main_window.py).

REMOTE_MARK = "remote_content"


@dataclass(frozen=True)
class OpenedMessage:
    """A message as the reading pane shows it (body None: not downloaded yet)."""

    account_id: str
    mailbox: str
    summary: MessageSummary
    body: CachedBody | None


class ReadingService:
    """Bodies, attachments and remote-content choices of one profile."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def load(self, account_id: str, mailbox: str, row_id: int) -> OpenedMessage | None:
        """The cached message (None when it left the cache)."""
        from mailwise_desktop.store import queries

        with self.ctx.cache.transaction() as session:
            summary = queries.message_by_id(session, row_id)
            if summary is None:
                return None
            body = queries.cached_body(session, row_id)
        return OpenedMessage(account_id, mailbox, summary, body)

    def body_job(
        self, account: Account, mailbox: str, row_id: int
    ) -> Callable[[EngineContext], Changes]:
        """The engine job that downloads one body into the cache (any size: the user asked)."""

        def job(ectx: EngineContext) -> Changes:
            from mailwise_desktop.store import queries

            sync = ectx.mailbox(mailbox)
            sync.ensure_selected()
            with ectx.db.transaction() as session:
                summary = queries.message_by_id(session, row_id)
            if summary is None:
                return Changes()
            from mailwise_desktop.imap.body_fetch import fetch_bodies

            stored = fetch_bodies(
                ectx.session.wire,
                ectx.db,
                sync.mailbox_id,
                [(summary.id, summary.uid, summary.size)],
            )
            return Changes((MailboxChanges(account.id, mailbox, changed=frozenset(stored)),))

        return job

    # -- attachments -------------------------------------------------------

    @staticmethod
    def attachment_data(body: CachedBody, attachment: AttachmentSummary) -> bytes:
        from mailwise_desktop.mail.parse import attachment_bytes

        return attachment_bytes(body.raw, attachment.part_id)

    @staticmethod
    def risk(attachment: AttachmentSummary, data: bytes | None = None) -> Risk | None:
        return attachment_risk(attachment.filename, attachment.content_type, data)

    @staticmethod
    def suggested_name(attachment: AttachmentSummary) -> str:
        return safe_filename(attachment.filename)

    def save_attachment(self, body: CachedBody, attachment: AttachmentSummary, path: Path) -> Path:
        """Write an attachment's bytes to ``path`` (its file name made safe).

        Raises:
            StorageError: the file could not be written.
        """
        target = path.with_name(safe_filename(path.name))
        try:
            target.write_bytes(self.attachment_data(body, attachment))
        except OSError as exc:
            raise StorageError(
                f"The file could not be saved to {target}.", detail=str(exc)
            ) from exc
        web_mark.mark_from_internet(target)  # Windows: Zone.Identifier, ZoneId=3
        return target

    # -- the whole message ---------------------------------------------------

    @staticmethod
    def source_text(body: CachedBody) -> str:
        """The message exactly as received, for "Show source" (bytes that are not UTF-8 as U+FFFD).

        Works for every stored message, also one that could not be read fully:
        it is the raw bytes, nothing parsed.
        """
        return body.raw.decode("utf-8", "replace").replace("\x00", "\ufffd")

    @staticmethod
    def eml_name(summary: MessageSummary) -> str:
        """A safe file name for "Save as .eml": the subject, else the UID."""
        stem = " ".join((summary.subject or "").split())[:80] or f"message-{summary.uid}"
        return safe_filename(f"{stem}.eml")

    def save_eml(self, body: CachedBody, path: Path) -> Path:
        """Write the message's raw bytes to ``path`` (``.eml``; its name made safe).

        Raises:
            StorageError: the file could not be written.
        """
        name = safe_filename(path.name)
        target = path.with_name(name if name.lower().endswith(".eml") else f"{name}.eml")
        try:
            target.write_bytes(body.raw)
        except OSError as exc:
            raise StorageError(
                f"The message could not be saved to {target}.", detail=str(exc)
            ) from exc
        web_mark.mark_from_internet(target)  # it came from outside, like an attachment
        return target

    # -- remote content ----------------------------------------------------

    def remote_allowed(self, account_id: str, summary: MessageSummary) -> bool:
        """Whether remote images may load: the sender is trusted "always"."""
        senders = {s.lower() for s in self.ctx.settings.get("remote_content_senders")}
        return summary.from_email.lower() in senders

    def allow_remote_always(self, sender: str) -> None:
        senders = list(self.ctx.settings.get("remote_content_senders"))
        if sender and sender.lower() not in {s.lower() for s in senders}:
            senders.append(sender.lower())
            self.ctx.settings.set("remote_content_senders", senders)
            self.ctx.settings.save()
