"""Fuzz targets (issue 9): outside bytes never raise out of the parsers.

Bounded (max_examples) so the file runs in well under a minute; each example
must also finish within 1 s (hypothesis ``deadline``).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.imap.keywords import decode
from mailwise_desktop.imap.message_rows import HEADER_ITEM, header_row
from mailwise_desktop.imap.tokens import fetch_items, parse_uid_set, tokenize
from mailwise_desktop.mail.headers import parse_headers
from mailwise_desktop.mail.parse import parse_message

pytestmark = pytest.mark.unit

FUZZ = settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(
    [b"Subject", b"From", b"To", b"Cc", b"Date", b"Message-ID", b"References", b"In-Reply-To",
     b"Content-Type", b"Content-Transfer-Encoding", b"Content-Disposition", b"MIME-Version"]
)  # fmt: skip
NASTY = st.sampled_from(
    [b"=?utf-8?B?\xe9?=", b"=?iso-2022-jp?B?GyRCQmpMPnZeGyhC?=", b"=?x?Q?=ZZ?=", b"\x1b$B",
     b"31 Dec 9999 23:00:00 -0200", b"multipart/mixed; boundary=", b'"', b"<", b"(", b"\r",
     b"\n ", b"=?", b"?=", b"\x00", b"\xff\xfe", b"base64", b"quoted-printable", b"--"]
)  # fmt: skip
VALUE = st.lists(st.one_of(NASTY, st.binary(max_size=20)), max_size=8).map(b"".join)
HEADER_BLOCK = st.lists(st.tuples(NAMES, VALUE), max_size=10).map(
    lambda fields: b"".join(name + b": " + value + b"\r\n" for name, value in fields) + b"\r\n"
)


@FUZZ
@given(st.one_of(HEADER_BLOCK, st.binary(max_size=400)))
def test_header_parsing_never_raises(raw: bytes) -> None:
    info = parse_headers(raw)
    assert "\n" not in info.subject and "\r" not in info.subject


@FUZZ
@given(HEADER_BLOCK, st.lists(st.one_of(NASTY, st.binary(max_size=40)), max_size=10))
def test_message_parsing_never_raises(header: bytes, body: list[bytes]) -> None:
    parsed = parse_message(header + b"".join(body))
    assert isinstance(parsed.text, str)


@FUZZ
@given(HEADER_BLOCK, st.lists(st.binary(max_size=12), max_size=6))
def test_header_row_never_raises(header: bytes, flags: list[bytes]) -> None:
    items = {b"UID": b"5", b"FLAGS": flags, HEADER_ITEM: header, b"INTERNALDATE": header[:26]}
    row = header_row(5, items)  # type: ignore[arg-type]
    assert row["uid"] == 5


SEGMENT_TEXT = st.lists(
    st.one_of(
        st.sampled_from([b"(", b")", b"[", b"]", b'"', b"\\", b" ", b"NIL", b"{3}", b"FETCH",
                         b"UID", b"FLAGS", b"1", b"BODY[HEADER]", b"\xe9"]),
        st.binary(max_size=6),
    ),
    max_size=12,
).map(b"".join)  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(SEGMENT_TEXT, st.binary(max_size=10)), max_size=6))
def test_response_tokenizer_never_raises_unexpectedly(segments: list[bytes]) -> None:
    try:
        tokens = tokenize(segments)
    except MailwiseError:
        return  # a malformed server response: a clear error, handled by the engine
    fetch_items(tokens)


@FUZZ
@given(st.binary(max_size=40))
def test_uid_sets_never_raise(value: bytes) -> None:
    assert all(uid >= 0 for uid in parse_uid_set(value))


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=16), st.text(max_size=16)), max_size=12))
def test_keyword_decoding_never_raises(flags: list[bytes | str]) -> None:
    decoded = decode(flags)
    assert decoded.owner_slot is None or decoded.owner_slot >= 0
