"""Search answered by an index for every term: the same rows as a substring scan.

A generated mailbox (a fixed corpus of Japanese, ASCII, full-/half-width and
FTS5-syntax characters) is written through every path the app writes search
text by (new mail, bodies, a body fetched again, expunges, a folder cleared,
ids reused after a removal), then searched through both readers (SQLAlchemy's
store.search and the CLI's store.direct_read) and compared with a brute-force
substring reference over the original texts and with the statement the app ran
before the gram rows (cache schema 7: a scan of every FTS row for short terms).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwise_desktop.mail.search_text import normalize_for_search
from mailwise_desktop.store import messages as store
from mailwise_desktop.store import triage_queries
from mailwise_desktop.store.cache_version import CACHE_SCHEMA_VERSION
from mailwise_desktop.store.database import CacheDatabase
from mailwise_desktop.store.direct_read import DirectCache
from mailwise_desktop.store.messages import BodyRecord
from mailwise_desktop.store.search import search_ids
from mailwise_desktop.store.search_sql import search_statement, terms_of
from mailwise_desktop.store.triage_queries import ListFilter, Tab

# Characters as mail brings them: kanji/kana of common queries, ASCII in both cases,
# full-width ASCII and half-width kana (folded by NFKC), the wave-dash pairs, FTS5
# syntax and control characters, and spaces.
ALPHABET = (
    "請求書返金配送田中山見積再発行ログインのをはがにですますお願い"
    "abcxyzABC019@."
    "ＡＢｃ１２"
    "ｶﾞｷﾞｸﾞ"
    "～〜~-−"
    "\"*()'\x01\x7f"
    "    "
)


@dataclass
class Corpus:
    """The generated mailbox as written, with the texts the reference searches."""

    db: CacheDatabase
    path: Path
    boxes: list[int]
    # cache id -> (date, normalised subject, sender, body)
    texts: dict[int, tuple[float, str, str, str]] = field(default_factory=dict)


def _text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def _row(uid: int, date: float, subject: str, name: str) -> dict[str, Any]:
    return {
        "uid": uid,
        "modseq": uid,
        "message_id": f"m{uid}@example.jp",
        "subject": subject,
        "from_name": name,
        "from_email": f"u{uid % 7}@example.jp",
        "date": date,
        "size": 1000,
        "flags": "",
        "fts_subject": normalize_for_search(subject),
        "fts_sender": normalize_for_search(f"{name} u{uid % 7}@example.jp"),
    }


def _body(row_id: int, text: str) -> BodyRecord:
    return BodyRecord(row_id, text.encode(), text, None, (), (), normalize_for_search(text))


def _write(corpus: Corpus, rng: random.Random, box: int, uids: Sequence[int]) -> list[int]:
    rows = []
    for uid in uids:
        date = rng.uniform(1.6e9, 1.8e9)  # distinct dates: the order is defined
        rows.append(_row(uid, date, _text(rng, 24), _text(rng, 8)))
    with corpus.db.transaction() as session:
        ids = store.insert_messages(session, box, rows)
    for row_id, r in zip(ids, rows, strict=True):
        corpus.texts[row_id] = (r["date"], r["fts_subject"], r["fts_sender"], "")
    return ids


def _bodies(corpus: Corpus, rng: random.Random, ids: Sequence[int]) -> None:
    records = [_body(i, _text(rng, 160)) for i in ids]
    with corpus.db.transaction() as session:
        store.store_bodies(session, records)
    for r in records:
        date, subject, sender, _ = corpus.texts[r.message_row_id]
        corpus.texts[r.message_row_id] = (date, subject, sender, r.fts_body)


def _build(path: Path) -> Corpus:
    rng = random.Random(13)
    db = CacheDatabase(path)
    with db.transaction() as session:
        boxes = [store.ensure_mailbox(session, "support", n) for n in ("INBOX", "Archive")]
    corpus = Corpus(db, path, boxes)
    inbox = _write(corpus, rng, boxes[0], range(1, 301))
    archive = _write(corpus, rng, boxes[1], range(1, 61))
    _bodies(corpus, rng, inbox[::2] + archive[::3])
    _bodies(corpus, rng, inbox[::6])  # fetched again: the old body's grams must go
    _bodies(corpus, rng, [inbox[5], inbox[5]])  # the same message twice in one batch
    with db.transaction() as session:  # expunged
        gone = store.remove_uids(session, boxes[0], [290, 295, 300, 3, 4])
    with db.transaction() as session:  # UIDVALIDITY changed: the newest ids go
        gone += store.clear_mailbox(session, boxes[1])
    for row_id in gone:
        del corpus.texts[row_id]
    new = _write(corpus, rng, boxes[0], range(301, 321))
    assert set(new) & set(gone), "the removed rows' ids are reused (grams must not stay)"
    _bodies(corpus, rng, new[::2])
    _write(corpus, rng, boxes[1], range(1, 41))
    return corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    built = _build(tmp_path_factory.mktemp("search") / "cache.sqlite3")
    yield built
    built.db.close()


def reference(corpus: Corpus, boxes: Sequence[int], query: str, limit: int) -> list[int]:
    """Brute force: every term a substring of the subject, sender or body; newest first."""
    terms = terms_of(query)
    if not terms or not boxes:
        return []
    with corpus.db.transaction() as session:
        in_boxes = {
            int(i)
            for (i,) in session.connection().exec_driver_sql(
                f"SELECT id FROM messages WHERE mailbox_id IN ({','.join(map(str, boxes))})"
            )
        }
    hits = [
        (date, row_id)
        for row_id, (date, *texts) in corpus.texts.items()
        if row_id in in_boxes and all(any(t in x for x in texts) for t in terms)
    ]
    return [row_id for _, row_id in sorted(hits, reverse=True)][:limit]


def statement_before(
    mailbox_ids: Sequence[int], query: str, *, limit: int
) -> tuple[str, dict[str, object]] | None:
    """The statement of cache schema 7 (short terms: a substring scan of every FTS row)."""
    terms = terms_of(query)
    if not terms or not mailbox_ids:
        return None
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    params: dict[str, object] = {"limit": limit}
    clauses: list[str] = []
    if long_terms:
        params["match"] = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        clauses.append("messages_fts MATCH :match")
    for n, term in enumerate(short_terms):
        params[f"s{n}"] = term
        clauses.append(
            f"(instr(subject, :s{n}) > 0 OR instr(sender, :s{n}) > 0 OR instr(body, :s{n}) > 0)"
        )
    boxes = ",".join(str(int(b)) for b in mailbox_ids)
    sql = (
        "SELECT m.id FROM messages m WHERE m.id IN "
        f"(SELECT rowid FROM messages_fts WHERE {' AND '.join(clauses)}) "
        f"AND m.mailbox_id IN ({boxes}) ORDER BY m.date DESC LIMIT :limit"
    )
    return sql, params


def _all_ways(corpus: Corpus, boxes: list[int], query: str, limit: int) -> dict[str, list[int]]:
    with corpus.db.transaction() as session:
        orm = search_ids(session, boxes, query, limit=limit)
    direct = DirectCache.open(corpus.path)
    assert direct is not None  # the CLI's reader reads this cache version
    try:
        cli = direct.search_ids(boxes, query, limit=limit)
    finally:
        direct.close()
    before: list[int] = []
    old = statement_before(boxes, query, limit=limit)
    if old is not None:
        with sqlite3.connect(corpus.path) as raw:
            before = [int(r[0]) for r in raw.execute(*old)]
        raw.close()
    return {"store.search": orm, "direct_read": cli, "schema 7 statement": before}


def _queries(corpus: Corpus) -> list[str]:
    """Terms cut from the stored texts (so most queries match something), of every kind."""
    rng = random.Random(7)
    texts = [x for _, *xs in corpus.texts.values() for x in xs if x.strip()]
    picked = []
    for _ in range(150):
        text = rng.choice(texts)
        n = rng.randint(1, 4)
        start = rng.randrange(max(1, len(text) - n + 1))
        picked.append(text[start : start + n])
    kinds = [
        "請求",
        "請",
        "返金",
        "ログイン",
        "請求 書",
        '"請求 書"',
        "ＡＢｃ",
        "abc",
        "ｶﾞｷﾞ",
        "ガギ",
        "〜",
        "～-",
        "ab 請",
        "a b c",
        '"',
        "*",
        "()",
        "u1@",
        "@example.jp",
        "存在しない語",
    ]
    return kinds + picked + [" ".join(rng.sample(picked, rng.randint(2, 3))) for _ in range(60)]


def test_every_query_kind_gives_the_reference_rows_in_order(corpus: Corpus) -> None:
    everywhere = list(corpus.boxes)
    matched = 0
    for query in _queries(corpus):
        for boxes, limit in ((everywhere, 1000), ([corpus.boxes[0]], 7)):
            expected = reference(corpus, boxes, query, limit)
            matched += bool(expected)
            for way, found in _all_ways(corpus, boxes, query, limit).items():
                assert found == expected, (way, query, limit)
    assert matched > 200  # the comparison is about rows, not mostly empty results


@pytest.mark.parametrize("cap", [7, triage_queries.SEARCH_LIMIT])
def test_the_window_list_shows_the_reference_rows(
    corpus: Corpus, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The window's hits come from the indexes alone while they are at most the cap
    # (ids of any folder), else from the ordered read: the list must not tell.
    monkeypatch.setattr(triage_queries, "SEARCH_LIMIT", cap)
    for query in [q for q in _queries(corpus) if terms_of(q)]:  # blank: no search at all
        for box in corpus.boxes:
            expected = reference(corpus, [box], query, cap)
            flt = ListFilter(box, Tab.ALL, search=query)
            with corpus.db.transaction() as session:
                hits = triage_queries.search_hits(session, flt)
                assert triage_queries.filtered_ids(session, flt, hits) == expected, query
                some = list(corpus.texts)[::5]
                shown = triage_queries.matching_ids(session, flt, some, hits)
                assert shown == set(expected) & set(some), query


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=4), min_size=1, max_size=3))
def test_generated_queries_give_the_reference_rows(corpus: Corpus, terms: list[str]) -> None:
    query = " ".join(terms)
    expected = reference(corpus, corpus.boxes, query, 1000)
    for way, found in _all_ways(corpus, corpus.boxes, query, 1000).items():
        assert found == expected, (way, query)


def _plan(path: Path, query: str) -> str:
    statement = search_statement([1, 2], query, limit=100)
    assert statement is not None
    with sqlite3.connect(path) as raw:
        rows = raw.execute("EXPLAIN QUERY PLAN " + statement[0], statement[1]).fetchall()
    raw.close()
    return " / ".join(str(r[3]) for r in rows)


@pytest.mark.parametrize(
    "query", ["請求", "請", "ab", "請求書", "ログイン 返金", "返金 見 invoice"]
)
def test_every_term_reads_an_index_never_every_fts_row(corpus: Corpus, query: str) -> None:
    # Before the gram rows, a term of one or two characters read every FTS row:
    # "SCAN messages_fts VIRTUAL TABLE INDEX 0:" (no MATCH constraint).
    plan = _plan(corpus.path, query)
    assert "VIRTUAL TABLE INDEX 0:M" in plan, plan
    assert "VIRTUAL TABLE INDEX 0:," not in plan, plan
    assert not plan.rstrip().endswith("VIRTUAL TABLE INDEX 0:"), plan


def test_a_schema_7_cache_gets_the_gram_rows_and_keeps_its_mail(tmp_path: Path) -> None:
    built = _build(tmp_path / "cache.sqlite3")
    built.db.close()
    with sqlite3.connect(built.path) as raw:  # as schema 7 left it
        raw.execute("DROP TRIGGER messages_fts_delete")
        raw.execute("DROP TABLE messages_grams")
        raw.execute(
            "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
            "DELETE FROM messages_fts WHERE rowid = old.id; END"
        )
        raw.execute("PRAGMA user_version=7")
        kept = raw.execute("SELECT count(*) FROM messages").fetchone()[0]
    raw.close()
    assert DirectCache.open(built.path) is None  # the CLI takes the full path: it migrates
    built.db = CacheDatabase(built.path)
    try:
        with sqlite3.connect(built.path) as raw:
            assert raw.execute("PRAGMA user_version").fetchone()[0] == CACHE_SCHEMA_VERSION == 8
            assert raw.execute("SELECT count(*) FROM messages").fetchone()[0] == kept
            grams = raw.execute("SELECT count(*) FROM messages_grams").fetchone()[0]
        raw.close()
        assert grams == kept
        for query in ["請求", "請", "請 a", "〜", "ab"]:
            expected = reference(built, built.boxes, query, 1000)
            assert expected, query
            for way, found in _all_ways(built, built.boxes, query, 1000).items():
                assert found == expected, (way, query)
        # The recreated trigger forgets a removed message's grams (its id is reused).
        with built.db.transaction() as session:
            gone = store.remove_uids(session, built.boxes[0], list(range(301, 321)))
        for row_id in gone:
            del built.texts[row_id]
        rng = random.Random(1)
        _write(built, rng, built.boxes[0], range(400, 420))
        for query in ["請求", "請", "〜", "ab", "a"]:
            expected = reference(built, built.boxes, query, 1000)
            for way, found in _all_ways(built, built.boxes, query, 1000).items():
                assert found == expected, (way, query)
        with built.db.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO messages_grams(messages_grams) VALUES ('integrity-check')"
            )
    finally:
        built.db.close()


def test_a_nul_in_the_text_is_found_like_any_character(tmp_path: Path) -> None:
    # NUL cannot be an FTS5 token character: its grams are written hex-encoded.
    db = CacheDatabase(tmp_path / "cache.sqlite3")
    try:
        with db.transaction() as session:
            box = store.ensure_mailbox(session, "support", "INBOX")
            ids = store.insert_messages(
                session, box, [_row(1, 1.7e9, "a\x00b", "x"), _row(2, 1.8e9, "ab", "x")]
            )
            store.store_bodies(session, [_body(ids[1], "c\x00")])
            for query, expected in (("a\x00", [ids[0]]), ("\x00", ids[::-1]), ("ab", [ids[1]])):
                assert search_ids(session, [box], query) == expected, query
    finally:
        db.close()
