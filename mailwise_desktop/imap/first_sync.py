"""The first sync of a mailbox, newest first, in committed slices.

A new teammate should see (and claim) the newest mail within about a second
of connecting, not after the whole mailbox is read. So the first sync lists
every UID (``UID SEARCH ALL``, one short line per thousand messages), then
fetches headers from the newest down: a first slice of ``FIRST_SLICE``
messages, then ``SLICE`` at a time, each committed in its own transaction by
one serial writer thread (so slice n is stored while slice n+1 is read, and
commits stay in order: newer before older).

Resuming an interrupted first sync needs no stored low-water mark: the cache
itself says what was stored (its UIDs), so only UIDs the cache lacks get a
header FETCH; the ones it holds get a flags-only refresh (teammates may have
claimed them meanwhile) and the ones the server no longer has are removed.
This also converges from a cache left by any older, differently ordered run.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from mailwise_desktop.imap.message_rows import (
    flag_strings,
    flag_update,
    insert_isolated,
    modseq_of,
)
from mailwise_desktop.imap.tokens import Token, compress_uid_set, fetch_items
from mailwise_desktop.imap.wire import Wire
from mailwise_desktop.store import messages as store
from mailwise_desktop.store.database import CacheDatabase

FIRST_SLICE = 200
SLICE = 1000
Progress = Callable[[int, int], None]
RowOf = Callable[[int, dict[bytes, Token]], dict[str, Any]]
OnSlice = Callable[[list[int]], None]


def server_uids(wire: Wire) -> set[int]:
    """Every UID in the selected mailbox."""
    response = wire.checked(b"UID SEARCH ALL")
    uids: set[int] = set()
    for tokens in response.untagged:
        if tokens and tokens[0] == b"SEARCH":
            uids.update(int(t) for t in tokens[1:] if isinstance(t, bytes) and t.isdigit())
    return uids


def slices(uids: list[int]) -> list[list[int]]:
    """``uids`` (newest first) cut into the first small slice, then ``SLICE`` each."""
    if not uids:
        return []
    out = [uids[:FIRST_SLICE]]
    out += [uids[i : i + SLICE] for i in range(FIRST_SLICE, len(uids), SLICE)]
    return out


class FirstSync:
    """Reads a never completely synced mailbox into the cache, newest first.

    Args:
        wire: the selected connection.
        db: the cache.
        mailbox_id: the mailbox's cache id.
        items: the FETCH items (headers, flags, modseq when CONDSTORE).
        row_of: builds a cache row from one FETCH response.
    """

    def __init__(
        self, wire: Wire, db: CacheDatabase, mailbox_id: int, items: bytes, row_of: RowOf
    ) -> None:
        self.wire = wire
        self.db = db
        self.mailbox_id = mailbox_id
        self.items = items
        self.row_of = row_of

    def run(
        self, progress: Progress | None = None, on_slice: OnSlice | None = None
    ) -> tuple[list[int], list[int], list[int]]:
        """Returns (added, changed, removed) cache ids.

        Args:
            progress: ``progress(done, total)`` after each committed slice.
            on_slice: the cache ids of each committed slice, newest slice first
                (the window lists them at once).
        """
        on_server = server_uids(self.wire)
        with self.db.transaction() as session:
            known = set(store.known_uids(session, self.mailbox_id))
        stale = sorted(known - on_server)
        held = sorted(known & on_server)
        missing = sorted(on_server - known, reverse=True)
        total = len(on_server)
        changed = self._refresh_flags(held) if held else []
        done = len(held)
        added: list[int] = []
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache-writer")
        pending: list[tuple[Future[list[int]], int]] = []

        def collect(keep: int) -> None:
            nonlocal done
            while len(pending) > keep:
                future, _count = pending.pop(0)
                new = future.result()
                added.extend(new)
                done += len(new)
                if on_slice is not None and new:
                    on_slice(new)
                if progress is not None:
                    progress(done, total)

        try:
            if progress is not None:
                progress(done, total)
            for part in slices(missing):
                rows = self._fetch(part)
                pending.append((writer.submit(self._write, rows), len(part)))
                collect(keep=1)
            collect(keep=0)
        finally:
            writer.shutdown(wait=True)
        if done != total and progress is not None:
            progress(done, done)  # some vanished while we read: the total is what exists
        with self.db.transaction() as session:
            removed = store.remove_uids(session, self.mailbox_id, stale)
        return added, changed, removed

    def _fetch(self, uids: list[int]) -> list[dict[str, Any]]:
        wanted = set(uids)
        rows: list[dict[str, Any]] = []

        def on_untagged(tokens: list[Token]) -> None:
            parsed = fetch_items(tokens)
            if parsed is None:
                return
            uid_token = parsed[1].get(b"UID")
            if isinstance(uid_token, bytes) and uid_token.isdigit() and int(uid_token) in wanted:
                rows.append(self.row_of(int(uid_token), parsed[1]))

        self.wire.checked(b"UID FETCH " + compress_uid_set(uids) + b" " + self.items, on_untagged)
        return rows

    def _write(self, rows: list[dict[str, Any]]) -> list[int]:
        with self.db.transaction() as session:
            return insert_isolated(session, self.mailbox_id, rows)

    def _refresh_flags(self, uids: list[int]) -> list[int]:
        """Flags only for what an interrupted run stored (cheap: no headers)."""
        updates: list[store.FlagUpdate] = []
        with_modseq = b"MODSEQ" in self.items

        def on_untagged(tokens: list[Token]) -> None:
            parsed = fetch_items(tokens)
            if parsed is None:
                return
            _, found = parsed
            uid_token = found.get(b"UID")
            if isinstance(uid_token, bytes):
                updates.append(
                    flag_update(int(uid_token), flag_strings(found.get(b"FLAGS")), modseq_of(found))
                )

        items = b"(UID FLAGS MODSEQ)" if with_modseq else b"(UID FLAGS)"
        self.wire.checked(b"UID FETCH " + compress_uid_set(uids) + b" " + items, on_untagged)
        with self.db.transaction() as session:
            return store.apply_flag_updates(session, self.mailbox_id, updates, only_newer=False)
