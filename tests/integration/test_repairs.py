"""Repair by compare-and-set on the real Dovecot: one test per rule, convergence, the event.

Invalid combinations are written with ``doveadm`` (another client, broken or
racing); the repair must write exactly the protocol's flags (read back with
``doveadm``), keep foreign flags, and append a ``repair`` event to the history.
"""

from __future__ import annotations

import threading

import pytest

from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.imap.keywords import OWNER_KEYWORDS, encode
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.repairs import RepairService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, seed, server_flags

FOREIGN = ("$Forwarded", "\\Seen")


def owner_bits(slot: int) -> list[str]:
    return sorted(k for k in encode(HandlingState.IN_PROGRESS, slot) if k in OWNER_KEYWORDS)


CASES = [
    # (id, our keywords written by a broken client, expected state, expected owner slot)
    ("bad weight, no history -> unhandled", ["mw-wip", "mw-o0", "mw-o1", "mw-o2"], HandlingState.UNHANDLED, None),
    ("bad weight keeps done", ["mw-done", *OWNER_KEYWORDS[:6]], HandlingState.DONE, None),
    ("unknown slot -> unhandled", ["mw-wip", *owner_bits(60)], HandlingState.UNHANDLED, None),
    ("owner without state -> in progress", owner_bits(1), HandlingState.IN_PROGRESS, 1),
    ("in progress without owner -> unhandled", ["mw-wip"], HandlingState.UNHANDLED, None),
    ("on hold without owner -> unhandled", ["mw-hold"], HandlingState.UNHANDLED, None),
    ("several states by precedence", ["mw-wip", "mw-hold", "mw-done", *owner_bits(2)], HandlingState.DONE, 2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("keywords", "state", "owner"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_repairs_by_cas_with_a_repair_event(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    keywords: list[str],
    state: HandlingState,
    owner: int | None,
) -> None:
    uid = seed(dovecot, imap_user, "broken", FOREIGN)
    dovecot.flags_add(imap_user, keywords, uid)
    sato = team("sato")
    SyncService(sato).sync_once(sato.account())
    service = RepairService(sato, sato.account())
    assert uid in service.suspects()
    outcome = run_once(sato, sato.account(), service.repair_job(uid))
    assert outcome.repaired and outcome.problems
    assert server_flags(dovecot, imap_user, uid) == {*FOREIGN, *encode(state, owner)}
    history = CoordinationService(sato, sato.account()).history(uid)
    assert [h.operation for h in history] == ["repair"]
    assert history[0].to_state == state.value
    assert history[0].payload["keywords_before"] == sorted(k.lower() for k in keywords)
    assert service.suspects() == []  # the cache row was updated from the CAS result
    again = run_once(sato, sato.account(), service.repair_job(uid))
    assert not again.repaired and not again.problems


def test_bad_owner_code_takes_the_latest_accepted_claim_from_history(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "merged")
    suzuki = team("suzuki")
    assert do(suzuki, Operation.CLAIM, uid).won  # history: suzuki (slot 1) claimed it
    # A broken client merged a second owner into the code: weight 5 or more.
    dovecot.flags_add(imap_user, owner_bits(2), uid)
    sato = team("sato")
    SyncService(sato).sync_once(sato.account())
    outcome = run_once(sato, sato.account(), RepairService(sato, sato.account()).repair_job(uid))
    assert outcome.repaired and outcome.owner == "suzuki"
    assert server_flags(dovecot, imap_user, uid) == set(encode(HandlingState.IN_PROGRESS, 1))
    repair = CoordinationService(sato, sato.account()).history(uid)[-1]
    assert repair.operation == "repair" and set(repair.payload["involved"]) >= {"sato", "suzuki"}


def test_concurrent_repairers_converge_with_one_event(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uids = [seed(dovecot, imap_user, f"both{n}") for n in range(6)]
    for uid in uids:
        dovecot.flags_add(imap_user, ["mw-hold"], uid)  # on hold without owner
    profiles = [team("sato"), team("suzuki"), team("tanaka")]
    for ctx in profiles:
        SyncService(ctx).sync_once(ctx.account())
    results: dict[str, list[bool]] = {}
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(profiles))

    def repair_all(ctx: object) -> None:
        from mailwise_desktop.services.context import AppContext

        assert isinstance(ctx, AppContext)
        service = RepairService(ctx, ctx.account())
        barrier.wait()
        try:
            results[ctx.settings.get("me")] = [
                run_once(ctx, ctx.account(), service.repair_job(uid)).repaired for uid in uids
            ]
        except BaseException as exc:  # said below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=repair_all, args=(ctx,)) for ctx in profiles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)  # a loaded machine is slow; the threads end on their own
    assert not failures, failures
    assert len(results) == 3
    # Exactly one repairer reports each repair: the others' STOREs, answered
    # with the winner's identical flags, are not taken for their own.
    for i, uid in enumerate(uids):
        assert sum(r[i] for r in results.values()) == 1, (uid, results)
        assert server_flags(dovecot, imap_user, uid) == set()
    sato = profiles[0]
    run_once(sato, sato.account(), CoordinationService(sato, sato.account()).refresh_team_job())
    for uid in uids:
        assert [h.operation for h in CoordinationService(sato, sato.account()).history(uid)] == [
            "repair"
        ]
