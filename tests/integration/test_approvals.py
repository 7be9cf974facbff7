"""Approval before sending (確認者, issue 15) against the real Dovecot and aiosmtpd.

A trainee's reply is held until a teammate approves it, then sent exactly once
with the approved bytes; an edit after approval asks again; nobody approves
their own mail; two approvers at once leave exactly one decision; the CLI
flow end to end. Each teammate is a separate profile on the shared mailbox.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.accounts import Account, Endpoint
from mailwise_desktop.core.errors import ExitCode, MailwiseError, NotAllowedError
from mailwise_desktop.core.keychain import imap_key, smtp_key
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.send.approval_records import CaseState
from mailwise_desktop.send.draft import ReplyKind
from mailwise_desktop.send.outbox import OutboxItem, OutboxState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer
from tests.harness.teammates import endpoint_for

Profiles = Callable[[str], AppContext]


@pytest.fixture
def profiles(
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_endpoint: Endpoint,
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> Iterator[Profiles]:
    """``profiles("tanaka")``: that teammate's own profile (sato, suzuki, tanaka on the roster).

    tanaka is the trainee: the team's rules say every mail of theirs needs approval.
    """
    opened: dict[str, AppContext] = {}

    def profile(me: str) -> AppContext:
        if me in opened:
            return opened[me]
        ctx = AppContext.open(Profile(tmp_path / f"profile-{me}"))
        account = Account(
            "support",
            endpoint_for(dovecot, imap_user),
            smtp_endpoint,
            address="support@example.com",
        )
        ctx.settings.set("accounts", [account.to_json()])
        ctx.settings.set("me", me)
        ctx.settings.save()
        ctx.keychain.set_password(imap_key("support"), imap_user.password)
        ctx.keychain.set_password(smtp_key("support"), smtp_server.password)
        opened[me] = ctx
        return ctx

    admin = profile("sato")
    rows = [
        TeammateRow("sato", "佐藤"),
        TeammateRow("suzuki", "鈴木"),
        TeammateRow("tanaka", "田中"),
    ]
    run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    service = SendingService(admin, admin.account())
    service.set_policy("undo_seconds", "0")
    service.approvals.set_rule("always_for", "tanaka")
    yield profile
    for ctx in opened.values():
        ctx.close()


def customer_mail(dovecot: DovecotServer, user: TestUser) -> int:
    raw = make_message(
        subject="請求書の再発行について",
        body="お世話になっております。\n請求書を再発行していただけますか。\n",
        sender=("山田 太郎", "taro.yamada@example.jp"),
        message_id="<order-77@customer.example.jp>",
    )
    return dovecot.append(user, raw)


def sending(ctx: AppContext) -> SendingService:
    SyncService(ctx).sync_once(ctx.account())
    service = SendingService(ctx, ctx.account())
    service.refresh_team()
    return service


def trainee_reply(service: SendingService, uid: int, text: str) -> OutboxItem:
    service.claim_for_reply(uid)
    draft = service.with_snapshot(service.reply_draft(uid, kind=ReplyKind.REPLY))
    draft = draft.with_changes(body=text)
    return service.enqueue(draft, service.check(draft))


def test_trainee_reply_held_until_approved_then_sent_once_with_approved_bytes(
    profiles: Profiles, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    uid = customer_mail(dovecot, imap_user)
    trainee = sending(profiles("tanaka"))
    item = trainee_reply(trainee, uid, "再発行いたしました。")
    assert item.state is OutboxState.APPROVAL
    trainee.process_outbox()
    assert smtp_server.messages == []  # held: nothing left the machine

    approver = sending(profiles("suzuki"))
    [case] = approver.approvals.queue()
    assert case.requester == "tanaka" and case.raw == item.raw
    assert "approved by another" in case.reasons[0].message
    assert sending(profiles("tanaka")).approvals.queue() == []  # never my own in my queue

    decided = approver.approvals.decide(case.short_id, approve=True, comment="OK です")
    assert decided.state is CaseState.APPROVED and decided.decided is not None
    assert decided.decided.actor == "suzuki"

    trainee.process_outbox()
    trainee.process_outbox()  # a second run sends nothing more
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].data.replace(b"\r\n", b"\n") == item.raw.replace(b"\r\n", b"\n")
    assert trainee.outbox.get(item.id).state is OutboxState.SENT
    # History: requester, approver, decision, time — read by a third teammate.
    [seen] = [c for c in sending(profiles("sato")).approvals.cases().values()]
    assert seen.requester == "tanaka" and seen.state is CaseState.APPROVED
    assert [(d.actor, d.decision, d.comment) for d in seen.decisions] == [
        ("suzuki", "approve", "OK です")
    ]
    assert seen.decisions[0].created >= seen.created - 1


def test_edit_after_approval_asks_again_and_tampered_bytes_are_held(
    profiles: Profiles, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    uid = customer_mail(dovecot, imap_user)
    admin = sending(profiles("sato"))
    admin.set_policy("undo_seconds", "300")  # the approved mail waits its undo window
    trainee = sending(profiles("tanaka"))
    item = trainee_reply(trainee, uid, "最初の文面です。")
    approver = sending(profiles("suzuki"))
    approver.approvals.decide(approver.approvals.queue()[0].short_id, approve=True)
    trainee.process_outbox()
    assert trainee.outbox.get(item.id).state is OutboxState.QUEUED  # approved, in its window

    draft = trainee.undo(item.id)  # the trainee edits after approval
    edited = trainee.with_snapshot(draft.with_changes(body="書き直した文面です。"))
    again = trainee.enqueue(edited, trainee.check(edited))
    assert again.state is OutboxState.APPROVAL
    trainee.process_outbox(now=10**12)
    assert smtp_server.messages == []
    [case] = approver.approvals.queue()
    assert b"\n" in case.raw and case.raw == again.raw and again.raw != item.raw

    # Approved, then the outbox row's bytes change behind the app's back: held, not sent.
    approver.approvals.decide(case.short_id, approve=True)
    trainee.process_outbox()
    with trainee.ctx.local.engine.begin() as conn:
        conn.execute(
            text("UPDATE outbox SET raw = :r WHERE id = :i"),
            {"r": again.raw + b"\r\nP.S. added later\r\n", "i": again.id},
        )
    trainee.process_outbox(now=10**12)
    held = trainee.outbox.get(again.id)
    assert held.state is OutboxState.HELD and "approval again" in (held.last_error or "")
    assert smtp_server.messages == []


def test_self_approval_refused_and_return_with_comment(
    profiles: Profiles, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    uid = customer_mail(dovecot, imap_user)
    trainee = sending(profiles("tanaka"))
    item = trainee_reply(trainee, uid, "再発行いたしました。")
    request_id = item.steps["approval"]["request_id"]
    with pytest.raises(NotAllowedError, match="own mail"):
        trainee.approvals.decide(request_id, approve=True)
    approver = sending(profiles("sato"))
    with pytest.raises(MailwiseError, match="comment"):
        approver.approvals.decide(request_id, approve=False)
    approver.approvals.decide(request_id, approve=False, comment="宛名を確認してください")
    trainee.process_outbox()
    back = trainee.outbox.get(item.id)
    assert back.state is OutboxState.HELD
    assert back.last_error == "Sent back by 佐藤: 宛名を確認してください"
    assert smtp_server.messages == []


def test_two_approvers_at_once_exactly_one_decision_counts(
    profiles: Profiles, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    uid = customer_mail(dovecot, imap_user)
    trainee = sending(profiles("tanaka"))
    item = trainee_reply(trainee, uid, "再発行いたしました。")
    request_id = item.steps["approval"]["request_id"]
    deciders = {"sato": sending(profiles("sato")), "suzuki": sending(profiles("suzuki"))}
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(who: str) -> None:
        start.wait()
        try:
            deciders[who].approvals.decide(request_id, approve=who == "sato", comment="見ました")
            outcomes[who] = "won"
        except NotAllowedError as exc:
            outcomes[who] = exc.message

    threads = [threading.Thread(target=decide, args=(w,)) for w in deciders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [w for w, o in outcomes.items() if o == "won"]
    assert len(outcomes) == 2 and len(winners) == 1, outcomes
    loser = next(w for w in outcomes if w not in winners)
    assert "first" in outcomes[loser] or "does not count" in outcomes[loser]
    views = {w: s.approvals.find(request_id) for w, s in deciders.items()}
    trainee.refresh_team()
    views["tanaka"] = trainee.approvals.find(request_id)
    decided = {w: (v.decided.actor if v.decided else None) for w, v in views.items()}
    assert set(decided.values()) == {winners[0]}, decided  # everyone agrees
    trainee.process_outbox()
    expected = 1 if winners[0] == "sato" else 0  # sato approves, suzuki sends back
    assert len(smtp_server.messages) == expected


def test_cli_flow_request_list_show_approve_send(
    profiles: Profiles,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    uid = customer_mail(dovecot, imap_user)
    for who in ("tanaka", "suzuki"):
        SyncService(profiles(who)).sync_once(profiles(who).account())

    def as_(who: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("MAILWISE_HOME", str(tmp_path / f"profile-{who}"))
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = as_("tanaka", "reply", str(uid), "--send", "--yes")
    assert code == 0, err
    assert "Waiting for approval" in out
    assert smtp_server.messages == []

    code, out, _ = as_("tanaka", "approvals")
    assert code == 0 and "Nothing waits" in out
    code, out, _ = as_("suzuki", "approvals")
    assert code == 0 and "請求書の再発行について" in out
    short = out.split()[0]
    code, out, _ = as_("suzuki", "approvals", "show", short)
    assert code == 0 and "To: " in out and "taro.yamada@example.jp" in out
    code, _, err = as_("tanaka", "approvals", "approve", short)
    assert code == ExitCode.NOT_ALLOWED and "own mail" in err
    code, out, err = as_("suzuki", "approvals", "approve", short, "--comment", "OK")
    assert code == 0, err
    code, out, err = as_("tanaka", "outbox", "process")
    assert code == 0, err
    assert len(smtp_server.messages) == 1
    code, out, _ = as_("tanaka", "approvals", "history")
    assert "suzuki approve: OK" in out
