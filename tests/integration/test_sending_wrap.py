"""Outgoing line wrapping on the real Dovecot and aiosmtpd (issue 15, part 4).

The customer receives the text wrapped at 72 columns (36 full-width
characters) with kinsoku shori, the URL whole, the signature and the quote
untouched; the
CLI's preview shows the same wrapped text; ``wrap_columns = 0`` sends the
lines as typed.
"""

from __future__ import annotations

import email
import email.policy
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.accounts import Account, Endpoint
from mailwise_desktop.core.keychain import imap_key, smtp_key
from mailwise_desktop.send.draft import ReplyKind
from mailwise_desktop.send.line_wrap import NO_LINE_END, NO_LINE_START, columns
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer
from tests.harness.teammates import endpoint_for

URL = "https://support.example.com/invoices/download?id=2026-1234567&token=abcdefghijklmnop"
# 。 is the 37th character: kinsoku moves す down with it (a 70-column line).
PARAGRAPH = (
    "いつもお世話になっております。株式会社サンプルのサポート担当者、佐藤です。"
    "先日お問い合わせいただきました「請求書の再発行」の件につきまして、"
    f"本日再発行いたしました。下記よりダウンロードしてください。 {URL} "
    "ご不明な点がございましたら、お気軽にお問い合わせくださいますようお願い申し上げます。"
)
LONG_QUOTED = "お世話になっております。" * 8
RULE = "━" * 40
# The address line is 84 columns: the sender designed it so, it is not wrapped.
SIGNATURE = (
    f"{RULE}\n株式会社サンプル サポート窓口 佐藤 花子\n"
    f"〒100-0001 東京都千代田区千代田1-1 サンプルビル5階 TEL 03-1234-5678 FAX 03-1234-5679\n{RULE}"
)


@pytest.fixture
def ctx(
    dovecot: DovecotServer, imap_user: TestUser, smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> Iterator[AppContext]:
    context = AppContext.open()
    account = Account(
        "support", endpoint_for(dovecot, imap_user), smtp_endpoint, address="support@example.com"
    )
    context.settings.set("accounts", [account.to_json()])
    context.settings.set("signature", SIGNATURE)
    context.settings.save()
    context.keychain.set_password(imap_key("support"), imap_user.password)
    context.keychain.set_password(smtp_key("support"), smtp_server.password)
    team = TeamService(context, account)
    run_once(context, account, team.add_job(TeammateRow("sato", "佐藤", "sato@example.com")))
    team.set_me("sato")
    yield context
    context.close()


def _customer_mail(dovecot: DovecotServer, user: TestUser) -> int:
    raw = make_message(
        subject="請求書の再発行について",
        body=f"{LONG_QUOTED}\n請求書を再発行していただけますか。\n",
        sender=("山田 太郎", "taro.yamada@example.jp"),
        message_id="<order-77@customer.example.jp>",
        charset="iso-2022-jp",
    )
    return dovecot.append(user, raw)


def _received_text(smtp_server: SmtpServer) -> str:
    assert len(smtp_server.messages) == 1
    sent = email.message_from_bytes(smtp_server.messages[0].data, policy=email.policy.default)
    part = sent.get_body(("plain",))  # type: ignore[attr-defined]
    assert part is not None and part.get_content_charset() == "utf-8"
    text: str = part.get_content()
    return text.replace("\r\n", "\n")


def test_customer_receives_wrapped_text_and_cli_preview_shows_it(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_server: SmtpServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uid = _customer_mail(dovecot, imap_user)
    SyncService(ctx).sync_once(ctx.account())
    SendingService(ctx, ctx.account()).set_policy("undo_seconds", "0")
    body_file = tmp_path / "body.txt"
    body_file.write_text(f"山田 太郎 様\n\n{PARAGRAPH}\n", encoding="utf-8")

    code = main(["reply", str(uid), "--body-file", str(body_file), "--send", "--yes"])
    out = capsys.readouterr()
    assert code == 0, out.err

    text = _received_text(smtp_server)
    lines = text.split("\n")
    mine = lines[: lines.index(RULE) - 1]  # before the blank line and the signature
    assert "".join(mine) == "山田 太郎 様" + PARAGRAPH  # only newlines were added
    assert len(mine) > 4
    assert lines[2] == "いつもお世話になっております。株式会社サンプルのサポート担当者、佐藤で"
    assert lines[3].startswith("す。先日")  # never "。" at the start of a line
    assert f"{URL} " in lines  # the URL whole, on its own line
    for earlier, later in itertools.pairwise(mine):
        if earlier and later:
            assert later[0] not in NO_LINE_START and earlier.rstrip()[-1] not in NO_LINE_END
    assert all(columns(line) <= 72 for line in mine if URL not in line)
    # The signature goes out as designed; the quote as the customer wrote it.
    assert f"\n\n{SIGNATURE}\n\n" in text
    assert f"> {LONG_QUOTED}" in lines
    # The preview the CLI showed before sending is the wrapped text.
    assert lines[2] in out.out.splitlines() and lines[3] in out.out.splitlines()


def test_wrap_columns_zero_sends_lines_as_typed(
    ctx: AppContext, dovecot: DovecotServer, imap_user: TestUser, smtp_server: SmtpServer
) -> None:
    ctx.settings.set("wrap_columns", 0)
    uid = _customer_mail(dovecot, imap_user)
    SyncService(ctx).sync_once(ctx.account())
    service = SendingService(ctx, ctx.account())
    service.set_policy("undo_seconds", "0")
    service.claim_for_reply(uid)
    draft = service.reply_draft(uid, kind=ReplyKind.REPLY)
    draft = service.with_snapshot(draft.with_changes(body=PARAGRAPH))
    report = service.check(draft)
    assert PARAGRAPH in report.text.split("\n")
    service.enqueue(draft, report)
    service.process_outbox()
    assert PARAGRAPH in _received_text(smtp_server).split("\n")
