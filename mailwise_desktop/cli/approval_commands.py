"""`mailwise approvals`: the approval queue (確認者) and the team's approval rules.

``mailwise approvals`` lists what waits for me; ``show ID`` prints the mail
as the customer will get it; ``approve ID`` / ``return ID --comment``
decide; ``history`` lists my requests and their decisions; ``rules`` shows
and ``rules set KEY VALUE`` changes what needs approval.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.send.approval_records import ApprovalCase, customer_view
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("approvals", help="mail waiting for approval; approve or send back")
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "show", "approve", "return", "history", "rules"],
    )
    p.add_argument("args", nargs="*", help="the request id (or: rules set KEY VALUE)")
    p.add_argument("--comment", default="", help="why (needed to send back)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_approvals)


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")


def case_json(case: ApprovalCase) -> dict[str, object]:
    return {
        "id": case.request_id,
        "state": case.state.value,
        "requester": case.requester,
        "subject": case.subject,
        "recipients": list(case.recipients),
        "reasons": [r.message for r in case.reasons],
        "sha256": case.sha256,
        "requested": case.created,
        "decisions": [
            {
                "actor": d.actor,
                "decision": d.decision,
                "comment": d.comment,
                "time": d.created,
                "counts": d.counts,
            }
            for d in case.decisions
        ],
    }


def cmd_approvals(ctx: AppContext, args: argparse.Namespace) -> int:
    service = AccountServices(ctx, ctx.account(args.account)).sending
    approvals = service.approvals
    if args.action == "rules":
        if args.args[:1] == ["set"] and len(args.args) == 3:
            rules = approvals.set_rule(args.args[1], args.args[2])
        elif not args.args:
            service.refresh_team()
            rules = approvals.rules()
        else:
            raise UsageError("Use: mailwise approvals rules [set KEY VALUE]")
        if args.json:
            dump(rules.to_json())
        else:
            for key, value in rules.to_json().items():
                shown = ", ".join(value) if isinstance(value, list) else value
                print(f"{key:<24} {shown}")
        return 0
    if args.action in {"list", "history"}:
        cases = approvals.queue() if args.action == "list" else approvals.mine()
        if args.json:
            dump([case_json(c) for c in cases])
            return 0
        if not cases:
            print("Nothing waits for your approval." if args.action == "list" else "No requests.")
        for case in cases:
            who = service.roster().by_id(case.requester)
            name = who.name if who else case.requester
            print(f"{case.short_id}  {_when(case.created)}  {name}  {case.subject}")
            print(
                f"          to {', '.join(case.recipients)} — {' '.join(r.message for r in case.reasons)}"
            )
            for d in case.decisions:
                mark = "" if d.counts else " (too late, does not count)"
                note = f": {d.comment}" if d.comment else ""
                print(f"          {_when(d.created)} {d.actor} {d.decision}{note}{mark}")
        return 0
    if len(args.args) != 1:
        raise UsageError(f"mailwise approvals {args.action} needs the request id.")
    if args.action == "show":
        service.refresh_team()
        case = approvals.find(args.args[0])
        if args.json:
            dump({**case_json(case), "text": customer_view(case.raw)})
        else:
            print(customer_view(case.raw))
        return 0
    case = approvals.decide(args.args[0], approve=args.action == "approve", comment=args.comment)
    verb = "Approved" if args.action == "approve" else "Sent back"
    print(f"{verb}: {case.subject} (the sender's outbox sends it once approved).")
    return 0
