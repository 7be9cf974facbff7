"""How the CLI prints: JSON documents for scripts, short lines for people."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from mailwise_desktop.core.changes import MailboxChanges
from mailwise_desktop.core.console import write_utf8
from mailwise_desktop.store.summaries import MessageSummary

if TYPE_CHECKING:  # the services import the IMAP engine: not for `mailwise list`
    from mailwise_desktop.services.messages import MessageDetail


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def message_json(m: MessageSummary, owner: str | None = None) -> dict[str, Any]:
    """The JSON shape of a message (stable: scripts depend on it).

    Args:
        owner: the owner's teammate id (the roster's name for ``m.owner_slot``).
    """
    return {
        "uid": m.uid,
        "message_id": m.message_id,
        "subject": m.subject,
        "from": {"name": m.from_name, "email": m.from_email},
        "to": [{"name": n, "email": e} for n, e in m.to],
        "cc": [{"name": n, "email": e} for n, e in m.cc],
        "date": iso(m.date),
        "flags": list(m.flags),
        "size": m.size,
        "has_attachments": m.has_attachments,
        "seen": m.seen,
        "answered": m.answered,
        "state": m.state,
        "owner": owner,
        "in_reply_to": m.in_reply_to,
        "references": list(m.references),
        "body_cached": m.body_status == "cached",
        "date_raw": m.date_raw or None,
        "read_problem": m.read_problem,
    }


def detail_json(d: MessageDetail, owner: str | None = None) -> dict[str, Any]:
    """``show --json``: the list's fields (``owner`` the same as there) and the body."""
    data = message_json(d.summary, owner)
    body = d.body
    data["text"] = body.text if body else None
    data["has_html"] = bool(body and body.html)
    data["attachments"] = [
        {
            "part_id": a.part_id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "inline": a.inline,
        }
        for a in (body.attachments if body else ())
    ]
    data["defects"] = list(body.defects) if body else []
    return data


def dump(document: Any, out: TextIO | None = None) -> None:
    """Print a JSON document, UTF-8 whatever the console's code page."""
    # sys.stdout at call time, not at import (it may have been replaced since).
    stream = out if out is not None else sys.stdout
    write_utf8(json.dumps(document, ensure_ascii=False, indent=2) + "\n", stream)


def width(text: str) -> int:
    """Display width: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, columns: int) -> str:
    """Cut to a display width, padding so columns line up with Japanese text."""
    out, used = [], 0
    for char in text:
        w = width(char)
        if used + w > columns:
            break
        out.append(char)
        used += w
    return "".join(out) + " " * (columns - used)


def size_text(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


def message_line(m: MessageSummary, owner: str | None = None) -> str:
    """One list line; ``owner`` is the owner's display name, shown after the state."""
    if m.date_raw:  # a Date the sender's clock made up: shown as sent
        date = clip(m.date_raw, 16)
    else:
        date = m.date.astimezone().strftime("%Y-%m-%d %H:%M") if m.date else " " * 16
    sender = m.from_name or m.from_email
    mark = "!" if m.read_problem else "@" if m.has_attachments else " "
    unread = "*" if not m.seen else " "
    return (
        f"{m.uid:>7} {unread}{mark} {clip(m.state, 15)} {clip(owner or '', 12)} {date}  "
        f"{clip(sender, 22)}  {m.subject}"
    )


def changes_lines(changes: Iterable[MailboxChanges]) -> list[str]:
    lines = []
    for c in changes:
        if c.rebuilt:
            lines.append(f"{c.mailbox}: the server renumbered the folder; cache rebuilt")
        if c.empty:
            lines.append(f"{c.mailbox}: up to date")
            continue
        lines.append(
            f"{c.mailbox}: {len(c.added)} new, {len(c.changed)} changed, {len(c.removed)} removed"
        )
    return lines
