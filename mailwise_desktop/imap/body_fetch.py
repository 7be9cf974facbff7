"""Downloading message bodies for offline reading, in the background or on demand."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from mailwise_desktop.imap.tokens import Token, compress_uid_set, fetch_items
from mailwise_desktop.imap.wire import Wire
from mailwise_desktop.mail.parse import parse_message
from mailwise_desktop.mail.search_text import normalize_for_search
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries
from mailwise_desktop.store.database import CacheDatabase

log = logging.getLogger(__name__)

# A batch is bounded by count and bytes so memory stays flat on big mailboxes.
BATCH_COUNT = 200
BATCH_BYTES = 8_000_000


def body_record(row_id: int, raw: bytes) -> store.BodyRecord:
    """Parse a downloaded message into what the cache keeps of it.

    Never raises for the message's sake: if the parser fails on it (a bug we
    have not met yet), the raw bytes are kept with no text and the reason as
    a defect, so "Show source" and "Save as .eml" still work for it.
    """
    try:
        parsed = parse_message(raw)
    except Exception as exc:  # one bad message must not stop the batch
        log.warning("body of cache id %d could not be read: %s", row_id, exc)
        return store.BodyRecord(
            message_row_id=row_id,
            raw=raw,
            text="",
            html=None,
            defects=(f"message: could not be read ({type(exc).__name__}: {exc})"[:300],),
            attachments=[],
            fts_body="",
        )
    attachments = [
        {
            "part_id": a.part_id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "content_id": a.content_id,
            "inline": a.inline,
        }
        for a in parsed.attachments
    ]
    return store.BodyRecord(
        message_row_id=row_id,
        raw=raw,
        text=parsed.text,
        html=parsed.html,
        defects=parsed.defects,
        attachments=attachments,
        fts_body=normalize_for_search(parsed.text),
    )


def fetch_bodies(
    wire: Wire,
    db: CacheDatabase,
    mailbox_id: int,
    targets: Sequence[tuple[int, int, int]],
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> list[int]:
    """Fetch full sources of (cache id, uid, size) messages; the mailbox must be selected.

    Returns:
        Cache ids whose bodies were stored.
    """
    done: list[int] = []
    index = 0
    while index < len(targets) and not stop():
        batch: list[tuple[int, int, int]] = []
        total = 0
        while index < len(targets) and len(batch) < BATCH_COUNT and total < BATCH_BYTES:
            batch.append(targets[index])
            total += targets[index][2]
            index += 1
        by_uid = {uid: row_id for row_id, uid, _ in batch}
        received = _fetch_sources(wire, list(by_uid))
        records = [body_record(by_uid[uid], raw) for uid, raw in received.items() if uid in by_uid]
        with db.transaction() as session:
            store.store_bodies(session, records)
        done.extend(r.message_row_id for r in records)
        missing = set(by_uid) - set(received)
        if missing:
            # Expunged meanwhile; the next flag sync removes the rows.
            log.info("bodies not returned for uids %s", sorted(missing)[:10])
        if progress is not None:
            progress(len(done), len(targets))
    return done


def _fetch_sources(wire: Wire, uids: list[int]) -> dict[int, bytes]:
    received: dict[int, bytes] = {}

    def on_untagged(tokens: list[Token]) -> None:
        parsed = fetch_items(tokens)
        if parsed is None:
            return
        uid_token, body = parsed[1].get(b"UID"), parsed[1].get(b"BODY[]")
        if isinstance(uid_token, bytes) and isinstance(body, bytes):
            received[int(uid_token)] = body

    wire.checked(b"UID FETCH " + compress_uid_set(uids) + b" (UID BODY.PEEK[])", on_untagged)
    return received


def bodies_to_fetch(
    db: CacheDatabase, mailbox_id: int, size_cap: int
) -> list[tuple[int, int, int]]:
    """(cache id, uid, size) of messages whose body is missing and under the cap."""
    with db.transaction() as session:
        return queries.ids_without_body(session, mailbox_id, size_cap=size_cap)
