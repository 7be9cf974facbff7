"""`mailwise contacts`: who writes to the team (derived from the cache) and one contact's history.

``mailwise contacts [list]`` lists senders (most mails first); ``mailwise
contacts show ADDRESS`` is the contact page: every mail from that address
with its state, owner, first-response and resolution times.
"""

from __future__ import annotations

import argparse

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.services.contacts import ContactService
from mailwise_desktop.services.context import AppContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("contacts", help="the address book: senders and their handling history")
    p.add_argument("action", nargs="?", default="list", choices=["list", "show"])
    p.add_argument("address", nargs="?", help="the contact's address (show)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_contacts)


def _hours(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 3600:.1f} h"


def cmd_contacts(ctx: AppContext, args: argparse.Namespace) -> int:
    service = ContactService(ctx, ctx.account(args.account))
    if args.action == "list":
        contacts = service.contacts()
        if args.json:
            dump([{"address": c.address, "name": c.name, "organisation": c.organisation,
                   "mails": c.mails, "open": c.open,
                   "last": c.last.isoformat() if c.last else None} for c in contacts])  # fmt: skip
            return 0
        for c in contacts:
            print(
                f"{c.address:<36} {c.name:<20} {c.organisation:<24} {c.mails:>4} mails, {c.open} open"
            )
        return 0
    if not args.address or "@" not in args.address:
        raise UsageError("Use: mailwise contacts show ADDRESS")
    mails = service.page(args.address)
    if args.json:
        dump([{"mailbox": m.mailbox, "uid": m.uid, "subject": m.subject,
               "date": m.date.isoformat() if m.date else None, "state": m.state, "owner": m.owner,
               "first_response_seconds": m.first_response_seconds,
               "resolution_seconds": m.resolution_seconds} for m in mails])  # fmt: skip
        return 0
    if not mails:
        print(f"No mail from {args.address} in the cache.")
    for m in mails:
        when = m.date.astimezone().strftime("%Y-%m-%d %H:%M") if m.date else "?"
        print(f"{when}  UID {m.uid:<6} {m.state:<16} {m.owner or '-':<10} "
              f"reply {_hours(m.first_response_seconds)}, resolved {_hours(m.resolution_seconds)}  {m.subject}")  # fmt: skip
    return 0
