"""Turning mail bytes into text whatever charset label they carry.

Senders lie about charsets, use Windows-only labels the standard library does
not know, and use the Windows variants of Japanese encodings under the
standard names. :func:`decode_text` maps every label to the codec that
decodes what senders really produce (design note JAPANESE.md), and when the
result is full of U+FFFD it tries the usual suspects and keeps the best.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from mailwise_desktop.mail import softbank_emoji
from mailwise_desktop.mail.jis_codecs import (
    ONE_CHARACTER,
    decode_euc_jp_ms,
    decode_iso2022jp_ms,
    has_jis_escape,
)

ISO2022JP_MS = "iso-2022-jp-ms"
EUC_JP_MS = "euc-jp-ms"

_DOUBLE_BYTE = frozenset({"cp932", "shift_jis", "euc_jp", "euc_jis_2004", "shift_jis_2004"})

# Labels decoded by our own decoders, not by a Python codec.
_OWN_DECODERS: dict[str, Callable[[bytes], str]] = {
    ISO2022JP_MS: decode_iso2022jp_ms,
    EUC_JP_MS: decode_euc_jp_ms,
}

# Label (lower case, "_" and " " read as "-") → what we decode it with.
# Shift_JIS labels are ALWAYS cp932: senders mean the Windows code page.
_LABELS: dict[str, str] = {
    **dict.fromkeys(
        (
            "shift-jis",
            "shiftjis",
            "sjis",
            "s-jis",
            "x-sjis",
            "windows-31j",
            "cswindows31j",
            "csshiftjis",
            "ms932",
            "ms-kanji",
            "mskanji",
            "cp932",
            "x-ms-cp932",
            "ibm-943",
            "shift-jisx0213",
            "shift-jis-2004",
        ),
        "cp932",
    ),
    **dict.fromkeys(
        (
            "iso-2022-jp",
            "csiso2022jp",
            "iso-2022-jp-ms",
            "iso-2022-jp-1",
            "iso-2022-jp-2",
            "iso-2022-jp-3",
            "iso-2022-jp-2004",
            "x-iso-2022-jp",
            "cp50220",
            "cp50221",
            "cp50222",
        ),
        ISO2022JP_MS,
    ),
    **dict.fromkeys(
        ("euc-jp", "eucjp", "x-euc-jp", "euc-jp-ms", "cp51932", "cseucpkdfmtjapanese"),
        EUC_JP_MS,
    ),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "euc-cn", "csgb2312", "gb-2312-80"), "gb18030"),
    **dict.fromkeys(("ks-c-5601-1987", "ks-c-5601", "euc-kr", "korean", "ksc5601"), "cp949"),
    **dict.fromkeys(("big5", "x-x-big5", "csbig5", "big5-hkscs"), "big5hkscs"),
    # WHATWG: browsers read Latin-1 labels as windows-1252, and so do senders.
    **dict.fromkeys(("iso-8859-1", "latin1", "latin-1", "l1", "iso8859-1"), "cp1252"),
    **dict.fromkeys(("tis-620", "windows-874", "iso-8859-11"), "cp874"),
    **dict.fromkeys(("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"), "utf-8"),
    **dict.fromkeys(("us-ascii", "ascii", "ansi-x3.4-1968", "iso646-us"), "ascii"),
}

# Labels that carry no information at all.
_NO_LABEL = frozenset({"", "unknown", "unknown-8bit", "x-unknown", "default", "8bit", "binary"})

# Extra names for Python's codec registry, so `bytes.decode(label)` elsewhere
# (and the standard library's own email code) understands Windows labels.
_CODEC_ALIASES: dict[str, str] = {
    "windows_31j": "cp932",
    "cswindows31j": "cp932",
    "x_sjis": "cp932",
    "x_ms_cp932": "cp932",
    "x_euc_jp": "euc_jp",
    "x_gbk": "gbk",
    "unicode_1_1_utf_8": "utf_8",
    "x_unicode20utf8": "utf_8",
}

_registered = False

# Latin labels that are never meant when the bytes are valid non-ASCII UTF-8.
_LATIN_LABELS = frozenset({"ascii", "cp1252"})


def _search_codec(name: str) -> codecs.CodecInfo | None:
    target = _CODEC_ALIASES.get(name.lower().replace("-", "_").replace(" ", "_"))
    return codecs.lookup(target) if target else None


def register_codec_aliases() -> None:
    """Teach Python's codec registry the Windows charset labels. Idempotent."""
    global _registered  # noqa: PLW0603 -- a process-wide registry needs one flag
    if not _registered:
        codecs.register(_search_codec)
        _registered = True


@dataclass(frozen=True)
class DecodedText:
    """The outcome of decoding, with what it took.

    Attributes:
        text: the decoded text.
        charset: the decoder actually used ("cp932", "iso-2022-jp-ms", ...).
        guessed: True when the declared charset was missing, unknown or wrong
            and ``charset`` is our best guess.
        replacements: how many U+FFFD the decoding produced.
    """

    text: str
    charset: str
    guessed: bool
    replacements: int


def canonical_charset(label: str | None) -> str | None:
    """Return the decoder name for a charset label, or None if unusable.

    Args:
        label: the charset parameter as written by the sender.

    Returns:
        A name accepted by :func:`decode_with`, or None for a missing,
        placeholder or unknown label.
    """
    if label is None:
        return None
    key = label.strip().strip("\"'").strip().lower().replace("_", "-").replace(" ", "-")
    if key in _NO_LABEL:
        return None
    if key in _LABELS:
        return _LABELS[key]
    try:
        return codecs.lookup(key).name
    except (LookupError, ValueError):
        return None


def decode_with(data: bytes, charset: str) -> str:
    """Decode with one decoder name from :func:`canonical_charset`, never raising."""
    own = _OWN_DECODERS.get(charset)
    if own is not None:
        return own(data)
    try:
        if charset == "cp932":  # carrier emoji, SoftBank's by its rule
            return softbank_emoji.decode_shift_jis(data, ONE_CHARACTER)
        # Japanese double-byte codecs: an unmappable character is one U+FFFD
        text = data.decode(charset, ONE_CHARACTER if charset in _DOUBLE_BYTE else "replace")
        # SoftBank web codes are 7-bit: they pass through any ASCII-based codec
        return softbank_emoji.from_webcodes(text)
    except (LookupError, ValueError):
        return data.decode("ascii", "replace")


def _oddness(text: str) -> int:
    """Count characters that suggest the wrong decoder was used."""
    odd = 0
    for char in text:
        code = ord(char)
        if char == "\ufffd":
            odd += 100
        elif 0xFF61 <= code <= 0xFF9F or 0xE000 <= code <= 0xF8FF or 0x80 <= code <= 0x9F:
            # half-width kana, private use, C1 controls: cp932 reading EUC-JP
            # or UTF-8 looks exactly like this
            odd += 1
    return odd


def _too_many_replacements(count: int, length: int) -> bool:
    # A stray bad byte in a long body is tolerable; a broken header is not.
    return count > 0 and count * 200 > max(length, 1)


def _normalizer_guess(data: bytes) -> str | None:
    """Ask charset-normalizer, when the user happens to have it installed."""
    try:
        module = importlib.import_module("charset_normalizer")
        best = module.from_bytes(data).best()
    except Exception:  # optional helper; anything it does wrong is ignored
        return None
    encoding = getattr(best, "encoding", None)
    return canonical_charset(encoding) if isinstance(encoding, str) else None


def _best_guess(data: bytes, first: list[str]) -> tuple[str, str]:
    candidates = [*first]
    if has_jis_escape(data):
        candidates.append(ISO2022JP_MS)
    guess = _normalizer_guess(data)
    if guess:
        candidates.append(guess)
    candidates += ["utf-8", "cp932", EUC_JP_MS]
    best: tuple[int, int, str, str] | None = None
    for rank, charset in enumerate(dict.fromkeys(candidates)):
        text = decode_with(data, charset)
        key = (_oddness(text), rank, charset, text)
        if best is None or key[:2] < best[:2]:
            best = key
    assert best is not None
    return best[2], best[3]


def _strict(data: bytes, charset: str) -> str | None:
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_text_detailed(data: bytes, declared_charset: str | None) -> DecodedText:
    """Decode mail bytes, saying which charset was used and whether it was guessed.

    Args:
        data: the bytes (after transfer decoding).
        declared_charset: the charset label from the message, if any.

    Returns:
        The decoded text and how it was obtained. Never raises.
    """
    charset = canonical_charset(declared_charset)
    if charset is None:
        if has_jis_escape(data):
            charset = ISO2022JP_MS
        elif data.isascii():
            text = softbank_emoji.from_webcodes(data.decode("ascii"))
            return DecodedText(text, "ascii", False, text.count("\ufffd"))
        else:
            utf8 = _strict(data, "utf-8")
            if utf8 is not None:
                utf8 = softbank_emoji.from_webcodes(utf8)
                return DecodedText(utf8, "utf-8", declared_charset is not None, 0)
            used, text = _best_guess(data, [])
            return DecodedText(text, used, True, text.count("\ufffd"))
    if charset in _LATIN_LABELS and not data.isascii():
        utf8 = _strict(data, "utf-8")
        if utf8 is not None:
            return DecodedText(softbank_emoji.from_webcodes(utf8), "utf-8", True, 0)
    text = decode_with(data, charset)
    count = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if charset == ISO2022JP_MS and has_jis_escape(data):
        # Escapes that decode are ISO-2022-JP whatever else is wrong; the rest
        # of the text is right, each unknown character is one U+FFFD
        return DecodedText(text, charset, False, max(count, 0))
    if not _too_many_replacements(count, len(text)):
        return DecodedText(text, charset, False, max(count, 0))
    used, guessed_text = _best_guess(data, [charset])
    return DecodedText(guessed_text, used, used != charset, guessed_text.count("\ufffd"))


def decode_text(data: bytes, declared_charset: str | None) -> str:
    """Decode mail bytes to text following the rules in JAPANESE.md.

    Args:
        data: the bytes (after transfer decoding).
        declared_charset: the charset label from the message, if any.

    Returns:
        The decoded text. Never raises.
    """
    return decode_text_detailed(data, declared_charset).text


def decode_8bit_header(data: bytes) -> str:
    """Decode raw (unencoded) 8-bit header bytes: utf-8, then cp932, then euc-jp.

    When both cp932 and EUC-JP decode cleanly, the one that yields fewer
    half-width kana wins: EUC-JP read as cp932 is mostly half-width kana.

    Args:
        data: the header bytes as sent.

    Returns:
        The decoded text. Never raises.
    """
    if data.isascii() and not has_jis_escape(data):
        return softbank_emoji.from_webcodes(data.decode("ascii"))
    return decode_text(data, None)
