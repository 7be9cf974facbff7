"""JIS X 0208 code points to Shift_JIS bytes: the arithmetic both JIS decoders and the carrier tables need."""

from __future__ import annotations


def jis_to_sjis(j1: int, j2: int) -> bytes:
    """Map one JIS X 0208 code point (two 7-bit bytes) to its Shift_JIS bytes."""
    s1 = ((j1 - 0x21) >> 1) + 0x81
    if s1 > 0x9F:
        s1 += 0x40
    if j1 & 1:
        s2 = j2 + 0x1F
        if s2 >= 0x7F:
            s2 += 1
    else:
        s2 = j2 + 0x7E
    return bytes((s1, s2))
