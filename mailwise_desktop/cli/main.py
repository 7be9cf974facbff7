"""The ``mailwise`` command: a headless front end over the app's services.

Every failure meant for the user is a MailwiseError: printed as one line on
stderr, with its distinct exit code (see core.errors.ExitCode).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from mailwise_desktop import __version__
from mailwise_desktop.cli import (
    account_commands,
    approval_commands,
    conversation_commands,
    handling_commands,
    mailbox_commands,
    send_commands,
    team_commands,
)
from mailwise_desktop.core.console import make_console_safe
from mailwise_desktop.core.errors import ExitCode, MailwiseError
from mailwise_desktop.services.context import AppContext


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mailwise", description="Mailwise shared-mailbox client, headless."
    )
    parser.add_argument("--version", action="version", version=f"mailwise {__version__}")
    parser.add_argument("--account", help="which account (needed when several are set up)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show technical details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    account_commands.register(sub)
    mailbox_commands.register(sub)
    team_commands.register(sub)
    handling_commands.register(sub)
    send_commands.register(sub)
    approval_commands.register(sub)
    conversation_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    make_console_safe()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return int(ExitCode.USAGE)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx: AppContext | None = None
    try:
        ctx = AppContext.open()
        return int(args.handler(ctx, args))
    except MailwiseError as exc:
        print(f"mailwise: {exc.message}", file=sys.stderr)
        if args.verbose and exc.detail:
            print(f"  detail: {exc.detail}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return 130
    finally:
        if ctx is not None:
            ctx.close()
