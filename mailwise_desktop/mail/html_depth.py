"""Bounding how deeply received HTML nests, before the HTML parser sees it (issue 9).

html5ever (inside nh3) takes time that grows much faster than the input
with the depth of nested non-formatting elements: 20,000 nested ``<div>``
(100 KB) take 9 s, 40,000 take a minute, and the reading pane waits for it.
Real mail nests a few dozen levels. One linear pass over the tags counts
the depth; an opening tag past :data:`MAX_DEPTH` is dropped (its text
stays), so a hostile body costs what a flat one does.
"""

from __future__ import annotations

import re

#: Deeper than any real mail (Outlook's quoted replies reach ~60).
MAX_DEPTH = 256

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
# Elements that never hold content, so never deepen the tree.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip


def nesting_depth(html: str) -> int:
    """The deepest nesting of elements in ``html`` (a linear estimate, tags only)."""
    depth = deepest = 0
    for tag in _TAG.finditer(html):
        closing, name, self_closing = tag.groups()
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def flatten_deep(html: str, limit: int = MAX_DEPTH) -> str:
    """``html`` with every opening tag deeper than ``limit`` dropped (text kept); linear."""
    if html.count("<") <= limit:
        return html  # too few tags to nest that deep: most mail stops here
    pieces: list[str] = []
    depth = kept_from = dropped = 0
    for tag in _TAG.finditer(html):
        closing, name, self_closing = tag.groups()
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            if dropped and depth > limit:
                dropped -= 1  # the close of a dropped open: drop it too
                pieces.append(html[kept_from : tag.start()])
                kept_from = tag.end()
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > limit:
            dropped += 1
            pieces.append(html[kept_from : tag.start()])
            kept_from = tag.end()
    if not pieces:
        return html
    pieces.append(html[kept_from:])
    return "".join(pieces)
