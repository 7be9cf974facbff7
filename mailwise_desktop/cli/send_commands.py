"""`mailwise reply|outbox|template|policy`: replying and sending from the command line.

``reply`` without ``--send`` prints the draft and every check's finding;
with ``--send --yes`` it goes through the same checks and the same outbox as
the window (undo window included: Ctrl+C during it takes the mail back).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mailwise_desktop.cli.output import dump, size_text
from mailwise_desktop.core.errors import (
    BlockedError,
    CancelledError,
    HeldByOtherError,
    SendError,
    StorageError,
    TooLargeError,
    UsageError,
)
from mailwise_desktop.send.checks import Severity
from mailwise_desktop.send.compose import full_text
from mailwise_desktop.send.draft import Draft, ReplyKind
from mailwise_desktop.send.outbox import OutboxItem, OutboxState
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sending import CheckReport, SendingService
from mailwise_desktop.templates.records import TemplateRecord, validate_name
from mailwise_desktop.templates.render import check_template
from mailwise_desktop.templates.variables import sample_variables


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reply = sub.add_parser("reply", help="reply to a message (prints the draft; --send sends)")
    reply.add_argument("uid", type=int)
    reply.add_argument("--mailbox", default="INBOX")
    reply.add_argument("--all", action="store_true", help="reply to all")
    reply.add_argument("--template", help="fill the body from this template")
    reply.add_argument("--body-file", type=Path, help="the new text (UTF-8) instead of a template")
    reply.add_argument("--attach", nargs="+", default=[], metavar="FILE", help="files to attach")
    reply.add_argument("--send", action="store_true", help="send after the checks")
    reply.add_argument("--yes", action="store_true", help="confirm every check that asks")
    reply.add_argument("--take-over", action="store_true", help="take it from a teammate")
    reply.add_argument("--json", action="store_true")
    reply.set_defaults(handler=cmd_reply)

    outbox = sub.add_parser("outbox", help="show the outbox; retry, undo or resolve a mail")
    outbox.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "process", "retry", "undo", "send-anyway", "send-again", "mark-sent"],
    )
    outbox.add_argument("id", nargs="?", type=int)
    outbox.add_argument("--json", action="store_true")
    outbox.set_defaults(handler=cmd_outbox)

    template = sub.add_parser("template", help="reply templates (personal, or --shared)")
    actions = template.add_subparsers(dest="action", required=True)
    lst = actions.add_parser("list")
    lst.add_argument("--json", action="store_true")
    for name in ("show", "remove"):
        p = actions.add_parser(name)
        p.add_argument("name")
        p.add_argument("--shared", action="store_true")
    for name in ("add", "edit"):
        p = actions.add_parser(name)
        p.add_argument("name")
        p.add_argument("--shared", action="store_true", help="for the whole team")
        p.add_argument("--body-file", type=Path, help="the template text (UTF-8)")
        p.add_argument("--subject")
        p.add_argument("--fallback", action="append", default=[], metavar="VAR=TEXT")
        p.add_argument("--attachments-expected", action="store_true")
    template.set_defaults(handler=cmd_template)

    policy = sub.add_parser("policy", help="the team's sending policy")
    pactions = policy.add_subparsers(dest="action", required=True)
    show = pactions.add_parser("show")
    show.add_argument("--json", action="store_true")
    pset = pactions.add_parser("set")
    pset.add_argument("key")
    pset.add_argument("value")
    policy.set_defaults(handler=cmd_policy)


def _service(ctx: AppContext, args: argparse.Namespace) -> SendingService:
    return AccountServices(ctx, ctx.account(args.account)).sending


# ---------------------------------------------------------------------- reply


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"{path} cannot be read as UTF-8 text.", detail=str(exc)) from exc


def cmd_reply(ctx: AppContext, args: argparse.Namespace) -> int:
    service = _service(ctx, args)
    service.refresh_team()
    kind = ReplyKind.REPLY_ALL if args.all else ReplyKind.REPLY
    draft = service.reply_draft(args.uid, args.mailbox, kind=kind, template=args.template)
    if args.body_file is not None:
        signature = service.signature()
        text = _read_text(args.body_file).rstrip("\n")
        draft = draft.with_changes(body=f"{text}\n\n{signature}" if signature else text)
    for file in args.attach:
        draft = service.attach(draft, file)
    draft = draft.with_changes(take_over=args.take_over)
    if args.send:
        claim = service.claim_for_reply(args.uid, args.mailbox, take_over=args.take_over)
        if claim.held_by and not args.take_over:
            raise HeldByOtherError(
                f"{claim.held_by} is handling this message. Add --take-over to reply anyway."
            )
    draft = service.with_snapshot(draft)
    report = service.check(draft, collision=service.server_collision(draft), exact_size=True)
    if args.json:
        dump(_report_json(report))
    else:
        _print_report(report)
    if not args.send:
        return 1 if report.blocked else 0
    if report.blocked:
        first = report.blocked[0]
        error = TooLargeError if first.code == "too_large" else BlockedError
        raise error(f"Not sent: {first.message}")
    asks = [f for f in report.findings if f.severity is Severity.CONFIRM]
    if asks and not args.yes:
        raise CancelledError(f"Not sent: {len(asks)} check(s) need confirmation; add --yes.")
    if not args.yes:
        raise CancelledError("Not sent: add --yes to confirm the recipients and attachments.")
    item = service.enqueue(draft, report)
    if item.state is OutboxState.APPROVAL:
        return _outcome(item)
    wait = max(0.0, item.send_after - item.created)
    if wait:
        print(f"Sending in {wait:g} s — press Ctrl+C to undo.", file=sys.stderr)
    try:
        done = service.wait_and_process(item)
    except KeyboardInterrupt:
        service.undo(item.id)
        print("Undone: the mail was not sent; the draft is kept.", file=sys.stderr)
        return int(CancelledError.exit_code)
    return _outcome(done)


def _outcome(item: OutboxItem) -> int:
    if item.state is OutboxState.APPROVAL:
        print(
            f"Waiting for approval: {item.subject}. It is sent once a teammate approves it "
            f"(see: mailwise outbox; take it back: mailwise outbox undo {item.id})."
        )
        return 0
    if item.state in (OutboxState.SENT, OutboxState.ACCEPTED):
        extra = f" ({item.last_error})" if item.last_error else ""
        print(f"Sent: {item.subject} <{item.message_id}>{extra}")
        return 0
    if item.state is OutboxState.HELD:
        raise HeldByOtherError(
            f"Held, not sent: {item.last_error}. See: mailwise outbox; "
            f"send anyway: mailwise outbox send-anyway {item.id}"
        )
    if item.state is OutboxState.UNKNOWN:
        raise SendError(
            f"{item.last_error} It stays in the outbox (id {item.id}): "
            f"mailwise outbox send-again {item.id} or mark-sent {item.id}."
        )
    raise SendError(
        f"Not sent, kept in the outbox (id {item.id}): {item.last_error} "
        f"Retry: mailwise outbox retry {item.id}"
    )


def _print_report(report: CheckReport) -> None:
    d = report.draft
    print(f"From:    {d.from_name} <{d.from_address}>")
    for label, people in (("To", d.to), ("Cc", d.cc), ("Bcc", d.bcc)):
        if people:
            print(f"{label + ':':<8} {', '.join(p.display() for p in people)}")
    print(f"Subject: {d.subject}")
    for a in d.attachments:
        print(f"Attach:  {a.filename} ({size_text(a.size)})")
    print()
    print((report.text or full_text(d)).rstrip("\n"))
    print()
    print(f"Checks ({size_text(report.size)} encoded):")
    if not report.findings:
        print("  ok      nothing to report")
    for f in report.findings:
        print(f"  {f.severity.value:<7} {f.message}")


def _report_json(report: CheckReport) -> dict[str, object]:
    return {
        "draft": report.draft.to_json(),
        "text": report.text or full_text(report.draft),
        "size": report.size,
        "findings": [
            {"code": f.code, "severity": f.severity.value, "message": f.message, "params": f.params}
            for f in report.findings
        ],
        "blocked": bool(report.blocked),
    }


# ---------------------------------------------------------------------- outbox


def _item_json(item: OutboxItem) -> dict[str, object]:
    return {
        "id": item.id,
        "state": item.state.value,
        "subject": item.subject,
        "message_id": item.message_id,
        "recipients": list(item.rcpt),
        "attempts": item.attempts,
        "error": item.last_error,
        "server_reply": item.server_reply,
        "send_after": item.send_after,
    }


def cmd_outbox(ctx: AppContext, args: argparse.Namespace) -> int:
    service = _service(ctx, args)
    outbox = service.outbox
    if args.action not in {"list", "process"} and args.id is None:
        raise UsageError(
            f"mailwise outbox {args.action} needs the mail's id (see: mailwise outbox)."
        )
    if args.action == "retry":
        outbox.retry(args.id)
    elif args.action == "undo":
        draft: Draft = service.undo(args.id)
        print(f"Back in drafts: {draft.subject} (draft {draft.id})")
        return 0
    elif args.action == "send-anyway":
        service.send_anyway(args.id)
    elif args.action == "send-again":
        if not service.resolve_unknown(args.id):
            outbox.retry(args.id, resend_unknown=True)
    elif args.action == "mark-sent":
        outbox.confirm_sent(args.id)
    if args.action != "list":
        service.process_outbox()
    items = outbox.items(service.account.id)
    if args.json:
        dump([_item_json(i) for i in items])
        return 0
    if not items:
        print("The outbox is empty.")
    for i in items:
        note = f"  — {i.last_error}" if i.last_error else ""
        reply = f" [{i.server_reply}]" if i.server_reply and i.state is OutboxState.FAILED else ""
        print(f"{i.id:>5} {i.state.value:<10} {i.subject}{note}{reply}")
    return 0


# ---------------------------------------------------------------------- templates


def _parse_fallbacks(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(
                f"--fallback takes VAR=TEXT, e.g. customer.name=ご担当者; not {item!r}"
            )
        out[key.strip()] = value
    return out


def cmd_template(ctx: AppContext, args: argparse.Namespace) -> int:
    service = _service(ctx, args)
    if args.action == "list":
        service.refresh_team()
        templates = service.templates()
        if args.json:
            dump([{**t.to_json(), "shared": t.shared} for t in templates])
            return 0
        for t in templates:
            print(f"{'shared ' if t.shared else 'personal'} {t.name}")
        return 0
    shared = args.shared
    if args.action == "show":
        t = service.template(args.name, shared=True if shared else None)
        print(f"# {t.name} ({'shared' if t.shared else 'personal'})")
        if t.subject:
            print(f"# subject: {t.subject}")
        print(t.body)
        return 0
    if args.action == "remove":
        if shared:
            service.refresh_team()
        service.remove_template(args.name, shared=shared)
        print(f"Removed {args.name}")
        return 0
    name = validate_name(args.name)
    if args.action == "edit":
        if shared:
            service.refresh_team()
        base = service.template(name, shared=shared)
    else:
        base = TemplateRecord(name=name, body="", shared=shared)
    body = _read_text(args.body_file) if args.body_file else base.body
    if not body.strip():
        raise UsageError("A template needs a body: --body-file FILE")
    fallbacks = {**base.fallbacks, **_parse_fallbacks(args.fallback)}
    record = TemplateRecord(
        name=name,
        body=body,
        subject=args.subject if args.subject is not None else base.subject,
        to=base.to,
        cc=base.cc,
        attachments_expected=args.attachments_expected or base.attachments_expected,
        fallbacks=fallbacks,
        shared=shared,
    )
    for text in (record.body, record.subject):
        problems = check_template(text, sample_variables("ja"))
        if problems:
            p = problems[0]
            where = f" (line {p.line})" if p.line else ""
            raise UsageError(f"The template has a problem{where}: {p.message}")
    on_server = service.save_template(record)
    where = "for the team" if shared else "personal"
    queued = "" if on_server else " (queued: the server will get it on the next sync)"
    print(f"Saved {name} ({where}){queued}")
    return 0


# ---------------------------------------------------------------------- policy


def cmd_policy(ctx: AppContext, args: argparse.Namespace) -> int:
    service = _service(ctx, args)
    if args.action == "set":
        policy = service.set_policy(args.key, args.value)
        print(f"{args.key} = {policy.to_json()[args.key]}")
        return 0
    service.refresh_team()
    data = service.policy().to_json()
    if args.json:
        dump(data)
        return 0
    for key, value in data.items():
        print(f"{key:<20} {value}")
    return 0
