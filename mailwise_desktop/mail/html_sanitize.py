"""Making received HTML safe to show (see SECURITY.md, "Rendering received mail").

``nh3`` (ammonia) does the parsing and the allow-listing: harmless formatting
tags and attributes only, URL schemes http/https/mailto/cid, no scripts,
styles, forms, frames, objects, ``<base>`` or ``<meta>``. On top of that we
block remote images (tracking pixels) unless the user allowed them, and list
the ``cid:`` parts the body refers to so the viewer can serve them from memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

import nh3

from mailwise_desktop.mail.html_depth import flatten_deep

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "bdi", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn",
        "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
        "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
        "wbr",
    }
)  # fmt: skip

# Content that must vanish with its tag, not just lose the tag.
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "title", "template", "iframe", "object", "textarea", "select"}
)

_CELL_ATTRS = {"align", "valign", "width", "height", "colspan", "rowspan", "bgcolor", "nowrap"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "align", "border"},
    "font": {"color", "face", "size"},
    "table": {"width", "border", "cellpadding", "cellspacing", "align", "bgcolor"},
    "td": _CELL_ATTRS,
    "th": _CELL_ATTRS,
    "tr": {"align", "valign", "bgcolor"},
    "col": {"width", "span", "align"},
    "colgroup": {"width", "span", "align"},
    "p": {"align"},
    "div": {"align"},
    "h1": {"align"},
    "h2": {"align"},
    "h3": {"align"},
    "ol": {"start", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "hr": {"width", "size", "noshade", "align"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto", "cid"})

# Attributes whose value is fetched when the page is shown.
_RESOURCE_ATTRS = frozenset({("img", "src")})


@dataclass(frozen=True)
class SanitizedHtml:
    """HTML that is safe to hand to the viewer.

    Attributes:
        html: the cleaned HTML.
        remote_blocked: how many remote resources were removed (0 when
            remote content was allowed).
        cid_refs: Content-IDs referenced through ``cid:`` URLs, in order,
            without duplicates.
    """

    html: str
    remote_blocked: int
    cid_refs: tuple[str, ...]


def is_remote_url(url: str) -> bool:
    """True for a URL the viewer would fetch from the network."""
    stripped = url.strip().lower()
    # protocol-relative "//host/x" is as remote as "https://host/x"
    return stripped.startswith(("http:", "https:", "//", "\\\\", "ftp:"))


def cid_from_url(url: str) -> str | None:
    """Return the Content-ID a ``cid:`` URL names, or None for other URLs."""
    stripped = url.strip()
    if stripped[:4].lower() != "cid:":
        return None
    cid = unquote(stripped[4:]).strip().strip("<>")
    return cid or None


class _ResourceFilter:
    """nh3 attribute filter: blocks remote resources and records cid refs."""

    def __init__(self, allow_remote: bool) -> None:
        self.allow_remote = allow_remote
        self.blocked = 0
        self.cids: dict[str, None] = {}

    def __call__(self, tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) not in _RESOURCE_ATTRS:
            return value
        cid = cid_from_url(value)
        if cid is not None:
            self.cids.setdefault(cid, None)
            return value
        if is_remote_url(value):
            if self.allow_remote:
                return value
            self.blocked += 1
            return None
        # relative or unknown-scheme resources have nothing safe to load
        return None


def sanitize_html(html: str, *, allow_remote: bool = False) -> SanitizedHtml:
    """Clean received HTML for display.

    Args:
        html: the raw HTML body.
        allow_remote: load remote images (the user chose "load once/always").

    Returns:
        The cleaned HTML with counts of blocked remote resources and the
        ``cid:`` references. Never raises.
    """
    resource_filter = _ResourceFilter(allow_remote)
    try:
        cleaned = nh3.clean(
            flatten_deep(html),  # nesting past any real mail's would take minutes
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(_DROP_WITH_CONTENT),
            attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=resource_filter,
            strip_comments=True,
            link_rel="noopener noreferrer",
            url_schemes=set(URL_SCHEMES),
        )
    except (ValueError, TypeError):
        # nh3 rejects only bad options or non-text; show nothing rather than risk it
        cleaned = ""
    return SanitizedHtml(
        html=cleaned,
        remote_blocked=resource_filter.blocked,
        cid_refs=tuple(resource_filter.cids),
    )
