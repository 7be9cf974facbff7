"""The cache schema's version, apart from the schema so that reading it costs nothing.

The CLI's direct sqlite3 reader (store/direct_read.py) reads only a cache of
exactly this version; anything else takes the SQLAlchemy path, which
migrates or rebuilds an older cache and refuses a newer one.
"""

# Bump when the cache tables change shape (store/schema.py); an older cache is rebuilt.
CACHE_SCHEMA_VERSION = 8  # 2: team records, team mailbox state, coordination checks
# 3: messages.date_raw, messages.read_problem (hostile mail kept, marked)
# 4: stored conversations (messages.conversation_id, thread_subject, subject_parent,
#    target; thread_links, thread_removed, thread_state). Migrated from 3, not rebuilt.
# 5: team_records.operation / to_state / template (history events read by SQL without
#    JSON parsing), thread_state.generation. Migrated from 4.
# 6: ix_messages_sender on lower(from_email) (a sender's mail for the card). Migrated from 5.
# 7: covering list indexes ix_messages_list, ix_messages_mailbox_state_date_uid (replace
#    ix_messages_mailbox_date, ix_messages_mailbox_state_date). Migrated from 6.
# 8: messages_grams (one- and two-character search terms from an index, store/search_grams.py)
#    and the delete trigger that forgets them. Migrated from 7 (built from messages_fts).
