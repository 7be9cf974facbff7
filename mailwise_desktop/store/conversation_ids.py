"""Stored conversation ids: kept current at sync, a few rows at a time.

``messages.conversation_id`` holds what :func:`core.conversations.group`
would answer for the whole account (the smallest row id of the
conversation), without regrouping 50,000 rows whenever a mail arrives:

- A new message joins the conversations of every message it shares an id
  with (its Message-ID, References, In-Reply-To; ``thread_links`` indexes
  the linked ids), and those conversations merge.
- Its subject-fallback join (``subject_parent``) is decided among the
  messages with the same bare subject (``thread_subject``); the other
  candidates of that subject, and messages whose links it makes "known",
  are decided again, since the pure rule depends on them too.
- A removed message (a trigger notes it in ``thread_removed``) may split its
  conversation: the conversations it touched are recomputed from their members.

Only the conversations touched are recomputed (with the pure
:func:`core.conversations.partition`), so the result equals the pure one on
the whole account; tests check exactly that. A big batch (first sync) or a
change of the team's own addresses regroups the whole account once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from mailwise_desktop.core.conversations import (
    Split,
    ThreadItem,
    best_match,
    is_candidate,
    partition,
    split_subject,
    subject_edges,
)
from mailwise_desktop.mail.team_records import target_key
from mailwise_desktop.store import deferred_indexes
from mailwise_desktop.store.account_rows import ensure_account
from mailwise_desktop.store.conversations import (
    CHUNK,
    bare_thread_items,
    our_addresses,
    thread_items_of,
)
from mailwise_desktop.store.schema import ThreadStateRow

#: Above this many new + removed rows, regroup the account at once (cheaper than row by row).
FULL_REGROUP = 1000


@dataclass(frozen=True)
class GroupingDone:
    """What one :func:`update` did: rows whose conversation id was set or changed."""

    changed: int
    full: bool


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _marks(part: Sequence[object]) -> str:
    return ", ".join("?" * len(part))


def _account_ids(
    conn: Connection, account_id: str, where: str, values: Sequence[object]
) -> set[int]:
    """Row ids of the account matching ``where`` (with one ``IN ({})`` list of ``values``)."""
    out: set[int] = set()
    for part in _chunks(list(values)):
        cursor = conn.exec_driver_sql(
            "SELECT m.id FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
            f"WHERE b.account_id = ? AND {where.format(_marks(part))}",
            (account_id, *part),
        )
        out.update(int(r[0]) for r in cursor)
    return out


def update(
    session: Session, account_id: str, address: str = "", *, full_above: int = FULL_REGROUP
) -> GroupingDone:
    """Bring the account's stored conversation ids up to date (inside the caller's transaction).

    Args:
        session: the cache session.
        account_id: the account.
        address: the account's own address (one of "our" addresses).
        full_above: regroup the whole account when more rows than this changed.
    """
    conn = session.connection()
    ours = our_addresses(session, account_id, address)
    ours_json = json.dumps(sorted(ours))
    state = session.get(ThreadStateRow, account_id)
    pending = sorted(
        int(r[0])
        for r in conn.exec_driver_sql(
            "SELECT m.id FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
            "WHERE b.account_id = ? AND m.conversation_id IS NULL",
            (account_id,),
        )
    )
    removed = [
        (int(r[0]), int(r[1]), r[2], r[3])
        for r in conn.exec_driver_sql(
            "SELECT r.row_id, r.conversation_id, r.message_id, r.thread_subject "
            "FROM thread_removed r JOIN mailboxes b ON b.id = r.mailbox_id WHERE b.account_id = ?",
            (account_id,),
        )
    ]
    if state is not None and state.ours_json == ours_json and not pending and not removed:
        return GroupingDone(0, False)
    full = state is None or state.ours_json != ours_json or len(pending) + len(removed) > full_above
    if full:
        # Every row's conversation id, bare subject and history key are written:
        # without their indexes, then each index built once (same transaction).
        # The new rows' subject and key are written a chunk at a time as they are
        # worked out, not held for the regroup's UPDATE: at 200,000 messages they
        # were ~60 MB of the process's peak.
        deferred_indexes.set_aside(session, deferred_indexes.GROUPING_WRITTEN)
        splits: dict[int, Split] = {}
        _describe(conn, pending, splits=splits)
        changed = _regroup_all(session, account_id, ours, frozenset(pending), splits)
        deferred_indexes.build_missing(session)
    else:
        _describe(conn, pending)
        changed = _regroup_some(session, account_id, ours, pending, removed)
    conn.exec_driver_sql(
        "DELETE FROM thread_removed WHERE mailbox_id IN "
        "(SELECT id FROM mailboxes WHERE account_id = ?) "
        "OR mailbox_id NOT IN (SELECT id FROM mailboxes)",
        (account_id,),
    )
    if state is None:
        ensure_account(session, account_id)
        session.add(ThreadStateRow(account_id=account_id, ours_json=ours_json, generation=1))
    else:
        state.ours_json = ours_json
        state.generation += 1 if changed else 0
    session.flush()
    return GroupingDone(changed, full)


def generation(session: Session, account_id: str) -> tuple[int, int, int]:
    """(grouping generation, message count, highest row id): the ids read stay valid until it moves."""
    row = (
        session.connection()
        .exec_driver_sql(
            "SELECT (SELECT generation FROM thread_state WHERE account_id = ?), "
            "COUNT(m.id), COALESCE(MAX(m.id), 0) FROM messages m "
            "JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.account_id = ?",
            (account_id, account_id),
        )
        .one()
    )
    return int(row[0] or 0), int(row[1]), int(row[2])


def describe_new(session: Session, account_id: str) -> None:
    """Give rows that arrived since the last :func:`update` their history key and bare subject.

    Cheap (only the new rows): what the report needs before the next grouping.
    """
    conn = session.connection()
    fresh = [
        int(r[0])
        for r in conn.exec_driver_sql(
            "SELECT m.id FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
            "WHERE b.account_id = ? AND m.target IS NULL",
            (account_id,),
        )
    ]
    _describe(conn, fresh)


def _describe(
    conn: Connection,
    pending: Sequence[int],
    *,
    splits: dict[int, Split] | None = None,
) -> None:
    """Write the bare subject, history key and link index of new rows.

    ``splits`` (when given) receives each row's ``split_subject``, for the
    regroup that follows to reuse.
    Read and written a chunk at a time: after a first sync of 200,000
    messages, holding every pending row's columns at once cost ~100 MB.
    """
    for part in _chunks(list(pending)):
        rows = conn.exec_driver_sql(
            'SELECT id, message_id, date, from_email, subject, "references", in_reply_to '
            f"FROM messages WHERE id IN ({_marks(part)})",
            tuple(part),
        ).fetchall()
        chunk: dict[int, tuple[str, str]] = {}
        for i, mid, date, sender, subject, _refs, _reply in rows:
            split = split_subject(subject or "")
            chunk[int(i)] = (split[0], target_key(mid, date, sender or "", subject or ""))
            if splits is not None:
                splits[int(i)] = split
        conn.exec_driver_sql(
            "UPDATE messages SET thread_subject = ?, target = ? WHERE id = ?",
            [(subject, target, i) for i, (subject, target) in chunk.items()],
        )
        links = [
            (i, link)
            for i, _mid, _date, _sender, _subject, refs, reply in rows
            for link in {*(refs or "").split(), *([reply] if reply else [])}
        ]
        if links:
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO thread_links (message_row_id, link) VALUES (?, ?)", links
            )


def _current(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[int | None, int | None]]:
    """Row id -> (stored conversation id, stored subject parent)."""
    out: dict[int, tuple[int | None, int | None]] = {}
    for part in _chunks(sorted(set(ids))):
        for row_id, conv, parent in conn.exec_driver_sql(
            f"SELECT id, conversation_id, subject_parent FROM messages WHERE id IN ({_marks(part)})",
            tuple(part),
        ):
            out[int(row_id)] = (conv, parent)
    return out


def _write(
    conn: Connection,
    assignment: dict[int, int],
    parents: dict[int, int | None],
    before: dict[int, tuple[int | None, int | None]],
) -> int:
    rows = [
        (conv, parents.get(key, before.get(key, (None, None))[1]), key)
        for key, conv in assignment.items()
        if before.get(key, (None, None))
        != (conv, parents.get(key, before.get(key, (None, None))[1]))
    ]
    if rows:
        conn.exec_driver_sql(
            "UPDATE messages SET conversation_id = ?, subject_parent = ? WHERE id = ?", rows
        )
    return len(rows)


def _regroup_all(
    session: Session,
    account_id: str,
    ours: frozenset[str],
    described: frozenset[int],
    described_splits: dict[int, Split],
) -> int:
    conn = session.connection()
    # Memory, not only time: at 200,000 messages every structure here is one
    # entry per message, so none is held longer than needed (RSS goal 300 MB).
    items = bare_thread_items(session, account_id)  # without participants (To/Cc JSON)
    # Each subject split once (the new rows' by _describe), then used by every pass.
    get_split = described_splits.get
    splits = [get_split(i.key) or split_subject(i.subject) for i in items]
    described_splits.clear()
    # The account's Message-IDs, as the items' own strings (not a second copy of each):
    # links are never empty, so leaving out an empty Message-ID changes no answer.
    known = {i.message_id for i in items if i.message_id}
    subjects = {
        split[0] for i, split in zip(items, splits, strict=True) if is_candidate(i, known, split)
    }
    subjects.discard("")
    if subjects:  # participants (only in the subject buckets of fallback candidates), in place
        wanted = {i.key for i, split in zip(items, splits, strict=True) if split[0] in subjects}
        with_people = {i.key: i for i in thread_items_of(session, wanted)}
        items = [with_people.get(i.key, i) for i in items]
        del with_people
    edges = subject_edges(items, known, ours, splits)
    del known, splits  # before the partition's own maps: the regroup's peak (200k: 303 MB)
    assignment = partition(items, edges)
    del items
    written = 0
    fresh_keys = sorted(k for k in described if k in assignment)
    for start in range(0, len(fresh_keys), CHUNK):  # new rows: nothing stored to compare with
        part = fresh_keys[start : start + CHUNK]
        conn.exec_driver_sql(
            "UPDATE messages SET conversation_id = ?, subject_parent = ? WHERE id = ?",
            [(assignment[k], edges.get(k), k) for k in part],
        )
        written += len(part)
    rest = {k: c for k, c in assignment.items() if k not in described}
    del assignment
    before = _current(conn, rest) if rest else {}
    parents: dict[int, int | None] = {k: edges.get(k) for k in rest}
    return written + _write(conn, rest, parents, before)


def _regroup_some(
    session: Session,
    account_id: str,
    ours: frozenset[str],
    pending: Sequence[int],
    removed: Sequence[tuple[int, int, str | None, str | None]],
) -> int:
    conn = session.connection()
    new_items = thread_items_of(session, pending)
    new_ids = {ref for i in new_items for ref in (i.message_id, *i.links) if ref}
    new_mids = {i.message_id for i in new_items if i.message_id}
    gone_mids = {mid for _r, _c, mid, _s in removed if mid}
    # Messages whose links may have become known (or unknown): their fallback is decided again.
    flipped = _account_ids(
        conn,
        account_id,
        "m.id IN (SELECT message_row_id FROM thread_links WHERE link IN ({}))",
        sorted(new_mids | gone_mids),
    )
    subjects = {split_subject(i.subject)[0] for i in new_items}
    subjects |= {s for _r, _c, _m, s in removed if s}
    flipped_items = thread_items_of(session, flipped)
    subjects |= {split_subject(i.subject)[0] for i in flipped_items}
    subjects.discard("")
    bucket_ids = _account_ids(conn, account_id, "m.thread_subject IN ({})", sorted(subjects))
    by_key = {i.key: i for i in thread_items_of(session, bucket_ids | flipped | set(pending))}
    buckets: dict[str, list[ThreadItem]] = {}
    for item in by_key.values():
        bare = split_subject(item.subject)[0]
        if bare:
            buckets.setdefault(bare, []).append(item)
    links = sorted({ref for i in by_key.values() for ref in i.links})
    known = {
        str(r[0])
        for part in _chunks(links)
        for r in conn.exec_driver_sql(
            "SELECT DISTINCT m.message_id FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id "
            f"WHERE b.account_id = ? AND m.message_id IN ({_marks(part)})",
            (account_id, *part),
        )
    }
    before = _current(conn, by_key)
    parents: dict[int, int | None] = {}
    for key, item in by_key.items():
        best = None
        if is_candidate(item, known):
            best = best_match(item, buckets.get(split_subject(item.subject)[0], ()), ours)
        parents[key] = best.key if best is not None else None
    touched: set[int] = set(pending)
    for key, parent in parents.items():
        old = before.get(key, (None, None))[1]
        if parent != old:
            touched.update(k for k in (key, parent, old) if k is not None)
    touched |= _account_ids(conn, account_id, "m.message_id IN ({})", sorted(new_ids))
    touched |= _account_ids(
        conn,
        account_id,
        "m.id IN (SELECT message_row_id FROM thread_links WHERE link IN ({}))",
        sorted(new_ids),
    )
    conversations = {c for c, _p in _current(conn, touched).values() if c is not None}
    conversations |= {conv for _r, conv, _m, _s in removed}
    members = set(pending) | _account_ids(
        conn, account_id, "m.conversation_id IN ({})", sorted(conversations)
    )
    items = thread_items_of(session, members)
    stored = _current(conn, members)
    edges: dict[int, int] = {}
    for item in items:
        parent = parents[item.key] if item.key in parents else stored[item.key][1]
        if parent is not None:
            edges[item.key] = parent
    assignment = partition(items, edges)
    return _write(conn, assignment, {k: parents[k] for k in parents if k in assignment}, stored)
