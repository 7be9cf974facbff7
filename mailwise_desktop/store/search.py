"""Full-text search over the cache: FTS5 trigram, so Japanese substrings match.

Text is indexed and queried in one normal form (mail.search_text: NFKC,
case-folded, wave dashes unified) so ～ and 〜, full- and half-width forms find
each other. The normal form is for matching only; what the user reads is never
normalised.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from mailwise_desktop.mail.search_text import normalize_for_search

__all__ = ["normalize_for_search", "search_ids"]

# FTS5 trigram needs at least three characters per term to use the index.
_MIN_INDEXED = 3


def _terms(query: str) -> list[str]:
    return [t for t in normalize_for_search(query).split(" ") if t]


def search_ids(
    session: Session, mailbox_ids: list[int], query: str, *, limit: int = 1000
) -> list[int]:
    """Cache ids of messages whose subject, sender or body contain every term.

    Terms of three characters or more use the trigram index; shorter ones
    (common in Japanese: 請求, 返金) fall back to a substring scan of the
    already-narrowed candidates. Results are newest first.
    """
    terms = _terms(query)
    if not terms or not mailbox_ids:
        return []
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
    return [int(r[0]) for r in session.execute(text(sql), params)]
