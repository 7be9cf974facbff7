"""Deeply nested HTML is flattened before nh3 parses it (issue 9, found by the hostile mailbox).

400,000 nested ``<div>`` (2 MB) kept the reading pane busy for minutes:
html5ever's time grows far faster than the depth. Past 256 levels the extra
opening tags are dropped in one linear pass; the text stays.
"""

from __future__ import annotations

from mailwise_desktop.mail.html_depth import MAX_DEPTH, flatten_deep, nesting_depth
from mailwise_desktop.mail.html_sanitize import sanitize_html


def test_real_mail_nesting_is_left_alone() -> None:
    html = "<div><table><tr><td><p>請求書</p></td></tr></table></div>" * 50
    assert flatten_deep(html) is html
    assert nesting_depth(html) == 5


def test_hostile_depth_is_cut_to_the_limit_and_the_text_stays() -> None:
    html = "<div>" * 400_000 + "本文" + "</div>" * 400_000
    flat = flatten_deep(html)
    assert nesting_depth(flat) == MAX_DEPTH
    assert "本文" in flat and len(flat) < 10_000
    assert "本文" in sanitize_html(html).html


def test_unclosed_depth_and_void_tags() -> None:
    assert nesting_depth("<br><img src=x><hr/>" * 1000) == 0
    flat = flatten_deep("<span>" * 1000 + "x")
    assert nesting_depth(flat) == MAX_DEPTH and flat.endswith("x")
