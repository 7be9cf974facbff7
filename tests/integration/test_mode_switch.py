"""Switching a mailbox between Mode A and Mode B with its state kept (docs/COORDINATION.md).

On the keyword Dovecot (which can do both modes) the team switches INBOX to
the log and back with ``mailwise team mode``; claims race afterwards in each
mode. Every message keeps its state and owner across both switches, and no
race ever has two winners.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core.log_modes import Authority
from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.imap.keywords import decode, encode
from mailwise_desktop.imap.log_claims import LogClaims
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services import mode_switch
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService, OperationOutcome
from mailwise_desktop.services.handling_cas import HandlingCas
from mailwise_desktop.services.mode_switch import mode_job
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.store import log_states, queries
from tests.harness.dovecot import DovecotServer, TestUser, dovecot_available, start_dovecot
from tests.harness.teammates import Team, do, endpoint_for, open_profile, seed, server_flags

WIP, DONE = HandlingState.IN_PROGRESS, HandlingState.DONE


@pytest.fixture(autouse=True)
def short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    # The wait for running Mode A clients; nothing else runs in these tests.
    monkeypatch.setattr(mode_switch, "SWITCH_GRACE", 0.3)


def slot(ctx: AppContext, who: str) -> int:
    return next(t.slot for t in CoordinationService(ctx, ctx.account()).roster() if t.id == who)


def cached(ctx: AppContext, uid: int) -> tuple[str, int | None]:
    SyncService(ctx).sync_once(ctx.account())
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, ctx.account().id, "INBOX")
        row = queries.message_by_uid(session, box.id, uid)
        return row.state, row.owner_slot


def race(profiles: list[AppContext], uid: int) -> list[OperationOutcome]:
    """Every profile claims ``uid`` at the same moment."""
    barrier = threading.Barrier(len(profiles))
    results: list[OperationOutcome] = []

    def claim(ctx: AppContext) -> None:
        service = CoordinationService(ctx, ctx.account())
        job = service.operation_job(Operation.CLAIM, uid)

        def at_once(ectx):  # type: ignore[no-untyped-def]
            barrier.wait(30)
            return job(ectx)

        results.append(run_once(ctx, ctx.account(), at_once))

    threads = [threading.Thread(target=claim, args=(ctx,)) for ctx in profiles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == len(profiles)
    return results


def one_winner(results: list[OperationOutcome]) -> str:
    winners = [r for r in results if r.won]
    assert len(winners) == 1, [r.message for r in results]
    owner = winners[0].owner
    assert owner is not None
    assert all(r.owner is not None and r.owner.id == owner.id for r in results if not r.won)
    return owner.id


def test_keywords_to_log_and_back_keeps_every_state_and_one_owner(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    sato, suzuki, tanaka = team("sato"), team("suzuki"), team("tanaka")
    held = seed(dovecot, imap_user, "保留中の件")
    closed = seed(dovecot, imap_user, "完了した件")
    lost_event = seed(dovecot, imap_user, "履歴のない件")
    fresh = seed(dovecot, imap_user, "新しい件")
    later = seed(dovecot, imap_user, "あとで来た件")
    # Mode A: keywords decide.
    assert do(sato, Operation.CLAIM, held).won
    assert do(sato, Operation.HOLD, held).won
    assert do(suzuki, Operation.CLAIM, closed).won
    assert do(suzuki, Operation.DONE, closed).won
    # A Mode A claim whose history event never reached the team mailbox:
    # only the keywords know. The switch carries it.
    dovecot.flags_add(imap_user, sorted(encode(WIP, slot(sato, "tanaka"))), lost_event)

    switched = run_once(
        sato,
        sato.account(),
        mode_job(CoordinationService(sato, sato.account()), "INBOX", Authority.LOG),
    )
    assert switched.outcome is not None and switched.outcome.switched
    assert switched.authority is Authority.LOG and not switched.link.auto  # type: ignore[union-attr]
    assert switched.outcome.carried == 1  # the message only the keywords knew

    # Every machine sees the same carried state, now decided by the log.
    s_sato, s_suzuki, s_tanaka = slot(sato, "sato"), slot(sato, "suzuki"), slot(sato, "tanaka")
    for ctx in (sato, suzuki, tanaka):
        run_once(ctx, ctx.account(), CoordinationService(ctx, ctx.account()).refresh_team_job())
        assert cached(ctx, held) == ("on_hold", s_sato)
        assert cached(ctx, closed) == ("done", s_suzuki)
        assert cached(ctx, lost_event) == ("in_progress", s_tanaka)
        assert cached(ctx, fresh) == ("unhandled", None)
    # Claims in flight afterwards, in Mode B: refused where held, one winner where free.
    refused = do(tanaka, Operation.CLAIM, held)
    assert not refused.won and refused.owner is not None and refused.owner.id == "sato"
    winner = one_winner(race([sato, suzuki, tanaka], fresh))
    # The keywords mirror the log for other mail apps (this server keeps them).
    assert decode(server_flags(dovecot, imap_user, fresh)).owner_slot == slot(sato, winner)
    assert not do(sato, Operation.RESUME, closed).won  # done stays done

    # Back to keywords: the frozen log is written into each message's keywords.
    back = run_once(
        suzuki,
        suzuki.account(),
        mode_job(CoordinationService(suzuki, suzuki.account()), "INBOX", Authority.KEYWORDS),
    )
    assert back.outcome is not None and back.outcome.switched
    assert back.authority is Authority.KEYWORDS
    assert server_flags(dovecot, imap_user, held) == set(encode(HandlingState.ON_HOLD, s_sato))
    assert server_flags(dovecot, imap_user, closed) >= set(encode(DONE, s_suzuki))
    assert decode(server_flags(dovecot, imap_user, lost_event)).owner_slot == s_tanaka
    for ctx in (sato, suzuki, tanaka):
        run_once(ctx, ctx.account(), CoordinationService(ctx, ctx.account()).refresh_team_job())
        assert cached(ctx, held) == ("on_hold", s_sato)
        assert cached(ctx, fresh)[1] == slot(sato, winner)
    # Claims in flight afterwards, in Mode A (compare-and-set on keywords).
    assert not do(tanaka, Operation.CLAIM, fresh).won or winner == "tanaka"
    second = one_winner(race([sato, suzuki, tanaka], later))
    assert decode(server_flags(dovecot, imap_user, later)).owner_slot == slot(sato, second)
    assert do(sato, Operation.RESUME, held).won  # sato's hold carried through both switches
    service = CoordinationService(sato, sato.account())
    run_once(sato, sato.account(), service.refresh_team_job())
    history = service.history(later)
    assert [(h.operation, h.actor) for h in history] == [("claim", second)]  # losers left nothing


def test_team_mode_shows_the_mode_and_refuses_keywords_where_the_server_cannot(
    exchange_dovecot: DovecotServer, tmp_path: Path
) -> None:
    from mailwise_desktop.core.errors import CapabilityError

    user = exchange_dovecot.add_user()
    exchange_dovecot.create_folder(user, "Mailwise")
    ctx = open_profile(
        tmp_path / "p", endpoint_for(exchange_dovecot, user), user.password, me="sato"
    )
    try:
        run_once(
            ctx,
            ctx.account(),
            TeamService(ctx, ctx.account()).import_job([TeammateRow("sato", "佐藤")]),
        )
        service = CoordinationService(ctx, ctx.account())
        shown = run_once(ctx, ctx.account(), mode_job(service, "INBOX", None))
        assert shown.authority is Authority.LOG and shown.link is None
        assert "team log" in shown.explain
        with pytest.raises(CapabilityError, match="cannot use labels"):
            run_once(ctx, ctx.account(), mode_job(service, "INBOX", Authority.KEYWORDS))
    finally:
        ctx.close()


@pytest.fixture
def changing_server() -> Iterator[DovecotServer]:
    """A Dovecot of this test alone: it is restarted with other abilities."""
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    server = start_dovecot()
    try:
        yield server
    finally:
        server.stop()


def test_a_server_that_loses_and_regains_keywords_switches_by_itself_with_state_kept(
    changing_server: DovecotServer, tmp_path: Path
) -> None:
    server = changing_server
    user = server.add_user()
    server.create_folder(user, "Mailwise")
    endpoint = endpoint_for(server, user)
    sato = open_profile(tmp_path / "sato", endpoint, user.password, me="sato")
    suzuki = open_profile(tmp_path / "suzuki", endpoint, user.password, me="suzuki")
    try:
        rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
        run_once(sato, sato.account(), TeamService(sato, sato.account()).import_job(rows))
        held, closed, free, later = (seed(server, user, s) for s in ("件1", "件2", "件3", "件4"))
        assert do(sato, Operation.CLAIM, held).won  # Mode A
        assert do(suzuki, Operation.CLAIM, closed).won
        assert do(suzuki, Operation.DONE, closed).won
        s_sato, s_suzuki = slot(sato, "sato"), slot(sato, "suzuki")

        # The provider moves the mailbox to a server without keywords or CONDSTORE.
        server.restart(exchange_like=True)
        refused = do(suzuki, Operation.CLAIM, held)  # the first client to notice switches
        assert not refused.won and refused.owner is not None and refused.owner.id == "sato"
        link = mode_switch.cached_link(CoordinationService(suzuki, suzuki.account()), "INBOX")
        assert link is not None and link.authority is Authority.LOG and link.auto
        for ctx in (sato, suzuki):
            run_once(ctx, ctx.account(), CoordinationService(ctx, ctx.account()).refresh_team_job())
            assert cached(ctx, held) == ("in_progress", s_sato)
            assert cached(ctx, closed) == ("done", s_suzuki)
        third = one_winner(race([sato, suzuki], free))

        # Keywords and CONDSTORE are back: the engine's team job switches back by itself.
        server.restart(exchange_like=False)
        run_once(sato, sato.account(), AccountServices(sato, sato.account()).live_team_job())
        link = mode_switch.cached_link(CoordinationService(sato, sato.account()), "INBOX")
        assert link is not None and link.authority is Authority.KEYWORDS and link.settled
        assert server_flags(server, user, held) == set(encode(WIP, s_sato))
        assert server_flags(server, user, closed) >= set(encode(DONE, s_suzuki))
        assert decode(server_flags(server, user, free)).owner_slot == slot(sato, third)
        loser = "sato" if third == "suzuki" else "suzuki"
        assert not do(sato if loser == "sato" else suzuki, Operation.CLAIM, free).won
        fourth = one_winner(race([sato, suzuki], later))  # Mode A again
        assert decode(server_flags(server, user, later)).owner_slot == slot(sato, fourth)
    finally:
        sato.close()
        suzuki.close()


def test_a_mode_b_claim_in_flight_when_the_team_switches_to_keywords_is_made_in_mode_a(
    team: Team, dovecot: DovecotServer, imap_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    sato, suzuki = team("sato"), team("suzuki")
    uid = seed(dovecot, imap_user, "切り替え中の件")
    to_log = mode_job(CoordinationService(sato, sato.account()), "INBOX", Authority.LOG)
    assert run_once(sato, sato.account(), to_log).authority is Authority.LOG
    run_once(
        suzuki, suzuki.account(), CoordinationService(suzuki, suzuki.account()).refresh_team_job()
    )
    original = LogClaims._append
    switched: list[bool] = []

    def switch_first(self: LogClaims, record: TeamRecord) -> int | None:
        if not switched and record.kind == "event":
            switched.append(True)  # suzuki decided on the log; sato switches before its APPEND
            back = mode_job(CoordinationService(sato, sato.account()), "INBOX", Authority.KEYWORDS)
            assert run_once(sato, sato.account(), back).authority is Authority.KEYWORDS
        return original(self, record)

    monkeypatch.setattr(LogClaims, "_append", switch_first)
    outcome = do(suzuki, Operation.CLAIM, uid)
    assert switched and outcome.won and outcome.owner is not None and outcome.owner.id == "suzuki"
    # Made in Mode A after the fence: the keywords say it, and only once in the history.
    assert server_flags(dovecot, imap_user, uid) == set(encode(WIP, slot(sato, "suzuki")))
    service = CoordinationService(sato, sato.account())
    run_once(sato, sato.account(), service.refresh_team_job())
    assert [(h.operation, h.actor) for h in service.history(uid)] == [("claim", "suzuki")]
    # suzuki's Mode B record is in the team mailbox, fenced off by every reader.
    target = HandlingCas(service, None, "INBOX", uid).target_key()
    with sato.cache.transaction() as session:
        assert len(log_states.resolution_for(session, sato.account().id, [target]).fenced) == 1
    assert not do(sato, Operation.CLAIM, uid).won
