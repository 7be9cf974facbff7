"""IMAP response tokenising: FETCH items, response codes, literals, uid sets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.imap.message_rows import internal_date
from mailwise_desktop.imap.select_state import from_select, from_status
from mailwise_desktop.imap.tokens import compress_uid_set, fetch_items, parse_uid_set, tokenize


def test_fetch_with_header_literal_and_modseq() -> None:
    segments = [
        b"7 FETCH (UID 42 MODSEQ (99) FLAGS (\\Seen $label1 mw-wip) "
        b'INTERNALDATE "29-Nov-2026 10:42:00 +0900" RFC822.SIZE 2345 '
        b"BODY[HEADER.FIELDS (SUBJECT FROM)] {22}",
        b'Subject: (a) "b" {3}\r\n',
        b")",
    ]
    seq, items = fetch_items(tokenize(segments))  # type: ignore[misc]
    assert seq == 7
    assert items[b"UID"] == b"42"
    assert items[b"MODSEQ"] == [b"99"]
    assert items[b"FLAGS"] == [b"\\Seen", b"$label1", b"mw-wip"]
    # The literal is kept byte-exact even when it contains IMAP syntax.
    assert items[b"BODY[HEADER.FIELDS (SUBJECT FROM)]"] == b'Subject: (a) "b" {3}\r\n'
    assert items[b"RFC822.SIZE"] == b"2345"


def test_literal_followed_by_more_items() -> None:
    tokens = tokenize([b"1 FETCH (BODY[] {3}", b"xyz", b" UID 4 FLAGS ())"])
    _, items = fetch_items(tokens)  # type: ignore[misc]
    assert items[b"BODY[]"] == b"xyz"
    assert items[b"UID"] == b"4"
    assert items[b"FLAGS"] == []


def test_quoted_strings_unescape_and_nil() -> None:
    assert tokenize([b'LIST (\\HasNoChildren) "/" "a \\"q\\" b"']) == [
        b"LIST",
        [b"\\HasNoChildren"],
        b"/",
        b'a "q" b',
    ]
    assert tokenize([b"x NIL y"]) == [b"x", None, b"y"]


def test_not_a_fetch() -> None:
    assert fetch_items(tokenize([b"3 EXISTS"])) is None
    assert fetch_items(tokenize([b"VANISHED (EARLIER) 1:3"])) is None


def test_select_response_codes() -> None:
    untagged = [
        tokenize([b"FLAGS (\\Answered \\Seen)"]),
        tokenize([b"OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted."]),
        tokenize([b"12 EXISTS"]),
        tokenize([b"OK [UIDVALIDITY 1700000000] UIDs valid"]),
        tokenize([b"OK [UIDNEXT 40] Predicted next UID"]),
        tokenize([b"OK [HIGHESTMODSEQ 77] Highest"]),
    ]
    status = from_select(untagged, b"[READ-WRITE] Select completed")
    assert (status.uidvalidity, status.uidnext, status.highestmodseq, status.exists) == (
        1700000000,
        40,
        77,
        12,
    )
    assert status.allows_keywords and not status.read_only


def test_select_without_modseq() -> None:
    untagged = [
        tokenize([b"OK [UIDVALIDITY 5] x"]),
        tokenize([b"OK [NOMODSEQ] Sorry"]),
        tokenize([b"0 EXISTS"]),
    ]
    status = from_select(untagged, b"[READ-ONLY] done")
    assert status.highestmodseq is None and status.read_only and status.exists == 0


def test_status_response() -> None:
    tokens = tokenize([b'STATUS "INBOX" (MESSAGES 3 UIDNEXT 9 UIDVALIDITY 4 HIGHESTMODSEQ 12)'])
    status = from_status([tokens])
    assert (status.exists, status.uidnext, status.uidvalidity, status.highestmodseq) == (
        3,
        9,
        4,
        12,
    )


def test_uid_sets() -> None:
    assert parse_uid_set(b"1:3,7,10:9") == [1, 2, 3, 7, 9, 10]
    assert compress_uid_set([5, 1, 2, 3, 9, 10]) == b"1:3,5,9:10"


@given(st.sets(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=200))
def test_uid_set_round_trip(uids: set[int]) -> None:
    assert parse_uid_set(compress_uid_set(uids)) == sorted(uids)


def test_internal_date_is_locale_independent() -> None:
    # 10:42 at +09:00 is 01:42 UTC.
    assert internal_date(b"29-Nov-2026 10:42:00 +0900") == 1795916520.0
    assert internal_date(b" 1-Jan-2026 00:00:00 -0130") == 1767231000.0
    assert internal_date(b"garbage") is None
    assert internal_date(None) is None
