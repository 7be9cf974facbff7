"""Plain text from an HTML body, for HTML-only mail, previews and search.

Tags are dropped, entities decoded; ``<br>``, paragraphs, list items, table
rows and headings become line breaks so the text still reads like the mail.
Script, style and head content is dropped entirely.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAK_TAGS = frozenset({"br"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "dl",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "address",
    }
)
_LINE_TAGS = frozenset({"li", "tr", "dt", "dd"})  # a new line before, none after
_CELL_TAGS = frozenset({"td", "th"})
_HIDDEN_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_MANY_BREAKS = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden_depth = 0
        self.pre_depth = 0

    def _newline(self) -> None:
        self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden_depth += 1
        elif tag in _BREAK_TAGS:
            self._newline()
        elif tag in _BLOCK_TAGS:
            self._newline()
            if tag == "pre":
                self.pre_depth += 1
        elif tag in _LINE_TAGS:
            self._newline()
            if tag == "li":
                self.out.append("- ")
        elif tag in _CELL_TAGS and self.out and not self.out[-1].endswith("\n"):
            self.out.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS or tag == "hr":
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._newline()
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            return
        self.out.append(data if self.pre_depth else _SPACES.sub(" ", data))


def html_to_text(html: str) -> str:
    """Convert an HTML body to readable plain text.

    Args:
        html: the (unsanitised) HTML; it is only read, never rendered.

    Returns:
        The text, with line breaks where the HTML had breaks or blocks. Never
        raises.
    """
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # HTMLParser's reaction to some junk
        pass
    text = "".join(collector.out)
    lines = [line.strip(" ") for line in text.split("\n")]
    text = "\n".join(lines)
    return _MANY_BREAKS.sub("\n\n", text).strip("\n")
