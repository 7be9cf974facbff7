"""The fast header path gives exactly what the full (email.parser) path gives.

``parse_headers`` takes the fast paths of ``mail/header_fastpath.py``;
``_parse_headers_full`` is the original implementation. Both are compared on
every byte string in the existing mail tests, a realistic generated set, and
hypothesis-built header blocks and arbitrary bytes. ``repr`` is compared too,
so a date with the right instant but another tzinfo would still fail.
"""

from __future__ import annotations

import ast
import base64
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwise_desktop.mail import header_fastpath
from mailwise_desktop.mail.addresses import parse_address_list
from mailwise_desktop.mail.header_fastpath import _decode_jis, decode_words, split_fields
from mailwise_desktop.mail.headers import HeaderInfo, _parse_headers_full, parse_headers
from mailwise_desktop.mail.jis_codecs import decode_iso2022jp_ms
from mailwise_desktop.mail.softbank_emoji import softbank_sender

pytestmark = pytest.mark.unit

CRLF = b"\r\n"


def assert_same(raw: bytes) -> HeaderInfo:
    fast = parse_headers(raw)
    full = _parse_headers_full(raw)
    assert fast == full, raw
    assert repr(fast) == repr(full), raw
    return fast


def block(*lines: bytes, eol: bytes = CRLF) -> bytes:
    return eol.join(lines) + eol + eol


# --- every byte string of the existing mail tests -------------------------------------


def _bytes_in_mail_tests() -> list[bytes]:
    found: list[bytes] = []
    for path in sorted(Path(__file__).parent.glob("test_mail_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
                found.append(node.value)
    return found


EXISTING = _bytes_in_mail_tests()


def test_existing_fixtures_were_found() -> None:
    assert len(EXISTING) > 50


@pytest.mark.parametrize("value", EXISTING)
def test_existing_fixture_bytes(value: bytes) -> None:
    assert_same(value)  # a whole mail or header block
    assert_same(block(value))  # a header line
    for name in (b"Subject", b"From", b"To", b"Date", b"Content-Type", b"References"):
        assert_same(block(name + b": " + value.split(b"\r\n")[0]))


# --- a realistic generated set -----------------------------------------------------------


def ew(text: str, charset: str = "UTF-8", kind: str = "B") -> bytes:
    codec = {"ISO-2022-JP": "iso2022_jp", "Shift_JIS": "cp932"}.get(charset, charset)
    data = text.encode(codec)
    if kind == "B":
        payload = base64.b64encode(data).decode()
    else:
        payload = "".join(
            chr(b) if chr(b).isalnum() else "_" if b == 32 else f"={b:02X}" for b in data
        )
    return f"=?{charset}?{kind}?{payload}?=".encode()


NAMES = ["山田 太郎", "株式会社サンプル", "佐藤花子", "Müller, Jörg", "①㈱Ⅰ～", "John Smith"]
SUBJECTS = ["お見積りのご依頼", "Re: 請求書 No.5", "【重要】メンテナンス", "Weekly report", "～①"]
CHARSETS = ["UTF-8", "ISO-2022-JP", "Shift_JIS", "utf-8", "iso-2022-jp"]


def _subjects() -> list[bytes]:
    out: list[bytes] = [b"Re: Quarterly report", b"", b"  spaced  out  ", b"tab\tinside"]
    for text, charset in itertools.product(SUBJECTS, CHARSETS):
        try:
            word = ew(text, charset)
        except UnicodeEncodeError:
            continue
        out += [word, b"Re: " + word, word + b" " + word, word + b"\r\n " + word + b" (2)"]
        out.append(ew(text, charset, "Q"))
    half = "お見積り".encode("iso2022_jp")
    out.append(
        b"=?ISO-2022-JP?B?" + base64.b64encode(half[:5]) + b"?= =?ISO-2022-JP?B?"
        b"" + base64.b64encode(half[5:]) + b"?="
    )  # split inside a character
    out += [b"=?utf-8?q?Hello=0D=0ABcc:_x@y?=", b"=?unknown?B?gqA=?=", b"=?utf-8?B?4oCm", b"a=?b"]
    out += [b"\x1b$B8+@Q=q\x1b(B", b"\x90\xbf\x8b\x81\x8f\x91", b"caf\xc3\xa9", b"=?*ja?B?QQ==?="]
    return out


def _addresses() -> list[bytes]:
    out: list[bytes] = [
        b"support@example.jp",
        b"John Smith <john.smith@example.com>",
        b'"Smith, John" <john@example.com>',
        b'"Alice Example" <alice@example.org>, bob@example.org',
        b"<bare@example.jp>",
        b"a@x.jp,, b@y.jp,",
        b"team: a@x.jp, b@y.jp;",
        b"undisclosed-recipients:;",
        b"c@z.jp (Carl), (comment) d@z.jp",
        b"@relay:user@host.jp",
        b"<@relay1,@relay2:user@host.jp>",
        b'"quoted \\" escape" <q@x.jp>',
        b"Name\r\n <folded@example.jp>",
        b"Name <no-closing@example.jp",
        b"John Q. Public <jqp@example.com>",
        b"  lots   of\tspace   <s@x.jp>  ",
        b"user@[192.168.0.1]",
        b"=?utf-8?q?a,b?= <c@d.jp>",
        b'"=?UTF-8?B?5bGx55Sw?=" <quoted-word@example.jp>',
        b'"\x95\x5c\x8e\xa6" <h@example.jp>',
        b"\x8eR\x93c <raw@example.jp>",
        b"just words",
        b"",
    ]
    for name, charset in itertools.product(NAMES, CHARSETS):
        try:
            word = ew(name, charset)
        except UnicodeEncodeError:
            continue
        out += [word + b" <u@example.jp>", word + b"\r\n <u@example.jp>, x@y.jp"]
        out.append(b'"' + name.encode("utf-8") + b'" <u@example.jp>')
    return out


DATES = [
    b"Mon, 2 Mar 2026 10:00:00 +0900",
    b"Wed, 04 Mar 2026 18:30:00 +0900 (JST)",
    b"Thu, 5 Mar 2026 01:02:03 -0000",
    b"Sat, 7 Mar 2026 08:00:00 +0000",
    b"9 Mar 2026 07:15:00 -0500",
    b"Mon, 2 Mar 2026 10:00 GMT",
    b"Mon, 2 Mar 26 10:00:00 +0900",
    b"Mon, 31 Feb 2026 10:00:00 +0900",
    b"Mon, 2 Mar 2026 24:00:00 +0900",
    b"Mon, 2 Mar 2026 10:00:60 +0900",
    b"Mon, 2 Mar 2026 10:00:00 +2400",
    b"Mon, 2 Mar 2026 10:00:00 +0975",
    b"Mon, 2 Mar 2026 10:00:00 JST",
    b"Mon, 2 Mar 2026 10:00:00 EST",
    b"mon, 2 mar 2026 10:00:00 +0900",
    b"Mon,2 Mar 2026 10:00:00 +0900",
    b"2026-03-02T10:00:00+09:00",
    b"Mon, 2 Mar 2026\r\n 10:00:00 +0900",
    b"Mon, 2 Mar 0099 10:00:00 +0900",
    b"yesterday-ish",
    b"",
]

IDS = [
    b"<abc.123@mail.example.com>",
    b"bare-id@example.com",
    b"<a> <b> <a>",
    b"<a(b)c@x> (comment) <d@e>",
    b"<root@x.jp>\r\n <parent@x.jp>",
    b" ".join(b"<r%d@x.jp>" % i for i in range(150)),
    b"<\xe3\x81\x82@x.jp>",
    b"<>",
    b"<" + b"x" * 1200 + b">",
]

CONTENT_TYPES = [
    b"text/plain; charset=UTF-8",
    b'multipart/mixed;\r\n\tboundary="----=_Part_1"',
    b"Multipart/Mixed; boundary=x",
    b"multipart/report; report-type=delivery-status",
    b"multipart/alternative; boundary=b1",
    b"application/pdf; name=x.pdf",
    b"image/png",
    b"text/plain (comment); charset=x",
    b'"multipart/mixed"',
    b"multipart/mixed\r\n ; boundary=x",
    b"",
]


def realistic() -> list[bytes]:
    out: list[bytes] = []
    subjects, addresses = _subjects(), _addresses()
    for index, subject in enumerate(subjects):
        address = addresses[index % len(addresses)]
        out.append(
            block(
                b"Message-ID: " + IDS[index % len(IDS)],
                b"Subject: " + subject,
                b"From: " + address,
                b"To: support@example.jp",
                b"Date: " + DATES[index % len(DATES)],
                b"Content-Type: " + CONTENT_TYPES[index % len(CONTENT_TYPES)],
            )
        )
    for field, values in (
        (b"From", addresses),
        (b"Cc", addresses),
        (b"Reply-To", addresses),
        (b"Date", DATES),
        (b"In-Reply-To", IDS),
        (b"References", IDS),
        (b"Message-Id", IDS),
        (b"Content-Type", CONTENT_TYPES),
        (b"content-disposition", [b"attachment; filename=x", b"inline", b"Attachment"]),
        (b"X-MS-Has-Attach", [b"yes", b" YES ", b"no"]),
    ):
        out += [block(field + b": " + value) for value in values]
    out += [
        # duplicates: first wins for single fields, address lists concatenate
        block(b"Subject: one", b"Subject: two", b"To: a@x.jp", b"To: b@y.jp"),
        block(b"Date: Mon, 2 Mar 2026 10:00:00 +0900", b"Date: bad", b"Message-ID: <1@x>"),
        # line endings and folding
        block(b"Subject: bare", b"From: a@x.jp", eol=b"\n"),
        b"Subject: mixed\nFrom: a@x.jp\r\n\r\n",
        b"Subject: bare cr\rFrom: a@x.jp\r\n\r\n",
        b"Subject: no blank line",
        b"Subject: no blank line\r\n",
        b"Subject: x\r\n\r\nFrom: body@x.jp\r\n",
        b"Subject:\r\n folded from empty\r\n\r\n",
        b"Subject:   \r\n\r\n",
        b"Subject: a\r\n\tb\r\n c\r\n\r\n",
        b" leading continuation\r\nSubject: x\r\n\r\n",
        b"\r\nSubject: after blank\r\n\r\n",
        b"From sender@x.jp Mon Mar  2 10:00:00 2026\r\nSubject: mbox\r\n\r\n",
        b"Subject: x\r\nFrom nobody\r\n\r\n",
        b"Subject: x\r\nnot a header line\r\nFrom: a@x.jp\r\n\r\n",
        b": no name\r\nSubject: x\r\n\r\n",
        b"X Space: y\r\nSubject: x\r\n\r\n",
        b"Subj\xe9ct: x\r\nSubject: y\r\n\r\n",
        b"SUBJECT: upper\r\nfrom: lower@x.jp\r\n\r\n",
        b"Subject : spaced colon\r\n\r\n",
        b"Subject: \x00nul\x0bvt\x0cff\x1cfs\r\n\r\n",
        b"",
        b"\r\n",
        b"\xff\xfe\x00garbage",
    ]
    return out


REALISTIC = realistic()


@pytest.mark.parametrize("raw", REALISTIC)
def test_realistic_headers(raw: bytes) -> None:
    assert_same(raw)


def test_the_fast_path_is_taken_for_the_common_shapes() -> None:
    raw = block(
        b"Subject: " + ew("お見積り", "ISO-2022-JP"),
        b"From: " + ew("山田 太郎", "ISO-2022-JP") + b" <yamada@example.jp>",
        b"To: support@example.jp",
        b"Date: Mon, 2 Mar 2026 10:00:00 +0900",
    )
    assert split_fields(raw) is not None
    info = assert_same(raw)
    assert info.subject == "お見積り"
    assert info.from_[0].name == "山田 太郎"


def test_every_jis_pair_decodes_like_the_full_decoder() -> None:
    fast_count = 0
    for j1, j2 in itertools.product(range(0x21, 0x7F), repeat=2):
        data = b"a \x1b$B" + bytes((j1, j2)) + b"\x1b(B\x1b$B!!" + bytes((j1, j2)) + b"\x1b(Bz"
        fast = _decode_jis(data)
        if fast is not None:
            assert fast == decode_iso2022jp_ms(data), data
            fast_count += 1
    assert fast_count > 6800


TRICKY_JIS = [
    b"\x1b(J\\~\x1b(B",  # JIS Roman: the stdlib reads yen and overline, we read ASCII
    b"\x1b$@8+\x1b(B",
    b"\x1b$B8+",  # no return to ASCII
    b"\x1b$B8+@\x1b(B",  # odd byte count
    b"\x1b$B8+ @Q\x1b(B",  # space in kanji mode
    b"\x1b$B8+\r\n@Q\x1b(B",
    b"\x1b(I12\x1b(B",  # half-width kana
    b"\x0e12\x0f",
    b"\x1b$(D+!\x1b(B",  # JIS X 0212
    b"\x1b$B-!-j\x1b(B",  # NEC row 13
    b"\x1b$By!\x1b(B",  # IBM extension row
    b"\x1b$Bt'\x1b(B",  # unassigned
    b"\x1b$B\x82\xa0\x1b(B",
    b"abc\x7f\x00\x1b(B",
]


@pytest.mark.parametrize("data", TRICKY_JIS)
def test_tricky_jis_is_left_to_the_full_decoder_or_agrees(data: bytes) -> None:
    fast = _decode_jis(data)
    assert fast is None or fast == decode_iso2022jp_ms(data)
    word = b"=?ISO-2022-JP?B?" + base64.b64encode(data) + b"?="
    assert_same(block(b"Subject: " + word, b"From: " + word + b" <a@x.jp>"))


# --- hypothesis: a grammar of header-ish bytes, and arbitrary bytes ------------------

_NAME = st.sampled_from(
    [
        *(b"Subject", b"From", b"To", b"Cc", b"Reply-To", b"Date", b"Message-ID", b"In-Reply-To"),
        *(b"References", b"Content-Type", b"Content-Disposition", b"X-MS-Has-Attach", b"X-Other"),
        *(b"subject", b"FROM", b"From ", b"", b"X Bad", b" Subject"),
    ]
)
_ATOMS = st.sampled_from(
    [
        *(b"a@x.jp", b"<a@x.jp>", b"Name", b'"Smith, J"', b"(c)", b",", b";", b":", b"<", b">"),
        *(b'"', b"=?UTF-8?B?5bGx55Sw?=", b"=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?=", b"=?utf-8?q?a_b?="),
        *(b"=?ISO-2022-JP?B?GyQ=?=", b"=?Shift_JIS?B?gqA=?=", b"=?x?Q?=ZZ?=", b"=?", b"?="),
        *(b"Mon,", b"2", b"Mar", b"2026", b"10:00:00", b"+0900", b"-0000", b"GMT", b"(JST)"),
        *(b"multipart/mixed", b"text/plain", b"attachment", b"yes", b"<id@x>", b"\\"),
        *(b" ", b"\t", b"\r\n ", b"\r\n\t", b"\n ", b"\r", b"\n", b"\x1b$B8+\x1b(B", b"\x95\x5c"),
    ]
)
_LINE_END = st.sampled_from([b"\r\n", b"\r\n", b"\r\n", b"\n", b"\r", b""])


@st.composite
def header_blocks(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        value = b"".join(draw(st.lists(_ATOMS, max_size=12)))
        separator = draw(st.sampled_from([b": ", b":", b":\t", b" : "]))
        lines.append(draw(_NAME) + separator + value + draw(_LINE_END))
    return b"".join(lines) + draw(st.sampled_from([b"\r\n", b"\n", b"", b"\r\nbody"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header_blocks())
def test_fast_equals_full_on_header_grammar(raw: bytes) -> None:
    assert_same(raw)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=600))
def test_fast_equals_full_on_arbitrary_bytes(raw: bytes) -> None:
    assert_same(raw)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ATOMS, max_size=12).map(b"".join))
def test_decode_words_never_yields_line_breaks(value: bytes) -> None:
    text = decode_words(value.decode("ascii", "surrogateescape"))
    assert "\r" not in text and "\n" not in text


def test_remembered_addresses_follow_the_softbank_reading() -> None:
    # The same From text, seen again: a raw Shift_JIS display name reads as
    # kanji, or as SoftBank emoji inside a SoftBank sender's message.
    value = b'"\xfb\x41\xfb\x42" <a@example.jp>'.decode("ascii", "surrogateescape")
    plain = header_fastpath.parse_addresses(value)
    with softbank_sender(["someone@softbank.ne.jp"]):
        phone = header_fastpath.parse_addresses(value)
        assert phone == parse_address_list(value)
    assert header_fastpath.parse_addresses(value) == plain == parse_address_list(value)
    assert phone != plain
    assert phone[0].name == "\U0001f625\U0001f60f"


def test_ascii_subject_of_a_softbank_sender_reads_as_the_full_routine() -> None:
    raw = b"From: x@softbank.ne.jp\r\nSubject: Re: order 42\r\n\r\n"
    assert parse_headers(raw) == _parse_headers_full(raw)
    assert parse_headers(raw).subject == "Re: order 42"
