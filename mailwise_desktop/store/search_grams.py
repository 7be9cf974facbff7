"""The gram rows that answer one- and two-character search terms from an index.

FTS5's trigram tokenizer cannot use its index for a term shorter than three
characters, and those are the most common Japanese queries (請求, 返金): each
one was a substring scan of every indexed row. ``messages_grams`` is a
contentless FTS5 table (``detail=none``: only which rows hold a token) whose
tokens are every distinct character and every distinct pair of adjacent
characters of a message's search text (subject, sender, body, already in the
normal form of mail.search_text). A term of one or two characters occurs in a
text exactly when it is one of these grams, so the index gives the same rows
as the substring scan did.

A gram is its own token: the ``ascii`` tokenizer keeps every non-ASCII
character and, with the ``tokenchars`` below, every printable and control
ASCII character, so only the space separates tokens. Grams with a space are
left out (a search term never holds one: terms are split on white space).
NUL cannot be a token character; a gram holding one is written as ``~~`` and
its hex (four characters or more, so never equal to a gram of one or two).
Hex-encoding every gram was three times the Python work per message.

A contentless table can only forget a row when told its tokens again, so the
cache connection registers :func:`search_grams` as the SQL function
:data:`GRAMS_FUNCTION`; the delete trigger and the body writer recompute the
old tokens from the row's stored text with it.
"""

from __future__ import annotations

import functools
import operator
import sqlite3

#: The SQL function (subject, sender, body) -> tokens, registered on every cache connection.
GRAMS_FUNCTION = "mailwise_search_grams"

#: Longest term the gram rows answer (longer ones use the trigram index).
LONGEST_GRAM = 2

# Every ASCII character but NUL, the alphanumerics (token characters already) and white
# space (never in a normalised text: mail.search_text splits on it).
_TOKEN_CHARS = "".join(
    chr(c) for c in range(1, 128) if not chr(c).isalnum() and not chr(c).isspace()
)
_TOKENIZE = "ascii tokenchars '" + _TOKEN_CHARS.replace("'", "''") + "'"

#: The gram table (rowid = messages.id); see the module's docstring for its tokens.
GRAMS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS messages_grams USING fts5("
    "g, content='', detail=none, tokenize=\"" + _TOKENIZE.replace('"', '""') + '")'
)

_pair = operator.add


def _grams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in text.split(" "):
        grams.update(word)
        grams.update(map(_pair, word, word[1:]))
    grams.discard("")
    return grams


# Senders and thread subjects repeat across a mailbox: their grams are computed once
# (50k first-sync rows of the bench mailbox: 1.3 s -> 0.9 s of CPU). Bounded: ~3 MB.
_head_grams = functools.lru_cache(maxsize=1024)(lambda text: frozenset(_grams(text)))


def search_grams(subject: str | None, sender: str | None, body: str | None) -> str:
    """The gram tokens of one message's normalised search texts, space separated.

    Args:
        subject: the stored (normalised) subject, sender and body texts; None
            is read as empty (SQL NULL).

    Returns:
        Distinct tokens, in no particular order (``detail=none`` keeps none).
    """
    grams: set[str] = set(_head_grams(subject)) if subject else set()
    if sender:
        grams |= _head_grams(sender)
    if body:
        grams |= _grams(body)
    if any("\x00" in text for text in (subject, sender, body) if text):
        return " ".join(token(g) for g in grams)
    return " ".join(grams)


def token(gram: str) -> str:
    """The index token of one gram (a term of one or two characters)."""
    if "\x00" in gram:
        return "~~" + gram.encode("utf-8", "surrogatepass").hex()
    return gram


def register(connection: sqlite3.Connection) -> None:
    """Make :data:`GRAMS_FUNCTION` callable on a cache connection (triggers use it)."""
    connection.create_function(GRAMS_FUNCTION, 3, search_grams, deterministic=True)
