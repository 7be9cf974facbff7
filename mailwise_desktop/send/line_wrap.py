"""Hard line wrapping of an outgoing plain-text body, as Japanese business mail expects.

Japanese business mail is wrapped by the sender at about 35 full-width
characters (70–72 columns), because many recipients read it in clients that
do not re-flow text. Widths are counted in display columns: full-width
characters (``east_asian_width`` W or F) take 2; ambiguous symbols such as
○ ※ ① take 2 as well, as they do in Japanese fonts, while ambiguous *letters*
(é, α) take 1.

Breaks follow kinsoku shori: no line starts with closing punctuation, small
kana or the prolonged sound mark, and no line ends with an opening bracket.
A run of narrow characters (an ASCII word, a URL, a number) is never split;
one longer than the width stays whole on its own line. A space at a break
stays at the end of the earlier line, so the text keeps every character and
only gains newlines. Quoted lines (``>``) and the signature (after a ``-- ``
line) are left alone, short lines are untouched, and wrapping twice gives the
same text as wrapping once.
"""

from __future__ import annotations

import unicodedata

DEFAULT_COLUMNS = 72
#: Characters that never start a line (closing punctuation, small kana, ー).
#: ``>`` is here too: a wrapped line starting with it would read as a quote.
NO_LINE_START = frozenset(
    "、。，．・：；？！ー」』）〕］｝〉》】゛゜ヽヾゝゞ々〻‐゠–〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ",.)]}!?:;>"
)
#: Characters that never end a line (opening brackets).
NO_LINE_END = frozenset("「『（〔［｛〈《【([{")
#: Whitespace that may hang past the width at the end of a line.
HANGING = frozenset(" \t\u3000\r")
SIGNATURE_SEPARATOR = "-- "
_TAB_COLUMNS = 8


def char_columns(char: str) -> int:
    """Display columns of one character (0 for combining marks)."""
    if char == "\t":
        return _TAB_COLUMNS
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    kind = unicodedata.east_asian_width(char)
    if kind in ("W", "F"):
        return 2
    if kind == "A" and not unicodedata.category(char).startswith("L"):
        return 2
    return 1


def columns(text: str) -> int:
    """Display columns of ``text`` without its trailing hanging whitespace."""
    return sum(char_columns(c) for c in text.rstrip("".join(HANGING)))


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _break_allowed(before: str, after: str) -> bool:
    if after in HANGING:
        return False  # whitespace hangs on the earlier line
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if unicodedata.combining(after) or unicodedata.category(after) in ("Mn", "Me", "Cf"):
        return False
    if before in HANGING:
        return True
    # Between two narrow characters lies a word, a number or a URL.
    return _wide(before) or _wide(after)


def break_positions(line: str) -> list[int]:
    """Indexes ``i`` where ``line`` may be broken into ``line[:i]`` and ``line[i:]``."""
    out = []
    last_text = ""  # the last character that is not a space: "［ " must not end a line either
    for i in range(1, len(line)):
        if line[i - 1] not in HANGING:
            last_text = line[i - 1]
        if last_text and last_text not in NO_LINE_END and _break_allowed(line[i - 1], line[i]):
            out.append(i)
    return out


def wrap_line(line: str, width: int = DEFAULT_COLUMNS) -> list[str]:
    """``line`` as lines of at most ``width`` columns (an unbreakable run stays whole).

    ``"".join(wrap_line(line, w)) == line`` always holds.
    """
    if width <= 0 or columns(line) <= width:
        return [line]
    # cum[i]: columns of line[:i]; text_end[i]: i minus the hanging whitespace before it.
    cum = [0]
    for char in line:
        cum.append(cum[-1] + char_columns(char))
    text_end = list(range(len(line) + 1))
    for i in range(1, len(line) + 1):
        if line[i - 1] in HANGING:
            text_end[i] = text_end[i - 1]
    breaks = [*break_positions(line), len(line)]
    pieces: list[str] = []
    start = 0
    k = 0  # index into breaks of the first break after start
    while cum[text_end[len(line)]] - cum[start] > width and k < len(breaks) - 1:
        # Greedy: the last break whose piece fits, else the first break (an overlong run).
        chosen = k
        while chosen + 1 < len(breaks) - 1 and (
            cum[text_end[breaks[chosen + 1]]] - cum[start] <= width
        ):
            chosen += 1
        if cum[text_end[breaks[chosen]]] - cum[start] > width:
            chosen = k
        pieces.append(line[start : breaks[chosen]])
        start = breaks[chosen]
        k = chosen + 1
    pieces.append(line[start:])
    return pieces


def wrap_text(text: str, width: int = DEFAULT_COLUMNS, *, signature: str = "") -> str:
    """``text`` with its long lines wrapped; quotes and the signature left alone.

    Args:
        text: a plain-text body, lines separated by ``\\n``.
        width: columns per line; 0 or less turns wrapping off.
        signature: the sender's signature: where it stands on lines of its
            own, it goes out as designed (a ruled line of ━ longer than the
            width is common), like everything after a ``-- `` line.
    """
    if width <= 0:
        return text
    where = _signature_at(text, signature.strip("\n"))
    if where is not None:
        end = where + len(signature.strip("\n"))
        return _wrap_lines(text[:where], width) + text[where:end] + _wrap_lines(text[end:], width)
    return _wrap_lines(text, width)


def _signature_at(text: str, signature: str) -> int | None:
    """Where the last occurrence of ``signature`` on whole lines of ``text`` starts."""
    if not signature:
        return None
    where = text.rfind(signature)
    while where >= 0:
        end = where + len(signature)
        if (where == 0 or text[where - 1] == "\n") and (end == len(text) or text[end] == "\n"):
            return where
        where = text.rfind(signature, 0, where + len(signature) - 1)
    return None


def _wrap_lines(text: str, width: int) -> str:
    out: list[str] = []
    in_signature = False
    for line in text.split("\n"):
        if line.rstrip("\r") == SIGNATURE_SEPARATOR:
            in_signature = True
        if in_signature or line.startswith(">"):
            out.append(line)
        else:
            out.extend(wrap_line(line, width))
    return "\n".join(out)
