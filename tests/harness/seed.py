"""Realistic customer mail for tests, the demo and the 50k-message benchmark.

:func:`make_message` builds one message the way real mailers do (Japanese in
UTF-8 or ISO-2022-JP, encoded-word subjects, multipart with attachments,
Message-ID / In-Reply-To / References). :func:`realistic_mailbox` yields a
deterministic stream of such messages, fast enough for 50k: the MIME bodies
come from a small pool built once, only the top headers vary per message.
"""

from __future__ import annotations

import base64
import email.policy
import functools
import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import encoders
from email.charset import BASE64, QP, Charset
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr

_POLICY = email.policy.compat32.clone(linesep="\r\n")
EPOCH = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)
TEAM_ADDRESS = ("サポート窓口", "support@example.com")


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content_type: str
    data: bytes


def encode_header(value: str, charset: str = "utf-8") -> str:
    """``value`` as an RFC 2047 header value; plain ASCII is left as it is."""
    if value.isascii():
        return value
    return _encode_header_cached(value, charset)


@functools.lru_cache(maxsize=4096)
def _encode_header_cached(value: str, charset: str) -> str:
    # email.header.Header is correct but slow for 50k subjects; B-encoding whole
    # characters, a dozen per encoded word, keeps every word under 75 chars and
    # each ISO-2022-JP chunk self-contained (its own ESC sequences).
    words = []
    for start in range(0, len(value), 12):
        chunk = value[start : start + 12].encode(charset)
        words.append(f"=?{charset}?b?{base64.b64encode(chunk).decode('ascii')}?=")
    return "\r\n ".join(words)


def format_address(name: str, address: str, charset: str = "utf-8") -> str:
    """``"Name" <address>`` with the display name encoded when it is not ASCII."""
    if name.isascii():
        return formataddr((name, address))
    return f"{encode_header(name, charset)} <{address}>"


def _text_part(text: str, subtype: str, charset: str) -> MIMEText:
    if charset.lower() == "iso-2022-jp":
        # ISO-2022-JP is 7-bit by design: Japanese mailers send it unencoded.
        return MIMEText(text, subtype, "iso-2022-jp")
    cs = Charset(charset)
    # Japanese UTF-8 mail is mostly base64 (Gmail, Outlook); English mostly QP.
    cs.body_encoding = QP if text.isascii() else BASE64
    part = MIMEText("", subtype, None)
    part.set_payload(text, cs)
    return part


def make_message(
    *,
    subject: str = "お問い合わせ",
    body: str = "お世話になっております。\n確認をお願いいたします。\n",
    sender: tuple[str, str] = ("山田 太郎", "taro.yamada@example.jp"),
    to: Sequence[tuple[str, str]] = (TEAM_ADDRESS,),
    cc: Sequence[tuple[str, str]] = (),
    date: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    charset: str = "utf-8",
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
    extra_headers: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One RFC 5322 message as bytes with CRLF line endings.

    Args:
        subject: the subject, encoded as RFC 2047 in ``charset`` when not ASCII.
        body: the text/plain body.
        sender: (display name, address) of From.
        to: recipients (display name, address).
        cc: Cc recipients.
        date: the Date header; a fixed date by default (deterministic output).
        message_id: with angle brackets; derived from the subject and date by default.
        in_reply_to: Message-ID this one replies to.
        references: the thread's Message-IDs, oldest first.
        charset: ``"utf-8"`` or ``"iso-2022-jp"`` (headers and text parts).
        html: an optional text/html alternative.
        attachments: files to attach (multipart/mixed).
        extra_headers: more headers, added as given.
    """
    date = date or EPOCH
    # A fixed boundary per content: compat32 would pick a random one per run.
    tag = hashlib.sha1(f"{subject}|{body}|{len(attachments)}".encode()).hexdigest()[:24]
    text = _text_part(body, "plain", charset)
    root: MIMEBase
    if html is not None:
        alt = MIMEMultipart("alternative", boundary=f"=_alt_{tag}")
        alt.attach(text)
        alt.attach(_text_part(html, "html", charset))
        root = alt
    else:
        root = text
    if attachments:
        mixed = MIMEMultipart("mixed", boundary=f"=_mixed_{tag}")
        mixed.attach(root)
        for att in attachments:
            maintype, _, subtype = att.content_type.partition("/")
            part = MIMEApplication(att.data, subtype) if maintype == "application" else None
            if part is None:
                part = MIMEBase(maintype, subtype)
                part.set_payload(att.data)
                encoders.encode_base64(part)
            # RFC 2231 filename for non-ASCII names, as modern mailers send.
            filename: str | tuple[str, str, str] = (
                att.filename if att.filename.isascii() else ("utf-8", "", att.filename)
            )
            part.add_header("Content-Disposition", "attachment", filename=filename)
            mixed.attach(part)
        root = mixed
    msg = root
    headers = [
        ("From", format_address(*sender, charset=charset)),
        ("To", ", ".join(format_address(n, a, charset) for n, a in to)),
    ]
    if cc:
        headers.append(("Cc", ", ".join(format_address(n, a, charset) for n, a in cc)))
    headers += [
        ("Subject", encode_header(subject, charset)),
        ("Date", format_datetime(date)),
        ("Message-ID", message_id or _default_message_id(subject, date)),
    ]
    if in_reply_to:
        headers.append(("In-Reply-To", in_reply_to))
    if references:
        headers.append(("References", " ".join(references)))
    headers += list(extra_headers)
    # Top headers first, as mailers write them; MIME headers stay after them.
    mime_headers = list(msg.items())
    for key in list(msg.keys()):
        del msg[key]
    for key, value in [*headers, ("MIME-Version", "1.0")]:
        msg[key] = value
    for key, value in mime_headers:
        if key != "MIME-Version":
            msg[key] = value
    return msg.as_bytes(policy=_POLICY)


def _default_message_id(subject: str, date: datetime) -> str:
    # hashlib, not hash(): str hashes change with every process.
    digest = hashlib.sha1(f"{subject}|{date.isoformat()}".encode()).hexdigest()[:16]
    return f"<{digest}@example.jp>"


# --------------------------------------------------------------------- pools

_CUSTOMERS_JA = [
    ("山田 太郎", "taro.yamada@example.jp"),
    ("佐藤 花子", "hanako.sato@example.co.jp"),
    ("鈴木 一郎", "ichiro.suzuki@example.ne.jp"),
    ("高橋 美咲", "misaki.takahashi@example.jp"),
    ("株式会社サンプル 経理部", "keiri@sample-corp.example.jp"),
    ("田中 健", "ken.tanaka@example.jp"),
]
_CUSTOMERS_EN = [
    ("Alice Martin", "alice.martin@example.com"),
    ("Bob Chen", "bob.chen@example.org"),
    ("Carol Smith", "carol@example.net"),
    ("Accounts Payable", "ap@bigco.example.com"),
    ("David Okafor", "d.okafor@example.com"),
]
_SUBJECTS_JA = [
    "注文番号 {n} の配送状況について",
    "請求書の再発行のお願い（{n}）",
    "ログインできません",
    "返品・交換について問い合わせ No.{n}",
    "【至急】商品が届いていません",
    "見積もり依頼：法人向けプラン {n} 名分",
    "領収書の宛名変更について",
    "パスワード再設定メールが届かない",
]
_SUBJECTS_EN = [
    "Order #{n} has not arrived",
    "Invoice {n}: wrong billing address",
    "Cannot log in since yesterday",
    "Question about the enterprise plan",
    "Refund request for order {n}",
    "Re-sending the signed contract",
]
_BODIES_JA = [
    "サポートご担当者様\n\nいつもお世話になっております。\n"
    "先週注文した商品がまだ届いておりません。\n配送状況を確認していただけますでしょうか。\n\n"
    "よろしくお願いいたします。\n",
    "お世話になっております。\n\n請求書の宛名が旧社名のままになっておりました。\n"
    "お手数ですが、再発行をお願いできますでしょうか。\n\n何卒よろしくお願い申し上げます。\n",
    "こんにちは。\n\n昨日からログインしようとすると「認証エラー」と表示されます。\n"
    "パスワードは変更していません。①②③ のような記号も使っていません。\n\n以上、ご確認ください。\n",
    "ご担当者様\n\n法人向けプランについて、30名分の見積もりをいただけますでしょうか。\n"
    "導入時期は来月を予定しております。\n\n～～～～～～～～～～\n株式会社サンプル 総務部\n",
]
_BODIES_EN = [
    "Hello,\n\nMy order still hasn't arrived. The tracking page says 'label created' since "
    "last Monday.\nCould you check what's going on?\n\nThanks,\n",
    "Hi team,\n\nThe invoice lists our old address. Please send a corrected one.\n\n"
    "Best regards,\n",
    "Hello,\n\nI get 'authentication failed' every time I try to log in.\nNothing changed "
    "on my side.\n\nRegards,\n",
]
_REPLY_JA = "ご連絡ありがとうございます。\n確認して折り返しご連絡いたします。\n\n> {quote}\n"
_REPLY_EN = "Thanks for the quick answer.\n\n> {quote}\n"

# A valid 1x1 PNG, a small PDF-looking blob and a CSV: realistic part types.
_PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
_ATTACHMENTS = [
    Attachment("screenshot.png", "image/png", _PNG_1PX),
    Attachment(
        "請求書_2024-04.pdf",
        "application/pdf",
        b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
    ),
    Attachment("order.csv", "text/csv", "id,品名,数量\r\n1,ノート,3\r\n".encode()),
]


@dataclass(frozen=True)
class _BodyTemplate:
    japanese: bool
    charset: str
    mime: bytes  # MIME headers + blank line + body, CRLF


def _split_top(raw: bytes) -> bytes:
    """The MIME part of a make_message() result: MIME headers and the body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    keep = []
    lines = head.split(b"\r\n")
    current: list[bytes] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and current:
            current.append(line)
            continue
        if current:
            keep.append(current)
        current = [line]
    if current:
        keep.append(current)
    mime = [
        b"\r\n".join(h) for h in keep if h[0].lower().startswith((b"content-", b"mime-version"))
    ]
    return b"\r\n".join(mime) + b"\r\n\r\n" + body


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _body_pool() -> tuple[_BodyTemplate, ...]:
    pool: list[_BodyTemplate] = []
    for i, body in enumerate(_BODIES_JA):
        for charset in ("utf-8", "iso-2022-jp"):
            for with_att in (False, True):
                if charset == "iso-2022-jp" and not _encodable(body, charset):
                    continue  # ①, ～ …: not in JIS X 0208, real mailers send UTF-8
                atts = (_ATTACHMENTS[i % len(_ATTACHMENTS)],) if with_att else ()
                raw = make_message(body=body, charset=charset, attachments=atts)
                pool.append(_BodyTemplate(True, charset, _split_top(raw)))
    for i, body in enumerate(_BODIES_EN):
        for with_att, html in ((False, False), (True, False), (False, True)):
            atts = (_ATTACHMENTS[i % len(_ATTACHMENTS)],) if with_att else ()
            html_text = "<p>" + body.replace("\n", "<br>") + "</p>" if html else None
            raw = make_message(body=body, html=html_text, attachments=atts)
            pool.append(_BodyTemplate(False, "utf-8", _split_top(raw)))
    return tuple(pool)


@functools.lru_cache(maxsize=64)
def _reply_body(quote: str, japanese: bool) -> bytes:
    text = (_REPLY_JA if japanese else _REPLY_EN).format(quote=quote)
    return _split_top(make_message(body=text))


def realistic_mailbox(n: int, seed: int = 0) -> Iterator[bytes]:
    """Yield ``n`` deterministic, realistic customer messages (CRLF bytes).

    About 60 % Japanese (UTF-8 or ISO-2022-JP), the rest English; about one in
    six has an attachment; about a quarter are replies in an earlier thread
    (``Re:`` subject, In-Reply-To and References). Dates increase by a few
    minutes per message. The same ``(n, seed)`` always yields the same bytes.
    """
    rng = random.Random(seed)
    pool = _body_pool()
    ja_pool = [t for t in pool if t.japanese]
    en_pool = [t for t in pool if not t.japanese]
    threads: list[tuple[str, list[str], bool, str]] = []  # subject, ids, japanese, charset
    when = EPOCH
    to = format_address(*TEAM_ADDRESS).encode()
    for i in range(n):
        when += timedelta(seconds=rng.randint(30, 900))
        message_id = f"<{seed}.{i}.{rng.getrandbits(32):08x}@mail.example.jp>"
        is_reply = threads and rng.random() < 0.25
        if is_reply:
            subject, ids, japanese, charset = threads[rng.randrange(len(threads))]
            subject = subject if subject.startswith("Re: ") else "Re: " + subject
            customers = _CUSTOMERS_JA if japanese else _CUSTOMERS_EN
            mime = _reply_body(subject[4:][:20], japanese)
            refs = ids[-5:]
            ids.append(message_id)
        else:
            japanese = rng.random() < 0.6
            customers = _CUSTOMERS_JA if japanese else _CUSTOMERS_EN
            template = rng.choice(ja_pool if japanese else en_pool)
            charset = template.charset
            subject = rng.choice(_SUBJECTS_JA if japanese else _SUBJECTS_EN).format(
                n=rng.randint(10000, 99999)
            )
            mime = template.mime
            refs = []
            threads.append((subject, [message_id], japanese, charset))
            if len(threads) > 200:  # replies go to recent threads, as in real life
                threads.pop(0)
        name, address = customers[rng.randrange(len(customers))]
        head = [
            b"From: " + format_address(name, address, charset).encode(),
            b"To: " + to,
            b"Subject: " + encode_header(subject, charset).encode(),
            b"Date: " + format_datetime(when).encode(),
            b"Message-ID: " + message_id.encode(),
        ]
        if refs:
            head.append(b"In-Reply-To: " + refs[-1].encode())
            head.append(b"References: " + " ".join(refs).encode())
        yield b"\r\n".join(head) + b"\r\n" + mime
