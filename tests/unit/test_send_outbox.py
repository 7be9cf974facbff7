"""The outbox state machine: taken once, undo only while nothing left, crash recovery."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from mailwise_desktop.core.errors import NotAllowedError, UsageError
from mailwise_desktop.send.draft import Draft, Recipient
from mailwise_desktop.send.drafts import DraftStore
from mailwise_desktop.send.outbox import Outbox, OutboxState
from mailwise_desktop.send.policy import TeamPolicy
from mailwise_desktop.services.context import AppContext


@pytest.fixture
def ctx() -> Iterator[AppContext]:
    context = AppContext.open()
    yield context
    context.close()


def queued(ctx: AppContext, undo: float = 10):  # type: ignore[no-untyped-def]
    draft = Draft(
        "support", "S", "support@example.com", to=(Recipient("", "a@example.jp"),), body="本文"
    )
    DraftStore(ctx.local).save(draft)
    return draft, Outbox(ctx.local).enqueue(
        draft,
        raw=b"raw",
        message_id="m1@example.com",
        mail_from="support@example.com",
        rcpt=["a@example.jp"],
        undo_seconds=undo,
    )


def test_enqueue_moves_the_draft_and_undo_brings_it_back(ctx: AppContext) -> None:
    draft, item = queued(ctx)
    drafts, outbox = DraftStore(ctx.local), Outbox(ctx.local)
    assert drafts.list("support") == []
    assert outbox.due("support") == []  # the undo window is running
    back = outbox.undo(item.id)
    assert back == draft and drafts.load(draft.id) == draft
    assert outbox.items() == []


def test_a_mail_is_claimed_once_and_cannot_be_undone_while_sending(ctx: AppContext) -> None:
    _draft, item = queued(ctx, undo=0)
    outbox = Outbox(ctx.local)
    assert outbox.claim(item.id) and not outbox.claim(item.id)
    assert outbox.start_submitting(item.id) and not outbox.start_submitting(item.id)
    with pytest.raises(NotAllowedError):
        outbox.undo(item.id)
    outbox.mark_accepted(item.id, "250 OK")
    with pytest.raises(NotAllowedError):
        outbox.retry(item.id, resend_unknown=True)
    assert outbox.get(item.id).state is OutboxState.ACCEPTED
    outbox.mark_sent(item.id)
    assert outbox.sent_recipients("support") == {"a@example.jp"}


def test_unknown_outcome_needs_an_explicit_decision(ctx: AppContext) -> None:
    _draft, item = queued(ctx, undo=0)
    outbox = Outbox(ctx.local)
    outbox.claim(item.id)
    outbox.start_submitting(item.id)
    outbox.mark_unknown(item.id, "line dropped after DATA")
    with pytest.raises(NotAllowedError, match="may already have"):
        outbox.retry(item.id)
    assert outbox.due("support") == []
    outbox.confirm_sent(item.id)
    assert outbox.get(item.id).state is OutboxState.ACCEPTED


def test_recover_after_a_crash(ctx: AppContext) -> None:
    _d, first = queued(ctx, undo=0)
    outbox = Outbox(ctx.local)
    outbox.claim(first.id)  # crashed while checking collisions: harmless
    assert outbox.recover("support", stale_seconds=-1) == 1
    assert outbox.get(first.id).state is OutboxState.QUEUED
    outbox.claim(first.id)
    outbox.start_submitting(first.id)  # crashed during SMTP: nobody knows
    assert outbox.recover("support", stale_seconds=3600) == 0  # a live process is left alone
    outbox.recover("support", stale_seconds=-1)
    assert outbox.get(first.id).state is OutboxState.UNKNOWN


def test_policy_defaults_and_parsing() -> None:
    policy = TeamPolicy()
    assert (policy.size_limit, policy.large_audience, policy.undo_seconds) == (10_000_000, 25, 10)
    assert "添付" in policy.attachment_keywords and "attached" in policy.attachment_keywords
    changed = policy.with_value("size_limit", "5MB").with_value(
        "blocked_domains", "Evil.Example, 例え.jp"
    )
    assert changed.size_limit == 5_000_000
    assert changed.blocked_domains == ("evil.example", "xn--r8jz45g.jp")
    assert TeamPolicy.from_json(changed.to_json()) == changed
    with pytest.raises(UsageError):
        policy.with_value("undo_seconds", "-1")
    with pytest.raises(UsageError):
        policy.with_value("nonsense", "1")
    assert time.time() > 0
