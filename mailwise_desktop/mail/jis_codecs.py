"""Decoders for the Windows flavours of ISO-2022-JP and EUC-JP.

Japanese mail written on Windows ("ISO-2022-JP-MS", CP50220/50221) uses the
NEC row 13 characters (①, ㈱, Ⅰ) and the NEC-selected IBM extensions that no
standard-library codec maps. Both 7-bit JIS and EUC-JP are fixed offsets away
from Shift_JIS, so we rewrite every double-byte character as its Shift_JIS
bytes and let ``cp932`` (which has all those extensions) do the decoding. The
results also agree with cp932 on the character traps (0x2141 → U+FF5E ～),
so the same text reads the same whichever charset the sender picked.
"""

from __future__ import annotations

import codecs
import re

from mailwise_desktop.mail import carrier_emoji, softbank_emoji
from mailwise_desktop.mail.jis_sjis import jis_to_sjis

ESC = 0x1B
SO = 0x0E
SI = 0x0F

# The designations a real ISO-2022-JP stream starts with; used to sniff
# 7-bit bodies that arrive without a charset label.
_JIS_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\(D|\$\([OPQ]|\([BIJ])")

_ASCII = "ascii"
_KANJI = "kanji"
_KANA = "kana"
_JISX0212 = "jisx0212"
_UNKNOWN = "unknown"

# Escape sequence → mode; JIS X 0213 planes are read as JIS X 0208, which
# they extend, so the common characters still come out right.
_DESIGNATIONS: dict[bytes, str] = {
    b"(B": _ASCII,
    b"(J": _ASCII,  # JIS Roman; Windows treats it as ASCII, so do we
    b"(H": _ASCII,
    b"(I": _KANA,
    b"$@": _KANJI,
    b"$B": _KANJI,
    b"$(B": _KANJI,
    b"$(O": _KANJI,
    b"$(Q": _KANJI,
    b"$(D": _JISX0212,
}


def has_jis_escape(data: bytes) -> bool:
    """Tell whether ``data`` contains an ISO-2022-JP designation sequence.

    Args:
        data: raw bytes of a header or body.

    Returns:
        True when an ESC sequence that switches to a JIS character set occurs.
    """
    return _JIS_ESCAPE.search(data) is not None


# Runs handled in one step instead of byte by byte (bodies can be megabytes).
_ASCII_RUN = re.compile(rb"[^\x1b\x0e\x0f]+")
_PAIR_RUN = re.compile(rb"(?:[\x21-\x74\x79-\x7e][\x21-\x7e])+")
_PAIR_RUN_AU = re.compile(rb"(?:[\x21-\x74\x7c-\x7e][\x21-\x7e])+")  # au text: 0x79-0x7B too
_SEVEN_BIT_RUN = re.compile(rb"[\x00-\x7f]+")
_EUC_PAIR_RUN = re.compile(rb"(?:[\xa1-\xfe]{2})+")
_STRIP_HIGH_BIT = bytes(range(128)) * 2


def _one_character(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: an unmappable double-byte character is ONE U+FFFD.

    The standard "replace" handler replaces only the lead byte, and the trail
    byte then decodes as a half-width kana (a spurious ﾜ after every carrier
    emoji). A lead byte followed by a valid trail byte is consumed as a pair.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    data, start = error.object, error.start
    lead = data[start]
    if (0x81 <= lead <= 0x9F or 0xE0 <= lead <= 0xFC) and start + 1 < len(data):
        trail = data[start + 1]
        if 0x40 <= trail <= 0x7E or 0x80 <= trail <= 0xFC:
            emoji = carrier_emoji.au_mail_sjis(lead, trail) if 0xEB <= lead <= 0xEE else None
            return emoji or "\ufffd", start + 2
    if 0xA1 <= lead <= 0xFE and start + 1 < len(data) and 0xA1 <= data[start + 1] <= 0xFE:
        return "\ufffd", start + 2  # an EUC-JP pair
    return "\ufffd", start + 1


ONE_CHARACTER = "mailwise-one-character"
codecs.register_error(ONE_CHARACTER, _one_character)

# au (KDDI) writes its emoji in ISO-2022-JP rows 0x75-0x7B (mail/carrier_emoji.py).
# Rows 0x75-0x78 are unassigned in JIS X 0208; rows 0x79-0x7C are also
# Windows' IBM extensions (CP50221), so they are read as au's only in text
# that uses au's own rows too.
_AU_ROWS = range(0x75, 0x79)
_AU_SHARED_ROWS = range(0x79, 0x7C)
_USES_AU_ROWS = re.compile(rb"\x1b\$[@B](?:[\x21-\x74\x79-\x7e][\x21-\x7e])*[\x75-\x78][\x21-\x7e]")


def _pairs_to_sjis(run: bytes) -> bytes:
    return b"".join(jis_to_sjis(run[k], run[k + 1]) for k in range(0, len(run), 2))


class _Output:
    """Collects cp932 bytes and already-decoded text in document order."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.pending = bytearray()

    def add_bytes(self, data: bytes | bytearray) -> None:
        self.pending += data

    def add_text(self, text: str) -> None:
        self.flush()
        self.pieces.append(text)

    def flush(self) -> None:
        if self.pending:
            text = bytes(self.pending).decode("cp932", ONE_CHARACTER)
            self.pieces.append(carrier_emoji.from_private_use(text))
            self.pending.clear()

    def result(self) -> str:
        self.flush()
        return "".join(self.pieces)


def _jisx0212(j1: int, j2: int) -> str:
    # Python's euc_jp knows JIS X 0212 as the 0x8F-prefixed three-byte form.
    return bytes((0x8F, j1 | 0x80, j2 | 0x80)).decode("euc_jp", "replace")


def decode_iso2022jp_ms(data: bytes) -> str:
    """Decode ISO-2022-JP including the Windows extensions (CP50220/50221).

    Stray 8-bit bytes (a Shift_JIS part mislabelled as ISO-2022-JP, which
    happens) are passed through to the cp932 decoder instead of being dropped.

    Args:
        data: the encoded bytes.

    Returns:
        The decoded text; undecodable sequences become U+FFFD.
    """
    out = _Output()
    mode = _ASCII
    shifted = False  # SO/SI half-width kana (CP50222)
    au_text = _USES_AU_ROWS.search(data) is not None
    i = 0
    n = len(data)
    while i < n:
        byte = data[i]
        if byte == ESC and (webcode := softbank_emoji.webcode_at(data, i)) is not None:
            out.add_text(webcode[0])  # SoftBank's ESC $ G ... SI; the mode stays
            i = webcode[1]
            continue
        if byte == ESC:
            for seq, new_mode in _DESIGNATIONS.items():
                if data.startswith(seq, i + 1):
                    mode = new_mode
                    i += 1 + len(seq)
                    break
            else:
                # An escape we do not know (ISO-2022-JP-2 G2 sets, junk).
                mode = _UNKNOWN if data.startswith(b"$", i + 1) else mode
                out.add_text("\ufffd")
                i += 1
            continue
        if byte in (SO, SI):
            shifted = byte == SO
            i += 1
            continue
        if byte < 0x21 or byte >= 0x7F:
            # Controls keep their meaning in every mode; broken mailers also
            # forget ESC ( B before a line break, which this tolerates.
            out.add_bytes(bytes((byte,)))
            if byte in (0x0A, 0x0D):
                shifted = False
            i += 1
            continue
        if shifted or mode == _KANA:
            out.add_bytes(bytes((byte + 0x80,)) if byte <= 0x5F else b"?")
            i += 1
            continue
        if mode == _ASCII:
            run = _ASCII_RUN.match(data, i)
            assert run is not None  # data[i] is not ESC/SO/SI here
            out.add_bytes(run.group(0))
            i = run.end()
            continue
        if (
            mode == _KANJI
            and (byte in _AU_ROWS or (au_text and byte in _AU_SHARED_ROWS))
            and i + 1 < n
            and 0x21 <= data[i + 1] <= 0x7E
        ):
            emoji = carrier_emoji.au_jis(byte, data[i + 1])
            if emoji is not None or byte in _AU_ROWS:
                out.add_text(emoji or "\ufffd")  # one character, named or not
                i += 2
                continue
        if mode == _KANJI and (run := (_PAIR_RUN_AU if au_text else _PAIR_RUN).match(data, i)):
            out.add_bytes(_pairs_to_sjis(run.group(0)))
            i = run.end()
            continue
        if i + 1 >= n or not 0x21 <= data[i + 1] <= 0x7E:
            out.add_text("\ufffd")
            i += 1
            continue
        j2 = data[i + 1]
        if mode == _KANJI:
            out.add_bytes(jis_to_sjis(byte, j2))
        elif mode == _JISX0212:
            out.add_text(_jisx0212(byte, j2))
        else:
            out.add_text("\ufffd")
        i += 2
    return out.result()


def decode_euc_jp_ms(data: bytes) -> str:
    """Decode EUC-JP including the Windows extensions (eucJP-ms / CP51932).

    Args:
        data: the encoded bytes.

    Returns:
        The decoded text; undecodable sequences become U+FFFD.
    """
    out = _Output()
    i = 0
    n = len(data)
    while i < n:
        byte = data[i]
        if byte < 0x80:
            run = _SEVEN_BIT_RUN.match(data, i)
            assert run is not None
            out.add_bytes(run.group(0))
            i = run.end()
        elif run := _EUC_PAIR_RUN.match(data, i):
            out.add_bytes(_pairs_to_sjis(run.group(0).translate(_STRIP_HIGH_BIT)))
            i = run.end()
        elif byte == 0x8E and i + 1 < n and 0xA1 <= data[i + 1] <= 0xDF:
            out.add_bytes(bytes((data[i + 1],)))  # half-width kana
            i += 2
        elif byte == 0x8F and i + 2 < n and data[i + 1] >= 0xA1 and data[i + 2] >= 0xA1:
            out.add_text(_jisx0212(data[i + 1] & 0x7F, data[i + 2] & 0x7F))
            i += 3
        elif 0xA1 <= byte <= 0xFE and i + 1 < n and 0xA1 <= data[i + 1] <= 0xFE:
            out.add_bytes(jis_to_sjis(byte & 0x7F, data[i + 1] & 0x7F))
            i += 2
        else:
            out.add_text("\ufffd")
            i += 1
    return out.result()
