"""Building outgoing mail: encodings, threading headers, header injection refused."""

from __future__ import annotations

import email
import email.policy

import pytest

from mailwise_desktop.core.errors import BlockedError
from mailwise_desktop.send.compose import (
    FileData,
    build_message,
    encoded_size,
    forward_subject,
    parse_recipients,
    references_for,
    reply_subject,
)
from mailwise_desktop.send.draft import Draft, Recipient

BASE = Draft(
    account_id="support",
    from_name="サポート窓口",
    from_address="support@example.com",
    to=(Recipient("山田 太郎", "taro@example.jp"),),
    bcc=(Recipient("", "audit@example.com"),),
    subject="Re: 請求書の再発行について",
    body="山田 太郎 様\n\n再発行いたしました。",
    quoted="> 再発行をお願いします。",
    in_reply_to="orig@example.jp",
    references=("root@example.jp", "orig@example.jp"),
)


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_utf8_message_with_rfc2047_headers_and_rfc2231_filename() -> None:
    raw = build_message(
        BASE,
        [FileData("請求書 2026年11月分.pdf", "application/pdf", b"%PDF")],
        message_id="abc@example.com",
    )
    assert raw.isascii(), "8-bit bytes in a message meant to be 7-bit clean"
    assert b"Subject: Re: =?utf-8?b?" in raw
    assert b"filename*0*=utf-8''" in raw or b"filename*=utf-8''" in raw
    assert b"audit@example.com" not in raw  # Bcc stays in the envelope only
    msg = parse(raw)
    assert msg["Subject"] == "Re: 請求書の再発行について"
    assert msg["In-Reply-To"] == "<orig@example.jp>"
    assert msg["References"] == "<root@example.jp> <orig@example.jp>"
    assert msg["Message-ID"] == "<abc@example.com>"
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert (
        body.replace("\r\n", "\n")
        == "山田 太郎 様\n\n再発行いたしました。\n\n> 再発行をお願いします。\n"
    )
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "請求書 2026年11月分.pdf"


@pytest.mark.parametrize(
    "field",
    [
        {"subject": "件名\r\nBcc: victim@example.net"},
        {"subject": "a\nb"},
        {"to": (Recipient("x\r\nBcc: v@example.net", "t@example.jp"),)},
        {"to": (Recipient("", "t@example.jp\nBcc: v@example.net"),)},
        {"subject": "line\u2028separator"},
        {"in_reply_to": "id@x>\r\nX-Evil: 1"},
    ],
)
def test_header_injection_is_refused(field: dict[str, object]) -> None:
    with pytest.raises(BlockedError):
        build_message(BASE.with_changes(**field), [], message_id="x@example.com")


def test_injection_in_attachment_name_is_refused() -> None:
    with pytest.raises(BlockedError):
        build_message(BASE, [FileData("a\r\nb.pdf", "application/pdf", b"")], message_id="x@y")


def test_subjects_do_not_stack_prefixes() -> None:
    assert reply_subject("Re: RE: 返信: 見積もり") == "Re: 見積もり"
    assert reply_subject("見積もり") == "Re: 見積もり"
    assert forward_subject("Fwd: 転送: 見積もり") == "Fwd: 見積もり"


def test_references_keep_root_and_newest() -> None:
    chain = tuple(f"m{n}@x" for n in range(30))
    refs = references_for(chain, "new@x")
    assert refs[0] == "m0@x" and refs[-1] == "new@x" and len(refs) == 20


def test_recipients_parsed_and_injection_refused() -> None:
    assert parse_recipients("山田 <taro@example.jp>, b@example.com") == (
        Recipient("山田", "taro@example.jp"),
        Recipient("", "b@example.com"),
    )
    with pytest.raises(BlockedError):
        parse_recipients("a@example.jp\r\nBcc: b@example.net")


def test_encoded_size_is_base64_with_line_breaks() -> None:
    assert encoded_size(0) == 0
    assert encoded_size(57) == 78  # one full 76-character line + CRLF
    assert 1.36 < encoded_size(12_000_000) / 12_000_000 < 1.38
