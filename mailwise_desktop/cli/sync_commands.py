"""`mailwise sync`: a quick look at the server first, the full sync only when something changed.

A sync with nothing changed did 1 ms of work after about 1 s of imports
(SQLAlchemy, the IMAP engine, the mail parser). :func:`quick_sync` first asks
the server with a bare LOGIN, LIST and one STATUS per folder kept offline and
for the team mailbox (imap/status_probe.py), compares the answers with the
cache's marks read with sqlite3 (store/sync_marks.py), and checks that nothing
local waits for the sync (queued team records, ungrouped conversations). Only
when all of it matches does it print what the full path prints for a no-op.
Any difference, any doubt (an OAuth2 sign-in, a cache it does not know,
``--mailbox``, ``--bodies``) and any error send the command down the full
path (cli/mailbox_commands.py), which syncs and reports errors as always.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailwise_desktop.services.context import AppContext

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser("sync", help="bring the local cache in step with the server (one pass)")
    sync.add_argument("--mailbox", action="append", help="folder to sync (default: the account's)")
    sync.add_argument("--bodies", action="store_true", help="also download bodies for offline use")
    sync.set_defaults(handler=cmd_sync, quick=quick_sync)


def cmd_sync(ctx: AppContext, args: argparse.Namespace) -> int:
    """The full sync (imports the sync machinery)."""
    from mailwise_desktop.cli.mailbox_commands import full_sync

    return full_sync(ctx, args)


def quick_sync(ctx: AppContext, args: argparse.Namespace) -> int | None:
    """Print the no-op result when the server and the cache show nothing to do; else None.

    Never raises: every failure means "not sure", and the caller runs :func:`cmd_sync`.
    """
    if args.mailbox or args.bodies:
        return None
    try:
        names = _unchanged(ctx, args)
    except Exception as exc:  # any doubt: the full path decides, and says what went wrong
        log.debug("sync no-op check not used: %s: %s", type(exc).__name__, exc)
        return None
    if names is None:
        return None
    from mailwise_desktop.cli.output import changes_lines
    from mailwise_desktop.core.changes import MailboxChanges

    if sys.stderr.isatty():
        print(file=sys.stderr)  # as the full path ends its progress line
    account_id = ctx.account(args.account).id
    for line in changes_lines(MailboxChanges(account_id, name) for name in names):
        print(line)
    return 0


def _unchanged(ctx: AppContext, args: argparse.Namespace) -> tuple[str, ...] | None:
    from mailwise_desktop.imap.status_probe import look, unchanged_folders
    from mailwise_desktop.store.sync_marks import queued_team_records, read_sync_marks

    account = ctx.account(args.account)
    if account.imap.uses_oauth:
        return None  # token refresh and its errors belong to the full path
    marks = read_sync_marks(ctx.profile.cache_db, account.id, account.address)
    if marks is None or not marks.grouping_settled:
        return None
    if queued_team_records(ctx.profile.local_db, account.id) != 0:
        return None  # the full sync's team-log flush delivers (or settles) them
    team = account.team_mailbox or str(ctx.settings.get("team_mailbox"))
    password = ctx.imap_password(account)
    if not isinstance(password, str):
        return None
    server = look(account.imap, password, [*account.folders, team])
    found = unchanged_folders(marks, server, account.folders, team)
    log.debug("sync no-op check: %s", "nothing changed" if found is not None else "changes")
    return found
