"""The cache schema: a rebuildable copy of the server's mailboxes.

Everything here can be fetched again from the server, so a cache from an
older schema version is rebuilt rather than migrated (see
:mod:`mailwise_desktop.store.database`), unless the step is a cheap column
addition listed in :data:`CACHE_MIGRATIONS`. The user's own work lives in the
separate local database (:mod:`mailwise_desktop.store.local`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The version lives in a module without SQLAlchemy (the CLI's direct reader checks it).
from mailwise_desktop.store.cache_version import CACHE_SCHEMA_VERSION as CACHE_SCHEMA_VERSION  # noqa: PLC0414
from mailwise_desktop.store.search_grams import GRAMS_DDL, GRAMS_FUNCTION


class CacheBase(DeclarativeBase):
    """Declarative base of the cache database."""


class AccountRow(CacheBase):
    """An account known to the cache (its settings live in settings.json)."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String, primary_key=True)


class MailboxRow(CacheBase):
    """One IMAP mailbox and its explicit sync state (Trojita's pattern)."""

    __tablename__ = "mailboxes"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String)
    delimiter: Mapped[str | None] = mapped_column(String, default=None)
    special_use: Mapped[str | None] = mapped_column(String, default=None)
    selectable: Mapped[bool] = mapped_column(Boolean, default=True)
    synced: Mapped[bool] = mapped_column(Boolean, default=False)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger, default=None)
    uidnext: Mapped[int | None] = mapped_column(BigInteger, default=None)
    highestmodseq: Mapped[int | None] = mapped_column(BigInteger, default=None)
    exists: Mapped[int] = mapped_column(Integer, default=0)
    last_sync: Mapped[float | None] = mapped_column(default=None)  # epoch seconds


class MessageRow(CacheBase):
    """One message's headers, flags and handling state as last seen."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("mailbox_id", "uid"),
        # The list's id queries (store/triage_queries.py) read only these indexes: the
        # order is date, uid; the row id, state and owner come with the index entry.
        # Without uid in them SQLite read every table row and sorted (50k: 146 ms -> 31 ms).
        Index("ix_messages_list", "mailbox_id", "date", "uid", "state", "owner_slot"),
        Index("ix_messages_mailbox_state_date_uid", "mailbox_id", "state", "date", "uid"),
        Index("ix_messages_mailbox_owner", "mailbox_id", "owner_slot"),
        Index("ix_messages_message_id", "message_id"),
        Index("ix_messages_thread", "thread_key"),
        Index("ix_messages_conversation", "conversation_id"),
        Index("ix_messages_thread_subject", "thread_subject"),
        Index("ix_messages_target", "target"),
        # A sender's mail (contact page, sender card): the address as compared, lower-cased.
        Index("ix_messages_sender", text("lower(from_email)")),
        # Covering index of the report (store/report_queries.py): read without the wide rows.
        Index(
            "ix_messages_report",
            "mailbox_id",
            "date",
            "state",
            "target",
            "from_email",
            "internal_date",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(ForeignKey("mailboxes.id", ondelete="CASCADE"))
    uid: Mapped[int] = mapped_column(BigInteger)
    modseq: Mapped[int] = mapped_column(BigInteger, default=0)
    message_id: Mapped[str | None] = mapped_column(String, default=None)
    in_reply_to: Mapped[str | None] = mapped_column(String, default=None)
    references: Mapped[str] = mapped_column(Text, default="")  # space separated ids
    thread_key: Mapped[str | None] = mapped_column(String, default=None)
    subject: Mapped[str] = mapped_column(Text, default="")
    from_name: Mapped[str] = mapped_column(String, default="")
    from_email: Mapped[str] = mapped_column(String, default="")
    to_json: Mapped[str] = mapped_column(Text, default="[]")  # [[name, email], ...]
    cc_json: Mapped[str] = mapped_column(Text, default="[]")
    date: Mapped[float | None] = mapped_column(default=None)  # epoch seconds, UTC
    internal_date: Mapped[float | None] = mapped_column(default=None)
    size: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[str] = mapped_column(Text, default="")  # space separated, as the server sent
    seen: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    has_attachments: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String, default="unhandled")
    owner_slot: Mapped[int | None] = mapped_column(Integer, default=None)
    state_problem: Mapped[str | None] = mapped_column(String, default=None)
    body_status: Mapped[str] = mapped_column(String, default="none")  # none|cached|too_large|failed
    # The Date header as sent (shown when it is missing from ``date``: unparseable or absurd)
    date_raw: Mapped[str] = mapped_column(Text, default="")
    # Why the message could not be read fully (None: it was); it is listed all the same
    read_problem: Mapped[str | None] = mapped_column(String, default=None)
    # Stored conversations (store/conversation_ids.py keeps them; NULL: not grouped yet).
    # The conversation is named by its smallest row id, as core.conversations.group does.
    conversation_id: Mapped[int | None] = mapped_column(Integer, default=None)
    thread_subject: Mapped[str | None] = mapped_column(Text, default=None)  # bare, casefolded
    subject_parent: Mapped[int | None] = mapped_column(Integer, default=None)  # subject fallback
    target: Mapped[str | None] = mapped_column(String, default=None)  # history key (target_key)


class ThreadLinkRow(CacheBase):
    """One References / In-Reply-To id of a message (looked up by id when mail arrives)."""

    __tablename__ = "thread_links"
    __table_args__ = (Index("ix_thread_links_link", "link"),)

    message_row_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    link: Mapped[str] = mapped_column(String, primary_key=True)


class ThreadRemovedRow(CacheBase):
    """A grouped message that left the cache (filled by a trigger; its conversation is redone)."""

    __tablename__ = "thread_removed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(Integer)
    row_id: Mapped[int] = mapped_column(Integer)
    conversation_id: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str | None] = mapped_column(String, default=None)
    thread_subject: Mapped[str | None] = mapped_column(Text, default=None)


class ThreadStateRow(CacheBase):
    """The team addresses the stored conversations were grouped with (a change regroups)."""

    __tablename__ = "thread_state"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    ours_json: Mapped[str] = mapped_column(Text, default="[]")
    # Counts the updates that changed a conversation id: readers keep what they read until then.
    generation: Mapped[int] = mapped_column(Integer, default=0)


class BodyRow(CacheBase):
    """The full message source, kept for offline reading (size-capped)."""

    __tablename__ = "bodies"

    message_row_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text, default=None)
    defects: Mapped[str] = mapped_column(Text, default="")


class AttachmentRow(CacheBase):
    """Attachment metadata (the bytes stay in the body's raw source)."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_message", "message_row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_row_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    part_id: Mapped[str] = mapped_column(String)
    filename: Mapped[str] = mapped_column(String, default="")
    content_type: Mapped[str] = mapped_column(String, default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    content_id: Mapped[str | None] = mapped_column(String, default=None)
    inline: Mapped[bool] = mapped_column(Boolean, default=False)


class TeamRecordRow(CacheBase):
    """A record read from the team mailbox (event, note, roster, template, policy)."""

    __tablename__ = "team_records"
    __table_args__ = (
        UniqueConstraint("account_id", "record_id"),
        Index("ix_team_records_kind_target", "account_id", "kind", "target", "uid"),
        # Covering index of the report's history reads (events by target, in time order).
        Index(
            "ix_team_records_events",
            "account_id",
            "kind",
            "target",
            "created",
            "id",
            "operation",
            "to_state",
            "template",
            "actor",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    uid: Mapped[int] = mapped_column(BigInteger)  # order: the highest UID is the latest
    record_id: Mapped[str] = mapped_column(String)  # the record's own Message-ID
    kind: Mapped[str] = mapped_column(String)
    target: Mapped[str] = mapped_column(String, default="")
    actor: Mapped[str] = mapped_column(String, default="")
    created: Mapped[float] = mapped_column(default=0.0)  # epoch seconds
    subject: Mapped[str] = mapped_column(Text, default="")
    payload_json: Mapped[str] = mapped_column(Text, default="{}")
    # A history event's operation, new state and template, taken from the payload when
    # stored (text only), so reports aggregate by SQL without parsing JSON per row.
    operation: Mapped[str | None] = mapped_column(String, default=None)
    to_state: Mapped[str | None] = mapped_column(String, default=None)
    template: Mapped[str | None] = mapped_column(String, default=None)


class TeamMailboxRow(CacheBase):
    """How far the team mailbox has been read, and whether the account can coordinate."""

    __tablename__ = "team_mailbox"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String, default="Mailwise")
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger, default=None)
    uidnext: Mapped[int | None] = mapped_column(BigInteger, default=None)
    last_read: Mapped[float | None] = mapped_column(default=None)


class CoordinationCheckRow(CacheBase):
    """The capability check of one mailbox (custom keywords, CONDSTORE, write rights)."""

    __tablename__ = "coordination_checks"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    mailbox: Mapped[str] = mapped_column(String, primary_key=True)
    ready: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons_json: Mapped[str] = mapped_column(Text, default="[]")  # plain sentences
    checked: Mapped[float] = mapped_column(default=0.0)


# Full-text search: FTS5 with the trigram tokenizer so Japanese substrings
# match without a word segmenter. rowid = messages.id; the text is stored
# normalised (NFKC + casefold) for matching only, never shown.
# Terms of one or two characters: the gram rows of store/search_grams.py (rowid =
# messages.id), forgotten by recomputing their tokens from the FTS row before it goes.
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5("
    "subject, sender, body, tokenize='trigram')",
    GRAMS_DDL,
    "CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN "
    "INSERT INTO messages_grams(messages_grams, rowid, g) "
    f"SELECT 'delete', rowid, {GRAMS_FUNCTION}(subject, sender, body) "
    "FROM messages_fts WHERE rowid = old.id; "
    "DELETE FROM messages_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS messages_thread_removed AFTER DELETE ON messages "
    "WHEN old.conversation_id IS NOT NULL BEGIN "
    "INSERT INTO thread_removed (mailbox_id, row_id, conversation_id, message_id, thread_subject) "
    "VALUES (old.mailbox_id, old.id, old.conversation_id, old.message_id, old.thread_subject); END",
)

#: Cache migrations by version reached (the cache is otherwise rebuilt from the server).
CACHE_MIGRATIONS: dict[int, tuple[str, ...]] = {
    4: (
        "ALTER TABLE messages ADD COLUMN conversation_id INTEGER",
        "ALTER TABLE messages ADD COLUMN thread_subject TEXT",
        "ALTER TABLE messages ADD COLUMN subject_parent INTEGER",
        "ALTER TABLE messages ADD COLUMN target VARCHAR",
        "CREATE INDEX IF NOT EXISTS ix_messages_conversation ON messages (conversation_id)",
        "CREATE INDEX IF NOT EXISTS ix_messages_thread_subject ON messages (thread_subject)",
        "CREATE INDEX IF NOT EXISTS ix_messages_target ON messages (target)",
    ),
    5: (
        "ALTER TABLE team_records ADD COLUMN operation VARCHAR",
        "ALTER TABLE team_records ADD COLUMN to_state VARCHAR",
        "ALTER TABLE team_records ADD COLUMN template VARCHAR",
        # Recreated with its generation column by create_all; the next update regroups once.
        "DROP TABLE IF EXISTS thread_state",
        "CREATE INDEX IF NOT EXISTS ix_messages_report ON messages "
        "(mailbox_id, date, state, target, from_email, internal_date)",
        "CREATE INDEX IF NOT EXISTS ix_team_records_events ON team_records "
        "(account_id, kind, target, created, id, operation, to_state, template, actor)",
        "UPDATE team_records SET "
        "operation = CASE WHEN json_type(payload_json, '$.operation') = 'text' "
        "THEN json_extract(payload_json, '$.operation') END, "
        "to_state = CASE WHEN json_type(payload_json, '$.to.state') = 'text' "
        "THEN json_extract(payload_json, '$.to.state') END, "
        "template = CASE WHEN json_type(payload_json, '$.template') = 'text' "
        "THEN json_extract(payload_json, '$.template') END "
        "WHERE kind = 'event' AND json_valid(payload_json)",
    ),
    6: ("CREATE INDEX IF NOT EXISTS ix_messages_sender ON messages (lower(from_email))",),
    7: (
        # Wider versions of the two list indexes (same leading columns): replaced, not added.
        "DROP INDEX IF EXISTS ix_messages_mailbox_date",
        "DROP INDEX IF EXISTS ix_messages_mailbox_state_date",
        "CREATE INDEX IF NOT EXISTS ix_messages_list ON messages "
        "(mailbox_id, date, uid, state, owner_slot)",
        "CREATE INDEX IF NOT EXISTS ix_messages_mailbox_state_date_uid ON messages "
        "(mailbox_id, state, date, uid)",
    ),
    8: (
        # The gram rows, built from the texts already indexed (the mail is kept); the
        # delete trigger is recreated by FTS_DDL to forget them too.
        "DROP TRIGGER IF EXISTS messages_fts_delete",
        "DROP TABLE IF EXISTS messages_grams",  # a contentless table takes a rowid twice
        GRAMS_DDL,
        f"INSERT INTO messages_grams(rowid, g) SELECT rowid, {GRAMS_FUNCTION}(subject, sender, body) "
        "FROM messages_fts",
    ),
}
