"""Mode B's pure core: records applied in UID order, a stale base rejected."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.core.claim_log import LOG_MODE, LogEntry, entry_from, resolve
from mailwise_desktop.core.states import HandlingState, StateView

WIP = HandlingState.IN_PROGRESS


def entry(uid: int, base: str | None, actor: str = "a", target: str = "t") -> LogEntry:
    return LogEntry(uid, f"r{uid}", target, base, actor, WIP, uid % 70)


def test_first_placed_of_two_on_the_same_head_wins() -> None:
    result = resolve([entry(5, None, "b"), entry(3, None, "a")])
    assert result.accepted == {"r3"}
    assert result.heads["t"].actor == "a"
    assert result.winner_of["r5"].record_id == "r3"


def test_a_chain_is_applied_in_order_and_targets_are_independent() -> None:
    result = resolve([entry(1, None), entry(2, "r1"), entry(3, None, target="u"), entry(4, "r1")])
    assert result.accepted == {"r1", "r2", "r3"}
    assert result.heads["t"].record_id == "r2"
    assert result.rejected == {"r4": "r2"}
    assert result.view("nothing") == StateView(HandlingState.UNHANDLED, None)


def test_duplicate_record_ids_count_once() -> None:
    one = entry(1, None)
    assert resolve([one, LogEntry(2, "r1", "t", "r1", "b", WIP, 1)]).accepted == {"r1"}


def test_malformed_payloads_are_skipped() -> None:
    good = {"mode": LOG_MODE, "base": None, "to": {"state": "in_progress", "owner_slot": 3}}
    assert entry_from(1, "r", "t", "a", good) is not None
    for bad in (
        {**good, "mode": None},
        {**good, "to": "x"},
        {**good, "base": 5},
        {**good, "to": {"state": "lost", "owner_slot": 1}},
        {**good, "to": {"state": "in_progress", "owner_slot": -1}},
        {**good, "to": {"state": "in_progress", "owner_slot": True}},
    ):
        assert entry_from(1, "r", "t", "a", bad) is None


# Interleavings: each writer reads the head (as resolve says at that moment),
# then appends a record on it; steps of different writers interleave freely.
@st.composite
def interleavings(draw: st.DrawFn) -> list[tuple[int, str]]:
    writers = draw(st.integers(min_value=1, max_value=8))
    steps = [(w, "read") for w in range(writers)] + [(w, "append") for w in range(writers)]
    order = draw(st.permutations(steps))
    # Move every append after its writer's read.
    fixed: list[tuple[int, str]] = []
    waiting: dict[int, tuple[int, str]] = {}
    read_done: set[int] = set()
    for writer, step in order:
        if step == "read":
            read_done.add(writer)
            fixed.append((writer, step))
            if writer in waiting:
                fixed.append(waiting.pop(writer))
        elif writer in read_done:
            fixed.append((writer, step))
        else:
            waiting[writer] = (writer, step)
    return fixed


@given(interleavings())
def test_of_writers_on_the_same_head_exactly_the_first_placed_wins(
    schedule: list[tuple[int, str]],
) -> None:
    log: list[LogEntry] = []
    base_of: dict[int, str | None] = {}
    for writer, step in schedule:
        if step == "read":
            head = resolve(log).heads.get("t")
            base_of[writer] = head.record_id if head else None
        else:
            log.append(entry(len(log) + 1, base_of[writer], actor=f"w{writer}"))
    result = resolve(log)
    # Never two accepted records on the same base: no double owner.
    bases = [e.base for e in log if e.record_id in result.accepted]
    assert len(bases) == len(set(bases))
    # The accepted ones form one chain from nothing to the head.
    chain, cursor = [], None
    by_base = {e.base: e for e in log if e.record_id in result.accepted}
    while cursor in by_base:
        chain.append(by_base[cursor])
        cursor = by_base[cursor].record_id
    assert len(chain) == len(result.accepted)
    assert result.heads["t"] == chain[-1]
    # Every rejected writer is told a winner: the head that was current when it was placed.
    for e in log:
        if e.record_id not in result.accepted:
            prefix = resolve(x for x in log if x.uid < e.uid)
            assert result.winner_of[e.record_id] == prefix.heads["t"]
    # Of the writers that read the empty log, the first to append won.
    first = [e for e in log if e.base is None]
    assert first and first[0].record_id in result.accepted
