"""Integration fixtures: one account on the test's Dovecot user, and a team of three on one mailbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Account, Endpoint, default_smtp
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, endpoint_for, open_profile


@pytest.fixture
def ctx(imaps_endpoint: Endpoint, imap_user: TestUser) -> Iterator[AppContext]:
    """A profile with one account, ``support``, for the test's fresh Dovecot user (TLS)."""
    context = AppContext.open()
    account = Account("support", imaps_endpoint, default_smtp(imaps_endpoint))
    context.settings.set("accounts", [account.to_json()])
    context.settings.save()
    context.keychain.set_password(imap_key("support"), imap_user.password)
    yield context
    context.close()


@pytest.fixture
def team(dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path) -> Iterator[Team]:
    """``team("sato")`` → that teammate's profile (roster: sato=佐藤, suzuki=鈴木, tanaka=田中)."""
    endpoint = endpoint_for(dovecot, imap_user)
    opened: dict[str, AppContext] = {}

    def profile(me: str) -> AppContext:
        if me not in opened:
            opened[me] = open_profile(
                tmp_path / f"profile-{me}", endpoint, imap_user.password, me=me
            )
        return opened[me]

    admin = profile("sato")
    rows = [
        TeammateRow("sato", "佐藤"),
        TeammateRow("suzuki", "鈴木"),
        TeammateRow("tanaka", "田中"),
    ]
    run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    yield profile
    for ctx in opened.values():
        ctx.close()
