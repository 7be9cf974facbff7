"""Every team-record kind has one schema, checked before use (issue 9, cases 3 and 4)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.roster import Roster
from mailwise_desktop.mail import record_schema
from mailwise_desktop.mail.team_records import TeamRecord, build_message, read_message
from mailwise_desktop.send.policy import TeamPolicy, parse_value
from mailwise_desktop.templates.records import TemplateRecord, latest_shared

pytestmark = pytest.mark.unit


def raw_record(kind: str, body: str, date: str = "Tue, 01 Dec 2026 10:00:00 +0900") -> bytes:
    return (
        "From: x@example.jp\r\nSubject: [mailwise] hostile\r\n"
        f"Date: {date}\r\nMessage-ID: <h-{kind}@example.jp>\r\n"
        f"X-Mailwise-Kind: {kind}\r\nX-Mailwise-Target: t\r\nX-Mailwise-Actor: sato\r\n"
        "X-Mailwise-Version: 1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def test_a_100000_deep_record_is_refused_without_recursion() -> None:
    # Approval requests may be large (they carry the mail), so the depth check decides.
    reading = read_message(raw_record("approval", "[" * 100_000 + "]" * 100_000), 7)
    assert reading.record is None
    assert reading.kind == "approval"
    assert "nests 100000 levels" in reading.problems[0]
    shallow = read_message(raw_record("note", '{"a":' * 21 + "1" + "}" * 21), 8)
    assert shallow.record is None and "nests 21 levels" in shallow.problems[0]


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    text = json.dumps({"text": "[[[[" * 30 + '\\"{{{{' * 30})
    assert record_schema.json_depth(text) == 1
    reading = read_message(raw_record("note", text), 1)
    assert reading.record is not None and reading.problems == ()


def test_a_record_over_64_kb_is_refused() -> None:
    reading = read_message(raw_record("note", json.dumps({"text": "x" * 70_000})), 1)
    assert reading.record is None and "bytes" in reading.problems[0]


HOSTILE: list[tuple[str, dict[str, Any], str]] = [
    ("policy", {"size_limit": "inf"}, "size_limit"),
    ("policy", {"size_limit": 10**30}, "size_limit"),
    ("policy", {"keyword_rules": "x"}, "keyword_rules"),
    ("policy", {"keyword_rules": [{"pattern": 5, "action": "block"}]}, "pattern"),
    ("policy", {"internal_domains": [1, 2]}, "internal_domains"),
    ("template", {"name": "t", "body": "b", "to": 5}, "to"),
    ("template", {"name": "t", "body": "b", "fallbacks": ["ab", "c"]}, "fallbacks"),
    ("template", {"name": ["x"], "body": "b"}, "name"),
    ("roster", {"id": "x", "slot": 999}, "slot"),
    ("roster", {"id": "x", "name": ["a"]}, "name"),
    ("event", {"operation": "claim", "to": {"owner_slot": "0"}}, "owner_slot"),
    ("event", {"operation": 5}, "operation"),
    ("note", {"text": {"a": 1}}, "text"),
    ("approval-rules", {"max_external_recipients": -1}, "max_external_recipients"),
    ("approval", {"op": "explode"}, "op"),
]


@pytest.mark.parametrize(("kind", "payload", "field"), HOSTILE)
def test_wrong_types_and_ranges_are_refused_by_name(
    kind: str, payload: dict[str, Any], field: str
) -> None:
    reading = read_message(raw_record(kind, json.dumps(payload)), 3)
    assert reading.record is None
    assert any(field in p for p in reading.problems), reading.problems


def test_an_event_dated_9999_is_refused_not_raised() -> None:
    body = json.dumps({"operation": "claim"})
    reading = read_message(raw_record("event", body, "31 Dec 9999 23:00:00 -0200"), 4)
    assert reading.record is None and "date" in reading.problems[0]


def test_records_we_write_pass_their_schema() -> None:
    records = [
        TeamRecord("policy", "policy", "sato", TeamPolicy().to_json(), "p"),
        TeamRecord(
            "template",
            "挨拶",
            "sato",
            TemplateRecord(
                "挨拶", "{{ name }} 様", to=("a@example.jp",), fallbacks={"name": "お客"}
            ).to_json(),
            "t",
        ),
        TeamRecord(
            "roster",
            "sato",
            "sato",
            {"id": "sato", "name": "佐藤", "email": "", "slot": 0, "active": True},
            "r",
        ),
        TeamRecord(
            "event",
            "m@x",
            "sato",
            {
                "operation": "claim",
                "mailbox": "INBOX",
                "uid": 3,
                "subject": "s",
                "from": {"state": "unhandled", "owner_slot": None},
                "to": {"state": "in_progress", "owner_slot": 0},
                "modseq": 12,
            },
            "e",
        ),
    ]
    for record in records:
        reading = read_message(build_message(record), 9)
        assert reading.problems == () and reading.record is not None, record.kind
        assert reading.record.payload == json.loads(json.dumps(record.payload))


def test_not_ours_is_skipped_without_a_problem() -> None:
    assert read_message(b"Subject: hello\r\n\r\nhi\r\n").problems == ()
    # A newer client's kind: only size and depth are ours to check.
    assert read_message(raw_record("future-kind", '{"x": [1]}')).record is not None


def test_the_readers_themselves_never_raise_on_hostile_values() -> None:
    assert TeamPolicy.from_json({"size_limit": "inf", "keyword_rules": "x"}) == TeamPolicy()
    assert TeamPolicy.from_json({"keyword_rules": [{"pattern": 5}]}) == TeamPolicy()
    with pytest.raises(UsageError):
        parse_value("size_limit", "inf")
    with pytest.raises(UsageError):
        parse_value("keyword_rules", "x")
    with pytest.raises(UsageError):
        parse_value("internal_domains", "[1, ")
    assert latest_shared([{"name": "a", "to": 5}, {"name": "b", "fallbacks": ["ab", "c"]}]) == {}
    roster = Roster.from_records([{"id": "sato", "name": ["x"]}, {"id": "ito", "slot": True}])
    assert [t.id for t in roster.teammates] == ["ito"] and roster.require("ito").slot == 0
