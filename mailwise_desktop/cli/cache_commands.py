"""`mailwise list|search`: the cached mailbox, read straight from SQLite.

Both commands read a few indexed rows, so the cost of a run was the start:
SQLAlchemy, the IMAP engine and the mail parser imported for nothing. They
read the cache with sqlite3 (store/direct_read.py) and print through the same
functions as before. When the direct reader does not know the cache (missing,
another schema version) they take the service path, which opens the cache as
every other command does (creating, rebuilding or refusing it) — the output
is the same either way (tests/integration/test_cli_direct_read.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from mailwise_desktop.cli.output import dump, message_json, message_line
from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.errors import NotConfiguredError
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.store.direct_read import CacheMismatchError, DirectCache
from mailwise_desktop.store.summaries import MessageSummary, OwnerFilter

if TYPE_CHECKING:
    from mailwise_desktop.services.context import AppContext

STATES = [s.value for s in HandlingState]

#: (messages, roster) for one command: read directly, or through the services.
Reading = tuple[list[MessageSummary], Roster]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lst = sub.add_parser("list", help="list cached messages, newest first")
    lst.add_argument("--mailbox", default="INBOX")
    lst.add_argument("--limit", type=int)
    lst.add_argument("--state", choices=STATES, action="append")
    lst.add_argument(
        "--owner", metavar="ID|me|none", help="only messages of this teammate, mine, or nobody's"
    )
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)

    search = sub.add_parser("search", help="full-text search (subject, sender, body)")
    search.add_argument("query")
    search.add_argument("--mailbox", help="only this folder (default: every synced folder)")
    search.add_argument("--limit", type=int, default=200)
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=cmd_search)


def owner_filter(roster: Roster, me: Teammate | None, value: str | None) -> OwnerFilter:
    """``--owner ID|me|none`` as the slot the cache filters on."""
    if value is None:
        return None
    if value in ("none", "nobody"):
        return "none"
    if value == "me":
        if me is None:
            raise NotConfiguredError("Say who you are first: mailwise me ID")
        return me.slot
    return roster.require(value).slot


def _read(
    ctx: AppContext, direct: Callable[[DirectCache], Reading], full: Callable[[], Reading]
) -> Reading:
    """``direct`` on the cache file when the direct reader knows it, else ``full``."""
    cache = DirectCache.open(ctx.profile.cache_db)
    if cache is not None:
        try:
            return direct(cache)
        except CacheMismatchError:
            pass
        finally:
            cache.close()
    return full()


def _me(ctx: AppContext, account: Account, roster: Roster) -> Teammate | None:
    return roster.identify(str(ctx.settings.get("me") or ""), account.imap.user)[0]


def list_reading(ctx: AppContext, account: Account, args: argparse.Namespace) -> Reading:
    """The messages ``mailwise list`` prints, and the roster naming their owners."""

    def direct(cache: DirectCache) -> Reading:
        roster = Roster.from_records(cache.roster_entries(account.id))
        owner = owner_filter(roster, _me(ctx, account, roster), args.owner)
        box = cache.folder(account.id, args.mailbox)
        ids = cache.list_ids(box.id, states=args.state, owner=owner, limit=args.limit)
        return cache.summaries(ids), roster

    def full() -> Reading:
        from mailwise_desktop.services.account_services import AccountServices
        from mailwise_desktop.services.messages import MessageService

        coordination = AccountServices(ctx, account).coordination
        roster = coordination.log.roster()
        owner = owner_filter(roster, coordination.me(), args.owner)
        found = MessageService(ctx).list_messages(
            account, args.mailbox, states=args.state, owner=owner, limit=args.limit
        )
        return found, roster

    return _read(ctx, direct, full)


def search_reading(ctx: AppContext, account: Account, args: argparse.Namespace) -> Reading:
    """The messages ``mailwise search`` prints, and the roster naming their owners."""

    def direct(cache: DirectCache) -> Reading:
        boxes = [
            f.id
            for f in cache.folders(account.id)
            if (f.name == args.mailbox if args.mailbox else f.synced)
        ]
        ids = cache.search_ids(boxes, args.query, limit=args.limit)
        return cache.summaries(ids), Roster.from_records(cache.roster_entries(account.id))

    def full() -> Reading:
        from mailwise_desktop.services.account_services import AccountServices
        from mailwise_desktop.services.messages import MessageService

        found = MessageService(ctx).search(
            account, args.query, mailbox=args.mailbox, limit=args.limit
        )
        return found, AccountServices(ctx, account).log.roster()

    return _read(ctx, direct, full)


def _print(
    account: Account, args: argparse.Namespace, key: str, value: str, reading: Reading
) -> None:
    messages, roster = reading
    if args.json:
        dump(
            {
                "account": account.id,
                key: value,
                "messages": [
                    message_json(m, (t.id if (t := roster.by_slot(m.owner_slot)) else None))
                    for m in messages
                ],
            }
        )
        return
    for m in messages:
        print(message_line(m, (t.label if (t := roster.by_slot(m.owner_slot)) else None)))


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    _print(account, args, "mailbox", args.mailbox, list_reading(ctx, account, args))
    return 0


def cmd_search(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    _print(account, args, "query", args.query, search_reading(ctx, account, args))
    return 0
