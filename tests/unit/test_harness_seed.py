"""Seeded mail is deterministic, parseable and as varied as real customer mail."""

from __future__ import annotations

import email
import email.policy
import hashlib
import subprocess
import sys
from pathlib import Path

from tests.harness.seed import Attachment, make_message, realistic_mailbox

REPO = Path(__file__).resolve().parents[2]


def _parse(raw: bytes) -> email.message.EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def test_realistic_mailbox_is_deterministic_across_processes() -> None:
    code = (
        "import hashlib\nfrom tests.harness.seed import realistic_mailbox\n"
        "h = hashlib.sha256()\n"
        "for m in realistic_mailbox(300, seed=5): h.update(m)\n"
        "print(h.hexdigest())"
    )
    here = hashlib.sha256()
    for raw in realistic_mailbox(300, seed=5):
        here.update(raw)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == here.hexdigest()
    assert list(realistic_mailbox(5, seed=1)) != list(realistic_mailbox(5, seed=2))


def test_realistic_mailbox_mix() -> None:
    messages = [_parse(raw) for raw in realistic_mailbox(200, seed=0)]
    ids = [m["message-id"] for m in messages]
    assert len(set(ids)) == len(ids)
    japanese = [m for m in messages if not m["subject"].isascii()]
    assert 0.3 < len(japanese) / len(messages) < 0.8
    charsets = {
        p.get_content_charset() for m in messages for p in m.walk() if p.get_content_charset()
    }
    assert {"utf-8", "iso-2022-jp"} <= charsets
    assert any(any(True for _ in m.iter_attachments()) for m in messages)
    replies = [m for m in messages if m["in-reply-to"]]
    assert replies and all(m["subject"].startswith("Re: ") for m in replies)
    assert all(m["in-reply-to"] in ids for m in replies)
    for m in messages:
        body = m.get_body(("plain",))
        assert body is not None and body.get_content().strip()


def test_make_message_iso_2022_jp_with_attachment() -> None:
    raw = make_message(
        subject="見積もりのお願い",
        body="お世話になっております。\n",
        charset="iso-2022-jp",
        in_reply_to="<a@example.jp>",
        references=["<a@example.jp>"],
        attachments=[Attachment("見積書.pdf", "application/pdf", b"%PDF-1.4 test")],
    )
    assert raw.isascii()  # 7-bit on the wire, as Japanese mailers send it
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    msg = _parse(raw)
    assert msg["subject"] == "見積もりのお願い"
    assert msg["in-reply-to"] == "<a@example.jp>"
    body = msg.get_body(("plain",))
    assert body is not None
    assert body.get_content_charset() == "iso-2022-jp"
    assert body.get_content().replace("\r\n", "\n") == "お世話になっております。\n"
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "見積書.pdf"
    assert att.get_content() == b"%PDF-1.4 test"
