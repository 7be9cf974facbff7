"""`mailwise account add|list|remove`."""

from __future__ import annotations

import argparse
import sys

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.accounts import IMAP_PORTS, Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.errors import CancelledError, UsageError
from mailwise_desktop.services.accounts import AccountService
from mailwise_desktop.services.context import AppContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    account = sub.add_parser("account", help="add, list or remove shared mailbox accounts")
    actions = account.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="add a shared mailbox (checks the login once)")
    add.add_argument("id", help="short name for the account, e.g. support")
    add.add_argument("--host", required=True, help="IMAP server host name")
    add.add_argument("--port", type=int, help="IMAP port (default 993 for tls, 143 otherwise)")
    add.add_argument("--security", choices=[s.value for s in Security], default="tls")
    add.add_argument("--user", required=True, help="login name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (one line; a second line is the "
        "SMTP password when --smtp-user is given)",
    )
    add.add_argument("--ca-file", help="PEM file of a private CA to trust")
    add.add_argument("--pin-sha256", help="trust exactly this certificate (SHA-256 fingerprint)")
    add.add_argument("--address", default="", help="the shared address, e.g. support@example.jp")
    add.add_argument("--smtp-host", help="SMTP submission host (default: the IMAP host)")
    add.add_argument("--smtp-port", type=int, help="SMTP port (default 465 tls, 587 starttls)")
    add.add_argument("--smtp-security", choices=[s.value for s in Security])
    add.add_argument("--smtp-user", help="SMTP login when it differs from the IMAP one")
    add.add_argument("--smtp-ca-file", help="PEM file of the SMTP server's CA (default: --ca-file)")
    add.add_argument("--smtp-pin-sha256", help="trust exactly this SMTP server certificate")
    add.add_argument(
        "--folder", action="append", dest="folders", help="folder to keep offline (repeatable)"
    )
    add.set_defaults(handler=cmd_add)

    lst = actions.add_parser("list", help="list accounts")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)

    remove = actions.add_parser("remove", help="remove an account and its local data")
    remove.add_argument("id")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    remove.set_defaults(handler=cmd_remove)


def _read_passwords(args: argparse.Namespace) -> tuple[str, str | None]:
    if not args.password_stdin:
        raise UsageError(
            "Give the password on standard input with --password-stdin "
            "(never as an argument: it would show in the process list)."
        )
    lines = sys.stdin.read().splitlines()
    if not lines or not lines[0]:
        raise UsageError("No password was given on standard input.")
    smtp = lines[1] if args.smtp_user and len(lines) > 1 else None
    return lines[0], smtp


def cmd_add(ctx: AppContext, args: argparse.Namespace) -> int:
    password, smtp_password = _read_passwords(args)
    security = Security(args.security)
    pin = args.pin_sha256.replace(":", "").lower() if args.pin_sha256 else None
    imap = Endpoint(
        host=args.host,
        port=args.port or IMAP_PORTS[security],
        security=security,
        user=args.user,
        ca_file=args.ca_file,
        pin_sha256=pin,
    )
    smtp = default_smtp(
        imap,
        host=args.smtp_host,
        port=args.smtp_port,
        security=Security(args.smtp_security) if args.smtp_security else None,
        user=args.smtp_user,
        ca_file=args.smtp_ca_file,
        pin_sha256=args.smtp_pin_sha256.replace(":", "").lower() if args.smtp_pin_sha256 else None,
    )
    account = Account(
        id=args.id,
        imap=imap,
        smtp=smtp,
        address=args.address or (args.user if "@" in args.user else ""),
        folders=tuple(args.folders or ["INBOX"]),
    )
    added = AccountService(ctx).add(account, password, smtp_password=smtp_password)
    for warning in added.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Added {account.id}: {account.imap.user} at {account.imap.host}:{account.imap.port}")
    for line in added.capabilities.describe():
        print(f"  {line}")
    for choice in added.modes:
        print(f"Team handling: {choice.explain()}")
    return 0


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    accounts = ctx.accounts()
    if args.json:
        dump([a.to_json() for a in accounts])
        return 0
    if not accounts:
        print("No accounts yet. Add one with: mailwise account add NAME --host HOST --user USER")
    for a in accounts:
        print(
            f"{a.id}\t{a.imap.user}@{a.imap.host}:{a.imap.port} ({a.imap.security})"
            f"\tSMTP {a.smtp.host}:{a.smtp.port} ({a.smtp.security})"
        )
    return 0


def cmd_remove(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CancelledError("Not removed: confirm with --yes when not running interactively.")
        answer = input(
            f"Remove {account.id} and delete its password, cache, drafts and outbox? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            raise CancelledError("Not removed.")
    AccountService(ctx).remove(account.id)
    print(f"Removed {account.id}.")
    return 0
