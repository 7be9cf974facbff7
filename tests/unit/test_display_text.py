"""What the reading pane shows of huge bodies (issue 9, found by the hostile mailbox).

A 2 MB body on one line kept Qt's layout busy for minutes. For display only,
long lines are broken and at most a million characters are shown.
"""

from __future__ import annotations

from mailwise_desktop.mail.display_text import MAX_CHARS, MAX_LINE, for_display, html_too_heavy


def test_ordinary_text_is_shown_as_is() -> None:
    text = "お世話になっております。\n\n請求書を添付します。\n" * 100
    assert for_display(text) == (text, 0)


def test_one_huge_line_is_broken_and_capped() -> None:
    shown, left_out = for_display("A" * 2_000_000)
    assert left_out == 2_000_000 - MAX_CHARS
    assert max(len(line) for line in shown.split("\n")) == MAX_LINE
    assert shown.replace("\n", "") == "A" * MAX_CHARS


def test_html_with_a_long_run_or_too_big_goes_to_text() -> None:
    assert html_too_heavy("<div>" + "A" * MAX_LINE + "</div>")
    assert html_too_heavy("<p>hello world</p>" * 60_000)
    assert not html_too_heavy("<p>hello world</p>" * 100)
