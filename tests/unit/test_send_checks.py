"""The mis-send checks of SENDING.md: order, severities, what they look at."""

from __future__ import annotations

from mailwise_desktop.send.checks import (
    CheckInput,
    Collision,
    Severity,
    group_recipients,
    run_checks,
)
from mailwise_desktop.send.draft import AttachmentRef, Draft, OriginalSnapshot, Recipient, ReplyKind
from mailwise_desktop.send.policy import TeamPolicy, normalize_domain

POLICY = TeamPolicy(internal_domains=("example.com",))


def draft(**kw: object) -> Draft:
    base = Draft(
        account_id="support",
        from_name="Support",
        from_address="support@example.com",
        to=(Recipient("山田", "taro@customer.example.jp"),),
        subject="Re: 見積もり",
        body="山田 様\nよろしくお願いいたします。",
    )
    return base.with_changes(**kw)


def codes(d: Draft, policy: TeamPolicy = POLICY, **kw: object) -> list[tuple[str, Severity]]:
    return [(f.code, f.severity) for f in run_checks(CheckInput(d, policy, **kw))]  # type: ignore[arg-type]


def test_external_domain_confirm_and_internal_quiet() -> None:
    assert codes(draft()) == [("external_domains", Severity.CONFIRM)]
    inside = draft(to=(Recipient("", "sato@EXAMPLE.com."),))
    assert codes(inside) == []


def test_domains_compare_case_folded_and_idna() -> None:
    assert normalize_domain("Ｅｘａｍｐｌｅ.JP") == "example.jp"
    assert normalize_domain("例え.jp") == normalize_domain("xn--r8jz45g.jp")
    policy = TeamPolicy(internal_domains=("例え.jp",))
    assert codes(draft(to=(Recipient("", "a@XN--R8JZ45G.jp"),)), policy) == []


def test_blocked_domain_and_address_block_with_reason() -> None:
    policy = TeamPolicy(
        internal_domains=("example.com",),
        blocked_domains=("customer.example.jp",),
        blocked_addresses=("boss@example.com",),
    )
    findings = run_checks(CheckInput(draft(cc=(Recipient("", "Boss@example.com"),)), policy))
    blocked = [f for f in findings if f.severity is Severity.BLOCK]
    assert {f.params["address"] for f in blocked} == {
        "taro@customer.example.jp",
        "Boss@example.com",
    }
    assert "customer.example.jp is blocked" in blocked[0].message


def test_findings_follow_the_order_of_the_spec() -> None:
    many = tuple(Recipient("", f"p{n}@other{n % 3}.example.org") for n in range(25))
    d = draft(
        kind=ReplyKind.REPLY_ALL,
        cc=many,
        subject="",
        body="資料を添付します。",
        original=OriginalSnapshot(
            "INBOX", 1, "m@x", 1, False, "unhandled", None, None, 2, "taro@customer.example.jp"
        ),
    )
    policy = TeamPolicy(
        internal_domains=("example.com",), attention_domains=("other1.example.org",)
    )
    order = [
        c
        for c, _ in codes(
            d, policy, known_recipients=frozenset(), collision=Collision(answered=True)
        )
    ]
    assert order == [
        "external_domains",
        "attention_domain",
        "first_time_recipient",
        "recommend_bcc",
        "large_audience",
        "missing_attachment",
        "empty_subject",
        "reply_all_added_external",
        "collision_answered",
    ]


def test_attachment_keywords_only_in_new_text_not_the_quote() -> None:
    quoted_only = draft(
        body="承知しました。\n> 添付の資料をご確認ください", quoted="> attached file"
    )
    assert "missing_attachment" not in [c for c, _ in codes(quoted_only)]
    english = draft(body="Please find the attachment.")
    assert "missing_attachment" in [c for c, _ in codes(english)]
    assert "missing_attachment" in [c for c, _ in codes(draft(attachments_expected=True))]
    attached = draft(
        body="同封いたします。", attachments=(AttachmentRef("/x", "a.pdf", 10, "application/pdf"),)
    )
    assert "missing_attachment" not in [c for c, _ in codes(attached)]


def test_size_limit_is_encoded_size_and_blocks_with_sizes() -> None:
    big = draft(attachments=(AttachmentRef("/x", "見積書.pdf", 7_500_000, "application/pdf"),))
    [finding] = [f for f in run_checks(CheckInput(big, POLICY)) if f.code == "too_large"]
    assert finding.severity is Severity.BLOCK
    assert finding.params == {"size": "10.3 MB", "limit": "10.0 MB"}
    ok = draft(attachments=(AttachmentRef("/x", "a.pdf", 7_000_000, "application/pdf"),))
    assert "too_large" not in [c for c, _ in codes(ok)]
    assert "too_large" in [c for c, _ in codes(ok, smtp_size_limit=5_000_000)]


def test_double_extension_confirm_and_dangerous_warn() -> None:
    d = draft(
        attachments=(
            AttachmentRef("/x", "請求書.pdf.exe", 10, "application/octet-stream"),
            AttachmentRef("/y", "tool.ps1", 10, "text/plain"),
        )
    )
    found = codes(d)
    assert ("double_extension", Severity.CONFIRM) in found
    assert ("risky_attachment", Severity.WARN) in found


def test_other_owner_blocks_until_take_over() -> None:
    c = Collision(other_owner="佐藤")
    assert ("collision_owner", Severity.BLOCK) in codes(draft(), collision=c)
    assert ("collision_owner", Severity.CONFIRM) in codes(draft(take_over=True), collision=c)


def test_groups_put_external_first() -> None:
    d = draft(cc=(Recipient("", "a@example.com"), Recipient("", "b@zeta.example.jp")))
    groups = group_recipients(d, POLICY)
    assert [(g.domain, g.external) for g in groups] == [
        ("customer.example.jp", True),
        ("zeta.example.jp", True),
        ("example.com", False),
    ]


def test_keyword_rules_warn_or_block() -> None:
    from mailwise_desktop.send.policy import KeywordRule

    policy = TeamPolicy(
        internal_domains=("example.com",),
        keyword_rules=(
            KeywordRule("パスワード", "block", "no passwords by mail"),
            KeywordRule("至急"),
        ),
    )
    found = codes(draft(subject="至急: パスワードのお知らせ"), policy)
    assert ("keyword_rule", Severity.BLOCK) in found and ("keyword_rule", Severity.WARN) in found
