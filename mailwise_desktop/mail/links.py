"""Spotting deceptive links before the user opens them.

:func:`link_warning` returns a :class:`LinkWarning` (a ``str`` enum, so the UI
can map each member to a translated sentence) or None when the link is fine.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import unicodedata
from enum import StrEnum
from urllib.parse import urlsplit


class LinkWarning(StrEnum):
    """Why a link deserves a confirmation; values are plain English."""

    TEXT_MISMATCH = "The link text shows a different address than the link opens."
    IP_ADDRESS = "The link goes to a numeric IP address instead of a named site."
    USERINFO = "The link hides its real destination behind a user name (an '@' in the address)."
    PUNYCODE = "The link's site name uses encoded international characters (xn--)."
    MIXED_SCRIPTS = "The link's site name mixes alphabets, a common look-alike trick."
    UNSAFE_SCHEME = "The link is not a web or e-mail address."
    MALFORMED = "The link address is malformed."


_OK_SCHEMES = frozenset({"http", "https"})
# "0x7f.1", "3232235777", "127.1": forms browsers read as IPv4 addresses
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}\.?$", re.I)
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)
_DOMAIN_IN_TEXT = re.compile(r"^[\w-]+(?:\.[\w-]+)+(?:[/:?#]\S*)?$", re.UNICODE)
# Top-level domains that make a bare word like "bank.example" look like a
# site; any two-letter country code counts too. File names such as
# "report.pdf" must not.
_COMMON_TLDS = frozenset(
    {
        "com", "net", "org", "info", "biz", "gov", "edu", "mil", "int", "app", "dev",
        "io", "co", "shop", "online", "site", "xyz", "top", "club", "cloud", "store",
        "tech", "live", "news", "email", "support", "example", "test", "invalid",
        "localhost", "jpn", "tokyo", "osaka",
    }
)  # fmt: skip
# Scripts that Japanese domains legitimately combine with each other.
_JAPANESE_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "LATIN"})


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return "CJK" if first in ("CJK", "IDEOGRAPHIC") else first or None


def _mixed_scripts(host: str) -> bool:
    for label in host.split("."):
        scripts = {s for s in map(_script, label) if s}
        # Latin mixed with Japanese scripts is normal; with anything else it is not
        if len(scripts) > 1 and not scripts <= _JAPANESE_SCRIPTS:
            return True
    return False


def _decode_punycode(host: str) -> str:
    labels = []
    for label in host.split("."):
        decoded = label
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                decoded = label[4:].encode("ascii").decode("punycode")
        labels.append(decoded)
    return ".".join(labels)


def _normal_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    with contextlib.suppress(UnicodeError, ValueError):
        host = host.encode("idna").decode("ascii")
    return host.removeprefix("www.")


def _host_in_text(text: str) -> str | None:
    """Return the host the visible text presents, if it looks like an address."""
    text = text.strip().strip("<>()[]\"'")
    match = _URL_IN_TEXT.search(text)
    if match:
        candidate = match.group(0)
        if candidate.lower().startswith("www."):
            candidate = "http://" + candidate
        try:
            return urlsplit(candidate).hostname
        except ValueError:
            return None
    if " " in text or "@" in text or not _DOMAIN_IN_TEXT.match(text):
        return None
    host = re.split(r"[/:?#]", text, maxsplit=1)[0]
    tld = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if tld in _COMMON_TLDS or (len(tld) == 2 and tld.isalpha()) or not tld.isascii():
        return host
    return None


def _same_site(shown: str, real: str) -> bool:
    shown, real = _normal_host(shown), _normal_host(real)
    return shown == real or real.endswith("." + shown) or shown.endswith("." + real)


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normalize_href(href: str) -> str:
    """One form for a link address, whoever wrote it: the HTML, or Qt's ``QUrl.toString()``.

    Scheme and host lower-cased, ``%7E``-style escapes of unreserved characters
    decoded and other escapes upper-cased (RFC 3986 section 6.2.2). The warning check
    and the anchor-text lookup both use this form, so ``HTTPS://EVIL.example/``
    cannot slip past as a different string from the one that is opened.
    """

    def unescape(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    text = _ESCAPE.sub(unescape, href.strip())
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    netloc = parts.netloc
    if parts.hostname:
        userinfo, at, hostport = netloc.rpartition("@")
        netloc = f"{userinfo}{at}{hostport.lower()}"
    return parts._replace(scheme=parts.scheme.lower(), netloc=netloc).geturl()


def link_warning(href: str, text: str) -> LinkWarning | None:
    """Tell whether a link is deceptive, and why.

    Args:
        href: the link target as it appears in the (sanitised) HTML.
        text: the link's visible text.

    Returns:
        The first reason found, or None when the link looks honest.
    """
    href = normalize_href(href)
    if href.startswith("#"):
        return None  # an anchor inside the message itself
    try:
        parts = urlsplit(href)
        host = parts.hostname or ""
    except ValueError:
        return LinkWarning.MALFORMED
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return None
    if scheme not in _OK_SCHEMES:
        return LinkWarning.UNSAFE_SCHEME
    if not host:
        return LinkWarning.MALFORMED
    if "@" in parts.netloc:
        return LinkWarning.USERINFO
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare)
        return LinkWarning.IP_ADDRESS
    except ValueError:
        if _NUMERIC_HOST.match(bare):
            return LinkWarning.IP_ADDRESS
    decoded = _decode_punycode(host)
    if _mixed_scripts(decoded):
        return LinkWarning.MIXED_SCRIPTS
    if any(label.startswith("xn--") for label in host.split(".")):
        return LinkWarning.PUNYCODE
    shown = _host_in_text(text)
    if shown is not None and not _same_site(shown, host):
        return LinkWarning.TEXT_MISMATCH
    return None
