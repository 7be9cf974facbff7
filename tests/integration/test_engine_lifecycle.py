"""The engine's lifecycle against the real Dovecot and SMTP (issue 10, part 5).

Windows' select (sockets only), deadlines of queued jobs, a conditional STORE
whose reply is lost (a fault proxy between client and Dovecot cuts the line),
and an engine loop that dies of a bug and is restarted.
"""

from __future__ import annotations

import select
import socket
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.errors import ConnectionLostError
from mailwise_desktop.core.keychain import smtp_key
from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.imap import wire
from mailwise_desktop.imap.engine import AccountEngine
from mailwise_desktop.imap.engine_jobs import OVERDUE_WORDS
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState, StatusCase
from mailwise_desktop.imap.keywords import encode
from mailwise_desktop.send.draft import ReplyKind
from mailwise_desktop.send.outbox import OutboxState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.fault_proxy import FaultProxy
from tests.harness.smtp import SmtpServer
from tests.harness.teammates import Team, open_profile, seed, server_flags

_real_select = select.select


def sockets_only_select(r: list[Any], w: list[Any], x: list[Any], timeout: float | None = None):  # type: ignore[no-untyped-def]
    """select.select as on Windows: anything but a socket is WinError 10038."""
    for item in [*r, *w, *x]:
        if not isinstance(item, socket.socket):
            raise OSError(10038, "An operation was attempted on something that is not a socket")
    return _real_select(r, w, x, timeout)


@pytest.fixture
def windows_select(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wire, "select", types.SimpleNamespace(select=sockets_only_select))


def test_the_fake_windows_select_refuses_a_pipe() -> None:
    import os

    r, w = os.pipe()
    try:
        with pytest.raises(OSError):
            sockets_only_select([r], [], [], 0)
    finally:
        os.close(r)
        os.close(w)


class Statuses:
    def __init__(self) -> None:
        self.seen: list[EngineStatus] = []
        self.cond = threading.Condition()

    def __call__(self, status: EngineStatus) -> None:
        with self.cond:
            self.seen.append(status)
            self.cond.notify_all()

    def wait_for(self, test: Any, timeout: float = 20) -> EngineStatus:
        with self.cond:
            found: list[EngineStatus] = []

            def hit() -> bool:
                found[:] = [s for s in self.seen if test(s)]
                return bool(found)

            assert self.cond.wait_for(hit, timeout), self.seen
            return found[0]


def test_engine_with_sockets_only_select_claims_and_sends(
    windows_select: None,
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_endpoint: Endpoint,
    smtp_server: SmtpServer,
) -> None:
    sato = team("sato")
    account = sato.account()
    account = Account(account.id, account.imap, smtp_endpoint, address="support@example.com")
    sato.settings.set("accounts", [account.to_json()])
    sato.settings.save()
    sato.keychain.set_password(smtp_key(account.id), smtp_server.password)
    uid = seed(dovecot, imap_user, "窓口への問い合わせ")
    statuses = Statuses()
    engine = SyncService(sato).engine(
        account,
        on_changes=lambda ch: None,
        on_status=statuses,
    )
    engine.start()
    try:
        assert engine.initial_sync_done.wait(20), statuses.seen
        claim = CoordinationService(sato, account).operation_job(Operation.CLAIM, uid)
        outcome = engine.submit(claim).result(timeout=30)
        assert outcome.won and outcome.owner is not None and outcome.owner.id == "sato"
        assert encode(HandlingState.IN_PROGRESS, 0) <= server_flags(dovecot, imap_user, uid)

        service = SendingService(sato, account, runner=lambda job: engine.submit(job).result(60))
        service.set_policy("undo_seconds", "0")
        draft = service.with_snapshot(service.reply_draft(uid, kind=ReplyKind.REPLY))
        draft = service.with_snapshot(draft.with_changes(body="承知しました。"))
        item = service.enqueue(draft, service.check(draft))
        service.process_outbox()
        assert service.outbox.get(item.id).state is OutboxState.SENT
        assert len(smtp_server.messages) == 1
    finally:
        engine.stop()
    # No login storm: connected once, never reconnected.
    assert [s.state for s in statuses.seen].count(LinkState.CONNECTING) == 1, statuses.seen
    assert not [s for s in statuses.seen if s.state is LinkState.RECONNECTING], statuses.seen


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_job_queued_while_offline_fails_after_its_deadline_in_plain_words(
    windows_select: None, mailwise_home: Path
) -> None:
    endpoint = Endpoint("127.0.0.1", closed_port(), Security.TLS, "nobody")
    ctx = AppContext.open()
    try:
        account = Account("support", endpoint, default_smtp(endpoint))
        statuses = Statuses()
        engine = AccountEngine(
            account, "pw", ctx.cache, on_changes=lambda ch: None, on_status=statuses,
            job_deadline=0.5,
        )  # fmt: skip
        ran = threading.Event()
        engine.start()
        try:
            future = engine.submit(lambda ectx: ran.set())
            error = future.exception(timeout=15)
            assert isinstance(error, ConnectionLostError)
            assert error.message == OVERDUE_WORDS
            assert "not done" in error.message and "Try again" in error.message
            statuses.wait_for(lambda s: s.state is LinkState.RECONNECTING)
        finally:
            engine.stop()
        assert not ran.is_set()
    finally:
        ctx.close()


@pytest.fixture
def proxied(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> Iterator[tuple[AppContext, FaultProxy]]:
    """Sato's profile, talking to Dovecot through a proxy that can cut the line."""
    team("sato")  # the roster exists
    proxy = FaultProxy(dovecot.host, dovecot.imaps_port)
    endpoint = Endpoint(
        dovecot.host, proxy.port, Security.TLS, imap_user.name, ca_file=str(dovecot.ca_file)
    )
    ctx = open_profile(tmp_path / "proxied", endpoint, imap_user.password, me="sato")
    SyncService(ctx).sync_once(ctx.account())
    yield ctx, proxy
    ctx.close()
    proxy.close()


def cached_state(ctx: AppContext, uid: int) -> tuple[str, int | None]:
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, "support", "INBOX")
        m = queries.message_by_uid(session, box.id, uid)
    return m.state, m.owner_slot


def claim_with_cut(ctx: AppContext, proxy: FaultProxy, uid: int, mode: str, engine: Any = None):  # type: ignore[no-untyped-def]
    service = CoordinationService(ctx, ctx.account())
    service.before_store = lambda _uid, _modseq: proxy.arm(mode)
    job = service.operation_job(Operation.CLAIM, uid)
    if engine is not None:
        return engine.submit(job).result(timeout=60)
    return run_once(ctx, ctx.account(), job)


def test_store_whose_reply_is_lost_but_landed_is_reported_won(
    proxied: tuple[AppContext, FaultProxy], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    ctx, proxy = proxied
    uid = seed(dovecot, imap_user, "返信が届かない")
    SyncService(ctx).sync_once(ctx.account())
    outcome = claim_with_cut(ctx, proxy, uid, "after")
    assert proxy.cuts == 1
    assert outcome.won, outcome.message
    assert outcome.message.startswith("You are handling this now")
    assert encode(HandlingState.IN_PROGRESS, 0) <= server_flags(dovecot, imap_user, uid)
    assert cached_state(ctx, uid) == ("in_progress", 0)
    history = CoordinationService(ctx, ctx.account()).history(uid)
    assert [h.operation for h in history].count("claim") == 1


def test_store_cut_before_it_reached_the_server_is_reported_not_made(
    proxied: tuple[AppContext, FaultProxy], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    ctx, proxy = proxied
    uid = seed(dovecot, imap_user, "届かなかった変更")
    SyncService(ctx).sync_once(ctx.account())
    outcome = claim_with_cut(ctx, proxy, uid, "before")
    assert proxy.cuts == 1
    assert not outcome.won and outcome.connection_lost
    assert "not made" in outcome.message
    assert not server_flags(dovecot, imap_user, uid) & encode(HandlingState.IN_PROGRESS, 0)
    assert cached_state(ctx, uid) == ("unhandled", None)


def test_store_cut_in_the_engine_is_resolved_after_the_reconnect(
    windows_select: None,
    proxied: tuple[AppContext, FaultProxy],
    dovecot: DovecotServer,
    imap_user: TestUser,
) -> None:
    ctx, proxy = proxied
    uid = seed(dovecot, imap_user, "エンジンで切断")
    statuses = Statuses()
    engine = SyncService(ctx).engine(ctx.account(), on_changes=lambda ch: None, on_status=statuses)
    engine.start()
    try:
        assert engine.initial_sync_done.wait(20)
        outcome = claim_with_cut(ctx, proxy, uid, "after", engine)
        assert proxy.cuts == 1
        assert outcome.won, outcome.message
        statuses.wait_for(lambda s: s.state is LinkState.RECONNECTING)
    finally:
        engine.stop()
    assert encode(HandlingState.IN_PROGRESS, 0) <= server_flags(dovecot, imap_user, uid)
    assert cached_state(ctx, uid) == ("in_progress", 0)


def test_store_lost_to_a_teammate_while_cut_is_reported_lost(
    proxied: tuple[AppContext, FaultProxy], dovecot: DovecotServer, imap_user: TestUser
) -> None:
    ctx, proxy = proxied
    uid = seed(dovecot, imap_user, "同時に変更")
    SyncService(ctx).sync_once(ctx.account())
    service = CoordinationService(ctx, ctx.account())

    def teammate_then_cut(_uid: int, _modseq: int) -> None:
        dovecot.flags_add(imap_user, ["$label1"], uid)  # someone changes it first
        proxy.arm("after")

    service.before_store = teammate_then_cut
    outcome = run_once(ctx, ctx.account(), service.operation_job(Operation.CLAIM, uid))
    assert proxy.cuts == 1
    assert not outcome.won and not outcome.connection_lost
    assert "teammate changed this message" in outcome.message
    assert not server_flags(dovecot, imap_user, uid) & encode(HandlingState.IN_PROGRESS, 0)


def test_engine_loop_that_dies_of_a_bug_restarts_and_says_so(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    sato = team("sato")
    statuses = Statuses()
    calls = {"n": 0}

    def team_job(ectx: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyError("a bug in a team job")

    engine = SyncService(sato).engine(
        sato.account(), on_changes=lambda ch: None, on_status=statuses
    )
    engine.team_job = team_job
    engine.start()
    try:
        crashed = statuses.wait_for(lambda s: "unexpected problem" in s.message)
        assert crashed.state is LinkState.RECONNECTING and "KeyError" in (crashed.detail or "")
        # a case and data for the window's own words (ui/connection_status.py)
        assert crashed.case is StatusCase.RESTARTING and crashed.seconds == 1.0
        assert engine.initial_sync_done.wait(20)
        assert engine.submit(lambda ectx: 42).result(timeout=20) == 42
    finally:
        engine.stop()
    assert engine.restarts == 1


def test_mail_arriving_before_idle_starts_is_not_missed(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    """A message APPENDed between the first INBOX sync and the IDLE session's EXAMINE.

    EXAMINE's snapshot already counts it, so IDLE pushes nothing for it; the
    engine used to list it only at the next folder resync (5 minutes). This is
    the window ``mailwise watch`` fell into under Wine, where it is wide.
    """
    sato = team("sato")
    seed(dovecot, imap_user, "最初のメール")
    added: list[int] = []
    arrived, appended = threading.Event(), threading.Event()
    ids: dict[str, int] = {}

    def on_command(line: bytes) -> None:
        # Runs in the engine thread just before the line is sent.
        if line.startswith(b"EXAMINE") and "uid" not in ids:
            ids["uid"] = seed(dovecot, imap_user, "IDLE直前のメール")
            appended.set()

    def on_changes(changes: Any) -> None:
        for box in changes.mailboxes:
            added.extend(box.added)
        with sato.cache.transaction() as session:
            if any(
                (m := queries.message_by_id(session, row)) is not None and m.uid == ids.get("uid")
                for row in added
            ):
                arrived.set()

    engine = SyncService(sato).engine(sato.account(), on_changes=on_changes, on_command=on_command)
    engine.start()
    try:
        assert appended.wait(30)  # the message went in at the racy moment
        assert arrived.wait(30), f"UID {ids['uid']} never listed; rows added: {added}"
    finally:
        engine.stop()
