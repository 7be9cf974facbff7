"""Opening the SQLite databases: WAL, pragmas, schema version, permissions.

Two files per profile: the cache (rebuildable; an older schema is dropped
and rebuilt) and the local database (the user's own work; migrated step by
step, never dropped). Both refuse a schema written by a newer app version.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mailwise_desktop.core.errors import SchemaError, StorageError
from mailwise_desktop.store import deferred_indexes, search_grams
from mailwise_desktop.store.schema import (
    CACHE_MIGRATIONS,
    CACHE_SCHEMA_VERSION,
    FTS_DDL,
    CacheBase,
)

log = logging.getLogger(__name__)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # A writer in the engine thread must not make the UI's reads fail at once.
    cur.execute("PRAGMA busy_timeout=5000")
    # Reports build temporary tables: in memory, not a temp file on a busy disk.
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()
    # The delete trigger and the body writer recompute gram tokens in SQL.
    search_grams.register(dbapi_conn)


def make_engine(path: Path) -> Engine:
    """An SQLAlchemy engine for an SQLite file with the app's pragmas."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Customer mail is personal data: the file is for this user only.
            path.touch(mode=0o600)
    except OSError as exc:
        raise StorageError(f"Cannot create the database {path}.", detail=str(exc)) from exc
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    return engine


def user_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def set_user_version(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA user_version={int(version)}")


class CacheDatabase:
    """The cache database of one profile.

    Args:
        path: the SQLite file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        try:
            self._prepare()
        except OperationalError as exc:
            raise StorageError(
                f"The local cache {path} cannot be opened. "
                "Check free disk space and permissions; the cache can be deleted and rebuilt.",
                detail=str(exc),
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _prepare(self) -> None:
        version = user_version(self.engine)
        if version > CACHE_SCHEMA_VERSION:
            raise SchemaError(
                "The local cache was written by a newer Mailwise. Update the app, "
                f"or delete {self.path} to rebuild it from the server."
            )
        if 0 < version < CACHE_SCHEMA_VERSION and all(
            step in CACHE_MIGRATIONS for step in range(version + 1, CACHE_SCHEMA_VERSION + 1)
        ):
            # Cheap column additions: keep the synced mail (and its bodies) instead of
            # fetching 50,000 messages again. New tables come from create_all below.
            with self.engine.begin() as conn:
                for step in range(version + 1, CACHE_SCHEMA_VERSION + 1):
                    for ddl in CACHE_MIGRATIONS[step]:
                        conn.exec_driver_sql(ddl)
                    conn.exec_driver_sql(f"PRAGMA user_version={step}")
            version = CACHE_SCHEMA_VERSION
        if 0 < version < CACHE_SCHEMA_VERSION:
            # Rebuildable by design: start over rather than migrate.
            log.info("cache schema %s is older than %s: rebuilding", version, CACHE_SCHEMA_VERSION)
            self.engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                try:
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                except PermissionError as exc:
                    # Windows refuses to delete a file another process has open
                    # (WinError 32): a window of the older version still running.
                    raise StorageError(
                        f"The local cache {self.path} must be rebuilt, but another "
                        "Mailwise program has it open. Close every Mailwise window "
                        "and try again; nothing on the server is lost.",
                        detail=str(exc),
                    ) from exc
            self.engine = make_engine(self.path)
        CacheBase.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            for ddl in FTS_DDL:
                conn.exec_driver_sql(ddl)
            # A big first sync killed midway set some aside (a read when none is missing).
            deferred_indexes.build_missing(conn)
        if version != CACHE_SCHEMA_VERSION:
            # Only when it changes: a write at every open made every close checkpoint
            # the WAL (Linux: open + close 44 -> 26 ms; more under Wine's file calls).
            set_user_version(self.engine, CACHE_SCHEMA_VERSION)
        if os.name == "posix":
            os.chmod(self.path, 0o600)

    def session(self) -> Session:
        """A new ORM session (one per thread; never share across threads)."""
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error.

        SQLite's "disk full" and I/O errors become :class:`StorageError`, so a
        full disk is reported plainly and leaves the previous state intact.
        """
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            raise storage_error(exc) from exc
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def storage_error(exc: Exception) -> StorageError:
    """Translate an SQLite failure into words a user understands."""
    text_ = str(exc).lower()
    if "full" in text_:
        return StorageError(
            "The disk is full: the local cache could not be updated. "
            "Free some space; nothing was lost and the next sync will catch up.",
            detail=str(exc),
        )
    if "readonly" in text_ or "read-only" in text_:
        return StorageError("The local cache is read-only.", detail=str(exc))
    return StorageError("The local cache could not be updated.", detail=str(exc))


Migration = Callable[[Any], None]


def migrate(engine: Engine, steps: list[str | Migration], *, what: str) -> None:
    """Apply migration steps in order; the database's user_version counts the applied ones.

    Args:
        engine: the database.
        steps: step n brings the schema from version n to n+1 (SQL text or a
            callable taking a Connection). Steps are only ever appended.
        what: the database's name for error messages.
    """
    current = user_version(engine)
    if current > len(steps):
        raise SchemaError(f"The {what} was written by a newer Mailwise. Update the app to open it.")
    for index in range(current, len(steps)):
        step = steps[index]
        with engine.begin() as conn:
            if isinstance(step, str):
                for statement in filter(None, (s.strip() for s in step.split(";"))):
                    conn.execute(text(statement))
            else:
                step(conn)
            conn.exec_driver_sql(f"PRAGMA user_version={index + 1}")
