"""The ``mailwise`` command: a headless front end over the app's services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mailwise_desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailwise", description="Mailwise shared-mailbox client (CLI).")
    parser.add_argument("--version", action="version", version=f"mailwise {__version__}")
    parser.add_subparsers(dest="command")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return 0
