"""`mailwise claim|release|hold|resume|done|skip|reopen|transfer|note|history|repair`.

The same services as the UI (``services/coordination.py``), one job per
command through ``run_once``. A refused operation exits non-zero:
``ExitCode.HELD_BY_OTHER`` (11) when a teammate holds the message — the
message says who and since when — ``NOT_ALLOWED`` (12) when the state does
not allow it, ``CAPABILITY`` (13) when the mailbox cannot carry handling state.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from mailwise_desktop.cli.output import dump, iso
from mailwise_desktop.core.errors import ConnectionLostError, UnreachableError
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import OperationOutcome
from mailwise_desktop.services.runner import run_once

log = logging.getLogger(__name__)

_HELP = {
    Operation.CLAIM: "take a message: it is yours until you release, hand over or finish it",
    Operation.RELEASE: "give a message you hold back to the team (unhandled)",
    Operation.HOLD: "put a message you hold on hold",
    Operation.RESUME: "take a message you put on hold back into progress",
    Operation.DONE: "mark a message done (yours, or unhandled: quick close)",
    Operation.SKIP: "mark a message as needing no reply",
    Operation.REOPEN: "reopen a done / no-reply-needed message (it becomes yours)",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for operation, text in _HELP.items():
        parser = sub.add_parser(operation.value, help=text)
        _common(parser)
        parser.set_defaults(handler=cmd_operation, operation=operation)

    transfer = sub.add_parser("transfer", help="hand a message over to a teammate")
    _common(transfer)
    transfer.add_argument("--to", required=True, metavar="ID", help="the teammate's id")
    transfer.add_argument(
        "--take-over",
        action="store_true",
        help="take it from whoever holds it now (confirm with them first)",
    )
    transfer.set_defaults(handler=cmd_operation, operation=Operation.TRANSFER)

    note = sub.add_parser("note", help="leave a note on a message for the team")
    note.add_argument("uid", type=int)
    note.add_argument("text")
    note.add_argument("--mailbox", default="INBOX")
    note.set_defaults(handler=cmd_note)

    history = sub.add_parser("history", help="who did what with a message, and its notes")
    history.add_argument("uid", type=int)
    history.add_argument("--mailbox", default="INBOX")
    history.add_argument("--json", action="store_true")
    history.add_argument("--offline", action="store_true", help="only what the cache holds")
    history.set_defaults(handler=cmd_history)

    repair = sub.add_parser("repair", help="repair invalid handling state (one UID, or all found)")
    repair.add_argument("uid", type=int, nargs="?")
    repair.add_argument("--mailbox", default="INBOX")
    repair.set_defaults(handler=cmd_repair)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("uid", type=int, help="the message's UID (see mailwise list)")
    parser.add_argument("--mailbox", default="INBOX")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")


def outcome_json(outcome: OperationOutcome) -> dict[str, Any]:
    return {
        "operation": outcome.operation.value,
        "uid": outcome.uid,
        "won": outcome.won,
        "state": outcome.state.value,
        "owner": outcome.owner.id if outcome.owner else None,
        "owner_name": outcome.owner.name if outcome.owner else None,
        "holder_since": iso(outcome.holder_since),
        "refusal": outcome.refusal.value if outcome.refusal else None,
        "message": outcome.message,
    }


def cmd_operation(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    job = service.operation_job(
        args.operation,
        args.uid,
        mailbox=args.mailbox,
        target=getattr(args, "to", None),
        take_over=getattr(args, "take_over", False),
    )
    outcome = run_once(ctx, account, job)
    if args.json:
        dump(outcome_json(outcome))
    outcome.raise_if_refused()
    if not args.json:
        print(outcome.message)
    return 0


def cmd_note(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    run_once(ctx, account, service.note_job(args.uid, args.text, mailbox=args.mailbox))
    print("Note saved for the team.")
    return 0


def cmd_history(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    if not args.offline:
        try:
            run_once(ctx, account, service.refresh_team_job())
        except (UnreachableError, ConnectionLostError) as exc:
            print(f"mailwise: offline, showing the cached history ({exc.message})", file=sys.stderr)
    entries = service.history(args.uid, mailbox=args.mailbox)
    notes = service.notes(args.uid, mailbox=args.mailbox)
    if args.json:
        dump(
            {
                "uid": args.uid,
                "mailbox": args.mailbox,
                "history": [
                    {
                        "at": iso(e.at),
                        "actor": e.actor,
                        "actor_name": e.actor_name,
                        "operation": e.operation,
                        "from_state": e.from_state,
                        "to_state": e.to_state,
                        "owner": e.owner,
                        "owner_name": e.owner_name,
                        "summary": e.summary,
                    }
                    for e in entries
                ],
                "notes": [
                    {"at": iso(n.at), "actor": n.actor, "actor_name": n.actor_name, "text": n.text}
                    for n in notes
                ],
            }
        )
        return 0
    if not entries and not notes:
        print("No history yet.")
    for e in entries:
        print(f"{e.at.astimezone():%Y-%m-%d %H:%M}  {e.summary}")
    for n in notes:
        print(f"{n.at.astimezone():%Y-%m-%d %H:%M}  note by {n.actor_name}: {n.text}")
    return 0


def cmd_repair(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).repairs
    if args.uid is None:
        changes = run_once(ctx, account, service.repair_found_job(args.mailbox))
        repaired = sum(len(m.changed) for m in changes.mailboxes)
        print(f"{repaired} message(s) repaired." if repaired else "Nothing to repair.")
        return 0
    outcome = run_once(ctx, account, service.repair_job(args.uid, mailbox=args.mailbox))
    if outcome.repaired:
        owner = f", owner {outcome.owner}" if outcome.owner else ""
        print(f"Repaired ({', '.join(outcome.problems)}): now {outcome.state}{owner}.")
    elif outcome.problems:
        print("A teammate repaired it first; it is valid now.")
    else:
        print("Nothing to repair: its handling state is valid.")
    return 0
