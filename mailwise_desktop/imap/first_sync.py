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

A large first sync parses headers in a worker process (imap/parse_worker.py)
once it is up: the socket reader then only cuts responses into raw segments.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from mailwise_desktop.imap import parse_worker
from mailwise_desktop.imap.message_rows import (
    flag_strings,
    flag_update,
    insert_isolated,
    modseq_of,
)
from mailwise_desktop.imap.parse_worker import ParseWorker, RawResponse, rows_of
from mailwise_desktop.imap.tokens import Token, compress_uid_set, fetch_items
from mailwise_desktop.imap.wire import Wire
from mailwise_desktop.store import deferred_indexes
from mailwise_desktop.store import messages as store
from mailwise_desktop.store.database import CacheDatabase

log = logging.getLogger(__name__)

FIRST_SLICE = 200
#: A first sync missing at least this many messages sets the indexes the list does
#: not read aside and builds them after its last slice (store/deferred_indexes.py).
DEFER_INDEXES_FROM = 5000
#: Seconds a slice may take in the worker before it is parsed here instead.
PARSE_TIMEOUT = 120.0
SLICE = 1000
Progress = Callable[[int, int], None]
RowOf = Callable[[int, dict[bytes, Token]], dict[str, Any]]
OnSlice = Callable[[list[int]], None]


@dataclass
class FetchedSlice:
    """One slice as read: rows parsed here, and raw responses sent to the worker."""

    wanted: frozenset[int]
    rows: list[dict[str, Any]] = field(default_factory=list)
    raw: list[RawResponse] = field(default_factory=list)
    parsing: Future[tuple[int, list[dict[str, Any]]]] | None = None


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
        #: pids of the processes that parsed each slice, in order (this one or the worker)
        self.parsed_in: list[int] = []
        #: seconds to wait for the worker before the second slice (0: never wait; tests)
        self.worker_wait = 0.0
        self.worker: ParseWorker | None = None

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
        if parse_worker.worth_starting(len(missing)):
            self.worker = ParseWorker()
            self.worker.start()  # warms up while the newest slice is parsed here

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

        deferred = len(missing) >= DEFER_INDEXES_FROM
        if deferred:
            with self.db.transaction() as session:
                deferred_indexes.set_aside(session)
        try:
            if progress is not None:
                progress(done, total)
            for number, part in enumerate(slices(missing)):
                use_worker = self.worker is not None and self.worker.ready(
                    self.worker_wait if number == 1 else 0.0
                )
                fetched = self._fetch(part, raw=use_worker)
                pending.append((writer.submit(self._write, fetched), len(part)))
                # With the worker, slice n is parsed while n+1 is read and n-1 stored.
                collect(keep=2 if use_worker else 1)
            collect(keep=0)
        except BaseException:
            writer.shutdown(wait=True)  # no slice may still be writing while they are built
            if deferred:
                self._build_indexes_after_failure()
            raise
        finally:
            writer.shutdown(wait=True)
            if self.worker is not None:
                self.worker.close()
        if done != total and progress is not None:
            progress(done, done)  # some vanished while we read: the total is what exists
        with self.db.transaction() as session:
            removed = store.remove_uids(session, self.mailbox_id, stale)
            if deferred:  # after the last slice: each index built once, by one sort
                deferred_indexes.build_missing(session)
        return added, changed, removed

    def _build_indexes_after_failure(self) -> None:
        """Build the set-aside indexes as the first sync stops; never hides why it stopped.

        If even that fails (a full disk), the next open of the cache builds them.
        """
        try:
            with self.db.transaction() as session:
                deferred_indexes.build_missing(session)
        except Exception as error:
            log.warning("indexes left for the next start to build (%s)", error)

    def _fetch(self, uids: list[int], *, raw: bool = False) -> FetchedSlice:
        """Read one slice; with ``raw`` its responses go to the worker untokenised."""
        fetched = FetchedSlice(frozenset(uids))

        def on_untagged(tokens: list[Token]) -> None:
            parsed = fetch_items(tokens)
            if parsed is None:
                return
            uid_token = parsed[1].get(b"UID")
            if (
                isinstance(uid_token, bytes)
                and uid_token.isdigit()
                and int(uid_token) in fetched.wanted
            ):
                fetched.rows.append(self.row_of(int(uid_token), parsed[1]))

        def on_literal(segments: RawResponse) -> None:
            # A header response carries its literal: read here without the tokenizer.
            fetched.rows.extend(rows_of([segments], fetched.wanted, self.row_of))

        on_raw = fetched.raw.append if raw else on_literal
        command = b"UID FETCH " + compress_uid_set(uids) + b" " + self.items
        self.wire.checked(command, on_untagged, on_raw=on_raw)
        if fetched.raw and self.worker is not None:
            fetched.parsing = self.worker.submit(fetched.raw, fetched.wanted)
        return fetched

    def _rows(self, fetched: FetchedSlice) -> list[dict[str, Any]]:
        """The slice's rows: from the worker, or parsed here when it could not do it."""
        if not fetched.raw:
            self.parsed_in.append(os.getpid())
            return fetched.rows
        # Once the worker failed, its other slices are parsed here at once rather
        # than each waited for up to PARSE_TIMEOUT.
        if fetched.parsing is not None and (self.worker is None or self.worker.broken is None):
            try:
                pid, rows = fetched.parsing.result(timeout=PARSE_TIMEOUT)
                self.parsed_in.append(pid)
                return fetched.rows + rows
            except Exception as exc:  # the worker died or refused: parse here instead
                if self.worker is not None:
                    self.worker.fail(exc)
        self.parsed_in.append(os.getpid())
        return fetched.rows + rows_of(fetched.raw, fetched.wanted, self.row_of)

    def _write(self, fetched: FetchedSlice) -> list[int]:
        rows = self._rows(fetched)
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
