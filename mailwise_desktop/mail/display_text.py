"""How much of a body the reading pane shows at once (issue 9, found by the hostile mailbox).

Qt's text layout takes time that grows with the square of a line's length:
one 200,000-character line without a break takes 12 s on the UI thread, a
2 MB one minutes. Real mail has short lines. So, for display only (the
stored message, its source and ``.eml`` are untouched): lines are broken
every :data:`MAX_LINE` characters, and at most :data:`MAX_CHARS` are shown.
HTML with such a run (or bigger than the cap) is shown as its text instead.
"""

from __future__ import annotations

import re

MAX_LINE = 4_000
MAX_CHARS = 1_000_000
#: HTML source above this is not cleaned for display on the UI thread: the
#: sanitizer's cost grows with it (2 MB of hostile markup took seconds), and real
#: mail this large is shown as its text version (Show source has all of it).
MAX_HTML_SOURCE = 512 * 1024

_LONG_RUN = re.compile(rf"[^\s<>]{{{MAX_LINE}}}")


def for_display(text: str) -> tuple[str, int]:
    """(what to show, how many characters were left out); linear in ``text``."""
    left_out = max(0, len(text) - MAX_CHARS)
    text = text[:MAX_CHARS]
    if len(text) > MAX_LINE and any(len(line) > MAX_LINE for line in text.split("\n")):
        text = "\n".join(
            "\n".join(line[i : i + MAX_LINE] for i in range(0, len(line), MAX_LINE)) or line
            for line in text.split("\n")
        )
    return text, left_out


def html_too_big_to_clean(html: str) -> bool:
    """True when cleaning ``html`` for display would hold the UI thread for too long."""
    return len(html) > MAX_HTML_SOURCE


def html_too_heavy(html: str) -> bool:
    """True when Qt would take seconds to lay ``html`` out: show its text version instead."""
    return len(html) > MAX_CHARS or _LONG_RUN.search(html) is not None
