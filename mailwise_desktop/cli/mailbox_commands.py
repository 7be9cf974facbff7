"""`mailwise watch|show` and the full `sync`: the mailbox, headless.

``sync`` is registered by cli/sync_commands.py, which first checks quickly whether
anything changed; list and search are in cache_commands.py.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from mailwise_desktop.cli.output import (
    changes_lines,
    detail_json,
    dump,
    message_line,
    size_text,
)
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.messages import MessageService
from mailwise_desktop.services.reading import ReadingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.store import queries


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    watch = sub.add_parser("watch", help="stay connected and print changes as they happen")
    watch.set_defaults(handler=cmd_watch)

    show = sub.add_parser("show", help="show one message by UID")
    show.add_argument("uid", type=int)
    show.add_argument("--mailbox", default="INBOX")
    show.add_argument("--json", action="store_true")
    show.add_argument(
        "--source", action="store_true", help="print the message exactly as received (raw bytes)"
    )
    show.add_argument(
        "--save-eml", type=Path, metavar="FILE", help="save the message as received to FILE (.eml)"
    )
    show.set_defaults(handler=cmd_show)


_last_step: dict[str, int] = {}


def _progress(name: str, done: int, total: int) -> None:
    """Progress on stderr: one rewritten line on a terminal, else a line per tenth.

    Piped (a script, a log file) it prints ``INBOX: 5,000 / 50,000`` each time
    another tenth is stored, and the last line at the total.
    """
    if sys.stderr.isatty():
        print(f"\r{name}: {done:,} / {total:,}", end="", file=sys.stderr, flush=True)
        return
    step = 10 if done >= total else (done * 10 // total if total else 0)
    if _last_step.get(name) != step:
        _last_step[name] = step
        print(f"{name}: {done:,} / {total:,}", file=sys.stderr, flush=True)


def full_sync(ctx: AppContext, args: argparse.Namespace) -> int:
    """One full sync pass (cli/sync_commands.py runs it when its quick check is unsure)."""
    account = ctx.account(args.account)
    report = SyncService(ctx).sync_once(
        account, args.mailbox, bodies=args.bodies, progress=_progress
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for line in changes_lines(report.mailboxes):
        print(line)
    if args.bodies:
        print(f"{report.bodies} bodies downloaded for offline reading")
    return 0


def cmd_watch(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    stopping = threading.Event()

    def on_changes(changes: Changes) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        for line in changes_lines(m for m in changes.mailboxes if not m.empty):
            print(f"{stamp} {line}", flush=True)
        roster = coordination.log.roster()  # names of owners, as of now
        with ctx.cache.transaction() as session:
            for box in changes.mailboxes:
                for row_id in sorted(box.added | box.changed):
                    m = queries.message_by_id(session, row_id)
                    if m is not None:
                        kind = "new" if row_id in box.added else "changed"
                        owner = roster.by_slot(m.owner_slot)
                        line = message_line(m, owner.label if owner else None)
                        print(f"{stamp}   {kind}: {line}", flush=True)
        if changes.team_records:
            print(f"{stamp} team: {changes.team_records} new note/history record(s)", flush=True)

    def on_status(status: EngineStatus) -> None:
        text = status.state.value + (f": {status.message}" if status.message else "")
        print(f"{datetime.now():%H:%M:%S} [{text}]", file=sys.stderr, flush=True)
        if status.state is LinkState.ERROR:
            stopping.set()

    services = AccountServices(ctx, account)
    coordination = services.coordination
    engine = SyncService(ctx).engine(
        account, on_changes=on_changes, on_status=on_status, services=services
    )
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    engine.start()
    try:
        while not stopping.is_set():
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        engine.stop()
    return 0 if engine.status.state is not LinkState.ERROR else 1


def cmd_show(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.account)
    detail = MessageService(ctx).show(account, args.uid, args.mailbox)
    m = detail.summary
    if args.source or args.save_eml:
        # The raw bytes, nothing parsed: works for a message that could not be read fully.
        if detail.body is None:
            raise NotFoundError(f"The source of UID {args.uid} could not be downloaded.")
        if args.save_eml:
            saved = ReadingService(ctx).save_eml(detail.body, args.save_eml)
            print(f"Saved {saved}")
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(detail.body.raw)
            sys.stdout.buffer.flush()
        return 0
    owner = AccountServices(ctx, account).log.roster().by_slot(m.owner_slot)
    if args.json:
        dump(detail_json(detail, owner.id if owner else None))
        return 0
    print(f"From:    {m.from_name} <{m.from_email}>" if m.from_name else f"From:    {m.from_email}")
    print("To:      " + ", ".join(f"{n} <{e}>" if n else e for n, e in m.to))
    if m.cc:
        print("Cc:      " + ", ".join(f"{n} <{e}>" if n else e for n, e in m.cc))
    if m.date_raw:
        print(f"Date:    {m.date_raw}")
    else:
        print(f"Date:    {m.date.astimezone():%Y-%m-%d %H:%M %z}" if m.date else "Date:")
    print(f"Subject: {m.subject}")
    print(f"State:   {m.state}" + (f" ({owner.label})" if owner else ""))
    if m.read_problem:
        print(f"Note:    this message could not be read fully ({m.read_problem})")
    print()
    if detail.body is not None:
        print(detail.body.text)
        for a in detail.body.attachments:
            print(
                f"[attachment] {a.filename or '(no name)'}  {a.content_type}  {size_text(a.size)}"
            )
        for defect in detail.body.defects:
            print(f"[note] {defect}")
    return 0
