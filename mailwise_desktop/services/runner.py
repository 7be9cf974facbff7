"""Running an engine job outside the engine: one session, one job (the CLI's way)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.session import open_session
from mailwise_desktop.services.context import AppContext

T = TypeVar("T")


def run_once(
    ctx: AppContext,
    account: Account,
    job: Callable[[EngineContext], T],
    *,
    on_command: Callable[[bytes], None] | None = None,
) -> T:
    """Open a session for ``account``, run ``job`` on it, and log out."""
    session = open_session(account.imap, ctx.imap_password(account), on_command=on_command)
    try:
        return job(EngineContext(session, ctx.cache, account, {}))
    finally:
        session.close()
