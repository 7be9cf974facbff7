"""The conversation pane's card headers: a long subject or name is elided, not clipped.

At 1280 px the conversation column is about 190 px wide; the header buttons
used to ask for their whole text as minimum width, which held the column wider
than its place and clipped both the headers and the text below them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mailwise_desktop.services.conversations import EntryKind, ThreadEntry
from mailwise_desktop.ui.conversation_pane import ConversationPane

pytestmark = pytest.mark.gui

LONG_NAME = "株式会社ながいなまえの商事 カスタマーサポート部 第二グループ 山田 花子 & Co."
LONG_SUBJECT = "注文した商品が届きません <b>至急</b> " + "とても長い件名 " * 12


def entries() -> list[ThreadEntry]:
    at = datetime(2026, 12, 1, 7, 3, tzinfo=UTC)
    return [
        ThreadEntry(EntryKind.CUSTOMER, at, LONG_NAME, LONG_SUBJECT, "本文", 1, "INBOX", 1, "new"),
        ThreadEntry(EntryKind.NOTE, at, "佐藤 美咲", "", "配送業者に問い合わせ中。", 0),
    ]


def test_long_headers_are_elided_and_the_pane_can_narrow(qtbot) -> None:
    pane = ConversationPane()
    qtbot.addWidget(pane)
    pane.resize(260, 500)
    pane.show()
    qtbot.waitExposed(pane)
    narrow = pane.widget().minimumSizeHint().width()
    pane.show_entries(entries(), selected_row=1)
    qtbot.wait(50)
    # The long header no longer sets the column's minimum width.
    assert pane.widget().minimumSizeHint().width() <= max(narrow, 200)
    header = pane.cards[0].header
    assert header.width() <= pane.viewport().width()
    assert header.text().endswith("…"), header.text()
    assert header.full_text().startswith("Customer") and LONG_NAME in header.full_text()
    # The whole header and the subject are in the tooltip, shown as plain text.
    tip = header.toolTip()
    assert "&amp; Co." in tip and "&lt;b&gt;至急&lt;/b&gt;" in tip
    # "&" from a name is a character, not a mnemonic.
    wide = ConversationPane()
    qtbot.addWidget(wide)
    wide.resize(1400, 400)
    wide.show()
    wide.show_entries(entries(), selected_row=1)
    qtbot.waitUntil(lambda: "&& Co." in wide.cards[0].header.text(), timeout=2_000)
    assert not wide.cards[0].header.text().endswith("…")
    # Wider again: the text grows back to the whole header.
    pane.resize(1400, 500)
    qtbot.waitUntil(lambda: header.text() == header.full_text().replace("&", "&&"), timeout=2_000)
