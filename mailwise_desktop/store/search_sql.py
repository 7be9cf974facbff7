"""The full-text search as one SQL statement, shared by both ways of reading the cache.

FTS5 trigram, so Japanese substrings match. Text is indexed and queried in
one normal form (mail.search_text: NFKC, case-folded, wave dashes unified)
so ～ and 〜, full- and half-width forms find each other. No SQLAlchemy: the
CLI's direct sqlite3 reader runs the same statement as store/search.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailwise_desktop.mail.search_text import normalize_for_search

# FTS5 trigram needs at least three characters per term to use the index.
_MIN_INDEXED = 3


def terms_of(query: str) -> list[str]:
    """The query's terms in the indexed normal form."""
    return [t for t in normalize_for_search(query).split(" ") if t]


def search_statement(
    mailbox_ids: Sequence[int], query: str, *, limit: int
) -> tuple[str, dict[str, object]] | None:
    """SQL and named parameters selecting matching cache ids, newest first.

    None when nothing can match (no terms, no mailboxes). Terms of three
    characters or more use the trigram index; shorter ones (common in
    Japanese: 請求, 返金) fall back to a substring scan of the
    already-narrowed candidates.
    """
    terms = terms_of(query)
    if not terms or not mailbox_ids:
        return None
    long_terms = [t for t in terms if len(t) >= _MIN_INDEXED]
    short_terms = [t for t in terms if len(t) < _MIN_INDEXED]
    params: dict[str, object] = {"limit": limit}
    clauses: list[str] = []
    if long_terms:
        # Each term quoted: FTS5 syntax characters in a user's query are literal.
        params["match"] = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        clauses.append("messages_fts MATCH :match")
    for n, term in enumerate(short_terms):
        params[f"s{n}"] = term
        clauses.append(
            f"(instr(subject, :s{n}) > 0 OR instr(sender, :s{n}) > 0 OR instr(body, :s{n}) > 0)"
        )
    boxes = ",".join(str(int(b)) for b in mailbox_ids)
    # The full-text part as a subquery: joined directly, SQLite re-evaluated the
    # MATCH per candidate row (270 ms instead of 2 ms on 2,000 messages).
    sql = (
        "SELECT m.id FROM messages m WHERE m.id IN "
        f"(SELECT rowid FROM messages_fts WHERE {' AND '.join(clauses)}) "
        f"AND m.mailbox_id IN ({boxes}) ORDER BY m.date DESC LIMIT :limit"
    )
    return sql, params
