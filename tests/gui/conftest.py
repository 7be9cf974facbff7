"""GUI fixtures: a shared mailbox on the test Dovecot with a team of two profiles.

``team`` gives my profile (佐藤, in ``$MAILWISE_HOME``) and a teammate's
profile (鈴木, another folder) on the same Dovecot user, both synced, both
on the roster — like two people on two machines. ``open_window`` opens the
real main window for a profile and waits until its engine is online.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.imap.engine_status import LinkState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message

SUBJECTS = ("請求書の再発行について", "ログインできません", "Invoice address change")


@dataclass
class Member:
    """One teammate's profile."""

    id: str
    name: str
    ctx: AppContext
    account: Account

    @property
    def coordination(self) -> CoordinationService:
        return CoordinationService(self.ctx, self.account)


@dataclass
class Team:
    me: Member
    other: Member
    dovecot: DovecotServer
    user: TestUser


def _member(home: Path, member_id: str, name: str, account: Account, password: str) -> Member:
    ctx = AppContext.open(Profile(home))
    ctx.settings.set("accounts", [account.to_json()])
    ctx.settings.set("me", member_id)
    ctx.settings.save()
    ctx.keychain.set_password(imap_key(account.id), password)
    return Member(member_id, name, ctx, account)


def _team(server: DovecotServer, user: TestUser, home: Path, tmp_path: Path) -> Team:
    for subject in SUBJECTS:
        server.append(user, make_message(subject=subject, body=f"{subject}\n本文です。"))
    endpoint = Endpoint(
        host=server.host,
        port=server.imaps_port,
        security=Security.TLS,
        user=user.name,
        ca_file=str(server.ca_file),
    )
    account = Account("support", endpoint, default_smtp(endpoint))
    me = _member(home, "sato", "佐藤 美咲", account, user.password)
    other = _member(tmp_path / "suzuki-home", "suzuki", "鈴木 健太", account, user.password)
    rows = [TeammateRow("sato", "佐藤 美咲"), TeammateRow("suzuki", "鈴木 健太")]
    run_once(me.ctx, account, TeamService(me.ctx, account).import_job(rows))
    for member in (me, other):
        run_once(member.ctx, account, member.coordination.refresh_team_job())
        SyncService(member.ctx).sync_once(account, bodies=True)
    return Team(me, other, server, user)


@pytest.fixture
def team(
    dovecot: DovecotServer, imap_user: TestUser, mailwise_home: Path, tmp_path: Path
) -> Iterator[Team]:
    found = _team(dovecot, imap_user, mailwise_home, tmp_path)
    yield found
    for member in (found.me, found.other):
        member.ctx.close()


@pytest.fixture
def log_team(
    exchange_dovecot: DovecotServer, mailwise_home: Path, tmp_path: Path
) -> Iterator[Team]:
    """The same team on the Exchange-like Dovecot: the team log decides (Mode B)."""
    user = exchange_dovecot.add_user()
    exchange_dovecot.create_folder(user, "Mailwise")
    found = _team(exchange_dovecot, user, mailwise_home, tmp_path)
    yield found
    for member in (found.me, found.other):
        member.ctx.close()


OpenWindow = Callable[[Member], MainWindow]


@pytest.fixture
def open_window(qtbot) -> OpenWindow:
    """Open the main window on a member's profile, wait for the engine to be online."""

    def open_(member: Member) -> MainWindow:
        profile = member.ctx.profile
        window = MainWindow(profile, member.ctx.settings, app_icon())
        window.persist_state = False
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.bridge.is_online("support"), timeout=15_000)
        engine = window.bridge.engines["support"]
        qtbot.waitUntil(engine.initial_sync_done.is_set, timeout=15_000)
        assert window.bridge.statuses["support"].state is LinkState.ONLINE
        return window

    return open_
