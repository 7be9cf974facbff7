"""Message-ID, In-Reply-To and References, as used for threading.

Ids are returned without angle brackets. Mailers get these headers wrong in
every possible way (no brackets, comments, folded mid-id, thousands of
References), so parsing is lenient and bounded.
"""

from __future__ import annotations

import re

from mailwise_desktop.mail.encoded_words import to_bytes, unfold

_BRACKETED = re.compile(r"<([^<>]*)>")
_COMMENT = re.compile(r"\([^()]*\)")

# Threading needs the root and the nearest ancestors; a longer chain is
# trimmed in the middle, as RFC 5322 section 3.6.4 allows.
MAX_REFERENCES = 100
MAX_ID_LENGTH = 998


def _clean(token: str) -> str | None:
    token = "".join(token.split())
    if not token or len(token) > MAX_ID_LENGTH:
        return None
    if not token.isascii():
        # 8-bit junk: keep it comparable but never let surrogates escape
        token = to_bytes(token).decode("utf-8", "replace")
    return token


def parse_msg_ids(value: str | None) -> tuple[str, ...]:
    """Return every message id in a header value, in order, without duplicates.

    Args:
        value: the raw header value, or None.

    Returns:
        The ids without ``<>``. A value with no brackets at all counts as one
        bare id per white-space separated word.
    """
    if value is None:
        return ()
    text = _COMMENT.sub(" ", unfold(value))
    tokens = _BRACKETED.findall(text)
    if not tokens:
        tokens = text.split()
    seen: dict[str, None] = {}
    for token in tokens:
        cleaned = _clean(token)
        if cleaned is not None:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def parse_msg_id(value: str | None) -> str | None:
    """Return the first message id of a header value, or None."""
    ids = parse_msg_ids(value)
    return ids[0] if ids else None


def parse_references(value: str | None) -> tuple[str, ...]:
    """Return the References chain, trimmed to :data:`MAX_REFERENCES`.

    The first id (the thread root) and the most recent ones are kept.
    """
    ids = parse_msg_ids(value)
    if len(ids) <= MAX_REFERENCES:
        return ids
    return (ids[0], *ids[-(MAX_REFERENCES - 1) :])
