"""`mailwise invite` (make an invitation) and `mailwise join` (set a profile up from one)."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from pathlib import Path

from mailwise_desktop.cli.account_commands import open_browser
from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.console import stdin_is_terminal, write_utf8
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.invitation import FILE_SUFFIX
from mailwise_desktop.core.keychain import require_keychain
from mailwise_desktop.services.accounts import AccountService
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.invitations import InvitationService, read_invitation
from mailwise_desktop.signin.token_endpoint import TokenSet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    invite = sub.add_parser(
        "invite", help="make an invitation file or code for a teammate (holds no password)"
    )
    invite.add_argument("--for", dest="teammate", default="", help="the roster id it is for")
    invite.add_argument(
        "--out", type=Path, help=f"write the invitation file here (e.g. sato{FILE_SUFFIX})"
    )
    invite.add_argument("--code", action="store_true", help="print a one-line code instead")
    invite.set_defaults(handler=cmd_invite)

    join = sub.add_parser("join", help="set this profile up from an invitation file or code")
    join.add_argument("invitation", help="the invitation file, or its code (MWINV1-…)")
    join.add_argument("--me", help="who you are on the roster (default: whom it is for)")
    join.add_argument("--as", dest="account_id", help="local name for the account")
    join.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (a second line: the SMTP password, "
        "when the invitation's SMTP login differs)",
    )
    join.add_argument(
        "--login", help="an invitation that signs in by browser: who you are (a hint for the page)"
    )
    join.add_argument("--json", action="store_true")
    join.set_defaults(handler=cmd_join)


def cmd_invite(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    invitation = InvitationService(ctx).create(account, teammate=args.teammate)
    if args.out:
        if args.code:
            raise UsageError("Choose one: --out FILE for a file, or --code for a code.")
        args.out.write_text(invitation.to_file_text(), encoding="utf-8")
        who = f" for {args.teammate}" if args.teammate else ""
        print(f"Invitation{who} written to {args.out}. It holds no password: tell it separately.")
        return 0
    if args.code:
        write_utf8(invitation.to_code() + "\n", sys.stdout)
    else:
        write_utf8(invitation.to_file_text(), sys.stdout)
    return 0


def _passwords(args: argparse.Namespace, user: str, smtp_user: str) -> tuple[str, str | None]:
    differs = smtp_user != user
    if args.password_stdin:
        lines = sys.stdin.read().splitlines()
        if not lines or not lines[0]:
            raise UsageError("No password was given on standard input.")
        return lines[0], (lines[1] if differs and len(lines) > 1 else None)
    if not stdin_is_terminal():
        raise UsageError(
            "Give the password on standard input with --password-stdin "
            "(never as an argument: it would show in the process list)."
        )
    password = getpass.getpass(f"Password for {user}: ")
    smtp = getpass.getpass(f"SMTP password for {smtp_user}: ") if differs else None
    return password, smtp


def cmd_join(ctx: AppContext, args: argparse.Namespace) -> int:
    invitation = read_invitation(args.invitation)
    account = invitation.account
    password: str | TokenSet
    smtp_password: str | None = None
    if account.oauth is not None:
        # The team's app registration came with the invitation: sign in as yourself.
        require_keychain()  # before the browser: the tokens could not be kept anywhere
        client = replace(account.oauth, login_hint=args.login or "")
        password = AccountService.sign_in(client, open_browser)
    else:
        password, smtp_password = _passwords(args, account.imap.user, account.smtp.user)
    joined = InvitationService(ctx).join(
        invitation,
        password,
        account_id=args.account_id,
        me=args.me,
        smtp_password=smtp_password,
    )
    added = joined.added
    if args.json:
        dump(
            {
                "account": added.account.id,
                "me": joined.me.id if joined.me else None,
                "roster": [t.to_json() for t in joined.roster.active],
                "warnings": list(joined.warnings),
            }
        )
        return 0
    for warning in joined.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"Joined {added.account.id}: {added.account.imap.user} at {added.account.imap.host}; "
        f"{len(joined.roster.active)} teammate(s) on the roster."
    )
    for choice in added.modes:
        print(f"Team handling: {choice.explain()}")
    if joined.me:
        print(f"This profile acts as {joined.me.name} ({joined.me.id}).")
    else:
        print("Say who you are with: mailwise me ID (mailwise team list shows the roster).")
    return 0
