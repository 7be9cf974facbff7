"""Line wrapping for Japanese business mail: widths, kinsoku, tokens, quotes, idempotence."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from mailwise_desktop.send.line_wrap import (
    NO_LINE_END,
    NO_LINE_START,
    break_positions,
    columns,
    wrap_line,
    wrap_text,
)

URL = "https://example.com/invoices/download?id=1234567890&token=abcdefghijklmnopqrstuvwxyz"

# Text made of the pieces that matter: kanji/kana, kinsoku characters, ASCII
# words, URLs, spaces (half- and full-width), quote markers and separators.
_atoms = st.sampled_from(
    list("日本語請求書再発行いたしますご確認くださいアイウ")
    + list(NO_LINE_START)
    + list(NO_LINE_END)
    + ["invoice", "Mailwise", "12345", URL, " ", "  ", "\u3000", ">", "-- ", "①", "※", "é"]
)
_lines = st.lists(_atoms, max_size=40).map("".join)
_texts = st.lists(_lines, max_size=8).map("\n".join)
_widths = st.integers(min_value=2, max_value=80)


def _body_lines(text: str) -> list[str]:
    """The lines subject to wrapping (not quotes, not the signature)."""
    out = []
    for line in text.split("\n"):
        if line == "-- ":
            break
        if not line.startswith(">"):
            out.append(line)
    return out


@settings(max_examples=300, deadline=None)
@given(_texts, _widths)
def test_wrapping_twice_is_wrapping_once(text: str, width: int) -> None:
    once = wrap_text(text, width)
    assert wrap_text(once, width) == once


@settings(max_examples=300, deadline=None)
@given(_texts, _widths)
def test_text_keeps_every_character(text: str, width: int) -> None:
    wrapped = wrap_text(text, width)
    assert wrapped.replace("\n", "") == text.replace("\n", "")
    assert wrapped.count("\n") >= text.count("\n")


@settings(max_examples=300, deadline=None)
@given(_lines, _widths)
def test_no_line_over_width_unless_unbreakable(line: str, width: int) -> None:
    pieces = wrap_line(line, width)
    assert "".join(pieces) == line
    for piece in pieces:
        if columns(piece) > width:
            assert break_positions(piece) == [], (piece, width)


@settings(max_examples=300, deadline=None)
@given(_lines, _widths)
def test_no_kinsoku_violation_at_inserted_breaks(line: str, width: int) -> None:
    pieces = wrap_line(line, width)
    for earlier, later in itertools.pairwise(pieces):
        assert later[0] not in NO_LINE_START, (earlier, later)
        assert earlier.rstrip()[-1] not in NO_LINE_END, (earlier, later)
        assert later[0] not in " \u3000"  # spaces hang on the earlier line


def test_japanese_paragraph_wraps_at_36_full_width_characters() -> None:
    text = "いつもお世話になっております。" * 6
    lines = wrap_text(text).split("\n")
    assert len(lines) > 1
    assert all(columns(line) <= 72 for line in lines)
    assert columns(lines[0]) == 72  # 36 full-width characters


def test_kinsoku_moves_the_character_before_closing_punctuation() -> None:
    # Column 10 falls right before 。: the break moves one character back.
    assert wrap_line("あいうえお。かきく", 10) == ["あいうえ", "お。かきく"]
    # An opening bracket never ends a line.
    assert wrap_line("あいうえ「かき」", 10) == ["あいうえ", "「かき」"]
    # Small kana and ー never start one.
    assert wrap_line("あいうえコーヒー", 10) == ["あいうえ", "コーヒー"]


def test_ascii_words_and_urls_are_never_split() -> None:
    lines = wrap_line(f"詳細は {URL} をご覧ください。", 40)
    assert lines == ["詳細は ", f"{URL} ", "をご覧ください。"]
    english = "Thank you for your message about the invoice we sent last week."
    for piece in wrap_line(english, 20):
        assert columns(piece) <= 20
        assert not piece.startswith(" ")
    assert "".join(p.strip() + " " for p in wrap_line(english, 20)).split() == english.split()


def test_quotes_signature_and_short_lines_are_left_alone() -> None:
    long_ja = "ご確認のほどよろしくお願いいたします。" * 3
    text = "\n".join(
        [
            "短い行",
            "> " + long_ja,
            long_ja,
            "-- ",
            "株式会社サンプル サポート窓口 佐藤 花子 " + long_ja,
        ]
    )
    lines = wrap_text(text, 40).split("\n")
    assert lines[0] == "短い行"
    assert lines[1] == "> " + long_ja
    assert lines[-2:] == ["-- ", "株式会社サンプル サポート窓口 佐藤 花子 " + long_ja]
    assert len(lines) > 5


def test_zero_width_turns_wrapping_off() -> None:
    text = "あ" * 200
    assert wrap_text(text, 0) == text


SIGNATURE = (
    "━" * 40
    + "\n株式会社サンプル サポート窓口 佐藤 花子 〒100-0001 東京都千代田区千代田1-1 TEL 03-1234-5678\n"
    + "━" * 40
)


def test_the_senders_signature_goes_out_as_designed() -> None:
    body = "ご確認のほどよろしくお願いいたします。" * 3
    text = f"{body}\n\n{SIGNATURE}\n\n2026/12/01 山田 様は書きました:\n> 引用"
    wrapped = wrap_text(text, 40, signature=SIGNATURE)
    assert f"\n\n{SIGNATURE}\n\n" in wrapped
    assert wrapped.split("\n")[0] != body  # the text above it is wrapped
    assert all(columns(line) <= 40 for line in wrapped.split(SIGNATURE)[0].split("\n"))
    # Not on lines of its own (a mention inside a sentence): no exemption.
    inline = "長い文章の中に" + SIGNATURE.split("\n")[1] + "と書いてあります。"
    assert wrap_text(inline, 40, signature=SIGNATURE.split("\n")[1]) == wrap_text(inline, 40)


@settings(max_examples=200, deadline=None)
@given(_texts, _texts, _widths)
def test_wrapping_with_a_signature_is_idempotent(above: str, below: str, width: int) -> None:
    text = f"{above}\n{SIGNATURE}\n{below}"
    once = wrap_text(text, width, signature=SIGNATURE)
    assert f"\n{SIGNATURE}\n" in once
    assert wrap_text(once, width, signature=SIGNATURE) == once
    assert once.replace("\n", "") == text.replace("\n", "")


def test_an_opening_bracket_followed_by_a_space_never_ends_a_line() -> None:
    """Found by hypothesis in CI: the break fell on the space after "［"."""
    for width in range(2, 12):
        for line in wrap_line("あいう［ 日本語の文章です", width):
            assert line.rstrip()[-1:] not in NO_LINE_END, (width, line)
