"""The message list's page cache: reads a page of missing rows, keeps a bounded few."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from mailwise_desktop.store.summaries import MessageSummary
from mailwise_desktop.ui.message_list_pages import CACHE_ROWS, PAGE_SIZE, RowPages

BASE = MessageSummary(
    id=0, mailbox_id=1, uid=0, message_id=None, in_reply_to=None, references=(), subject="件名",
    from_name="山田 太郎", from_email="t@example.jp", to=(), cc=(),
    date=datetime(2026, 11, 29, 1, 42, tzinfo=UTC), size=2048, flags=(), seen=False,
    answered=False, has_attachments=False, state="unhandled", owner_slot=None, state_problem=None,
    body_status="cached", modseq=1,
)  # fmt: skip


class Reads:
    """Summaries of ids 1..n; records every read."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, ids: list[int]) -> list[MessageSummary]:
        self.calls.append(ids)
        return [replace(BASE, id=i, uid=i) for i in ids]


def test_a_row_reads_its_page_once_and_only_the_missing_rows() -> None:
    ids = list(range(1, 3 * PAGE_SIZE + 1))
    pages, reads = RowPages(), Reads()
    first = pages.get(ids, PAGE_SIZE + 5, reads)
    assert first is not None and first.id == PAGE_SIZE + 6
    assert reads.calls == [ids[PAGE_SIZE : 2 * PAGE_SIZE]]
    assert pages.get(ids, PAGE_SIZE + 7, reads) is not None  # same page: no read
    assert len(reads.calls) == 1
    pages.pop(PAGE_SIZE + 8)  # changed: read again when shown, alone
    assert pages.get(ids, PAGE_SIZE + 7, reads) is not None
    assert reads.calls[-1] == [PAGE_SIZE + 8]
    assert pages.pages_loaded == 2


def test_the_cache_keeps_the_rows_shown_last_up_to_its_bound() -> None:
    ids = list(range(1, CACHE_ROWS + 2 * PAGE_SIZE + 1))
    pages, reads = RowPages(), Reads()
    pages.get(ids, 0, reads)
    for start in range(PAGE_SIZE, len(ids), PAGE_SIZE):
        pages.get(ids, start, reads)
        pages.get(ids, 0, reads)  # the first page stays in use
    assert sum(len(c) for c in reads.calls) == len(ids)  # page 0 was never read again
    pages.get(ids, PAGE_SIZE, reads)  # the oldest unused page was dropped
    assert reads.calls[-1] == ids[PAGE_SIZE : 2 * PAGE_SIZE]


def test_no_source_gives_no_row_and_reads_nothing() -> None:
    assert RowPages().get([1, 2, 3], 1, None) is None
