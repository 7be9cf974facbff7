"""`mailwise delete UID…` (to Trash, never expunged) and `mailwise trash list|restore|empty`."""

from __future__ import annotations

import argparse

from mailwise_desktop.cli.output import dump, iso
from mailwise_desktop.core.console import stdin_is_terminal
from mailwise_desktop.core.errors import CancelledError
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.messages import MessageService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.trash import to_trash_job
from mailwise_desktop.services.trash_folder import empty_job, list_job, restore_job


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    delete = sub.add_parser("delete", help="move messages to Trash (nothing is erased)")
    delete.add_argument("uids", type=int, nargs="+", metavar="UID")
    delete.add_argument("--mailbox", default="INBOX")
    delete.set_defaults(handler=cmd_delete)

    trash = sub.add_parser("trash", help="what is in Trash; take mail back; empty it")
    actions = trash.add_subparsers(dest="action", required=True)
    lst = actions.add_parser("list", help="the newest messages in Trash (Trash's own UIDs)")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)
    restore = actions.add_parser("restore", help="move messages from Trash back")
    restore.add_argument("uids", type=int, nargs="+", metavar="UID", help="UIDs in Trash")
    restore.add_argument("--to", default="INBOX", help="the folder to put them in")
    restore.set_defaults(handler=cmd_restore)
    empty = actions.add_parser("empty", help="erase everything in Trash for good")
    empty.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    empty.set_defaults(handler=cmd_empty)


def cmd_delete(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    messages = MessageService(ctx)
    ids = [messages.show_summary(account, uid, args.mailbox).message_id for uid in args.uids]
    trashed = run_once(ctx, account, to_trash_job(args.mailbox, args.uids, ids))
    print(
        f"Moved {trashed.count} message(s) to {trashed.trash}. "
        "Nothing is erased: mailwise trash list shows them, mailwise trash restore takes "
        "them back."
    )
    return 0


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    trash, found = run_once(ctx, account, list_job())
    if args.json:
        dump(
            {
                "trash": trash,
                "messages": [
                    {
                        "uid": m.uid,
                        "subject": m.subject,
                        "from": m.sender,
                        "date": iso(m.date),
                        "message_id": m.message_id,
                    }
                    for m in found
                ],
            }
        )
        return 0
    if not found:
        print(f"{trash} is empty.")
    for m in found:
        when = m.date.strftime("%Y-%m-%d %H:%M") if m.date else "?"
        print(f"{m.uid:>7}  {when}  {m.sender[:24]:<24}  {m.subject}")
    return 0


def cmd_restore(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    run_once(ctx, account, restore_job(args.uids, args.to))
    print(f"Moved {len(args.uids)} message(s) back to {args.to}.")
    return 0


def cmd_empty(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    if not args.yes:
        if not stdin_is_terminal():
            raise CancelledError("Not emptied: confirm with --yes when not running interactively.")
        answer = input("Erase everything in Trash for good? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise CancelledError("Not emptied.")
    emptied = run_once(ctx, account, empty_job(account.folders))
    print(f"Erased {emptied.removed} message(s) from {emptied.trash}.")
    if emptied.originals_removed:
        print(f"Also erased {emptied.originals_removed} original(s) Delete had marked.")
    if emptied.originals_left:
        print(
            f"{emptied.originals_left} original(s) stay marked as deleted in the mailbox: "
            "this server can only erase them all at once, which Mailwise never does for you."
        )
    return 0
