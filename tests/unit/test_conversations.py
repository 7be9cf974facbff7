"""Threading on real-world header shapes: References, broken In-Reply-To, subject prefixes."""

from __future__ import annotations

import pytest

from mailwise_desktop.core.conversations import ThreadItem, group, members, split_subject
from mailwise_desktop.mail.threading_ids import parse_msg_id, parse_references

DAY = 86400.0
CUSTOMER = "tanaka@example.co.jp"
US = "support@mailwise.test"


def item(
    key: int,
    message_id: str | None,
    subject: str,
    *,
    references: str | None = None,
    in_reply_to: str | None = None,
    people: tuple[str, ...] = (CUSTOMER, US),
    date: float | None = None,
) -> ThreadItem:
    """A ThreadItem built from raw header values, parsed as the sync parses them."""
    links = parse_references(references)
    reply = parse_msg_id(in_reply_to)
    if reply and reply not in links:
        links = (*links, reply)
    return ThreadItem(
        key,
        parse_msg_id(message_id),
        links,
        subject,
        frozenset(people),
        date if date is not None else key * 3600.0,
    )


@pytest.mark.parametrize(
    ("subject", "bare", "had"),
    [
        ("RE: 請求書について", "請求書について", True),
        ("Re[2]: 請求書について", "請求書について", True),
        ("Re(3): 請求書について", "請求書について", True),
        ("返信: 請求書について", "請求書について", True),
        ("転送: 請求書について", "請求書について", True),
        ("Fw: FW: Fwd: 請求書について", "請求書について", True),
        ("ＲＥ：請求書について", "請求書について", True),  # full-width, as some phones send
        ("Re: 返信: RE[2]:  請求書について ", "請求書について", True),
        ("AW: Rechnung", "rechnung", True),
        ("請求書について", "請求書について", False),
        ("[Support] Re: 注文", "[support] re: 注文", False),  # list tags kept, not a reply prefix
        ("Reason: none", "reason: none", False),  # a word starting with "re" is no prefix
        ("", "", False),
    ],
)
def test_split_subject(subject: str, bare: str, had: bool) -> None:
    assert split_subject(subject) == (bare, had)


def test_references_chain_groups_customer_mails_and_our_replies() -> None:
    items = [
        item(1, "<q1@example.co.jp>", "配送について"),
        item(2, "<r1@mailwise.test>", "Re: 配送について", references="<q1@example.co.jp>",
             in_reply_to="<q1@example.co.jp>"),
        item(3, "<q2@example.co.jp>", "Re: 配送について",
             references="<q1@example.co.jp> <r1@mailwise.test>", in_reply_to="<r1@mailwise.test>"),
        item(4, "<other@example.co.jp>", "別件"),
    ]  # fmt: skip
    assert members(group(items)) == {1: [1, 2, 3], 4: [4]}


def test_missing_references_uses_in_reply_to() -> None:
    items = [
        item(1, "<q1@example.co.jp>", "件名A"),
        item(2, "<q2@example.co.jp>", "件名A の続き", in_reply_to="<q1@example.co.jp>"),
    ]
    assert group(items) == {1: 1, 2: 1}


def test_broken_in_reply_to_falls_back_to_references() -> None:
    # Old Outlook style: In-Reply-To carries a comment and a date, not just the id.
    items = [
        item(1, "<root@example.co.jp>", "見積"),
        item(
            2,
            "<x@example.co.jp>",
            "RE: 見積",
            references="<root@example.co.jp>",
            in_reply_to='"Tanaka" <garbage-not-an-id> (Mon, 1 Dec 2026 10:00)',
        ),
    ]
    assert group(items) == {1: 1, 2: 1}


def test_in_reply_to_without_brackets_still_links() -> None:
    items = [
        item(1, "<root@example.co.jp>", "見積"),
        item(2, "<x@example.co.jp>", "見積", in_reply_to="root@example.co.jp"),
    ]
    assert group(items) == {1: 1, 2: 1}


def test_replies_to_a_missing_root_belong_together() -> None:
    items = [
        item(5, "<a@example.co.jp>", "Re: 旧件", references="<gone@example.co.jp>"),
        item(
            6, "<b@example.co.jp>", "Re: 旧件", references="<gone@example.co.jp> <a@example.co.jp>"
        ),
        item(7, "<c@example.co.jp>", "Re: 旧件", references="<gone@example.co.jp>"),
    ]
    assert members(group(items)) == {5: [5, 6, 7]}


def test_subject_fallback_for_a_mobile_mailer_without_headers() -> None:
    items = [
        item(1, "<q1@example.co.jp>", "商品が届きません"),
        item(2, "<r1@mailwise.test>", "Re: 商品が届きません", in_reply_to="<q1@example.co.jp>"),
        item(3, "<m1@docomo.ne.jp>", "返信: 商品が届きません"),  # no References, no In-Reply-To
    ]
    assert members(group(items)) == {1: [1, 2, 3]}


def test_subject_fallback_needs_a_prefix_a_shared_person_and_the_window() -> None:
    items = [
        item(1, "<q1@example.co.jp>", "お問い合わせ", date=0.0),
        # Same subject, no prefix: a new question, not a follow-up.
        item(2, "<q2@example.co.jp>", "お問い合わせ", date=DAY),
        # A prefix but another customer entirely.
        item(3, "<q3@other.jp>", "Re: お問い合わせ", people=("yamada@other.jp", US), date=2 * DAY),
        # A prefix, the same customer, but long after.
        item(4, "<q4@example.co.jp>", "Re: お問い合わせ", date=200 * DAY),
    ]
    assert members(group(items, frozenset({US}))) == {1: [1], 2: [2], 3: [3], 4: [4]}


def test_only_our_own_address_in_common_is_not_enough_without_ours() -> None:
    # Without knowing our address, the shared support address would join them.
    items = [
        item(1, "<q1@example.co.jp>", "お問い合わせ", people=("a@one.jp", US)),
        item(2, "<q2@other.jp>", "Re: お問い合わせ", people=("b@two.jp", US)),
    ]
    assert group(items) == {1: 1, 2: 1}
    assert group(items, frozenset({US})) == {1: 1, 2: 2}


def test_subject_fallback_picks_the_latest_earlier_match() -> None:
    items = [
        item(1, "<q1@example.co.jp>", "お問い合わせ", date=0.0),
        item(2, "<q2@example.co.jp>", "お問い合わせ", date=10 * DAY),
        item(3, "<m@docomo.ne.jp>", "RE: お問い合わせ", date=11 * DAY),
    ]
    assert group(items) == {1: 1, 2: 2, 3: 2}


def test_duplicate_message_id_is_one_conversation_and_loops_are_harmless() -> None:
    items = [
        item(1, "<same@example.co.jp>", "件"),
        item(2, "<same@example.co.jp>", "件"),  # the same mail in INBOX and Sent
        item(3, "<loop@example.co.jp>", "Re: 件", references="<loop@example.co.jp>"),
        item(4, None, "Re: 件", references="<same@example.co.jp>"),  # no Message-ID at all
    ]
    result = group(items)
    assert result[1] == result[2] == result[4] == 1
    assert result[3] in {1, 3}  # self-reference: linked to nothing but its own subject


def test_many_messages_group_quickly_enough_to_be_linear() -> None:
    # 20,000 items in 2,000 conversations of 10: the grouping is near-linear.
    items = []
    for n in range(20_000):
        root = n - n % 10
        refs = None if n == root else f"<m{root}@x>"
        items.append(item(n + 1, f"<m{n}@x>", f"件名{root}", references=refs))
    groups = members(group(items))
    assert len(groups) == 2_000
    assert all(len(v) == 10 for v in groups.values())
