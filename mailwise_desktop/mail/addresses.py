"""Address lists (From, To, Cc, Reply-To) with decoded display names.

The list is split *before* any encoded-word is decoded, so a comma inside a
decoded name can never split an address, and names are decoded with our own
joiner (no space inserted between the halves of a split name).
"""

from __future__ import annotations

from dataclasses import dataclass

from mailwise_desktop.mail.encoded_words import decode_header_text, strip_line_breaks, unfold
from mailwise_desktop.mail.header_syntax import read_comment, read_quoted, split_top_level

# A list this long is abuse, not a mail; later entries are dropped.
MAX_ADDRESSES = 2000


@dataclass(frozen=True)
class Address:
    """One mailbox.

    Attributes:
        name: decoded display name ("" if none).
        email: the addr-spec as written (lower-casing the domain is the
            caller's business); "" when the entry had no address at all.
    """

    name: str
    email: str


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _parse_one(chunk: str) -> Address | None:
    phrase: list[str] = []
    comments: list[str] = []
    angle: str | None = None
    bare: list[str] = []
    i = 0
    while i < len(chunk):
        char = chunk[i]
        if char == '"':
            content, i = read_quoted(chunk, i)
            phrase.append(content)
            bare.append(content)
        elif char == "(":
            content, i = read_comment(chunk, i)
            comments.append(content)
            phrase.append(" ")
        elif char == "<":
            end = chunk.find(">", i)
            end = len(chunk) if end < 0 else end
            if angle is None:
                angle = chunk[i + 1 : end]
            i = end + 1
        else:
            phrase.append(char)
            bare.append(char)
            i += 1
    name_raw = "".join(phrase)
    if angle is not None:
        # obsolete source route "@relay1,@relay2:user@host"
        route_end = angle.rfind(":")
        addr = angle[route_end + 1 :] if angle.startswith("@") and route_end > 0 else angle
        email = "".join(addr.split())
        name = _collapse(decode_header_text(name_raw))
        if not name and comments:
            name = _collapse(decode_header_text(" ".join(comments)))
    else:
        candidate = "".join("".join(bare).split())
        if "@" in candidate or not candidate:
            email = candidate
            name = _collapse(decode_header_text(" ".join(comments)))
        else:
            # "Undisclosed recipients" style entries: keep the words as a name
            email = ""
            name = _collapse(decode_header_text(name_raw))
    email = strip_line_breaks(decode_header_text(email)) if not email.isascii() else email
    if not email and not name:
        return None
    return Address(name=name, email=email)


def parse_address_list(value: str) -> tuple[Address, ...]:
    """Parse an address-list header value.

    Group syntax (``team: a@x, b@y;``) is flattened to its members; an empty
    group (``undisclosed-recipients:;``) yields nothing.

    Args:
        value: the raw header value (folded, possibly with 8-bit bytes kept as
            surrogate escapes).

    Returns:
        The addresses in order. Never raises.
    """
    text = unfold(value)
    result: list[Address] = []
    for chunk in split_top_level(text, ",;:"):
        if chunk.separator == ":":
            continue  # a group's display name, not an address
        address = _parse_one(chunk.text)
        if address is not None:
            result.append(address)
        if len(result) >= MAX_ADDRESSES:
            break
    return tuple(result)
