"""SoftBank's emoji: its web codes and its Shift_JIS codes 0xFB41-0xFBD7 (issue 9).

SoftBank (J-PHONE, then Vodafone) phones wrote emoji two ways:

- **Web codes**: ``ESC $`` + a page letter (G E F O P Q) + one ASCII
  character per emoji, ended by ``SI`` (0x0F), e.g. ``ESC $ G j SI``. They
  are 7-bit, so they appear in ISO-2022-JP, Shift_JIS, UTF-8 and unlabelled
  text alike. Always read (nothing else in mail uses ``ESC $ G``); a run
  without its ``SI`` ends at the first byte outside 0x21-0x7E. A character
  with no Unicode equivalent is one U+FFFD.
- **Shift_JIS codes** 0xF741-0xF7FC, 0xF941-0xF9FC and 0xFB41-0xFBD7. The
  first two are cp932's private-use area and shared with docomo and au;
  0xFB41-0xFBD7 are IBM extension kanji to cp932 (real kanji such as 﨑 live
  next to them). The rule -- the *SoftBank reading* of a Shift_JIS text,
  where every SoftBank code is SoftBank's emoji (or one U+FFFD), applies when:

  1. the message is from a SoftBank phone address (:data:`PHONE_DOMAINS`,
     the From header; set by the parsers with :func:`softbank_sender`), or
  2. the same text (one header value's encoded-words, one body part) holds
     a web code or a code only SoftBank assigns (neither docomo nor au).

  Otherwise a code SoftBank shares reads as docomo's or au's and
  0xFB41-0xFBD7 stay kanji, as cp932 has them. There is no X-Mailer rule:
  SoftBank's own mail servers wrote none that tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar, Token
from functools import cache
from types import TracebackType

from mailwise_desktop.mail import carrier_emoji

# SoftBank's, Vodafone's and J-PHONE's phone mail domains (i.softbank.jp: iPhone).
PHONE_DOMAINS = (
    "softbank.ne.jp",
    "i.softbank.jp",
    "disney.ne.jp",
    *(f"{letter}.vodafone.ne.jp" for letter in "dhtckrnsq"),
    *(f"jp-{letter}.ne.jp" for letter in "dhtckrnsq"),
)
_SUFFIXES = tuple(f"@{d}" for d in PHONE_DOMAINS) + tuple(f".{d}" for d in PHONE_DOMAINS)

_SENDER: ContextVar[bool] = ContextVar("softbank_sender", default=False)

_WEBCODE_TEXT = re.compile("\x1b\\$([GEFOPQ])([\x21-\x7e]*)\x0f?")
_WEBCODE_BYTES = re.compile(rb"\x1b\$([GEFOPQ])([\x21-\x7e]*)\x0f?")
# Shift_JIS characters up to the next one led by 0xFB, tokenised as cp932
# does (a lead byte takes a valid trail byte; otherwise it stands alone).
_UP_TO_FB = re.compile(
    rb"(?:[^\x81-\x9f\xe0-\xfc]|[\x81-\x9f\xe0-\xfa\xfc][\x40-\x7e\x80-\xfc]?)*+"
    rb"(\xfb[\x40-\x7e\x80-\xfc]?)?"
)


def reading_as_softbank() -> bool:
    """Whether Shift_JIS is read the SoftBank way here (inside :class:`softbank_sender`).

    Callers that keep decoded text for reuse key it by this too.
    """
    return _SENDER.get()


def is_phone_address(email: str) -> bool:
    """Tell whether ``email`` is a SoftBank (Vodafone, J-PHONE) phone address."""
    return email.lower().endswith(_SUFFIXES)


class softbank_sender:  # noqa: N801 -- used as a context manager, like contextlib's
    """Within this block, Shift_JIS text is read the SoftBank way if a sender is a SoftBank phone.

    Args:
        emails: the From addresses of the message being decoded.
    """

    def __init__(self, emails: Iterable[str]) -> None:
        self._active = any(is_phone_address(e) for e in emails)
        self._token: Token[bool] | None = None

    def __enter__(self) -> None:
        if self._active:
            self._token = _SENDER.set(True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _SENDER.reset(self._token)
            self._token = None


def _code(hex_code: str) -> int:
    return int(hex_code, 16)


@cache
def _webcodes() -> dict[str, str]:
    return carrier_emoji.tables().get("webcode_softbank", {})


@cache
def _shift_jis() -> dict[int, str]:
    """SoftBank's Shift_JIS code → emoji, or U+FFFD for a code without one."""
    table = carrier_emoji.tables()
    codes = {_code(k): v for k, v in table.get("sjis_softbank", {}).items()}
    codes.update((_code(k), "\ufffd") for k in table.get("sjis_softbank_unmapped", {}))
    return codes


def _pua(code: int) -> int | None:
    char = code.to_bytes(2, "big").decode("cp932", "replace")
    return ord(char) if len(char) == 1 and 0xE000 <= ord(char) <= 0xE757 else None


@cache
def _private_use() -> dict[int, str]:
    """cp932's private-use characters → emoji, SoftBank's table first."""
    table = dict(carrier_emoji.private_use_table())
    for code, emoji in _shift_jis().items():
        if (char := _pua(code)) is not None:
            table[char] = emoji
    return table


@cache
def _only_softbank() -> re.Pattern[str]:
    only = carrier_emoji.tables().get("sjis_softbank_only", {})
    chars = sorted({c for k in only if (c := _pua(_code(k))) is not None})
    return re.compile("[" + "".join(map(chr, chars)) + "]" if chars else "(?!)")


def _emoji_run(match: re.Match[str]) -> str:
    page, characters = match.groups()
    table = _webcodes()
    return "".join(table.get(page + c, "\ufffd") for c in characters) or "\ufffd"


def from_webcodes(text: str) -> str:
    """``text`` with SoftBank web codes (``ESC $ G ... SI``) turned into emoji."""
    if "\x1b$" not in text:
        return text
    return _WEBCODE_TEXT.sub(_emoji_run, text)


def webcode_at(data: bytes, start: int) -> tuple[str, int] | None:
    """The emoji of a web code starting at ``data[start]`` (an ESC), and where it ends."""
    match = _WEBCODE_BYTES.match(data, start)
    if match is None:
        return None
    page, characters = match.groups()
    table = _webcodes()
    text = "".join(table.get(chr(page[0]) + chr(c), "\ufffd") for c in characters)
    return text or "\ufffd", match.end()


def _pages_p_q(data: bytes, error_handler: str) -> str:
    """cp932 decoding in which SoftBank's 0xFB41-0xFBD7 are its emoji."""
    pieces: list[str] = []
    table = _shift_jis()
    position, end = 0, len(data)
    while position < end:
        match = _UP_TO_FB.match(data, position)
        assert match is not None  # the pattern matches the empty string
        code = match.group(1)
        head_end = match.start(1) if code else match.end()
        if head_end > position:
            pieces.append(data[position:head_end].decode("cp932", error_handler))
        if not code:
            break
        value = int.from_bytes(code, "big")
        # SoftBank's 0xFB41-0xFBDE (0xFBD8 on without equivalent); its gaps stay kanji
        pieces.append(table.get(value) or code.decode("cp932", error_handler))
        position = match.end()
    return "".join(pieces)


def decode_shift_jis(data: bytes, error_handler: str) -> str:
    """Decode Shift_JIS (cp932) with every carrier's emoji, by the rule above.

    Args:
        data: the encoded bytes.
        error_handler: the codec error handler (one U+FFFD a character).

    Returns:
        The decoded text.
    """
    text = data.decode("cp932", error_handler)
    webcode = "\x1b$" in text and _WEBCODE_TEXT.search(text) is not None
    if not (_SENDER.get() or webcode or _only_softbank().search(text)):
        return carrier_emoji.from_private_use(text)
    if b"\xfb" in data:
        text = _pages_p_q(data, error_handler)
    return from_webcodes(text.translate(_private_use()))
