"""Hostile header bytes (issue 9): nothing a sender writes makes a message unreadable.

Case 1: an 8-bit byte inside a base64 encoded-word; case 2: absurd dates;
case 9: linear work for long folded subjects. Per-message isolation of the
row builder is checked with a parser made to fail (a scripted fault).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.imap import message_rows
from mailwise_desktop.imap.message_rows import HEADER_ITEM, header_row
from mailwise_desktop.mail import header_fastpath
from mailwise_desktop.mail.charsets import decode_text
from mailwise_desktop.mail.headers import _parse_headers_full, parse_headers
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import queries
from mailwise_desktop.store.database import CacheDatabase

pytestmark = pytest.mark.unit

FLAGS_IN_PROGRESS = [b"mw-wip", b"mw-o0", b"mw-o1", b"mw-o2", b"mw-o3"]
CASE_1 = b"Subject: =?utf-8?B?\xe9?=\r\nFrom: a@example.jp\r\n\r\n"
CASE_2 = b"Subject: future\r\nDate: 31 Dec 9999 23:00:00 -0200\r\n\r\n"


def fetch_items(header: bytes, uid: int = 7) -> dict[bytes, Any]:
    return {
        b"UID": str(uid).encode(),
        b"FLAGS": [b"\\Seen", *FLAGS_IN_PROGRESS],
        b"MODSEQ": [b"42"],
        b"INTERNALDATE": b"29-Nov-2026 10:42:00 +0900",
        b"RFC822.SIZE": b"1234",
        HEADER_ITEM: header,
    }


def test_eight_bit_byte_in_base64_word_does_not_raise() -> None:
    info = parse_headers(CASE_1)
    assert info.from_[0].email == "a@example.jp"
    assert info == _parse_headers_full(CASE_1)  # the fast path agrees with the full one


@pytest.mark.parametrize(
    "value",
    ["=?utf-8?B?\xe9?=", "x =?utf-8?B?\xe9\xe9?= =?utf-8?B?YQ==?= y", "=?iso-2022-jp?B?\udce9?="],
)
def test_decode_words_never_raises_on_non_ascii_payloads(value: str) -> None:
    assert isinstance(header_fastpath.decode_words(value), str)


def test_year_9999_date_is_kept_raw_and_not_used() -> None:
    info = parse_headers(CASE_2)
    assert info.date is None
    assert info.date_raw == "31 Dec 9999 23:00:00 -0200"
    assert info == _parse_headers_full(CASE_2)
    good = parse_headers(b"Date: Sun, 29 Nov 2026 10:42:00 +0900\r\n\r\n")
    assert good.date is not None and good.date_raw == ""


@pytest.mark.parametrize(
    "date", ["1 Jan 1901 00:00:00 +0000", "1 Jan 1000 00:00:00 +1400", "1 Jan 2300 00:00 +0000"]
)
def test_dates_outside_the_sane_range_fall_back(date: str) -> None:
    info = parse_headers(b"Date: " + date.encode() + b"\r\n\r\n")
    assert info.date is None and info.date_raw == date


@pytest.fixture
def db(tmp_path: Path) -> CacheDatabase:
    database = CacheDatabase(tmp_path / "cache.sqlite3")
    yield database
    database.close()


def test_bad_date_sorts_by_internaldate_and_summaries_load(db: CacheDatabase) -> None:
    row = header_row(7, fetch_items(CASE_2))
    assert (
        row["date"] == row["internal_date"] == datetime(2026, 11, 29, 1, 42, tzinfo=UTC).timestamp()
    )
    with db.transaction() as session:
        box = store.ensure_mailbox(session, "support", "INBOX")
        store.insert_messages(session, box, [row])
        # a row written by an older build with the absurd stamp must load too
        old = {**header_row(8, fetch_items(b"Subject: old\r\n\r\n", uid=8))}
        old["date"] = 253402300800.0 + 7200  # 10000-01-01 02:00 UTC
        store.insert_messages(session, box, [old])
    with db.transaction() as session:
        found = queries.summaries(session, queries.list_ids(session, box))
    by_uid = {m.uid: m for m in found}
    assert by_uid[7].date_raw == "31 Dec 9999 23:00:00 -0200"
    assert by_uid[7].date is not None and by_uid[7].date.year == 2026
    assert by_uid[8].date is None


def test_a_message_whose_parse_raises_is_still_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(raw: bytes) -> Any:
        raise RuntimeError("boom in the parser\nsecond line")

    monkeypatch.setattr(message_rows, "parse_headers", explode)
    row = header_row(7, fetch_items(b"Subject: hi\r\nFrom: a@example.jp\r\n\r\n"))
    # the full parser still reads what it can
    assert row["subject"] == "hi" and row["from_email"] == "a@example.jp"
    assert row["read_problem"] == "RuntimeError: boom in the parser"
    assert (row["uid"], row["size"], row["state"], row["owner_slot"]) == (7, 1234, "in_progress", 0)
    assert row["seen"] is True


def test_a_row_that_cannot_be_built_keeps_its_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(uid: int, items: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(message_rows, "_header_row", explode)
    row = header_row(9, fetch_items(CASE_1, uid=9))
    assert row["read_problem"] == "MemoryError"
    assert (row["uid"], row["size"], row["state"]) == (9, 1234, "in_progress")
    assert row["date"] == row["internal_date"] is not None


class CountedBytes(bytes):
    """Payload bytes that count what concatenating them copies."""

    copied = 0

    def __add__(self, other: bytes) -> CountedBytes:  # type: ignore[override]
        CountedBytes.copied += len(self) + len(other)
        return CountedBytes(bytes(self) + other)

    def __radd__(self, other: bytes) -> CountedBytes:
        CountedBytes.copied += len(self) + len(other)
        return CountedBytes(other + bytes(self))


def test_long_folded_subject_work_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes copied while joining a run grow linearly with the word count.

    Counted, not timed (bench/hostile_subjects.py times 400k words): each
    payload is a :class:`CountedBytes`, so ``run += payload`` is seen; a
    quadratic join copies about n**2/2 payloads for n words.
    """
    real = header_fastpath._payload
    monkeypatch.setattr(header_fastpath, "_payload", lambda k, e: CountedBytes(real(k, e)))
    copied = {}
    for words in (1_000, 4_000):
        CountedBytes.copied = 0
        value = "\r\n ".join(["=?utf-8?B?44GC?="] * words) + " end"
        assert header_fastpath.decode_words(value) == "あ" * words + " end"
        copied[words] = CountedBytes.copied
    payload = 3  # bytes per word
    assert copied[4_000] <= 2 * payload * 4_000, copied
    assert copied[4_000] <= 4 * max(copied[1_000], 1), copied


def test_au_emoji_in_iso2022jp_subject_is_one_character() -> None:
    """Case 8: ``題名`` then au's row 0x76 code: the kanji decode, the emoji is au's 🎤.

    Never the raw escape text nor a stray half-width kana (tables: mail/carrier_emoji.py).
    """
    info = parse_headers(b"Subject: =?iso-2022-jp?B?GyRCQmpMPnZeGyhC?=\r\n\r\n")
    assert info.subject == "題名\U0001f3a4"
    body = decode_text(b"\x1b$BBjL>v^\x1b(B", "iso-2022-jp")
    assert body == "題名\U0001f3a4"


def test_unmappable_shift_jis_character_is_one_replacement() -> None:
    # 題 <unassigned 8540> 名 in Shift_JIS (0xEBDC, once used here, is au's 🎤)
    assert decode_text(b"\x91\xe8\x85\x40\x96\xbc" * 40, "shift_jis") == "題\ufffd名" * 40
