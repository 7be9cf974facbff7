"""`mailwise conversations`: the conversation of a message, follow-up routing, the team rules.

``mailwise conversations show UID`` prints the whole conversation of an
INBOX message in order (customer mails, our replies, notes); ``route``
gives follow-ups to the conversation's holder now (the window does it
continuously); ``rules`` shows and ``rules set KEY VALUE`` changes
``reopen_days`` / ``route_follow_ups`` for the team.
"""

from __future__ import annotations

import argparse

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.conversations import EntryKind
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.store import queries

_MARK = {EntryKind.CUSTOMER: "customer", EntryKind.OURS: "our reply", EntryKind.NOTE: "note"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("conversations", help="a message's whole conversation; follow-up routing")
    p.add_argument("action", choices=["show", "route", "rules"])
    p.add_argument("args", nargs="*", help="UID (show), or: rules set KEY VALUE")
    p.add_argument("--mailbox", default="INBOX")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_conversations)


def cmd_conversations(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    services = AccountServices(ctx, account)
    if args.action == "rules":
        service = services.follow_ups
        if args.args[:1] == ["set"] and len(args.args) == 3:
            rules = run_once(ctx, account, service.set_rule_job(args.args[1], args.args[2]))
        elif not args.args:
            rules = service.rules()
        else:
            raise UsageError("Use: mailwise conversations rules [set KEY VALUE]")
        if args.json:
            dump(rules.to_json())
        else:
            for key, value in rules.to_json().items():
                print(f"{key:<18} {value}")
        return 0
    if args.action == "route":
        outcomes = run_once(ctx, account, services.follow_ups.route_job(args.mailbox))
        routed = [o for o in outcomes if o.routed]
        if args.json:
            dump([{"uid": o.uid, "owner": o.owner, "reason": o.reason} for o in routed])
        else:
            for o in routed:
                print(f"UID {o.uid}: given to {o.owner} ({o.reason})")
            if not routed:
                print("No follow-ups to route.")
        return 0
    if len(args.args) != 1 or not args.args[0].isdigit():
        raise UsageError("Use: mailwise conversations show UID")
    run_once(ctx, account, services.coordination.refresh_team_job())
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, account.id, args.mailbox)
        row = queries.message_by_uid(session, box.id, int(args.args[0]))
    conversations = services.conversations
    conversations.regroup()
    entries = conversations.thread(row.id)
    if args.json:
        dump(
            [
                {
                    "kind": str(e.kind),
                    "at": e.at.isoformat() if e.at else None,
                    "who": e.who,
                    "subject": e.subject,
                    "mailbox": e.mailbox or None,
                    "uid": e.uid or None,
                    "state": e.state or None,
                    "owner": e.owner,
                    "text": e.text,
                }
                for e in entries
            ]
        )
        return 0
    for e in entries:
        when = e.at.astimezone().strftime("%Y-%m-%d %H:%M") if e.at else "?"
        place = f" [{e.mailbox} {e.uid}]" if e.uid else ""
        state = f" — {e.state}" + (f" ({e.owner})" if e.owner else "") if e.state else ""
        print(f"{when}  {_MARK[e.kind]}: {e.who}{place}{state}")
        if e.subject:
            print(f"    {e.subject}")
        for line in e.text.strip().splitlines()[:6]:
            print(f"    | {line}")
    return 0
