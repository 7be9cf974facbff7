"""The ``mailwise`` command: a headless front end over the app's services.

Every failure meant for the user is a MailwiseError: printed as one line on
stderr, with its distinct exit code (see core.errors.ExitCode).

Commands are registered lazily: the table below names each command's module
and help line, and only the module of the command being run is imported.
``--version`` and ``--help`` import no command module at all, so they never
pay for SQLAlchemy, imapclient or the mail parser (about 1 s on a cold
start, most of what a short command used to cost).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mailwise_desktop import __version__
from mailwise_desktop.core.console import console_language, make_console_safe
from mailwise_desktop.core.errors import ExitCode, MailwiseError

if TYPE_CHECKING:
    from mailwise_desktop.services.context import AppContext

#: command -> (module in mailwise_desktop.cli, help line). Kept equal to what
#: the modules register (tests/unit/test_cli_startup.py checks it).
COMMANDS: dict[str, tuple[str, str]] = {
    "account": ("account_commands", "add, list or remove shared mailbox accounts"),
    "sync": ("sync_commands", "bring the local cache in step with the server (one pass)"),
    "watch": ("mailbox_commands", "stay connected and print changes as they happen"),
    "list": ("cache_commands", "list cached messages, newest first"),
    "show": ("mailbox_commands", "show one message by UID"),
    "search": ("cache_commands", "full-text search (subject, sender, body)"),
    "team": ("team_commands", "the team roster: who can take messages"),
    "me": ("team_commands", "say which teammate uses this profile (or show it)"),
    "claim": (
        "handling_commands",
        "take a message: it is yours until you release, hand over or finish it",
    ),
    "release": ("handling_commands", "give a message you hold back to the team (unhandled)"),
    "hold": ("handling_commands", "put a message you hold on hold"),
    "resume": ("handling_commands", "take a message you put on hold back into progress"),
    "done": ("handling_commands", "mark a message done (yours, or unhandled: quick close)"),
    "skip": ("handling_commands", "mark a message as needing no reply"),
    "reopen": (
        "handling_commands",
        "reopen a done / no-reply-needed message (it becomes yours)",
    ),
    "transfer": ("handling_commands", "hand a message over to a teammate"),
    "note": ("handling_commands", "leave a note on a message for the team"),
    "history": ("handling_commands", "who did what with a message, and its notes"),
    "repair": ("handling_commands", "repair invalid handling state (one UID, or all found)"),
    "reply": ("send_commands", "reply to a message (prints the draft; --send sends)"),
    "outbox": ("send_commands", "show the outbox; retry, undo or resolve a mail"),
    "template": ("send_commands", "reply templates (personal, or --shared)"),
    "policy": ("send_commands", "the team's sending policy"),
    "approvals": ("approval_commands", "mail waiting for approval; approve or send back"),
    "conversations": (
        "conversation_commands",
        "a message's whole conversation; follow-up routing",
    ),
    "contacts": ("contact_commands", "the address book: senders and their handling history"),
    "report": ("report_commands", "the team's figures for a period (received, handled, times)"),
    "delete": ("trash_commands", "move messages to Trash (nothing is erased)"),
    "trash": ("trash_commands", "what is in Trash; take mail back; empty it"),
    "invite": (
        "invitation_commands",
        "make an invitation file or code for a teammate (holds no password)",
    ),
    "join": ("invitation_commands", "set this profile up from an invitation file or code"),
}

# Top-level options that take a value: the token after them is not a command.
_VALUED_OPTIONS = frozenset({"--account"})


def command_in(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (the first token that is not a top-level option)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--":
            continue
        if token.startswith("-"):
            skip = token in _VALUED_OPTIONS
            continue
        return token
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command`` known, its module registers its real subparsers.

    Without one (``--help``, ``--version``, a typo) every command is listed from
    the table and no command module is imported.
    """
    parser = argparse.ArgumentParser(
        prog="mailwise", description="Mailwise shared-mailbox client, headless."
    )
    parser.add_argument("--version", action="version", version=f"mailwise {__version__}")
    parser.add_argument("--account", help="which account (needed when several are set up)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show technical details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command in COMMANDS:
        module = importlib.import_module(f"mailwise_desktop.cli.{COMMANDS[command][0]}")
        module.register(sub)
    else:
        for name, (_module, text) in COMMANDS.items():
            sub.add_parser(name, help=text)
    return parser


def build_full_parser() -> argparse.ArgumentParser:
    """Every command's real subparser (imports every command module; for tests and docs)."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.choices.clear()
    sub._choices_actions.clear()
    for module_name in dict.fromkeys(m for m, _ in COMMANDS.values()):
        importlib.import_module(f"mailwise_desktop.cli.{module_name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    make_console_safe()
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(command_in(arguments))
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help(sys.stderr)
        return int(ExitCode.USAGE)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from mailwise_desktop.services.context import AppContext  # heavy: only for a command

    ctx: AppContext | None = None
    try:
        ctx = AppContext.open()
        # A command's quick path (``sync`` with nothing changed) answers without
        # importing its machinery; None means "not sure": the full handler runs.
        quick = getattr(args, "quick", None)
        answer = quick(ctx, args) if quick is not None else None
        return int(answer if answer is not None else args.handler(ctx, args))
    except MailwiseError as exc:
        choice = ctx.settings.get("language") if ctx is not None else "system"
        from mailwise_desktop.cli.error_words import cli_words

        print(f"mailwise: {cli_words(exc, console_language(choice))}", file=sys.stderr)
        if args.verbose and exc.detail:
            print(f"  detail: {exc.detail}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return 130
    finally:
        if ctx is not None:
            ctx.close()
