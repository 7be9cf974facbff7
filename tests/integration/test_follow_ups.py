"""Follow-ups on the real Dovecot: a customer's reply goes to the conversation's holder.

Each teammate is its own profile (its own cache), as on separate machines.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.imap.keywords import encode
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.follow_ups import FollowUpOutcome, FollowUpService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import Team, do, server_flags

CUSTOMER = ("田中 花子", "hanako@example.co.jp")


def customer_mail(
    dovecot: DovecotServer,
    user: TestUser,
    name: str,
    subject: str,
    *,
    replying_to: str | None = None,
    date: datetime | None = None,
) -> int:
    raw = make_message(
        subject=subject,
        sender=CUSTOMER,
        message_id=f"<{name}@example.co.jp>",
        in_reply_to=f"<{replying_to}@example.co.jp>" if replying_to else None,
        references=[f"<{replying_to}@example.co.jp>"] if replying_to else [],
        date=date,
    )
    return dovecot.append(user, raw, "INBOX")


def cached(ctx: AppContext, uid: int) -> tuple[str, int | None]:
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, ctx.account().id, "INBOX")
        row = queries.message_by_uid(session, box.id, uid)
        return row.state, row.owner_slot


def route(ctx: AppContext, service: FollowUpService | None = None) -> list[FollowUpOutcome]:
    SyncService(ctx).sync_once(ctx.account())
    service = service or FollowUpService(ctx, ctx.account())
    return run_once(ctx, ctx.account(), service.route_job())


def slot_of(ctx: AppContext, teammate: str) -> int:
    return next(
        t.slot for t in CoordinationService(ctx, ctx.account()).roster() if t.id == teammate
    )


def test_follow_up_in_a_held_conversation_is_owned_by_its_holder_on_every_machine(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    first = customer_mail(dovecot, imap_user, "q1", "配送について")
    suzuki = team("suzuki")
    assert do(suzuki, Operation.CLAIM, first).won
    assert do(suzuki, Operation.HOLD, first).won  # on hold: still suzuki's
    follow = customer_mail(dovecot, imap_user, "q2", "Re: 配送について", replying_to="q1")
    unrelated = customer_mail(dovecot, imap_user, "n1", "別件のお問い合わせ")
    others = [team("sato"), team("tanaka")]
    for ctx in others:
        SyncService(ctx).sync_once(ctx.account())
    results: dict[str, list[FollowUpOutcome]] = {}
    barrier = threading.Barrier(len(others))

    def both_at_once(ctx: AppContext) -> None:
        service = FollowUpService(ctx, ctx.account())
        barrier.wait()
        results[ctx.settings.get("me")] = run_once(ctx, ctx.account(), service.route_job())

    threads = [threading.Thread(target=both_at_once, args=(ctx,)) for ctx in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2
    routed = [o for outs in results.values() for o in outs if o.routed]
    assert len(routed) == 1, results  # one CAS winner
    assert routed[0].uid == follow and routed[0].owner == "suzuki" and routed[0].reason == "held"
    slot = slot_of(suzuki, "suzuki")
    assert server_flags(dovecot, imap_user, follow) == set(encode(HandlingState.IN_PROGRESS, slot))
    assert server_flags(dovecot, imap_user, unrelated) == set()  # a new question stays open
    for ctx in [suzuki, *others]:
        SyncService(ctx).sync_once(ctx.account())
        assert cached(ctx, follow) == ("in_progress", slot)
        assert cached(ctx, unrelated) == ("unhandled", None)
    # suzuki's own client sees a routed message and writes nothing more.
    assert not any(o.routed for o in route(suzuki))
    service = CoordinationService(suzuki, suzuki.account())
    run_once(suzuki, suzuki.account(), service.refresh_team_job())
    history = service.history(follow)
    assert [h.operation for h in history] == ["follow_up"]
    assert history[0].payload["notify"] == ["suzuki"]
    assert history[0].payload["follows"] == {"mailbox": "INBOX", "uid": first}


def test_follow_up_in_a_done_conversation_reopens_to_its_last_owner_within_the_policy_days(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    now = datetime.now(UTC)
    recent = customer_mail(dovecot, imap_user, "r1", "返品", date=now - timedelta(days=2))
    old = customer_mail(dovecot, imap_user, "o1", "請求書", date=now - timedelta(days=30))
    tanaka = team("tanaka")
    for uid in (recent, old):
        assert do(tanaka, Operation.CLAIM, uid).won
        assert do(tanaka, Operation.DONE, uid).won
    # A mobile mailer without References / In-Reply-To: the subject fallback links it.
    raw = make_message(
        subject="返信: 返品", sender=CUSTOMER, message_id="<m1@docomo.ne.jp>", date=now
    )
    recent_follow = dovecot.append(imap_user, raw, "INBOX")
    old_follow = customer_mail(dovecot, imap_user, "o2", "RE: 請求書", replying_to="o1", date=now)
    sato = team("sato")
    outcomes = {o.uid: o for o in route(sato)}
    assert outcomes[recent_follow].routed and outcomes[recent_follow].reason == "reopened"
    assert old_follow not in outcomes  # done 30 days ago, the policy says 14: unhandled
    slot = slot_of(sato, "tanaka")
    assert cached(sato, recent_follow) == ("in_progress", slot)
    assert cached(sato, old_follow) == ("unhandled", None)
    # The team allows 60 days: a new pass reopens the old one to tanaka as well.
    service = FollowUpService(sato, sato.account())
    rules = run_once(sato, sato.account(), service.set_rule_job("reopen_days", "60"))
    assert rules.reopen_days == 60
    suzuki = team("suzuki")
    SyncService(suzuki).sync_once(suzuki.account())
    run_once(
        suzuki, suzuki.account(), CoordinationService(suzuki, suzuki.account()).refresh_team_job()
    )
    assert FollowUpService(suzuki, suzuki.account()).rules().reopen_days == 60  # crossed over
    again = {o.uid: o for o in route(suzuki)}
    assert again[old_follow].routed and again[old_follow].owner == "tanaka"
    assert server_flags(dovecot, imap_user, old_follow) == set(
        encode(HandlingState.IN_PROGRESS, slot)
    )


def test_a_follow_up_someone_released_stays_released(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    first = customer_mail(dovecot, imap_user, "p1", "相談")
    sato = team("sato")
    assert do(sato, Operation.CLAIM, first).won
    follow = customer_mail(dovecot, imap_user, "p2", "Re: 相談", replying_to="p1")
    assert [o.routed for o in route(sato)] == [True]
    assert do(sato, Operation.RELEASE, follow).won  # "not mine after all"
    suzuki = team("suzuki")
    again = route(suzuki)
    assert [o.uid for o in again] == [follow] and not again[0].routed  # not routed again
    assert server_flags(dovecot, imap_user, follow) == set()
