"""Profiles of several teammates sharing one Dovecot mailbox (tests, race workers, benchmarks).

Each teammate is a separate profile folder (settings, cache, local database,
keychain service), exactly as on separate machines; they share the IMAP login
(the "one shared login" setup of docs/TEAM_SETUP.md) and say who they are with
``settings["me"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService, OperationOutcome
from mailwise_desktop.services.runner import run_once
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message

ACCOUNT_ID = "support"


def endpoint_for(dovecot: DovecotServer, user: TestUser) -> Endpoint:
    """Implicit-TLS endpoint for ``user``, trusting the test CA."""
    return Endpoint(
        host=dovecot.host,
        port=dovecot.imaps_port,
        security=Security.TLS,
        user=user.name,
        ca_file=str(dovecot.ca_file),
    )


def open_profile(
    root: Path, endpoint: Endpoint, password: str, *, me: str | None = None
) -> AppContext:
    """A profile at ``root`` with the shared account; ``me`` declares the teammate."""
    ctx = AppContext.open(Profile(root))
    if not ctx.accounts():
        account = Account(ACCOUNT_ID, endpoint, default_smtp(endpoint))
        ctx.settings.set("accounts", [account.to_json()])
    if me is not None:
        ctx.settings.set("me", me)
    ctx.settings.save()
    ctx.keychain.set_password(imap_key(ACCOUNT_ID), password)
    return ctx


Team = Callable[[str], AppContext]


def seed(dovecot: DovecotServer, user: TestUser, subject: str, flags: tuple[str, ...] = ()) -> int:
    """APPEND one customer message (Message-ID ``<subject@example.jp>``); its UID."""
    raw = make_message(subject=subject, body="本文", message_id=f"<{subject}@example.jp>")
    return dovecot.append(user, raw, "INBOX", flags)


def server_flags(
    dovecot: DovecotServer, user: TestUser, uid: int, folder: str = "INBOX"
) -> set[str]:
    """A message's flags as ``doveadm`` reads them (not through the code under test)."""
    out = dovecot.doveadm("fetch", "flags", "mailbox", folder, "uid", str(uid), user=user)
    return set(out.strip().removeprefix("flags:").split()) - {"\\Recent"}


def do(ctx: AppContext, op: Operation, uid: int, **kw: Any) -> OperationOutcome:
    """Run one operation as ``mailwise OP UID`` does (one session, one job)."""
    service = CoordinationService(ctx, ctx.account())
    return run_once(ctx, ctx.account(), service.operation_job(op, uid, **kw))
