"""Approval rules and who decided (send/approval_rules.py, send/approval_records.py)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.mail.team_records import TeamRecord, build_message, parse_message
from mailwise_desktop.send.approval_records import (
    CaseState,
    decision_record,
    request_record,
    resolve,
    withdraw_record,
)
from mailwise_desktop.send.approval_rules import ApprovalRules, Reason, reasons
from mailwise_desktop.send.draft import AttachmentRef, Draft, Recipient
from mailwise_desktop.send.policy import TeamPolicy

RAW = b"From: support@example.com\r\nTo: a@example.jp\r\nSubject: x\r\n\r\nbody\r\n"


def _request(approvers: list[str] | None = None) -> TeamRecord:
    return replace(
        request_record(
            request_id="r1",
            requester="tanaka",
            requester_name="田中",
            approvers=approvers or [],
            reasons=[Reason("always", "trainee")],
            subject="Re: 請求書",
            recipients=["a@example.jp"],
            message_id="m@example.com",
            raw=RAW,
        ),
        uid=1,
    )


def _decide(request: TeamRecord, actor: str, uid: int, *, approve: bool = True) -> TeamRecord:
    case = resolve([request])["r1"]
    record = decision_record(case, actor=actor, actor_name=actor, approve=approve, comment="c")
    return replace(record, uid=uid)


def test_first_valid_decision_in_uid_order_wins_whatever_the_reading_order() -> None:
    request = _request()
    late = _decide(request, "sato", 3, approve=False)
    early = _decide(request, "suzuki", 2, approve=True)
    case = resolve([late, request, early])["r1"]
    assert case.state is CaseState.APPROVED
    assert case.decided is not None and case.decided.actor == "suzuki"
    assert [d.counts for d in case.decisions] == [True, False]


def test_self_decision_outsider_and_wrong_hash_do_not_count() -> None:
    request = _request(approvers=["sato"])
    own = _decide(request, "tanaka", 2)
    outsider = _decide(request, "suzuki", 3)
    wrong = replace(_decide(request, "sato", 4), payload={"op": "decision", "decision": "approve"})
    case = resolve([request, own, outsider, wrong])["r1"]
    assert case.state is CaseState.PENDING and case.decided is None
    real = _decide(request, "sato", 5, approve=False)
    assert resolve([request, own, real])["r1"].state is CaseState.RETURNED


def test_withdraw_closes_and_later_approval_is_too_late() -> None:
    request = _request()
    case = resolve([request])["r1"]
    gone = replace(withdraw_record(case, actor="tanaka", actor_name="田中"), uid=2)
    after = _decide(request, "sato", 3)
    result = resolve([request, gone, after])["r1"]
    assert result.state is CaseState.WITHDRAWN
    assert [d.counts for d in result.decisions] == [True, False]


def test_request_survives_the_team_mailbox_and_tampered_bytes_are_dropped() -> None:
    request = _request()
    back = parse_message(build_message(request), uid=1)
    assert back is not None
    case = resolve([back])["r1"]
    assert case.raw == RAW and case.requester == "tanaka"
    assert case.reasons == (Reason("always", "trainee"),)
    bad = replace(back, payload={**back.payload, "raw_b64": "RnJvbTogZXZpbA=="})
    assert resolve([bad]) == {}  # bytes that are not the ones announced: never approvable


def _draft(**kw: object) -> Draft:
    base = Draft(
        account_id="support",
        from_name="Support",
        from_address="support@example.com",
        to=(Recipient("山田", "taro@customer.example.jp"),),
        subject="Re: お見積り",
        body="ご確認ください。\n> 返金について",
    )
    return base.with_changes(**kw)


def test_reasons_each_rule() -> None:
    policy = TeamPolicy()
    known = frozenset({"old@customer.example.jp"})
    assert (
        reasons(ApprovalRules(), _draft(), requester="sato", policy=policy, known_recipients=known)
        == []
    )
    rules = ApprovalRules(always_for=("tanaka",))
    assert reasons(rules, _draft(), requester="tanaka", policy=policy, known_recipients=known)
    assert not reasons(rules, _draft(), requester="sato", policy=policy, known_recipients=known)
    rules = ApprovalRules(new_external_domain=True)
    assert not reasons(rules, _draft(), requester="sato", policy=policy, known_recipients=known)
    found = reasons(rules, _draft(), requester="sato", policy=policy, known_recipients=frozenset())
    assert [(r.code, r.message) for r in found] == [
        ("new_domain", "First mail to customer.example.jp.")
    ]
    rules = ApprovalRules(any_attachment=True)
    att = (AttachmentRef("/tmp/a.pdf", "a.pdf", 10),)
    assert reasons(
        rules, _draft(attachments=att), requester="s", policy=policy, known_recipients=known
    )
    rules = ApprovalRules(keywords=("返金",))
    assert not reasons(rules, _draft(), requester="s", policy=policy, known_recipients=known)
    assert reasons(
        rules, _draft(body="返金します"), requester="s", policy=policy, known_recipients=known
    )
    rules = ApprovalRules(max_external_recipients=1)
    two = (
        Recipient("", "a@x.example"),
        Recipient("", "b@y.example"),
        Recipient("", "c@example.com"),
    )
    [many] = reasons(rules, _draft(to=two), requester="s", policy=policy, known_recipients=known)
    assert many.message == "2 external recipients (more than 1)."
    assert dict(many.params) == {"count": "2", "limit": "1"}


def test_rules_parse_in_plain_words() -> None:
    rules = ApprovalRules().with_value("always_for", "tanaka, kato")
    assert rules.always_for == ("tanaka", "kato")
    assert rules.with_value("any_attachment", "yes").any_attachment is True
    with pytest.raises(UsageError, match="true or false"):
        rules.with_value("any_attachment", "maybe")
    with pytest.raises(UsageError, match="Unknown approval rule"):
        rules.with_value("nobody", "1")
    assert ApprovalRules.from_json({"max_external_recipients": "x", "keywords": ["返金"]}) == (
        ApprovalRules(keywords=("返金",))
    )
    assert not rules.may_approve("tanaka", "tanaka") and rules.may_approve("sato", "tanaka")


def test_every_approval_record_passes_the_team_record_schema() -> None:
    from mailwise_desktop.mail.record_schema import check_payload

    request = _request(approvers=["sato"])
    case = resolve([request])["r1"]
    for record in (
        request,
        _decide(request, "sato", 2),
        withdraw_record(case, actor="tanaka", actor_name="田中"),
    ):
        assert check_payload("approval", record.payload) == [], record.payload
    rules = ApprovalRules(approvers=("sato",), keywords=("返金",), max_external_recipients=3)
    stored = json.loads(json.dumps(rules.to_json()))  # as the team mailbox carries it
    assert check_payload("approval-rules", stored) == []
