"""The scale benchmark's claim rounds: on an engine-like context, and after a teammate's record.

A teammate is a second profile on the same login with a copy of the cache, so
neither side needs a first sync of its own.
"""

from __future__ import annotations

import time

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.session import open_session
from mailwise_desktop.imap.team_reader import TeamReader
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once


def claims(ctx: AppContext, account: Account, password: str, uids: list[int]) -> list[float]:
    """Round trips (CAS won, row updated) of claims on an open session, as the engine runs them."""
    ectx = engine_context(ctx, account, password, reader=True)
    try:
        service = CoordinationService(ctx, account)
        service.operation_job(Operation.CLAIM, uids[0])(ectx)  # warm-up: check, priming
        marks: dict[str, float] = {}
        original = service.log.write
        original_queued = service.log.send_queued

        # The claim stands once its history event is about to go out: written
        # directly (write) or, since the write-ahead (issue 9), sent from its queued row.
        def timed_write(ectx_: EngineContext, record: TeamRecord) -> bool:
            marks["confirmed"] = time.perf_counter()
            return original(ectx_, record)

        def timed_send_queued(ectx_: EngineContext, queued: int, record: TeamRecord) -> bool:
            marks["confirmed"] = time.perf_counter()
            return original_queued(ectx_, queued, record)

        service.log.write = timed_write  # type: ignore[method-assign]
        service.log.send_queued = timed_send_queued  # type: ignore[method-assign]
        times = []
        for uid in uids[1:]:
            start = time.perf_counter()
            marks.clear()
            outcome = service.operation_job(Operation.CLAIM, uid)(ectx)
            assert outcome.won, outcome.message
            times.append(marks["confirmed"] - start)
            time.sleep(0.02)
        return times
    finally:
        close_context(ectx)


def engine_context(ctx: AppContext, account: Account, password: str, reader: bool) -> EngineContext:
    """A context as the engine builds it: its own team reader, or none (the CLI's way)."""
    session = open_session(account.imap, password)
    team_reader = TeamReader(lambda: open_session(account.imap, password)) if reader else None
    return EngineContext(session, ctx.cache, account, {}, team_reader=team_reader)


def close_context(ectx: EngineContext) -> None:
    if ectx.team_reader is not None:
        ectx.team_reader.close()
    ectx.session.close()


def claims_after_teammate(
    ctx: AppContext, mate: AppContext, account: Account, password: str, uids: list[int]
) -> tuple[list[float], list[float]]:
    """Seconds from a teammate's new record to our claim done: with the reader, and without.

    Per round, in turn for each context: the teammate leaves a note (untimed),
    then timed: the team job reads it, then a claim runs (as the engine does
    after a push). Without the reader the EXAMINE of the team mailbox unselects
    INBOX and the claim re-SELECTs it.
    """
    contexts = [engine_context(ctx, account, password, r) for r in (True, False)]
    service = CoordinationService(ctx, account)
    note = CoordinationService(mate, mate.account())
    times: list[list[float]] = [[], []]
    try:
        for ectx in contexts:  # warm-up: check, priming, the mode
            assert service.operation_job(Operation.CLAIM, uids.pop())(ectx).won
        for i, uid in enumerate(uids):
            which = i % 2
            run_once(mate, mate.account(), note.note_job(uid, f"確認中 {i}"))
            start = time.perf_counter()
            service.refresh_team_job()(contexts[which])
            assert service.operation_job(Operation.CLAIM, uid)(contexts[which]).won
            times[which].append(time.perf_counter() - start)
    finally:
        for ectx in contexts:
            close_context(ectx)
    return times[0], times[1]
