"""Header parsing on the second core: a worker process that turns FETCH responses into rows.

The first sync of a big mailbox spends most of its time in Python work per
message — tokenising the FETCH response, parsing the headers (Japanese
pipeline), deriving state and owner, building the search text — on the one
core that also reads the socket and, through the GIL, shares time with the
SQLite writer. Here the socket reader only cuts responses into their raw
segments and hands a slice of them to one worker process; the worker returns
the cache rows; the writer stores them. Reading slice n+1, parsing slice n
and storing slice n-1 overlap.

Windows first: the process is started with ``spawn`` on every platform (no
fork, so no copy of the reader's threads and sockets), and a frozen app calls
``multiprocessing.freeze_support()`` in its entry scripts
(packaging/launch_*.py). Starting costs an interpreter and the parser's
imports, so it is started only for a large first sync and warmed while the
first slice (the newest 200) is parsed in the reader's own process. When it
cannot start or breaks, parsing simply stays in-process: the rows are the
same either way.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from mailwise_desktop.imap.tokens import Token, fetch_response_items

log = logging.getLogger(__name__)

#: A first sync with fewer missing messages than this parses in-process
#: (starting the worker costs about 0.5 s of CPU: an interpreter and the parser).
WORKER_MIN_MESSAGES = 5000

#: The worker only pays when a core is free for it. Measured on the 2-core
#: bench machine (bench/RESULTS.md, 10k messages, load 9-10): it moved the
#: reader's CPU from 1.8 s to 0.6 s but added 0.6 s in all, and the first sync
#: took 22 % longer, because the reader, SQLite and the local Dovecot already
#: kept both cores busy. So it starts on machines with at least this many.
WORKER_MIN_CORES = 4

#: ``on`` / ``off`` override the rule above (support and the benchmark).
WORKER_ENV = "MAILWISE_PARSE_WORKER"

#: One FETCH response as the wire read it: alternating text and literal segments.
RawResponse = list[bytes]
RowOf = Callable[[int, dict[bytes, Token]], dict[str, Any]]


def worth_starting(missing: int) -> bool:
    """Whether a first sync missing ``missing`` messages should parse in the worker."""
    forced = os.environ.get(WORKER_ENV, "").strip().lower()
    if forced in ("on", "off"):
        return forced == "on" and missing > 0
    cores = os.cpu_count() or 1
    return missing >= WORKER_MIN_MESSAGES and cores >= WORKER_MIN_CORES


def rows_of(
    responses: list[RawResponse], wanted: frozenset[int], row_of: RowOf
) -> list[dict[str, Any]]:
    """Cache rows from raw FETCH responses: only UIDs in ``wanted``, in response order."""
    rows: list[dict[str, Any]] = []
    for segments in responses:
        parsed = fetch_response_items(segments)
        if parsed is None:
            continue
        uid_token = parsed[1].get(b"UID")
        if isinstance(uid_token, bytes) and uid_token.isdigit() and int(uid_token) in wanted:
            rows.append(row_of(int(uid_token), parsed[1]))
    return rows


def _parse_in_worker(
    responses: list[RawResponse], wanted: frozenset[int]
) -> tuple[int, list[dict[str, Any]]]:
    """Runs in the worker: (its pid, the rows). Imported there by name."""
    from mailwise_desktop.imap.message_rows import header_row

    return os.getpid(), rows_of(responses, wanted, header_row)


def _warm_up() -> int:
    """Runs in the worker: import the parser before the first real slice arrives."""
    from mailwise_desktop.imap import message_rows  # noqa: F401

    return os.getpid()


class ParseWorker:
    """One spawned worker process parsing FETCH slices; falls back to in-process parsing.

    Use :meth:`start` early (it returns at once), :meth:`ready` to see whether
    the worker answered, :meth:`submit` to parse a slice there, and
    :meth:`close` at the end. Any failure to start or to run marks it broken
    and :attr:`broken` says why (the caller then parses in-process).
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Future[int] | None = None
        self.broken: str | None = None
        self.pid: int | None = None

    def start(self) -> None:
        try:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
            self._warm = self._pool.submit(_warm_up)
        except Exception as exc:  # no process could be made: parse here
            self.fail(exc)

    def ready(self, wait: float = 0.0) -> bool:
        """True once the worker has started and imported the parser.

        Args:
            wait: seconds to wait for that (0: only look).
        """
        if self.broken is not None or self._warm is None:
            return False
        try:
            self.pid = self._warm.result(timeout=wait)
        except TimeoutError:
            return False
        except Exception as exc:
            self.fail(exc)
            return False
        return True

    def submit(
        self, responses: list[RawResponse], wanted: frozenset[int]
    ) -> Future[tuple[int, list[dict[str, Any]]]] | None:
        """The slice's rows to come, or None when the worker cannot take it."""
        if self._pool is None or self.broken is not None:
            return None
        try:
            return self._pool.submit(_parse_in_worker, responses, wanted)
        except Exception as exc:
            self.fail(exc)
            return None

    def fail(self, exc: BaseException) -> None:
        """Mark the worker broken (parsing stays in this process from now on)."""
        self.broken = f"{type(exc).__name__}: {exc}"
        log.info("header parsing stays in this process: %s", self.broken)

    def close(self) -> None:
        """Stop the worker; one that failed or hangs is ended, never waited for."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if self.broken is None:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        # A worker that stopped answering (seen under Wine: a spawned process that
        # never returned a slice) would hold shutdown(wait=True) for ever. The
        # executor keeps its processes in a private mapping: end them, then let it go.
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            try:
                process.terminate()
            except Exception as exc:  # already gone
                log.debug("header worker %s: %s", getattr(process, "pid", "?"), exc)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=10)
