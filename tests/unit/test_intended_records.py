"""Intended team records (written ahead of a compare-and-set): settled once, never sent as they are."""

from __future__ import annotations

from pathlib import Path

from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.services.intended_records import explained_by_history
from mailwise_desktop.store import team_queue
from mailwise_desktop.store.local import LocalDatabase

INTENT = {"mailbox": "INBOX", "uid": 7, "uidvalidity": 1, "modseq": 40, "flags": ["mw-wip"]}


def _intended(local: LocalDatabase) -> int:
    return team_queue.queue_intended(
        local, "support", "event", "[mailwise] claimed", {"Message-ID": "x@y"}, {"uid": 7}, INTENT
    )


def test_an_intended_row_is_settled_by_exactly_one_caller(tmp_path: Path) -> None:
    local = LocalDatabase(tmp_path / "local.db")
    row = _intended(local)
    (item,) = team_queue.pending(local, "support")
    assert item.intended and item.intent == INTENT
    assert team_queue.make_sendable(
        local, row, "s", {"Message-ID": "x@y"}, {"uid": 7, "modseq": 41}
    )
    # A second settler (another process) finds it settled: it neither sends nor drops it.
    assert not team_queue.make_sendable(local, row, "s", {}, {})
    assert not team_queue.drop_intended(local, row)
    (item,) = team_queue.pending(local, "support")
    assert not item.intended and item.payload["modseq"] == 41
    local.close()


def test_a_dropped_intent_leaves_nothing_queued(tmp_path: Path) -> None:
    local = LocalDatabase(tmp_path / "local.db")
    row = _intended(local)
    team_queue.update_intended(local, row, "s2", {"uid": 7}, {**INTENT, "modseq": 44})
    assert team_queue.pending(local, "support")[0].intent == {**INTENT, "modseq": 44}
    assert team_queue.drop_intended(local, row)
    assert team_queue.pending_count(local, "support") == 0
    local.close()


def test_an_event_that_made_the_current_modseq_explains_the_same_outcome() -> None:
    to = {"state": "in_progress", "owner": "sato", "owner_slot": 3}
    theirs = TeamRecord(
        kind="event", target="t", actor="sato", payload={"modseq": 50, "to": to}, subject="s"
    )
    assert explained_by_history([theirs], {"to": to}, 50)
    assert not explained_by_history([theirs], {"to": to}, 51)  # something changed after it
    assert not explained_by_history([theirs], {"to": {**to, "owner_slot": 4}}, 50)
