"""Running an engine job outside the engine: one session, one job (the CLI's way)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar, cast

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.errors import ConnectionLostError, UnreachableError
from mailwise_desktop.imap.engine import EngineContext, ResumeAfterReconnectError
from mailwise_desktop.imap.session import open_session
from mailwise_desktop.services.context import AppContext

T = TypeVar("T")

#: Seconds between attempts to reconnect when a job's outcome must be read again.
RESUME_WAITS = (0.5, 1.0, 2.0, 4.0)


def run_once(
    ctx: AppContext,
    account: Account,
    job: Callable[[EngineContext], T],
    *,
    on_command: Callable[[bytes], None] | None = None,
) -> T:
    """Open a session for ``account``, run ``job`` on it, and log out.

    A job that lost the line with its outcome unknown (``ResumeAfterReconnectError``,
    e.g. during a conditional STORE) is resumed on a new session, so the
    caller hears what actually happened.
    """
    try:
        return _run_on_new_session(ctx, account, job, on_command)
    except ResumeAfterReconnectError as doubt:
        resume = doubt.resume
    for wait in RESUME_WAITS:
        time.sleep(wait)
        try:
            return cast(T, _run_on_new_session(ctx, account, resume, on_command))
        except ResumeAfterReconnectError as again:
            resume = again.resume
        except (ConnectionLostError, UnreachableError):
            continue
    raise ConnectionLostError(
        "The connection to the mail server was lost and did not come back, so it is "
        "not known whether the change was made. Run the command again to see.",
    )


def _run_on_new_session(
    ctx: AppContext,
    account: Account,
    job: Callable[[EngineContext], T],
    on_command: Callable[[bytes], None] | None,
) -> T:
    session = open_session(account.imap, ctx.imap_password(account), on_command=on_command)
    try:
        return job(EngineContext(session, ctx.cache, account, {}))
    finally:
        session.close()
