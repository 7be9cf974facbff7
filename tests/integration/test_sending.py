"""Replying and sending against the real Dovecot and aiosmtpd (SENDING.md, issue 6).

End to end with a shared template to a Japanese customer, the refusals that
happen before SMTP (size, blocked domain, missing attachment), SMTP failures
that keep the mail queued and deliver it exactly once on retry, and a
teammate answering during the undo window.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.accounts import Account, Endpoint
from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.core.keychain import imap_key, smtp_key
from mailwise_desktop.send.draft import ReplyKind
from mailwise_desktop.send.outbox import OutboxState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.templates.records import TemplateRecord
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer
from tests.harness.teammates import endpoint_for

CUSTOMER_ID = "order-1234@customer.example.jp"
THANKS = """{{ customer.company }}
{{ customer.name | default("ご担当者") }} 様

いつもお世話になっております。{{ team.name }}の{{ me.name }}です。
「{{ original.subject }}」の件、請求書を再発行いたしました。

{{ me.signature }}"""


@pytest.fixture
def ctx(
    dovecot: DovecotServer, imap_user: TestUser, smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> Iterator[AppContext]:
    """A profile with the shared account, SMTP on aiosmtpd, me = sato on the roster."""
    context = AppContext.open()
    account = Account(
        "support", endpoint_for(dovecot, imap_user), smtp_endpoint, address="support@example.com"
    )
    context.settings.set("accounts", [account.to_json()])
    context.settings.set("signature", "サポート窓口 佐藤")
    context.settings.save()
    context.keychain.set_password(imap_key("support"), imap_user.password)
    context.keychain.set_password(smtp_key("support"), smtp_server.password)
    team = TeamService(context, account)
    run_once(context, account, team.add_job(TeammateRow("sato", "佐藤", "sato@example.com")))
    run_once(context, account, team.add_job(TeammateRow("suzuki", "鈴木", "suzuki@example.com")))
    team.set_me("sato")
    yield context
    context.close()


def customer_mail(dovecot: DovecotServer, user: TestUser, **kw: object) -> int:
    raw = make_message(
        subject=str(kw.pop("subject", "請求書の再発行について")),
        body=str(kw.pop("body", "お世話になっております。\n請求書を再発行していただけますか。\n")),
        sender=("山田 太郎", "taro.yamada@example.jp"),
        message_id=f"<{CUSTOMER_ID}>",
        charset=str(kw.pop("charset", "iso-2022-jp")),
    )
    return dovecot.append(user, raw)


def service_for(ctx: AppContext) -> SendingService:
    SyncService(ctx).sync_once(ctx.account())
    service = SendingService(ctx, ctx.account())
    service.set_policy("undo_seconds", "0")
    return service


def received(smtp_server: SmtpServer) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(m.data, policy=email.policy.default)  # type: ignore[misc]
        for m in smtp_server.messages
    ]


def test_reply_with_shared_template_end_to_end(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uid = customer_mail(dovecot, imap_user)
    service = service_for(ctx)
    service.save_template(TemplateRecord("再発行のお知らせ", THANKS, shared=True))

    code = main(["reply", str(uid), "--template", "再発行のお知らせ", "--send", "--yes"])
    out = capsys.readouterr()
    assert code == 0, out.err

    assert len(smtp_server.messages) == 1
    sent = received(smtp_server)[0]
    assert sent["In-Reply-To"] == f"<{CUSTOMER_ID}>"
    assert CUSTOMER_ID in sent["References"]
    assert sent["Subject"] == "Re: 請求書の再発行について"
    raw_subject = smtp_server.messages[0].data.split(b"\r\nSubject: ", 1)[1].split(b"\r\n")[0]
    assert raw_subject.startswith(b"Re: =?utf-8?b?"), raw_subject  # RFC 2047, not raw 8-bit
    body = sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "山田 太郎 様" in body
    assert "「請求書の再発行について」の件" in body
    assert "佐藤です" in body and "サポート窓口 佐藤" in body
    assert "{{" not in body and "None" not in body
    assert "> 請求書を再発行していただけますか。" in body
    assert smtp_server.messages[0].rcpt_tos == ("taro.yamada@example.jp",)

    # The original: \Answered + done, owner sato, in one CAS; Sent has the copy.
    client = dovecot.connect(imap_user)
    try:
        client.select_folder("INBOX")
        flags = {f.decode().lower() for f in client.get_flags([uid])[uid]}
        assert "\\answered" in flags and "mw-done" in flags
        client.select_folder("Sent")
        assert client.search(["HEADER", "Message-ID", sent["Message-ID"].strip("<>")])
    finally:
        client.logout()
    history = CoordinationService(ctx, ctx.account()).history(uid)
    sent_events = [h for h in history if h.operation == "sent"]
    assert len(sent_events) == 1 and sent_events[0].actor_name == "佐藤"
    assert sent_events[0].to_state == "done"
    assert [i.state for i in service.outbox.items(states=list(OutboxState))] == [OutboxState.SENT]


def test_oversize_blocked_and_missing_attachment_refused_before_smtp(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_server: SmtpServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uid = customer_mail(dovecot, imap_user)
    service_for(ctx)
    big = tmp_path / "見積書.pdf"
    big.write_bytes(b"%PDF" + b"\0" * 12_000_000)
    code = main(["reply", str(uid), "--attach", str(big), "--send", "--yes"])
    err = capsys.readouterr().err
    assert code == ExitCode.TOO_LARGE
    assert "16.4 MB" in err and "10.0 MB" in err, err

    note = tmp_path / "body.txt"
    note.write_text("資料を添付します。ご確認ください。\n", encoding="utf-8")
    code = main(["reply", str(uid), "--body-file", str(note)])
    out = capsys.readouterr().out
    assert code == 0
    assert "confirm" in out and "添付" in out and "nothing is attached" in out

    SendingService(ctx, ctx.account()).set_policy("blocked_domains", "example.jp")
    code = main(["reply", str(uid), "--send", "--yes"])
    err = capsys.readouterr().err
    assert code == ExitCode.BLOCKED
    assert "example.jp is blocked" in err
    assert smtp_server.messages == [] and smtp_server.dropped == []
    assert SendingService(ctx, ctx.account()).outbox.items() == []


@pytest.mark.parametrize("failure", ["451 4.3.0 Try again later", "554 5.7.1 Rejected by policy"])
def test_smtp_refusal_keeps_mail_queued_and_retry_sends_once(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_server: SmtpServer,
    failure: str,
) -> None:
    uid = customer_mail(dovecot, imap_user)
    service = service_for(ctx)
    draft = service.with_snapshot(service.reply_draft(uid, kind=ReplyKind.REPLY))
    service.claim_for_reply(uid)
    draft = service.with_snapshot(draft.with_changes(body="再発行いたしました。"))
    smtp_server.fail_data(failure)
    item = service.enqueue(draft, service.check(draft))
    service.process_outbox()
    failed = service.outbox.get(item.id)
    assert failed.state is OutboxState.FAILED
    assert (
        failure in (failed.server_reply or "") and failure.split(maxsplit=1)[0] in failed.last_error
    )  # type: ignore[operator]
    assert smtp_server.messages == []

    smtp_server.reset()
    service.process_outbox()  # nothing is retried without the user
    assert smtp_server.messages == []
    service.outbox.retry(item.id)
    service.process_outbox()
    service.process_outbox()
    assert service.outbox.get(item.id).state is OutboxState.SENT
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].data.count(item.message_id.encode()) == 1


def test_drop_after_data_is_never_resent_blindly(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    uid = customer_mail(dovecot, imap_user)
    service = service_for(ctx)
    service.claim_for_reply(uid)
    draft = service.with_snapshot(service.reply_draft(uid).with_changes(body="承知しました。"))
    smtp_server.drop_after_data()
    item = service.enqueue(draft, service.check(draft))
    service.process_outbox()
    unknown = service.outbox.get(item.id)
    assert unknown.state is OutboxState.UNKNOWN
    assert len(smtp_server.dropped) == 1 and smtp_server.messages == []

    smtp_server.reset()
    service.process_outbox()
    assert service.outbox.get(item.id).state is OutboxState.UNKNOWN
    assert smtp_server.messages == []
    # The user decides: send it again (same Message-ID), exactly once.
    assert service.resolve_unknown(item.id) is False
    service.outbox.retry(item.id, resend_unknown=True)
    service.process_outbox()
    service.process_outbox()
    assert service.outbox.get(item.id).state is OutboxState.SENT
    assert len(smtp_server.messages) == 1
    assert f"<{item.message_id}>".encode() in smtp_server.messages[0].data


def test_teammate_replies_during_undo_window_holds_my_mail(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    uid = customer_mail(dovecot, imap_user)
    service = service_for(ctx)
    service.set_policy("undo_seconds", "10")
    service.claim_for_reply(uid)
    draft = service.with_snapshot(service.reply_draft(uid).with_changes(body="確認いたします。"))
    item = service.enqueue(draft, service.check(draft))
    assert service.process_outbox() == []  # still in the undo window
    # Meanwhile a teammate's client answers the customer (\Answered on the original).
    dovecot.flags_add(imap_user, "\\Answered", uid)
    service.process_outbox(now=item.send_after + 0.1)
    held = service.outbox.get(item.id)
    assert held.state is OutboxState.HELD
    assert "answered" in (held.last_error or "")
    assert smtp_server.messages == []
    # The user is asked; Undo brings the text back to the editor.
    back = service.outbox.undo(item.id)
    assert back.body.startswith("確認いたします。")
    assert service.drafts.load(back.id).id == draft.id
    assert smtp_server.messages == []
