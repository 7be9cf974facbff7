"""Parsing whole messages: structure, bodies, attachments, headers, bad input."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.mail.mime_tree import MAX_DEPTH
from mailwise_desktop.mail.parse import (
    Address,
    attachment_bytes,
    parse_headers,
    parse_message,
)

pytestmark = pytest.mark.unit

ALTERNATIVE = (
    b"From: Alice Example <alice@example.com>\r\n"
    b'To: support@example.com, "Doe, John" <john@example.org>\r\n'
    b"Cc: team: bob@example.net, carol@example.net;\r\n"
    b"Subject: =?UTF-8?Q?Caf=C3=A9_order?=\r\n"
    b"Date: Mon, 2 Mar 2026 10:42:00 +0900\r\n"
    b"Message-ID: <abc.123@mail.example.com>\r\n"
    b"In-Reply-To: <parent@example.com>\r\n"
    b"References: <root@example.com>\r\n <parent@example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="alt"\r\n'
    b"\r\n"
    b"--alt\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Hello, \xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf\r\n"
    b"--alt\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<p>Hello, <b>\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf</b></p>\r\n"
    b"--alt--\r\n"
)


def test_multipart_alternative_text_and_html() -> None:
    parsed = parse_message(ALTERNATIVE)
    assert parsed.text == "Hello, こんにちは"
    assert parsed.html == "<p>Hello, <b>こんにちは</b></p>"
    assert parsed.attachments == ()
    assert parsed.defects == ()
    headers = parsed.headers
    assert headers.subject == "Café order"
    assert headers.from_ == (Address("Alice Example", "alice@example.com"),)
    assert headers.to == (
        Address("", "support@example.com"),
        Address("Doe, John", "john@example.org"),
    )
    assert headers.cc == (Address("", "bob@example.net"), Address("", "carol@example.net"))
    assert headers.message_id == "abc.123@mail.example.com"
    assert headers.in_reply_to == "parent@example.com"
    assert headers.references == ("root@example.com", "parent@example.com")
    assert headers.date == datetime(2026, 3, 2, 10, 42, tzinfo=timezone(timedelta(hours=9)))
    assert headers.has_attachments_hint is False


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
XLSX = b"PK\x03\x04fake-spreadsheet"


def with_attachments() -> bytes:
    return (
        b"From: a@example.com\r\nSubject: files\r\n"
        b"Content-Type: multipart/mixed; boundary=mix\r\n\r\n"
        b"--mix\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nTwo files.\r\n"
        b'--mix\r\nContent-Type: application/pdf; name="quote.pdf"\r\n'
        b'Content-Disposition: attachment; filename="quote.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(PDF) + b"--mix\r\n"
        b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
        b"Content-Disposition: attachment;\r\n"
        b" filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8%EF%BC%88%E4%B8%89%E6%9C%88%EF%BC%89.xlsx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(XLSX) + b"--mix--\r\n"
    )


def test_pdf_and_japanese_named_attachment() -> None:
    raw = with_attachments()
    parsed = parse_message(raw)
    assert parsed.text == "Two files."
    assert [
        (a.part_id, a.filename, a.content_type, a.size, a.inline) for a in parsed.attachments
    ] == [
        ("2", "quote.pdf", "application/pdf", len(PDF), False),
        (
            "3",
            "請求書（三月）.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            len(XLSX),
            False,
        ),
    ]
    assert parsed.headers.has_attachments_hint is True
    assert attachment_bytes(raw, "2") == PDF
    assert attachment_bytes(raw, "3") == XLSX
    assert attachment_bytes(raw, "1") == b"Two files."


def test_attachment_bytes_unknown_part_raises_not_found() -> None:
    with pytest.raises(NotFoundError):
        attachment_bytes(with_attachments(), "9")


def test_header_only_hint_for_multipart_mixed() -> None:
    header = with_attachments().split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    assert parse_headers(header).has_attachments_hint is True
    assert parse_headers(b"Subject: x\r\nX-MS-Has-Attach: yes\r\n\r\n").has_attachments_hint
    assert not parse_headers(b"Subject: x\r\nContent-Type: text/plain\r\n\r\n").has_attachments_hint


def test_html_only_mail_gets_text_with_line_breaks() -> None:
    raw = (
        b"Subject: html\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<html><head><style>p {color: red}</style></head><body>"
        b"<p>=E3=81=8A=E5=BE=85=E3=81=A1 &amp; thanks</p><p>line one<br>line two</p>"
        b"<script>alert(1)</script></body></html>\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.html is not None and "<br>" in parsed.html
    assert parsed.text == "お待ち & thanks\n\nline one\nline two"


def test_quoted_printable_utf8_body() -> None:
    raw = (
        b"Subject: qp\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Gr=C3=BC=C3=9Fe, =E5=B1=B1=E7=94=B0=E6=A7=98=\r\n"
        b" soft break\r\n"
    )
    assert parse_message(raw).text == "Grüße, 山田様 soft break\n"


def forwarded() -> bytes:
    inner = (
        b"From: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\r\n"
        b"Subject: =?UTF-8?B?6KaL56mN5pu4?=\r\n"
        b"Content-Type: multipart/mixed; boundary=in\r\n\r\n"
        b"--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"\xe5\x85\x83\xe3\x81\xae\xe6\x9c\xac\xe6\x96\x87\r\n"
        b"--in\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=a.png\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--in--\r\n"
    )
    return (
        b"Subject: Fwd: quote\r\nContent-Type: multipart/mixed; boundary=out\r\n\r\n"
        b"--out\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
        b"--out\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--out--\r\n"
    )


def test_forwarded_message_is_an_attachment_and_parsed() -> None:
    raw = forwarded()
    parsed = parse_message(raw)
    assert parsed.text == "See below."
    assert [(a.part_id, a.content_type) for a in parsed.attachments] == [("2", "message/rfc822")]
    (inner,) = parsed.forwarded
    assert inner.headers.subject == "見積書"
    assert inner.headers.from_ == (Address("山田", "yamada@example.jp"),)
    assert inner.text == "元の本文"
    assert [(a.part_id, a.filename) for a in inner.attachments] == [("2.2", "a.png")]
    assert attachment_bytes(raw, "2.2") == b"\x89PNG\r\n\x1a\n"
    eml = attachment_bytes(raw, "2")
    assert parse_message(eml).headers.subject == "見積書"


def test_inline_cid_image() -> None:
    raw = (
        b"Content-Type: multipart/related; boundary=r\r\n\r\n"
        b'--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src="cid:logo@x">\r\n'
        b"--r\r\nContent-Type: image/gif\r\nContent-ID: <logo@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n--r--\r\n"
    )
    parsed = parse_message(raw)
    (image,) = parsed.attachments
    assert (image.part_id, image.content_id, image.inline, image.size) == ("2", "logo@x", True, 6)
    assert parsed.headers.has_attachments_hint is False


def test_single_part_body_is_part_1() -> None:
    raw = b"Subject: s\r\n\r\nplain body\r\n"
    assert parse_message(raw).text == "plain body\n"
    assert attachment_bytes(raw, "1") == b"plain body\r\n"


def test_date_without_zone_is_utc_and_bad_date_is_none() -> None:
    assert parse_headers(b"Date: Mon, 2 Mar 2026 10:00:00 -0000\r\n\r\n").date == datetime(
        2026, 3, 2, 10, 0, tzinfo=UTC
    )
    assert parse_headers(b"Date: yesterday-ish\r\n\r\n").date is None
    assert parse_headers(b"Subject: none\r\n\r\n").date is None


def test_message_id_without_brackets_and_missing() -> None:
    assert parse_headers(b"Message-ID: bare-id@example.com\r\n\r\n").message_id == (
        "bare-id@example.com"
    )
    assert parse_headers(b"Subject: x\r\n\r\n").message_id is None


def test_header_injection_never_yields_cr_or_lf() -> None:
    raw = (
        b"Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@example.com?=\r\n"
        b"From: =?utf-8?q?Eve=0A?= <eve@example.com>\r\n\r\n"
    )
    headers = parse_headers(raw)
    assert headers.subject == "Hello  Bcc: victim@example.com"
    assert "\n" not in headers.from_[0].name and "\r" not in headers.from_[0].name


def test_truncated_base64_and_broken_boundary_do_not_raise() -> None:
    raw = (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n44GC44GE44\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        b"\r\nAAEC!!!A"  # no closing boundary
    )
    parsed = parse_message(raw)
    assert parsed.text.startswith("あい")
    assert parsed.defects  # something was noted


def test_nesting_is_capped_with_a_defect() -> None:
    depth = MAX_DEPTH + 10
    raw = b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
    for level in range(1, depth):
        raw += b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (level - 1, level)
    raw += b"--b%d\r\nContent-Type: text/plain\r\n\r\ndeep\r\n" % (depth - 1)
    parsed = parse_message(raw)
    assert parsed.text == ""
    assert any("nested too deeply" in note for note in parsed.defects)


def test_pathologically_deep_nesting_does_not_raise() -> None:
    raw = b"Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
    for level in range(1, 3000):
        raw += b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (level - 1, level)
    parsed = parse_message(raw)
    assert parsed.headers.subject == "deep"
    assert any("nested too deeply" in note for note in parsed.defects)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_parse_message_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    parsed = parse_message(raw)
    for text in (parsed.headers.subject, *(a.name for a in parsed.headers.from_)):
        assert "\r" not in text and "\n" not in text


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_parse_never_raises_on_mutated_real_mail(data: st.DataObject) -> None:
    raw = bytearray(forwarded())
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    mutated = bytes(raw[:cut])
    parsed = parse_message(mutated)
    assert "\n" not in parsed.headers.subject
    for attachment in parsed.attachments:
        # the ids parse_message hands out must lead attachment_bytes to the same part
        assert len(attachment_bytes(mutated, attachment.part_id)) == attachment.size
