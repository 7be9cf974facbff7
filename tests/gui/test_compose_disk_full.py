"""Disk full during draft autosave (issue 9): plain words, the text kept, saved once there is room.

The disk is "full" for real SQLite: the local database is capped with
``PRAGMA max_page_count`` at its current size, so the next growing write
fails with SQLite's own "database or disk is full".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from mailwise_desktop.core.errors import StorageError
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.ui.compose_window import ComposeWindow
from tests.gui.test_compose_window import draft, service  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

LONG = "お見積もりの件、承知いたしました。" * 4000  # ~200 KB: more pages than the cap leaves


@pytest.fixture
def full_disk(service: SendingService) -> Iterator[Any]:  # noqa: F811
    """Cap the local database at its size now; ``lift()`` frees the disk again."""
    engine = service.ctx.local.engine
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    def cap(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

    class Disk:
        @staticmethod
        def lift() -> None:
            event.remove(engine, "connect", cap)
            engine.dispose()

    engine.dispose()
    event.listen(engine, "connect", cap)
    disk = Disk()
    yield disk
    if event.contains(engine, "connect", cap):
        disk.lift()


def test_drafts_store_says_disk_full_in_plain_words(
    service: SendingService,  # noqa: F811
    full_disk: Any,
) -> None:
    with pytest.raises(StorageError) as raised:
        service.drafts.save(draft().with_changes(body=LONG))
    assert "The disk is full" in raised.value.message
    assert "disk is full" in (raised.value.detail or "")


def test_autosave_on_a_full_disk_keeps_the_text_and_saves_it_later(
    qtbot,
    service: SendingService,  # noqa: F811
    full_disk: Any,
) -> None:
    window = ComposeWindow(service, draft())  # the first save is small enough
    qtbot.addWidget(window)
    saved_at_open = service.drafts.load(window.draft.id)
    window.body_edit.setPlainText(LONG)
    window.save_if_changed()  # what the autosave timer calls
    assert window.notice.isVisibleTo(window)
    assert "could not be saved" in window.notice.label.text()
    assert "disk is full" in window.notice.details.toPlainText()
    assert window.body_edit.toPlainText() == LONG  # nothing typed is lost
    assert service.drafts.load(window.draft.id) == saved_at_open  # the last save is intact
    assert window.autosave.isActive()

    full_disk.lift()
    window.save_if_changed()  # the next tick of the timer
    assert not window.notice.isVisibleTo(window)
    assert service.drafts.load(window.draft.id).body == LONG
