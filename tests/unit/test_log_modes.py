"""The mode chain and the switch semantics of the resolution (core/log_modes.py, core/claim_log.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.core.claim_log import LogEntry, drop_rejected, resolve, resolve_records
from mailwise_desktop.core.log_modes import (
    Authority,
    ModeEntry,
    Phase,
    mode_entry_from,
    mode_payload,
    mode_target,
)
from mailwise_desktop.core.states import HandlingState, StateView
from mailwise_desktop.mail.team_records import TeamRecord

WIP, DONE = HandlingState.IN_PROGRESS, HandlingState.DONE
LOG, KW = Authority.LOG, Authority.KEYWORDS
SW, EFF = Phase.SWITCHING, Phase.EFFECTIVE


def change(
    uid: int, base: str | None, slot: int = 0, target: str = "t", box: str = "INBOX"
) -> LogEntry:
    return LogEntry(uid, f"r{uid}", target, base, f"a{slot}", WIP, slot, box)


def seed(uid: int, state: HandlingState, slot: int | None, target: str = "t") -> LogEntry:
    return LogEntry(uid, f"e{uid}", target, None, "x", state, slot, "INBOX", seed=True)


def link(uid: int, to: Authority, phase: Phase, base: str | None, box: str = "INBOX") -> ModeEntry:
    return ModeEntry(uid, f"m{uid}", box, to, phase, base, "admin")


def test_mode_a_history_is_where_the_log_starts_after_a_switch() -> None:
    result = resolve(
        [
            seed(1, WIP, 3),  # Mode A: slot 3 claimed t
            seed(2, DONE, 3, target="u"),
            link(3, LOG, SW, None),
            link(4, LOG, EFF, "m3"),
        ]
    )
    assert result.view("t") == StateView(WIP, 3)
    assert result.view("u") == StateView(DONE, 3)
    assert result.shows_log("INBOX")
    # A claim on the carried head names it as its base; one on "nothing" loses.
    after = resolve(
        [
            *[seed(1, WIP, 3), link(3, LOG, SW, None), link(4, LOG, EFF, "m3")],
            change(5, None, slot=1),
            change(6, "e1", slot=1),
        ]
    )
    assert after.rejected["r5"] == "e1" and after.heads["t"].record_id == "r6"


def test_mode_a_events_after_the_switch_are_not_seeds() -> None:
    result = resolve([link(1, LOG, EFF, None), seed(2, WIP, 4)])
    assert result.view("t") == StateView(HandlingState.UNHANDLED, None)


def test_mode_b_records_after_a_switch_to_keywords_are_fenced() -> None:
    result = resolve(
        [
            link(1, LOG, EFF, None),
            change(2, None, slot=1),
            link(3, KW, SW, "m1"),
            change(4, "r2", slot=2),  # a writer that missed the switch
            link(5, KW, EFF, "m3"),
        ]
    )
    assert result.fenced == {"r4"}
    assert result.view("t") == StateView(WIP, 1)  # frozen at the switch
    assert not result.shows_log("INBOX")
    # While switching to keywords the list still shows the (frozen) log.
    assert resolve([link(1, LOG, EFF, None), link(3, KW, SW, "m1")]).shows_log("INBOX")
    # While switching to the log it still shows the keywords.
    assert not resolve([link(1, LOG, SW, None)]).shows_log("INBOX")


def test_the_chain_is_first_placed_wins_and_per_mailbox() -> None:
    result = resolve(
        [link(1, LOG, EFF, None), link(2, KW, EFF, None), link(3, LOG, EFF, None, box="Sales")]
    )
    assert result.chain["INBOX"].record_id == "m1"
    assert result.rejected["m2"] == "m1"
    assert result.chain["Sales"].record_id == "m3"
    # Another mailbox's switch does not fence this one's records.
    fenced = resolve([link(1, KW, EFF, None, box="Sales"), change(2, None)])
    assert fenced.fenced == set() and fenced.heads["t"].record_id == "r2"


def test_back_to_the_log_keeps_heads_nobody_touched_in_mode_a() -> None:
    result = resolve(
        [
            link(1, LOG, EFF, None),
            change(2, None, slot=1),  # t: wip by 1 (carried into keywords)
            change(3, None, slot=2, target="u"),
            link(4, KW, SW, "m1"),
            link(5, KW, EFF, "m4"),
            seed(6, DONE, 2, target="u"),  # in Mode A, u was closed
            link(7, LOG, SW, "m5"),
            link(8, LOG, EFF, "m7"),
        ]
    )
    assert result.view("t") == StateView(WIP, 1)
    assert result.view("u") == StateView(DONE, 2)


def test_mode_records_from_outside_are_checked() -> None:
    good = mode_payload("INBOX", LOG, EFF, None, auto=True)
    entry = mode_entry_from(1, "m1", "a", good, 10.0)
    assert entry is not None and entry.auto and entry.authority is LOG
    assert mode_entry_from(1, "m", "a", {**good, "authority": "magic"}) is None
    assert mode_entry_from(1, "m", "a", {**good, "mailbox": ""}) is None
    assert mode_entry_from(1, "m", "a", {**good, "base": 5}) is None


def test_drop_rejected_hides_fenced_records_from_history() -> None:
    def rec(uid: int, kind: str, target: str, payload: dict) -> TeamRecord:  # type: ignore[type-arg]
        return TeamRecord(kind, target, "a", payload, "s", record_id=f"x{uid}", uid=uid)

    chain = [
        rec(1, "mode", mode_target("INBOX"), mode_payload("INBOX", LOG, EFF, None, auto=False)),
        rec(3, "mode", mode_target("INBOX"), mode_payload("INBOX", KW, SW, "x1", auto=False)),
    ]
    ok = {
        "mode": "log",
        "base": None,
        "mailbox": "INBOX",
        "to": {"state": "in_progress", "owner_slot": 1},
    }
    late = {**ok, "base": "x2"}
    events = [rec(2, "event", "t", ok), rec(4, "event", "t", late)]
    assert [r.record_id for r in drop_rejected(events, chain)] == ["x2"]
    assert resolve_records([*events, *chain]).fenced == {"x4"}


@st.composite
def histories(draw: st.DrawFn) -> list[LogEntry | ModeEntry]:
    """Random interleavings of claims on two targets, Mode A events and switches."""
    items: list[LogEntry | ModeEntry] = []
    ids: list[str] = []
    for uid in range(1, draw(st.integers(1, 40)) + 1):
        kind = draw(st.sampled_from(["change", "change", "change", "seed", "link"]))
        base = draw(st.sampled_from([None, *ids[-4:]]))
        if kind == "link":
            to = draw(st.sampled_from([LOG, KW]))
            items.append(
                ModeEntry(uid, f"m{uid}", "INBOX", to, draw(st.sampled_from([SW, EFF])), base, "a")
            )
            ids.append(f"m{uid}")
            continue
        target = draw(st.sampled_from(["t", "u"]))
        if kind == "seed":
            items.append(LogEntry(uid, f"e{uid}", target, None, "a", WIP, 1, "INBOX", seed=True))
        else:
            items.append(LogEntry(uid, f"r{uid}", target, base, "a", WIP, uid % 8, "INBOX"))
        ids.append(items[-1].record_id)
    return items


@given(histories())
def test_never_two_accepted_changes_on_one_head_and_none_under_keywords(
    items: list[LogEntry | ModeEntry],
) -> None:
    result = resolve(items)
    by_id = {i.record_id: i for i in items}
    accepted = [by_id[r] for r in result.accepted if isinstance(by_id[r], LogEntry)]
    bases = [(e.target, e.base) for e in accepted]  # type: ignore[union-attr]
    assert len(bases) == len(set(bases))  # one winner per head
    # Replay the chain: an accepted change was never placed under a keywords link.
    chain: ModeEntry | None = None
    for item in sorted(items, key=lambda i: i.uid):
        if isinstance(item, ModeEntry):
            if item.record_id in result.accepted:
                chain = item
        elif item.record_id in result.accepted:
            assert chain is None or chain.log_writes_allowed
        elif item.record_id in result.fenced:
            assert chain is not None and not chain.log_writes_allowed
    # Every head is an accepted change or a seed of the mailbox.
    for head in result.heads.values():
        assert head.seed or head.record_id in result.accepted
