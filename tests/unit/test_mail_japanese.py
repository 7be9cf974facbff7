"""One test per row of the JAPANESE.md design note table, on fixtures written byte by byte.

JIS bytes used below (JIS X 0208 rows, written as 7-bit pairs):
  -! ①   -j ㈱   -5 Ⅰ   !A ～ (wave dash, 0x2141)
  ;3 山  ED 田  B@ 太  O: 郎  8+ 見  @Q 積  =q 書  @A 請  5a 求
cp932: 87 40 ①, 81 60 ～, 90 BF 請, 8B 81 求, 8F 91 書, 8E 52 山, 93 63 田
EUC-JP: C0 C1 請, B5 E1 求, BD F1 書
"""

from __future__ import annotations

import codecs

import pytest

from mailwise_desktop.mail.charsets import decode_text, register_codec_aliases
from mailwise_desktop.mail.parse import parse_headers, parse_message
from mailwise_desktop.mail.search_text import normalize_for_search

pytestmark = pytest.mark.unit

CRLF = b"\r\n"


def mail(headers: list[bytes], body: bytes = b"") -> bytes:
    return CRLF.join(headers) + CRLF + CRLF + body


# Row 1: body charset=ISO-2022-JP with ①, ㈱, Ⅰ ("ISO-2022-JP-MS")
def test_iso2022jp_body_with_nec_row13_characters() -> None:
    raw = mail(
        [b"Subject: x", b"Content-Type: text/plain; charset=ISO-2022-JP"],
        b"\x1b$B-!-j-5\x1b(B \x1b$B;3ED!A\x1b(B\r\n",
    )
    parsed = parse_message(raw)
    assert parsed.text == "①㈱Ⅰ 山田～\n"
    assert "\ufffd" not in parsed.text
    assert parsed.defects == ()


# Row 2: the same characters in encoded-words in Subject and a From name
def test_iso2022jp_encoded_word_in_subject_and_from() -> None:
    raw = mail(
        [
            b"Subject: =?ISO-2022-JP?B?GyRCLSEtai01GyhC?=",
            b"From: =?ISO-2022-JP?B?GyRCOzNFRC1qGyhC?= <yamada@example.jp>",
        ]
    )
    headers = parse_headers(raw)
    assert headers.subject == "①㈱Ⅰ"
    assert len(headers.from_) == 1
    assert headers.from_[0].name == "山田㈱"
    assert headers.from_[0].email == "yamada@example.jp"


# Row 3 and 4: Windows labels and Shift_JIS labels all decode as cp932
@pytest.mark.parametrize(
    "label",
    ["windows-31j", "x-sjis", "ms932", "cp932", "Shift_JIS", "shift-jis", "sjis", "x-ms-cp932"],
)
def test_shift_jis_labels_decode_as_cp932(label: str) -> None:
    raw = mail(
        [b"Content-Type: text/plain; charset=" + label.encode()],
        b"\x87\x40\x81\x60\x90\xbf\x8b\x81\x8f\x91",
    )
    parsed = parse_message(raw)
    assert parsed.text == "①～請求書"
    assert "@" not in parsed.text
    assert parsed.defects == ()


def test_windows_labels_known_to_python_codecs() -> None:
    register_codec_aliases()
    register_codec_aliases()  # idempotent
    assert b"\x87\x40".decode("windows-31j") == "①"
    assert b"\x81\x60".decode("x-sjis") == "～"
    assert codecs.lookup("x-ms-cp932").name == "cp932"


# Row 5: ISO-2022-JP split across two encoded-words, in the middle of ESC $ B
def test_iso2022jp_split_mid_escape_across_encoded_words() -> None:
    # word 1 is b"\x1b$", word 2 is b"B8+@Q=q\x1b(B"
    raw = mail([b"Subject: =?ISO-2022-JP?B?GyQ=?=", b" =?iso-2022-jp?B?QjgrQFE9cRsoQg==?= No.1"])
    assert parse_headers(raw).subject == "見積書 No.1"


# Row 6: display name split over two encoded-words (CPython gh-128110)
@pytest.mark.parametrize(
    "from_header",
    [
        b"From: =?UTF-8?B?5bGx55Sw?= =?UTF-8?B?5aSq6YOO?= <taro@example.jp>",
        b"From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?=\r\n =?ISO-2022-JP?B?GyRCQkBPOhsoQg==?=\r\n"
        b" <taro@example.jp>",
    ],
)
def test_display_name_split_over_encoded_words_has_no_extra_space(from_header: bytes) -> None:
    headers = parse_headers(mail([from_header]))
    assert [(a.name, a.email) for a in headers.from_] == [("山田太郎", "taro@example.jp")]


def _attachment_mail(disposition: bytes) -> bytes:
    return mail(
        [b"Content-Type: multipart/mixed; boundary=XX"],
        b"--XX\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        b"--XX\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        + disposition
        + b"\r\n\r\nJVBERi0xLjQK\r\n--XX--\r\n",
    )


# Row 7: RFC 2231 filename split into sections inside an ISO-2022-JP escape
def test_rfc2231_filename_split_inside_iso2022jp_escape() -> None:
    raw = _attachment_mail(
        b"Content-Disposition: attachment;\r\n"
        b" filename*0*=iso-2022-jp'ja'%1B%24B-%218%2B;\r\n"
        b" filename*1*=%40Q%3Dq%1B%28B.pdf"
    )
    (attachment,) = parse_message(raw).attachments
    assert attachment.filename == "①見積書.pdf"
    assert attachment.size == len(b"%PDF-1.4\n")


# Row 8: filename="=?ISO-2022-JP?B?...?=" (non-standard, common)
def test_encoded_word_inside_quoted_filename() -> None:
    raw = _attachment_mail(
        b'Content-Disposition: attachment; filename="=?ISO-2022-JP?B?GyRCLSE4K0BRPXEbKEIucGRm?="'
    )
    (attachment,) = parse_message(raw).attachments
    assert attachment.filename == "①見積書.pdf"


# Row 9: raw 8-bit CP932 / UTF-8 / EUC-JP bytes in a header
@pytest.mark.parametrize(
    "subject_bytes",
    [
        b"\x90\xbf\x8b\x81\x8f\x91 No.5",  # cp932
        b"\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8 No.5",  # utf-8
        b"\xc0\xc1\xb5\xe1\xbd\xf1 No.5",  # euc-jp
    ],
    ids=["cp932", "utf-8", "euc-jp"],
)
def test_raw_8bit_header_recovered(subject_bytes: bytes) -> None:
    assert parse_headers(mail([b"Subject: " + subject_bytes])).subject == "請求書 No.5"


def test_raw_unencoded_iso2022jp_in_header() -> None:
    # old mailers send JIS in headers without encoded-words
    headers = parse_headers(mail([b"Subject: Re: \x1b$B8+@Q=q\x1b(B (2)"]))
    assert headers.subject == "Re: 見積書 (2)"


def test_raw_cp932_display_name_with_backslash_trail_byte() -> None:
    # 表示 in cp932 is 95 5C 8E A6: the 0x5C must not be read as a quoting backslash
    headers = parse_headers(mail([b'From: "\x95\x5c\x8e\xa6 \x8eR\x93c" <h@example.jp>']))
    assert [(a.name, a.email) for a in headers.from_] == [("表示 山田", "h@example.jp")]


# Row 10: no charset, 7bit, ESC $ B inside
def test_no_charset_7bit_with_jis_escape_is_detected() -> None:
    raw = mail([b"Subject: x"], b"\x1b$B@A5a=q\x1b(B-!\r\n")
    assert parse_message(raw).text == "請求書-!\n"


# Row 11: unknown or lying charset
def test_unknown_charset_falls_back_to_best_guess() -> None:
    raw = mail(
        [b"Content-Type: text/plain; charset=x-mac-japanese-2000"],
        b"\x90\xbf\x8b\x81\x8f\x91\x82\xcc\x82\xb2\x88\xc4\x93\xe0",  # 請求書のご案内, cp932
    )
    parsed = parse_message(raw)
    assert parsed.text == "請求書のご案内"
    assert any("best guess" in note and "part 1" in note for note in parsed.defects)


def test_lying_utf8_label_on_cp932_bytes() -> None:
    raw = mail(
        [b"Content-Type: text/plain; charset=utf-8"],
        b"\x82\xa8\x96\xe2\x82\xa2\x8d\x87\x82\xed\x82\xb9",  # お問い合わせ, cp932
    )
    parsed = parse_message(raw)
    assert parsed.text == "お問い合わせ"
    assert any("charset 'utf-8'" in note for note in parsed.defects)


def test_lying_ascii_label_on_euc_jp_bytes() -> None:
    assert decode_text(b"\xc0\xc1\xb5\xe1\xbd\xf1", "us-ascii") == "請求書"


def test_correct_label_with_one_bad_byte_is_kept() -> None:
    # one stray byte in a long UTF-8 body is not a reason to re-guess
    data = ("請求書" * 100).encode() + b"\xff"
    assert decode_text(data, "utf-8") == "請求書" * 100 + "\ufffd"


# Character traps: cp932 0x8160 is U+FF5E and must stay so for the reader
def test_wave_dash_kept_for_display_and_folded_for_search() -> None:
    shown = decode_text(b"10\x81\x6020", "Shift_JIS")
    assert shown == "10～20"
    jis_variant = "10\u301c20"  # what the stdlib iso2022_jp codec would produce
    assert shown != jis_variant
    assert normalize_for_search(shown) == normalize_for_search(jis_variant) == "10~20"


def test_normalize_for_search_folds_width_and_case() -> None:
    assert normalize_for_search("ＡＢＣ　ｶﾌﾞｼｷｶﾞｲｼｬ") == "abc カブシキガイシャ"
    assert normalize_for_search("‖−") == normalize_for_search("∥－")


# The JIS → Shift_JIS arithmetic, checked over the whole JIS X 0208 plane
# against the standard codecs (which agree with cp932 except on the traps).
_CP932_FORMS = str.maketrans(
    {"\u301c": "\uff5e", "\u2016": "\u2225", "\u2212": "\uff0d", "\u2014": "\u2015",
     "\u00a2": "\uffe0", "\u00a3": "\uffe1", "\u00ac": "\uffe2"}
)  # fmt: skip


def test_every_jis_x0208_character_matches_the_stdlib_modulo_traps() -> None:
    from mailwise_desktop.mail.jis_codecs import decode_euc_jp_ms, decode_iso2022jp_ms

    checked = 0
    for row in range(0x21, 0x7F):
        for cell in range(0x21, 0x7F):
            jis = b"\x1b$B" + bytes((row, cell)) + b"\x1b(B"
            euc = bytes((row | 0x80, cell | 0x80))
            try:
                expected = jis.decode("iso2022_jp").translate(_CP932_FORMS)
            except UnicodeDecodeError:
                continue
            assert decode_iso2022jp_ms(jis) == expected, jis
            assert decode_euc_jp_ms(euc) == expected, euc
            checked += 1
    assert checked > 6800  # JIS X 0208 has 6879 characters
