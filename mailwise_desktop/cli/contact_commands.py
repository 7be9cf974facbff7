"""`mailwise contacts`: the shared address book and each contact's handling history.

``list`` (cards and senders, duplicates merged by address), ``show ADDRESS``
or ``show --company NAME`` (the contact page: card, every conversation with
its state, owner, times and notes, every mail), ``edit ADDRESS --name ...``,
``bulk ADDRESS... --add-tag T --remove-tag T --company C``, ``delete
ADDRESS``, ``import FILE`` (.csv in UTF-8 or Shift_JIS, or .vcf) and
``export FILE [--encoding shift_jis]`` (.csv or .vcf by the name).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.contact_cards import ContactCard, canonical_address, card_from
from mailwise_desktop.core.contact_files import (
    SHIFT_JIS,
    LostCharacter,
    read_csv,
    read_vcards,
    write_csv,
    write_vcards,
)
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.address_book import SaveOutcome
from mailwise_desktop.services.contact_history import ContactHistory
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once

ACTIONS = ["list", "show", "edit", "bulk", "delete", "import", "export"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("contacts", help="the address book: senders and their handling history")
    p.add_argument("action", nargs="?", default="list", choices=ACTIONS)
    p.add_argument("targets", nargs="*", help="address(es), or the file to import / export")
    p.add_argument("--company", help="show: a company's page; edit / bulk: set the company")
    for name in ("name", "department", "phone", "memo"):
        p.add_argument(f"--{name}")
    p.add_argument("--tags", help="edit: the tags, separated by ';'")
    p.add_argument("--add-tag", action="append", default=[])
    p.add_argument("--remove-tag", action="append", default=[])
    p.add_argument("--vip", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--do-not-contact", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--encoding", choices=["utf-8", "shift_jis"], default="utf-8")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_contacts)


def _hours(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 3600:.1f} h"


def _card_json(card: ContactCard | None) -> dict[str, Any] | None:
    return None if card is None else {**asdict(card), "tags": list(card.tags)}


def _saved(outcome: SaveOutcome, as_json: bool) -> int:
    if as_json:
        dump(asdict(outcome))
    else:
        print(f"{outcome.added} added, {outcome.changed} changed, {outcome.unchanged} unchanged.")
    return 0


def cmd_contacts(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    services = AccountServices(ctx, account)
    book, history = services.address_book, services.contact_history
    if args.action == "list":
        return _list(history, args.json)
    if args.action == "show":
        return _show(history, args)
    if args.action == "edit":
        if len(args.targets) != 1 or not canonical_address(args.targets[0]):
            raise UsageError("Use: mailwise contacts edit ADDRESS [--name ...] [--vip] ...")
        before = book.card(args.targets[0])
        card = before or ContactCard(args.targets[0])
        values = {n: getattr(args, n) for n in ("name", "company", "department", "phone", "memo")}
        changed = replace(card, **{k: v for k, v in values.items() if v is not None})
        if args.tags is not None:
            changed = replace(changed, tags=card_from({"tags": args.tags}).tags)
        for flag in ("vip", "do_not_contact"):
            if getattr(args, flag) is not None:
                changed = replace(changed, **{flag: getattr(args, flag)})
        return _saved(run_once(ctx, account, book.edit_job(before, changed)), args.json)
    if args.action == "bulk":
        job = book.bulk_job(
            args.targets, add_tags=args.add_tag, remove_tags=args.remove_tag, company=args.company
        )
        return _saved(run_once(ctx, account, job), args.json)
    if args.action == "delete":
        if len(args.targets) != 1:
            raise UsageError("Use: mailwise contacts delete ADDRESS")
        return _saved(run_once(ctx, account, book.delete_job(args.targets[0])), args.json)
    if len(args.targets) != 1:
        raise UsageError(f"Use: mailwise contacts {args.action} FILE (.csv or .vcf)")
    path = Path(args.targets[0])
    vcard = path.suffix.lower() in (".vcf", ".vcard")
    if args.action == "import":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        cards, problems = read_vcards(data) if vcard else read_csv(data)
        for problem in problems:
            print(
                f"{path.name} line {problem.line}: {problem.reason} (not imported)", file=sys.stderr
            )
        if not cards:
            print("No contacts to import.")
            return 1 if problems else 0
        return _saved(run_once(ctx, account, book.save_job(cards, keep_existing=True)), args.json)
    cards = sorted(book.cards().values(), key=lambda c: c.key)
    lost: list[LostCharacter] = []
    if vcard:
        data = write_vcards(cards)
    else:
        data, lost = write_csv(cards, SHIFT_JIS if args.encoding == "shift_jis" else "utf-8-sig")
    path.write_bytes(data)
    for item in lost:
        print(f"row {item.row}, {item.column}: {item.character!r} is not in Shift_JIS, written as '?'",
              file=sys.stderr)  # fmt: skip
    print(f"{len(cards)} contacts written to {path}.")
    return 0


def _list(history: ContactHistory, as_json: bool) -> int:
    cards = history.book.cards()
    derived = {c.address: c for c in history.derived.contacts()}
    keys = sorted(
        set(cards) | set(derived), key=lambda k: (-(derived[k].mails if k in derived else 0), k)
    )
    rows: list[dict[str, Any]] = []
    for key in keys:
        card, seen = cards.get(key), derived.get(key)
        rows.append({
            "address": card.address if card else key,
            "name": (card.name if card else "") or (seen.name if seen else ""),
            "organisation": (card.company if card else "") or (seen.organisation if seen else ""),
            "mails": seen.mails if seen else 0,
            "open": seen.open if seen else 0,
            "last": seen.last.isoformat() if seen and seen.last else None,
            "card": _card_json(card),
        })  # fmt: skip
    if as_json:
        dump(rows)
        return 0
    for r in rows:
        marks = "".join(m for m, on in (("VIP ", r["card"] and r["card"]["vip"]),
                                         ("(do not contact)", r["card"] and r["card"]["do_not_contact"])) if on)  # fmt: skip
        print(f"{r['address']:<36} {r['name']:<20} {r['organisation']:<24} "
              f"{r['mails']:>4} mails, {r['open']} open {marks}".rstrip())  # fmt: skip
    return 0


def _show(history: ContactHistory, args: argparse.Namespace) -> int:
    if args.company:
        addresses = history.company_addresses(args.company)
        card = None
    elif len(args.targets) == 1 and canonical_address(args.targets[0]):
        addresses = {canonical_address(args.targets[0])}
        card = history.book.card(args.targets[0])
    else:
        raise UsageError("Use: mailwise contacts show ADDRESS, or show --company NAME")
    lines = history.conversations(addresses)
    mails = history.derived.page(addresses)
    if args.json:
        dump({
            "card": _card_json(card),
            "addresses": sorted(addresses),
            "conversations": [{
                "subject": c.subject, "mails": c.mails, "state": c.state, "owner": c.owner,
                "started": c.started.isoformat() if c.started else None,
                "last": c.last.isoformat() if c.last else None,
                "first_response_seconds": c.first_response_seconds,
                "resolution_seconds": c.resolution_seconds, "notes": list(c.notes),
                "addresses": list(c.addresses)} for c in lines],
            "mails": [{"mailbox": m.mailbox, "uid": m.uid, "subject": m.subject,
                       "date": m.date.isoformat() if m.date else None, "state": m.state,
                       "owner": m.owner, "first_response_seconds": m.first_response_seconds,
                       "resolution_seconds": m.resolution_seconds} for m in mails],
        })  # fmt: skip
        return 0
    if card is not None:
        flags = ", ".join(
            f for f, on in (("VIP", card.vip), ("do not contact", card.do_not_contact)) if on
        )
        print(
            f"{card.name or card.address}  {card.company} {card.department}  {card.phone}  {flags}".rstrip()
        )
        if card.tags:
            print("tags: " + ", ".join(card.tags))
        if card.memo:
            print(card.memo)
    if not lines:
        print("No mail from " + (args.company or args.targets[0]) + " in the cache.")
    for c in lines:
        when = c.last.astimezone().strftime("%Y-%m-%d %H:%M") if c.last else "?"
        print(f"{when}  {c.state:<16} {c.owner or '-':<10} {c.mails} mail(s), "
              f"reply {_hours(c.first_response_seconds)}, resolved {_hours(c.resolution_seconds)}  {c.subject}")  # fmt: skip
        for note in c.notes:
            print(f"    note: {note}")
    return 0
