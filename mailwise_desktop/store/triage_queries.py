"""Read-side queries of the triage window: filter tabs, their counts, search within a tab.

The window's list model holds the ordered ids one of these queries returns
and loads rows in pages through :func:`queries.summaries`. Every query here is
one SELECT that reads only an index (``ix_messages_list``,
``ix_messages_mailbox_state_date_uid``) or the FTS5 search of
:mod:`store.search`, so the UI thread can run them directly.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from mailwise_desktop.store.list_filter import SEARCH_LIMIT, TAB_STATES, ListFilter, Tab
from mailwise_desktop.store.queries import _SORT_COLUMNS, plain_rows
from mailwise_desktop.store.schema import MessageRow
from mailwise_desktop.store.search import matching_ids_any_folder, search_ids

__all__ = [
    "SEARCH_LIMIT",
    "ListFilter",
    "Tab",
    "filtered_ids",
    "matching_ids",
    "search_hits",
    "tab_counts",
]

_TAB_STATES = TAB_STATES


def _where(stmt: Select[tuple[int]], flt: ListFilter) -> Select[tuple[int]]:
    stmt = stmt.where(MessageRow.mailbox_id == flt.mailbox_id)
    states = _TAB_STATES[flt.tab]
    if states:
        stmt = stmt.where(MessageRow.state.in_(states))
    if flt.tab is Tab.MINE:
        stmt = stmt.where(MessageRow.owner_slot == (-1 if flt.me is None else flt.me))
    return stmt


def _ordered(stmt: Select[tuple[int]], flt: ListFilter) -> Select[tuple[int]]:
    column = _SORT_COLUMNS[flt.sort]
    if flt.descending:
        return stmt.order_by(column.desc(), MessageRow.uid.desc())
    return stmt.order_by(column.asc(), MessageRow.uid.asc())


def search_hits(session: Session, flt: ListFilter) -> frozenset[int] | None:
    """Ids matching the filter's search words (None when it has none).

    They may hold other folders' ids: every reader filters by the folder.
    """
    if not flt.search.strip():
        return None
    # Up to SEARCH_LIMIT matches in all folders: they are every match, and each reader
    # of the hits filters by the folder (_where); only more need the newest ones cut.
    every = matching_ids_any_folder(session, flt.search, limit=SEARCH_LIMIT)
    if every is not None:
        return frozenset(every)
    return frozenset(search_ids(session, [flt.mailbox_id], flt.search, limit=SEARCH_LIMIT))


def filtered_ids(
    session: Session,
    flt: ListFilter,
    hits: Collection[int] | None = None,
    *,
    limit: int | None = None,
) -> list[int]:
    """Ordered ids of the messages the filter shows (the list model's source).

    Args:
        hits: the search result (:func:`search_hits`) when the filter searches;
            computed here when not given.
        limit: only the first ids (the index is read in order and the scan stops).
    """
    if flt.tab is Tab.MINE and flt.me is None:
        # No identity, nothing is mine: the query would scan every index entry
        # for owner -1 (51-84 ms per switch at 200k in the window's profile).
        return []
    if hits is None:
        hits = search_hits(session, flt)
    stmt = _where(select(MessageRow.id), flt)
    if hits is not None:
        if not hits:
            return []
        stmt = stmt.where(MessageRow.id.in_(_id_list(hits)))
    stmt = _ordered(stmt, flt)
    return _fetch_ids(session, stmt if limit is None else stmt.limit(limit))


def _id_list(ids: Collection[int]):  # type: ignore[no-untyped-def]
    """``IN`` over thousands of ids as one JSON parameter (json_each), not thousands of binds."""
    values = func.json_each(json.dumps(sorted(ids))).table_valued("value")
    return select(values.c.value)


def _fetch_ids(session: Session, stmt: Select[tuple[int]]) -> list[int]:
    """Run a one-column id query on the DBAPI cursor (:func:`queries.plain_rows`).

    The statement is still built and bound by SQLAlchemy, only the fetching is raw.
    """
    compiled = stmt.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    return [row[0] for row in plain_rows(session, str(compiled), params)]


def matching_ids(
    session: Session,
    flt: ListFilter,
    ids: Sequence[int],
    hits: Collection[int] | None = None,
) -> set[int]:
    """Which of ``ids`` the filter shows now (for live updates: a handful of ids)."""
    if not ids:
        return set()
    candidates = [i for i in ids if hits is None or i in hits]
    if not candidates:
        return set()
    stmt = _where(select(MessageRow.id), flt).where(MessageRow.id.in_(candidates))
    return set(session.scalars(stmt))


def tab_counts(
    session: Session, mailbox_id: int, me: int | None, by_state: dict[str, int] | None = None
) -> dict[Tab, int]:
    """How many messages each tab shows (two indexed GROUP BY / COUNT queries).

    Args:
        by_state: the folder's count per state when the caller just read it
            (the folder tree's): the GROUP BY is not run again.
    """
    if by_state is None:
        by_state = {
            str(state): int(n)
            for state, n in session.execute(
                select(MessageRow.state, func.count())
                .where(MessageRow.mailbox_id == mailbox_id)
                .group_by(MessageRow.state)
            )
        }
    mine = 0
    if me is not None:
        mine = int(
            session.scalar(
                select(func.count()).where(
                    MessageRow.mailbox_id == mailbox_id,
                    MessageRow.owner_slot == me,
                    MessageRow.state.in_(_TAB_STATES[Tab.MINE]),
                )
            )
            or 0
        )
    counts = {tab: sum(by_state.get(s, 0) for s in states) for tab, states in _TAB_STATES.items()}
    counts[Tab.ALL] = sum(by_state.values())
    counts[Tab.MINE] = mine
    return counts
