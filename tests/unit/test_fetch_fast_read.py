"""The first sync's fast reads agree with the general ones they stand in for.

``fetch_response_items`` reads simply shaped FETCH responses without the
tokenizer, ``internal_date`` does calendar arithmetic instead of building a
datetime, and ``flag_update`` decodes each distinct flag set once. Each must
give exactly what the general path gives, for any input, hostile included.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from mailwise_desktop.imap.keywords import decode
from mailwise_desktop.imap.message_rows import _MONTHS, flag_update, internal_date
from mailwise_desktop.imap.tokens import (
    _simple_fetch_items,
    fetch_items,
    fetch_response_items,
    tokenize,
)

HEADER_KEY = b"BODY[HEADER.FIELDS (MESSAGE-ID SUBJECT FROM)]"


def test_a_header_response_is_read_without_the_tokenizer() -> None:
    segments = [
        b"7 FETCH (UID 42 FLAGS (\\Seen $label1 mw-wip) MODSEQ (99) "
        b'INTERNALDATE "29-Nov-2026 10:42:00 +0900" RFC822.SIZE 2345 ' + HEADER_KEY + b" {22}",
        b'Subject: (a) "b" {3}\r\n',
        b")",
    ]
    fast = _simple_fetch_items(segments)
    assert fast is not None  # the fast path took it (not the fallback)
    assert fast == fetch_items(tokenize(segments))
    assert fast[1][HEADER_KEY] == b'Subject: (a) "b" {3}\r\n'


def test_odd_shapes_fall_back_to_the_tokenizer() -> None:
    odd = [
        [b'7 FETCH (UID 5 X "a\\"b")'],  # an escape in a quoted string
        [b"7 FETCH (UID 5  FLAGS ())"],  # two spaces
        [b"7 FETCH (UID 5 FLAGS (\\Seen)) trailing"],
        [b"7 FETCH (UID 5 ENVELOPE (NIL (a b)))"],  # nesting
        [b"7 FETCH (UID 5 A {1}", b"x", b" B {1}", b"y", b")"],  # two literals
        [b"7 FETCH (UID 5 A {1}", b"x", b" UID 6)"],
    ]
    for segments in odd:
        assert _simple_fetch_items(segments) is None
        assert fetch_response_items(segments) == fetch_items(tokenize(segments))


_ATOM = st.sampled_from(
    [b"UID", b"FLAGS", b"7", b"NIL", b"nil", b"\\Seen", b"$x", b"mw-o1", b"BODY[TEXT]", b"{3}"]
)
_PIECE = st.one_of(
    _ATOM,
    st.sampled_from([b" ", b"  ", b"(", b")", b"[", b"]", b'"', b'"a b"', b'"q\\"x"', b"\t"]),
    st.binary(max_size=4),
)


@settings(max_examples=400)
@given(
    st.lists(_PIECE, max_size=14),
    st.lists(st.binary(max_size=8), max_size=2),
    st.lists(_PIECE, max_size=3),
)
def test_any_response_reads_as_the_tokenizer_reads_it(
    head: list[bytes], literals: list[bytes], tail: list[bytes]
) -> None:
    segments = [b"3 FETCH (UID 9 " + b"".join(head)]
    for literal in literals:
        segments[-1] += b"{%d}" % len(literal)
        segments += [literal, b"".join(tail) or b")"]
    assert fetch_response_items(segments) == fetch_items(tokenize(segments))


def _reference_internal_date(value: bytes) -> float | None:
    """The datetime-based reading the arithmetic replaced."""
    try:
        day_s, mon_s, year_s = value[:11].strip().split(b"-")
        clock, zone = value[12:].split(b" ")
        hour, minute, second = (int(x) for x in clock.split(b":"))
        sign = -1 if zone.startswith(b"-") else 1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
        stamp = datetime(
            int(year_s),
            _MONTHS[mon_s.upper()],
            int(day_s),
            hour,
            minute,
            second,
            tzinfo=timezone(offset),
        )
    except (ValueError, KeyError):
        return None
    return stamp.timestamp()


@settings(max_examples=500)
@given(
    st.sampled_from(["%02d", " %d", "%d"]),
    st.integers(0, 32),
    st.sampled_from(["Jan", "feb", "DEC", "Sep", "Foo"]),
    st.integers(0, 10000),
    st.integers(-1, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from("+-"),
    st.integers(0, 30),
    st.integers(0, 70),
)
def test_internal_date_matches_datetime(
    day_form: str,
    day: int,
    month: str,
    year: int,
    hour: int,
    minute: int,
    second: int,
    sign: str,
    zone_h: int,
    zone_m: int,
) -> None:
    value = (
        f"{day_form % day}-{month}-{year:04d} {hour:02d}:{minute:02d}:{second:02d} "
        f"{sign}{zone_h:02d}{zone_m:02d}"
    ).encode()
    assert internal_date(value) == _reference_internal_date(value)


def test_internal_date_of_garbage_is_none() -> None:
    for value in (b"", b"garbage", b"31-Feb-2026 10:00:00 +0000", None, [b"x"]):
        assert internal_date(value) is None


@given(
    st.lists(
        st.sampled_from(
            [
                "\\Seen",
                "\\seen",
                "\\Answered",
                "\\Recent",
                "mw-wip",
                "mw-done",
                "mw-o1",
                "mw-o3",
                "MW-O2",
                "$label1",
                "mw-hold",
            ]
        ),
        max_size=6,
    )
)
def test_flag_update_is_the_decoded_flags(flags: list[str]) -> None:
    update = flag_update(12, flags, 34)
    again = flag_update(13, tuple(flags), 35)  # the memoised flag set, another message
    decoded = decode(flags)
    assert (update.uid, update.modseq, again.uid, again.modseq) == (12, 34, 13, 35)
    assert update.state == again.state == str(decoded.state)
    assert update.owner_slot == again.owner_slot == decoded.owner_slot
    assert update.seen == ("\\seen" in {f.lower() for f in flags})
    assert update.answered == ("\\answered" in {f.lower() for f in flags})
    assert update.flags == " ".join(f for f in flags if f.lower() != "\\recent")
