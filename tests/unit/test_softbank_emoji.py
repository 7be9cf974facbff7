"""SoftBank's web codes and Shift_JIS 0xFB41-0xFBD7 become Unicode emoji (issue 9).

Byte strings as SoftBank phones wrote them; codes from SoftBank's published
tables as jpmobile carries them: web code ``ESC $ G j SI`` is the sun (U+E04A
on the phone), ``ESC $ Q !`` / Shift_JIS 0xFBA1 the love hotel, 0xFB41 the
"disappointed but relieved" face. The rule for 0xFB41-0xFBD7 is in
``mail/softbank_emoji.py``: SoftBank's emoji when the sender is a SoftBank
phone or the same text uses a web code or a SoftBank-only code, kanji otherwise.
"""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailwise_desktop.mail import carrier_emoji, header_fastpath, softbank_emoji
from mailwise_desktop.mail.charsets import decode_text
from mailwise_desktop.mail.encoded_words import decode_header_text
from mailwise_desktop.mail.headers import parse_headers
from mailwise_desktop.mail.parse import parse_message

SUN = "\u2600"
HOTEL = "\U0001f3e9"
RELIEVED = "\U0001f625"
A = "\u3042"  # あ: Shift_JIS 82 A0, JIS 24 22
KANJI_FB41 = b"\xfb\x41".decode("cp932")  # what cp932 makes of 0xFB41 (an IBM kanji)


def _b_word(charset: str, data: bytes) -> bytes:
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?=".encode()


def test_web_codes_in_shift_jis_iso_2022_jp_utf8_and_unlabelled_text() -> None:
    assert decode_text(b"\x82\xa0\x1b$Gj\x0f\x82\xa0", "shift_jis") == A + SUN + A
    assert decode_text(b"\x1b$Gj\x0f OK", None) == SUN + " OK"
    assert decode_text("あ\x1b$Q!\x0fい".encode(), "utf-8") == A + HOTEL + "い"
    # inside kanji mode: after SI the JIS mode goes on (あ again, no raw "$")
    assert decode_text(b'\x1b$B$"\x1b$Gj\x0f$"\x1b(B', "iso-2022-jp") == A + SUN + A


def test_one_web_code_run_holds_several_emoji() -> None:
    table = carrier_emoji.tables()["webcode_softbank"]
    assert decode_text(b"\x1b$Gjk\x0f.", "shift_jis") == table["Gj"] + table["Gk"] + "."


def test_a_web_code_without_equivalent_is_one_replacement_and_the_rest_decodes() -> None:
    table = carrier_emoji.tables()["webcode_softbank"]
    missing = next(f"G{chr(c)}" for c in range(0x21, 0x7F) if f"G{chr(c)}" not in table)
    data = b"\x1b$Gj" + missing[1].encode() + b"j\x0f" + "題名".encode("cp932")
    assert decode_text(data, "shift_jis") == SUN + "\ufffd" + SUN + "題名"


def test_a_web_code_without_its_si_ends_at_white_space() -> None:
    assert decode_text(b"\x1b$Gj end", "shift_jis") == SUN + " end"


def test_fb_codes_stay_kanji_without_a_softbank_sign() -> None:
    assert decode_text(b"\x82\xa0\xfb\x41", "shift_jis") == A + KANJI_FB41
    info = parse_headers(
        b"From: a@example.jp\r\nSubject: " + _b_word("shift_jis", b"\xfb\x41") + b"\r\n\r\n"
    )
    assert info.subject == KANJI_FB41


def test_fb_codes_are_emoji_from_a_softbank_phone_in_subject_and_body() -> None:
    raw = (
        b"From: =?iso-2022-jp?B?GyRCOzNFRBsoQg==?= <taro@t.vodafone.ne.jp>\r\n"
        b"Subject: " + _b_word("shift_jis", b"\x82\xa0\xfb\x41") + b"\r\n"
        b"Content-Type: text/plain; charset=Shift_JIS\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"\x82\xa0\xfb\xa1\x82\xa0\r\n"
    )
    assert parse_headers(raw.split(b"\r\n\r\n")[0] + b"\r\n\r\n").subject == A + RELIEVED
    message = parse_message(raw)
    assert message.headers.subject == A + RELIEVED
    assert message.text == A + HOTEL + A + "\n"
    # the same body from another sender: the kanji cp932 has there
    other = parse_message(raw.replace(b"t.vodafone.ne.jp", b"example.jp"))
    assert other.text == A + b"\xfb\xa1".decode("cp932") + A + "\n"


def test_fb_codes_are_emoji_in_a_text_that_uses_other_softbank_codes() -> None:
    assert decode_text(b"\x1b$Gj\x0f\xfb\x41", "shift_jis") == SUN + RELIEVED
    only = carrier_emoji.tables()["sjis_softbank_only"]
    code = next(c for c in only if c < "FA")  # in cp932's private-use area
    emoji = carrier_emoji.tables()["sjis_softbank"][code]
    assert decode_text(bytes.fromhex(code) + b"\xfb\x41", "shift_jis") == emoji + RELIEVED


def test_in_the_softbank_reading_shared_codes_are_softbanks() -> None:
    # 0xF941 is docomo's 🌔 and SoftBank's 👦
    assert decode_text(b"\xf9\x41", "shift_jis") == "\U0001f314"
    with softbank_emoji.softbank_sender(["hanako@softbank.ne.jp"]):
        assert decode_text(b"\xf9\x41", "shift_jis") == "\U0001f466"
    assert decode_text(b"\xf9\x41", "shift_jis") == "\U0001f314"  # the context ended


def test_a_softbank_code_without_equivalent_is_one_replacement() -> None:
    # 0xFBAA is SoftBank's with no Unicode emoji; 0x88FB is a kanji whose trail byte is 0xFB
    with softbank_emoji.softbank_sender(["x@i.softbank.jp"]):
        text = decode_text(b"\x82\xa0\xfb\xaa\x88\xfb\x41\xfb\x41", "shift_jis")
    assert text == A + "\ufffd" + b"\x88\xfb".decode("cp932") + "A" + RELIEVED


def test_shift_jis_subject_emoji_on_the_header_fast_path() -> None:
    # fails before: the fast path's strict cp932 left docomo's 🎤 as private-use U+E676
    word = _b_word("shift_jis", b"\x82\xa0\xf8\xd7").decode()
    assert header_fastpath.decode_words(word) == decode_header_text(word) == A + "\U0001f3a4"
    assert parse_headers(f"Subject: {word}\r\n\r\n".encode()).subject == A + "\U0001f3a4"


def test_phone_domains() -> None:
    assert softbank_emoji.is_phone_address("A@JP-K.NE.JP")
    assert softbank_emoji.is_phone_address("a@x.softbank.ne.jp")
    assert not softbank_emoji.is_phone_address("a@notsoftbank.ne.jp")
    assert not softbank_emoji.is_phone_address("softbank.ne.jp@example.com")


class _CountingPattern:
    """Wraps a compiled pattern; counts calls and bytes each match consumed."""

    def __init__(self, pattern: object) -> None:
        self.pattern = pattern
        self.calls = 0
        self.consumed = 0

    def match(self, data: bytes, position: int) -> object:
        found = self.pattern.match(data, position)  # type: ignore[attr-defined]
        self.calls += 1
        self.consumed += found.end() - position
        return found


def test_fb_decoding_work_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: one match per 0xFB code, each byte consumed once."""
    counter = _CountingPattern(softbank_emoji._UP_TO_FB)
    monkeypatch.setattr(softbank_emoji, "_UP_TO_FB", counter)
    data = "題名".encode("cp932") + b"\xfb\x41\x82\xa0" * 20_000
    with softbank_emoji.softbank_sender(["a@softbank.ne.jp"]):
        text = decode_text(data, "shift_jis")
    assert text == "題名" + (RELIEVED + A) * 20_000
    assert counter.calls == 20_000 + 1
    assert counter.consumed == len(data)


_PIECES = st.sampled_from(
    [b"\x1b$G", b"\x1b$Q", b"\x1b$B", b"\x1b(B", b"\x0f", b"\x0e", b"\xfb", b"\xfbA", b"\xf9A",
     b"\x82\xa0", b"j", b"\x1b", b"\xeb", b"\x80", b" "]
)  # fmt: skip
_DATA = st.lists(st.one_of(_PIECES, st.binary(max_size=4)), max_size=40).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(
    data=_DATA,
    label=st.sampled_from(["shift_jis", "iso-2022-jp", "utf-8", "euc-jp", None]),
    softbank=st.booleans(),
)
def test_decoding_never_raises_and_output_is_bounded(
    data: bytes, label: str | None, softbank: bool
) -> None:
    with softbank_emoji.softbank_sender(["a@softbank.ne.jp"] if softbank else []):
        text = decode_text(data, label)
        subject = parse_headers(b"Subject: " + _b_word(label or "x-unknown", data) + b"\r\n\r\n")
    assert isinstance(text, str) and isinstance(subject.subject, str)
    # at most two code points (an emoji sequence) per input byte: no blow-up
    assert len(text) <= 2 * len(data) + 1
