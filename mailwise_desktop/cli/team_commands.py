"""`mailwise team add|import|list|remove|status|check` and `mailwise me [ID]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.errors import (
    ConnectionLostError,
    ExitCode,
    MailwiseError,
    UnreachableError,
)
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, read_csv


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    team = sub.add_parser("team", help="the team roster: who can take messages")
    actions = team.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="add a teammate (gets the next owner slot)")
    add.add_argument("id", help="short ASCII id, e.g. sato")
    add.add_argument("--name", required=True, help="display name, e.g. 佐藤")
    add.add_argument("--email", default="", help="their own address")
    add.set_defaults(handler=cmd_add)

    imp = actions.add_parser("import", help="add teammates from a CSV file (id,name,email)")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=cmd_import)

    lst = actions.add_parser("list", help="list the roster")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--offline", action="store_true", help="only what the cache holds")
    lst.set_defaults(handler=cmd_list)

    remove = actions.add_parser("remove", help="retire a teammate (their slot is never reused)")
    remove.add_argument("id")
    remove.set_defaults(handler=cmd_remove)

    status = actions.add_parser("status", help="can this account share handling state? who am I?")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)

    check = actions.add_parser(
        "check", help="list team-mailbox records that are not used (UID, kind, what is wrong)"
    )
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_check)

    mode = actions.add_parser(
        "mode", help="how a mailbox keeps who handles what (labels or the team log); switch it"
    )
    mode.add_argument("to", nargs="?", choices=("log", "keywords"), help="switch to this mode")
    mode.add_argument("--mailbox", default="INBOX")
    mode.add_argument("--json", action="store_true")
    mode.set_defaults(handler=cmd_mode)

    me = sub.add_parser("me", help="say which teammate uses this profile (or show it)")
    me.add_argument("id", nargs="?")
    me.set_defaults(handler=cmd_me)


def teammate_json(t: Teammate) -> dict[str, object]:
    return t.to_json()


def _refresh(ctx: AppContext, service: CoordinationService) -> None:
    try:
        run_once(ctx, service.account, service.refresh_team_job())
    except (UnreachableError, ConnectionLostError) as exc:
        print(f"mailwise: offline, showing the cached roster ({exc.message})", file=sys.stderr)


def cmd_add(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    row = TeammateRow(args.id, args.name, args.email)
    teammate = run_once(ctx, account, AccountServices(ctx, account).team.add_job(row))
    print(f"{teammate.name} ({teammate.id}) is on the team, owner slot {teammate.slot}.")
    return 0


def cmd_import(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    rows = read_csv(args.file)
    added = run_once(ctx, account, AccountServices(ctx, account).team.import_job(rows))
    for t in added:
        print(f"{t.id}\t{t.name}\tslot {t.slot}")
    print(f"{len(added)} teammate(s) on the roster from {args.file}.")
    return 0


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    if not args.offline:
        _refresh(ctx, service)
    roster = service.roster()
    me = service.me()
    if args.json:
        dump(
            {
                "account": account.id,
                "me": me.id if me else None,
                "teammates": [teammate_json(t) for t in roster],
            }
        )
        return 0
    if not roster:
        print("Nobody on the roster yet. Add people with: mailwise team add ID --name NAME")
    for t in roster:
        marks = (" (me)" if me and me.id == t.id else "") + ("" if t.active else " (removed)")
        print(f"{t.slot:>3}  {t.id:<16} {t.name}  {t.email}{marks}")
    return 0


def cmd_check(ctx: AppContext, args: argparse.Namespace) -> int:
    """Every refused record; exit TEAM_PROBLEMS when there is one, 0 when all are fine."""
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    problems = run_once(ctx, account, service.team_problems_job())
    if args.json:
        dump(
            {
                "account": account.id,
                "team_mailbox": service.log.name,
                "problems": [
                    {"uid": p.uid, "kind": p.kind, "problems": list(p.problems)} for p in problems
                ],
            }
        )
    elif not problems:
        print(f"Every record in the team mailbox {service.log.name} is fine.")
    else:
        for p in problems:
            print(f"UID {p.uid}\t{p.kind or '(no kind)'}\t" + "; ".join(p.problems))
        print(
            f"{len(problems)} record(s) in {service.log.name} are not used: "
            "nobody's app applies them. Whoever wrote them can write them again correctly."
        )
    return int(ExitCode.TEAM_PROBLEMS) if problems else 0


def cmd_remove(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    retired = run_once(ctx, account, AccountServices(ctx, account).team.remove_job(args.id))
    print(f"{retired.name} ({retired.id}) removed; owner slot {retired.slot} stays retired.")
    return 0


def cmd_status(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    problem: str | None = None
    try:
        run_once(ctx, account, service.check_job())
    except MailwiseError as exc:
        problem = exc.message
    identity = service.log.identity()
    checks = {name: service.readiness(name) for name in account.folders}
    pending = service.log.pending()
    if args.json:
        dump(
            {
                "account": account.id,
                "team_mailbox": service.log.name,
                "me": identity.teammate.id if identity.teammate else None,
                "identity": identity.source,
                "mailboxes": {
                    name: None
                    if c is None
                    else {"ready": c.ready, "reasons": list(c.reasons), "checked": c.checked}
                    for name, c in checks.items()
                },
                "pending_records": pending,
                "problem": problem,
            }
        )
        return 0
    who = identity.teammate
    how = {"declared": "declared with mailwise me", "login": "from the login"}.get(
        identity.source or "", ""
    )
    print(f"Me: {who.name} ({who.id}), {how}" if who else "Me: not set (mailwise me ID)")
    for name, c in checks.items():
        if c is None:
            print(f"{name}: not checked yet")
        elif c.ready and c.reasons:  # Mode B: the reason says the team log decides
            print(f"{name}: ready for team handling. {c.reasons[0]}")
        elif c.ready:
            print(f"{name}: ready for team handling (keywords, CONDSTORE, write rights)")
        else:
            print(f"{name}: team handling is off: " + "; ".join(c.reasons))
    print(f"Team mailbox: {service.log.name}; records waiting to be sent: {pending}")
    if problem:
        print(f"Problem: {problem}")
    return 0


def cmd_me(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    services = AccountServices(ctx, account)
    service = services.coordination
    if args.id is None:
        identity = service.log.identity()
        if identity.teammate is None:
            print("Not set. Say who you are with: mailwise me ID")
            return 1
        print(f"{identity.teammate.name} ({identity.teammate.id})")
        return 0
    team = services.team
    if team.log.roster().by_id(args.id) is None:
        _refresh(ctx, service)
    teammate = team.set_me(args.id)
    print(f"This profile acts as {teammate.name} ({teammate.id}).")
    return 0


def cmd_mode(ctx: AppContext, args: argparse.Namespace) -> int:
    """Show a mailbox's mode, or switch it with its state kept (docs/COORDINATION.md)."""
    from mailwise_desktop.core.log_modes import Authority
    from mailwise_desktop.services.mode_switch import mode_job

    account = ctx.account(args.account)
    service = AccountServices(ctx, account).coordination
    to = Authority(args.to) if args.to else None
    status = run_once(ctx, account, mode_job(service, args.mailbox, to))
    if args.json:
        dump(status.to_json())
        return 0
    if status.outcome is not None:
        print(status.outcome.message)
    words = {Authority.LOG: "the team log (Mode B)", Authority.KEYWORDS: "labels (Mode A)"}
    how = ""
    if status.link is not None:
        why = "automatically" if status.link.auto else "by a team decision"
        how = f" (set {why}, by {status.link.actor})"
    print(f"{status.mailbox}: kept by {words[status.authority]}{how}.")
    print(status.explain)
    return 0
