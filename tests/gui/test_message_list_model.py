"""The big list model: qtmodeltester, 50k rows loaded in pages, live changes touch only their rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QTableView

from mailwise_desktop.core.changes import MailboxChanges
from mailwise_desktop.store.queries import MessageSummary
from mailwise_desktop.ui.message_list_model import (
    COL_OWNER,
    COL_STATE,
    FIRST_ROWS,
    PAGE_SIZE,
    MessageListModel,
)

pytestmark = [pytest.mark.gui]

BASE = MessageSummary(
    id=0, mailbox_id=1, uid=0, message_id=None, in_reply_to=None, references=(), subject="件名",
    from_name="山田 太郎", from_email="t@example.jp", to=(), cc=(),
    date=datetime(2026, 11, 29, 1, 42, tzinfo=UTC), size=2048, flags=(), seen=False,
    answered=False, has_attachments=True, state="unhandled", owner_slot=None, state_problem=None,
    body_status="cached", modseq=1,
)  # fmt: skip


class FakeSource:
    """Ids newest first; a 'state' per id; counts what the model reads."""

    def __init__(self, n: int, states: tuple[str, ...] | None = None) -> None:
        self.rows = {i: replace(BASE, id=i, uid=i, subject=f"件名 {i}") for i in range(1, n + 1)}
        self.states = set(states) if states else None
        self.pages: list[int] = []
        self.id_queries = 0

    def _shown(self, i: int) -> bool:
        return i in self.rows and (self.states is None or self.rows[i].state in self.states)

    def ids(self) -> list[int]:
        self.id_queries += 1
        return sorted((i for i in self.rows if self._shown(i)), reverse=True)

    def matching(self, ids: list[int]) -> set[int]:
        return {i for i in ids if self._shown(i)}

    def summaries(self, ids: list[int]) -> list[MessageSummary]:
        self.pages.append(len(ids))
        return [self.rows[i] for i in ids if i in self.rows]


def names(slot: int | None) -> str:
    return {0: "佐藤 美咲", 1: "鈴木 健太"}.get(slot, "") if slot is not None else ""


def test_qtmodeltester(qtmodeltester) -> None:
    model = MessageListModel(names)
    model.set_source(FakeSource(600))
    qtmodeltester.check(model, force_py=True)


def test_fifty_thousand_rows_load_one_page_at_a_time() -> None:
    source = FakeSource(50_000)
    model = MessageListModel(names)
    model.set_source(source)
    assert model.rowCount() == 50_000
    assert source.pages == []  # nothing read until a row is shown
    assert model.index(49_999, 3).data() == "件名 1"
    assert model.index(0, 3).data() == "件名 50000"
    assert source.pages == [PAGE_SIZE, PAGE_SIZE]  # its speed is bench/ui's


def test_changes_touch_only_their_rows(qtbot) -> None:
    source = FakeSource(1000, states=("unhandled",))
    model = MessageListModel(names)
    model.set_source(source)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row())))
    # A teammate claims message 990 (row 10): it leaves the unhandled tab...
    source.rows[990] = replace(source.rows[990], state="in_progress", owner_slot=1)
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply_changes(MailboxChanges("support", "INBOX", changed=frozenset({990})))
    assert model.rowCount() == 999 and model.row_of(990) is None
    # ...unless I have it selected: then it stays, updated and flashing.
    source.rows[980] = replace(source.rows[980], state="in_progress", owner_slot=1)
    model.apply_changes(MailboxChanges("support", "INBOX", changed=frozenset({980})), keep={980})
    row = model.row_of(980)
    assert row is not None
    assert model.index(row, COL_OWNER).data() == "鈴木 健太"
    assert model.index(row, COL_STATE).data() == "In progress"
    assert model.is_flashing(980)
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert (row, row) in changed
    # New mail lands in its place in the order (newest: the top), no reset, no full reload.
    source.rows[1001] = replace(BASE, id=1001, uid=1001, subject="新着")
    queries = source.id_queries
    with qtbot.waitSignal(model.rowsInserted):
        model.apply_changes(MailboxChanges("support", "INBOX", added=frozenset({1001})))
    assert model.index(0, 3).data() == "新着"
    assert source.id_queries == queries + 1  # one query for the position
    # Expunged: removed.
    del source.rows[500]
    model.apply_changes(MailboxChanges("support", "INBOX", removed=frozenset({500})))
    assert model.row_of(500) is None


def test_pending_operation_shows_instead_of_the_state() -> None:
    model = MessageListModel(names)
    model.set_source(FakeSource(3))
    model.set_pending(3, "Claiming…")
    assert model.index(0, COL_STATE).data() == "Claiming…"
    model.set_pending(3, None)
    assert model.index(0, COL_STATE).data() == "Unhandled"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()  # unread
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Subject"
    assert model.data(QModelIndex()) is None


class FirstIdsSource(FakeSource):
    """A source that can give its first ids (as services.message_list.MessageListSource)."""

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.first_queries: list[int] = []

    def first_ids(self, limit: int) -> list[int]:
        self.first_queries.append(limit)
        return self.ids()[:limit]


def test_first_ids_are_listed_first_and_the_rest_follow_on_the_event_loop(qtbot) -> None:
    source = FirstIdsSource(5000)
    model = MessageListModel(names)
    model.set_source(source)
    assert source.first_queries == [FIRST_ROWS]
    assert source.id_queries == 1  # the first ids only: nothing else read before the paint
    assert model.rowCount() == FIRST_ROWS
    assert model.index(0, 3).data() == "件名 5000"
    with qtbot.waitSignal(model.rowsInserted):
        pass  # the rest is appended on the next turn of the loop
    assert model.rowCount() == 5000
    assert model.index(4999, 3).data() == "件名 1"
    assert model.ids == source.ids()


class _Paints(QObject):
    """Appends "paint" to ``order`` at each paint event of the watched widget."""

    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.order.append("paint")
        return False


def test_the_rest_of_the_ids_is_read_after_the_view_painted_the_first(qtbot) -> None:
    source = FirstIdsSource(5000)
    model = MessageListModel(names)
    view = QTableView()
    qtbot.addWidget(view)
    order: list[str] = []
    paints = _Paints(order)
    view.viewport().installEventFilter(paints)
    model.rowsInserted.connect(lambda *_: order.append("rest"))
    view.setModel(model)
    model.set_source(source)  # as at start: the source is set before the window is shown
    view.resize(600, 400)
    view.show()
    qtbot.waitUntil(lambda: model.rowCount() == 5000)
    # The first rows were on screen before the 200k-id read could hold the window up.
    assert order.index("paint") < order.index("rest")
    assert source.id_queries == 2 and model.ids == source.ids()  # the first ids, then the rest


def test_the_rest_of_the_ids_is_read_when_no_view_paints(qtbot) -> None:
    source = FirstIdsSource(5000)
    model = MessageListModel(names)
    model.set_source(source)
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        pass  # nothing asked for a row: the fallback timer completes the ids
    assert model.rowCount() == 5000 and model.ids == source.ids()


def test_a_row_past_the_first_ids_completes_them_at_once() -> None:
    source = FirstIdsSource(1000)
    model = MessageListModel(names)
    model.set_source(source)
    assert model.rowCount() == FIRST_ROWS
    assert model.row_of(1) == 999  # the oldest message: found, the ids are complete
    assert model.rowCount() == 1000


def test_a_change_while_only_the_first_ids_are_listed(qtbot) -> None:
    source = FirstIdsSource(1000)
    model = MessageListModel(names)
    model.set_source(source)
    source.rows[1001] = replace(BASE, id=1001, uid=1001, subject="件名 1001")
    del source.rows[1]
    model.apply_changes(
        MailboxChanges("a", "INBOX", added=frozenset({1001}), removed=frozenset({1}))
    )
    assert model.ids == source.ids()
    assert model.rowCount() == 1000


def test_first_ids_of_a_source_changed_between_the_two_reads_list_it_anew(qtbot) -> None:
    source = FirstIdsSource(1000)
    model = MessageListModel(names)
    model.set_source(source)
    source.rows[1001] = replace(BASE, id=1001, uid=1001, subject="件名 1001")  # a sync slice
    with qtbot.waitSignal(model.modelReset):
        pass
    assert model.ids == source.ids()
    assert model.index(0, 3).data() == "件名 1001"
