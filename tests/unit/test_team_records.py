"""Roster, team-mailbox records, history reading and the capability verdict: pure parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.roster import SLOT_COUNT, Roster
from mailwise_desktop.imap.coordination_check import assess
from mailwise_desktop.imap.mailbox_sync import ServerFeatures
from mailwise_desktop.imap.select_state import MailboxStatus
from mailwise_desktop.mail.team_records import (
    TeamRecord,
    build_message,
    event_subject,
    parse_message,
    target_key,
)
from mailwise_desktop.services.team import read_csv
from mailwise_desktop.services.team_history import (
    history_entries,
    holder_since,
    latest_owner_slot,
    note_entries,
)
from mailwise_desktop.store import team_cache
from mailwise_desktop.store.database import CacheDatabase


def test_roster_assigns_never_used_slots_and_retires() -> None:
    roster = Roster()
    assert [roster.add(i, n).slot for i, n in [("sato", "佐藤"), ("suzuki", "鈴木")]] == [0, 1]
    assert roster.remove("sato").active is False
    assert roster.add("tanaka", "田中").slot == 2  # slot 0 stays sato's
    assert roster.by_slot(0).id == "sato"  # type: ignore[union-attr]
    assert roster.add("sato", "佐藤").slot == 0  # back, same slot
    with pytest.raises(UsageError):
        roster.add("sato", "again")
    with pytest.raises(UsageError):
        roster.add("Not An Id", "x")
    with pytest.raises(UsageError):
        roster.add("me", "x")


def test_roster_full_after_seventy_slots() -> None:
    roster = Roster()
    for n in range(SLOT_COUNT):
        roster.add(f"t{n}", f"T{n}")
    with pytest.raises(UsageError, match="full"):
        roster.add("one-more", "x")


def test_concurrent_adds_of_the_same_slot_resolve_the_same_way_for_every_reader() -> None:
    # Two admins added different people at once; both records ask for slot 0.
    records = [
        {"id": "sato", "name": "佐藤", "slot": 0, "active": True},
        {"id": "kato", "name": "加藤", "slot": 0, "active": True},
        {"id": "bad id", "name": "x", "slot": 3},
        {"id": "sato", "name": "佐藤 一郎", "slot": 9, "active": False},
    ]
    roster = Roster.from_records(records)
    assert [(t.id, t.slot, t.active) for t in roster.teammates] == [
        ("sato", 0, False),
        ("kato", 1, True),
    ]
    assert roster.by_id("sato").name == "佐藤 一郎"  # type: ignore[union-attr]


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30))
def test_slots_are_never_shared_whatever_the_record_order(ids: list[str]) -> None:
    roster = Roster.from_records({"id": i, "name": i, "slot": 0} for i in ids)
    slots = [t.slot for t in roster.teammates]
    assert len(slots) == len(set(slots)) == len(set(ids))


def test_record_round_trip_with_japanese_and_human_subject() -> None:
    record = TeamRecord(
        kind="event",
        target="abc@example.jp",
        actor="sato",
        payload={"operation": "claim", "subject": "請求書の再発行について"},
        subject=event_subject("佐藤", "claim", "請求書の再発行について"),
    )
    raw = build_message(record)
    assert b"X-Mailwise-Version: 1" in raw and b"X-Mailwise-Target: <abc@example.jp>" in raw
    parsed = parse_message(raw, uid=7)
    assert parsed is not None
    assert parsed.subject == "[mailwise] 佐藤 claimed: 請求書の再発行について"
    assert (parsed.kind, parsed.target, parsed.actor, parsed.uid) == (
        "event",
        "abc@example.jp",
        "sato",
        7,
    )
    assert parsed.payload == record.payload and parsed.record_id == record.record_id
    queued = TeamRecord.from_queue("event", record.subject, record.queue_headers(), record.payload)
    assert queued.record_id == record.record_id and queued.target == record.target


def test_parse_skips_what_is_not_a_record() -> None:
    assert parse_message(b"Subject: hello\r\n\r\nhi\r\n") is None
    assert parse_message(b"X-Mailwise-Kind: primer\r\n\r\n-\r\n") is None
    newer = b"X-Mailwise-Kind: note\r\nX-Mailwise-Version: 2\r\n\r\n{}\r\n"
    assert parse_message(newer) is None
    assert parse_message(b"X-Mailwise-Kind: note\r\n\r\n[1, 2]\r\n") is None


def test_target_key_uses_message_id_or_a_stable_hash() -> None:
    assert target_key("<a@b>", None, "", "") == "a@b"
    fallback = target_key(None, 1700000000.5, "Yamada@Example.jp", "件名")
    assert fallback.startswith("sha256:")
    assert fallback == target_key(None, 1700000000.9, "yamada@example.jp", "件名")
    assert target_key("=?utf-8?b?5Lu2?=", None, "", "").startswith("sha256:")
    assert target_key("日本@example.jp", None, "", "").startswith("sha256:")


def event(uid: int, before: int | None, after: int | None, at: float) -> TeamRecord:
    def side(slot: int | None) -> dict[str, object]:
        return {"state": "in_progress" if slot is not None else "unhandled", "owner_slot": slot}

    return TeamRecord(
        "event",
        "m@x",
        "sato",
        {"operation": "op", "from": side(before), "to": side(after)},
        "s",
        at,
        uid=uid,
    )


def test_history_holder_since_and_latest_owner() -> None:
    records = [
        event(1, None, 0, 100.0),
        event(2, 0, None, 200.0),  # released
        event(3, None, 0, 300.0),  # claimed again: "since" restarts here
        event(4, 0, 0, 400.0),  # hold: still the same run
    ]
    assert holder_since(records, 0).timestamp() == 300.0  # type: ignore[union-attr]
    assert holder_since(records, 1) is None
    assert latest_owner_slot(records) == 0
    assert latest_owner_slot(records[:2]) is None  # a release is the latest word
    roster = Roster.from_records([{"id": "sato", "name": "佐藤", "slot": 0}])
    entries = history_entries(records, roster)
    assert [(e.record_uid, e.owner, e.owner_name) for e in entries][:2] == [
        (1, "sato", "佐藤"),
        (2, None, None),
    ]


def test_note_tombstones_hide_the_note() -> None:
    note = TeamRecord("note", "m@x", "sato", {"text": "電話済み"}, "s", 1.0, "n1@x", uid=1)
    other = TeamRecord("note", "m@x", "sato", {"text": "残す"}, "s", 2.0, "n2@x", uid=2)
    gone = TeamRecord(
        "note", "m@x", "sato", {"deleted": True, "supersedes": "n1@x"}, "s", 3.0, "n3@x", uid=3
    )
    assert [n.text for n in note_entries([note, other, gone], Roster())] == ["残す"]


def test_latest_by_target_for_templates_and_policy(tmp_path: Path) -> None:
    db = CacheDatabase(tmp_path / "cache.sqlite3")
    records = [
        TeamRecord("template", "greeting", "sato", {"body": "v1"}, "s", 1.0, "t1@x", uid=1),
        TeamRecord("template", "greeting", "sato", {"body": "v2"}, "s", 2.0, "t2@x", uid=2),
        TeamRecord("template", "old", "sato", {"body": "x"}, "s", 3.0, "t3@x", uid=3),
        TeamRecord("template", "old", "sato", {"deleted": True}, "s", 4.0, "t4@x", uid=4),
    ]
    with db.transaction() as session:
        assert team_cache.insert_records(session, "support", records) == 4
        assert team_cache.insert_records(session, "support", records[:1]) == 0  # same record id
    with db.transaction() as session:
        latest = team_cache.latest_by_target(session, "support", "template")
    assert {t: r.payload["body"] for t, r in latest.items()} == {"greeting": "v2"}
    db.close()


def test_capability_verdict_names_each_missing_piece() -> None:
    ok = MailboxStatus(1, 10, 5, 3, ("\\Seen", "\\*"))
    assert assess("INBOX", ok, ServerFeatures(True, True), None).ready
    bare = MailboxStatus(1, 10, None, 3, ("\\Seen",), read_only=True)
    verdict = assess("INBOX", bare, ServerFeatures(True, False), None)
    assert not verdict.ready and len(verdict.reasons) == 3
    acl = assess("INBOX", ok, ServerFeatures(True, True), "lrs")
    assert not acl.ready and "read-only" in acl.reasons[0]


def test_roster_csv_with_excel_bom(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_bytes(
        "\ufeffid,name,email\nsato,佐藤,sato@example.jp\n,skipped,\nsuzuki,鈴木,\n".encode()
    )
    assert [(r.id, r.name, r.email) for r in read_csv(path)] == [
        ("sato", "佐藤", "sato@example.jp"),
        ("suzuki", "鈴木", ""),
    ]
    (tmp_path / "bad.csv").write_text("who,what\n", encoding="utf-8")
    with pytest.raises(UsageError):
        read_csv(tmp_path / "bad.csv")
