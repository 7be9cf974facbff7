"""Switching a mailbox between Mode A and Mode B with its state kept (docs/COORDINATION.md).

On the keyword Dovecot (which can do both modes) the team switches INBOX to
the log and back with ``mailwise team mode``; claims race afterwards in each
mode. Every message keeps its state and owner across both switches, and no
race ever has two winners.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mailwise_desktop.core.log_modes import Authority
from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.imap.keywords import decode, encode
from mailwise_desktop.services import mode_switch
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService, OperationOutcome
from mailwise_desktop.services.mode_switch import mode_job
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, seed, server_flags

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
    history = CoordinationService(sato, sato.account()).history(later)
    assert [h.operation for h in history] == ["claim"]  # the losers left nothing


def test_team_mode_shows_the_mode_and_refuses_keywords_where_the_server_cannot(
    exchange_dovecot: DovecotServer, tmp_path: Path
) -> None:
    from mailwise_desktop.core.errors import CapabilityError
    from mailwise_desktop.services.team import TeammateRow, TeamService
    from tests.harness.teammates import endpoint_for, open_profile

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
