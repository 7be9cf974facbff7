"""Team-mailbox records as mail messages: building and parsing (COORDINATION.md).

Each record (history event, note, roster change, and later shared templates and
team policy) is one small message APPENDed to the hidden team mailbox and never
edited. Headers say what it is::

    X-Mailwise-Kind: event | note | template | roster | policy
    X-Mailwise-Target: <customer Message-ID> (or sha256:… when it has none)
    X-Mailwise-Actor: teammate id
    X-Mailwise-Version: 1
    Subject: [mailwise] 佐藤 claimed: 請求書の再発行について

and the body is the record as UTF-8 JSON, shown as plain text by any mail
client. Pure: no I/O; ``imap/team_mailbox.py`` does the APPENDs and FETCHes.
"""

from __future__ import annotations

import contextlib
import email
import email.errors
import email.policy
import hashlib
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from enum import StrEnum
from typing import Any

from mailwise_desktop.mail import record_schema

VERSION = 1
PREFIX = "[mailwise]"
RECORD_DOMAIN = "mailwise.invalid"
# Printable ASCII but < >, and short enough never to be folded: carried as is.
_ID_TOKEN = re.compile(r"[\x21-\x3b\x3d\x3f-\x7e]{1,200}")


class RecordKind(StrEnum):
    """What a team-mailbox record holds."""

    EVENT = "event"
    NOTE = "note"
    TEMPLATE = "template"
    ROSTER = "roster"
    POLICY = "policy"
    MODE = "mode"  # a link of a mailbox's mode chain (core/log_modes.py)


@dataclass(frozen=True)
class TeamRecord:
    """One record of the team mailbox.

    Attributes:
        kind: ``event``, ``note``, ``template``, ``roster``, ``policy`` (any
            other kind is kept and returned as is: newer clients may add some).
        target: what it is about: a customer message's key (:func:`target_key`),
            a teammate id (roster), a template name.
        actor: the teammate id who wrote it.
        payload: the JSON body.
        subject: the human-readable subject line.
        created: epoch seconds when it was written.
        record_id: its own Message-ID (without ``<>``): the same record queued
            and appended twice is read once.
        uid: its UID in the team mailbox, once read from there.
    """

    kind: str
    target: str
    actor: str
    payload: dict[str, Any]
    subject: str
    created: float = field(default_factory=time.time)
    record_id: str = field(default_factory=lambda: f"{uuid.uuid4().hex}@{RECORD_DOMAIN}")
    uid: int | None = None

    def queue_headers(self) -> dict[str, str]:
        """What the local retry queue keeps besides kind, subject and payload."""
        return {
            "X-Mailwise-Target": self.target,
            "X-Mailwise-Actor": self.actor,
            "Message-ID": self.record_id,
            "Date": str(self.created),
        }

    @classmethod
    def from_queue(
        cls, kind: str, subject: str, headers: dict[str, str], payload: dict[str, Any]
    ) -> TeamRecord:
        """The record a :meth:`queue_headers` entry was made from (same Message-ID)."""
        return cls(
            kind=kind,
            target=headers.get("X-Mailwise-Target", ""),
            actor=headers.get("X-Mailwise-Actor", ""),
            payload=payload,
            subject=subject,
            created=float(headers.get("Date") or time.time()),
            record_id=headers.get("Message-ID") or f"{uuid.uuid4().hex}@{RECORD_DOMAIN}",
        )


def target_key(message_id: str | None, date: float | None, from_email: str, subject: str) -> str:
    """The key that ties records to a customer message.

    Its Message-ID (without ``<>``) when it has one; otherwise a stable hash of
    Date + From + Subject as every client parses them, so all teammates agree.
    A Message-ID that is not a plain ASCII token (some mailers send raw or
    encoded UTF-8) is hashed too: a header must carry it unchanged.
    """
    if message_id:
        bare = message_id.strip().strip("<>")
        if _ID_TOKEN.fullmatch(bare) and "=?" not in bare:
            return bare
        return "sha256:" + hashlib.sha256(bare.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    basis = f"{int(date) if date is not None else ''}\n{from_email.lower()}\n{subject}"
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _header_target(target: str) -> str:
    return target if target.startswith("sha256:") or not target else f"<{target}>"


def build_message(record: TeamRecord, *, sender: str = f"mailwise@{RECORD_DOMAIN}") -> bytes:
    """The record as an RFC 5322 message (CRLF line ends, UTF-8 subject encoded)."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = f"Mailwise <{sender}>"
    msg["Subject"] = record.subject
    msg["Date"] = format_datetime(datetime.fromtimestamp(record.created, UTC))
    msg["Message-ID"] = f"<{record.record_id}>"
    msg["X-Mailwise-Kind"] = record.kind
    msg["X-Mailwise-Target"] = _header_target(record.target)
    msg["X-Mailwise-Actor"] = record.actor
    msg["X-Mailwise-Version"] = str(VERSION)
    body = json.dumps(record.payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    msg.set_content(body, charset="utf-8", cte="8bit")
    return msg.as_bytes()


@dataclass(frozen=True)
class RecordReading:
    """What one team-mailbox message turned out to be.

    Attributes:
        record: the record, when it is one and passed its kind's schema.
        kind: its ``X-Mailwise-Kind`` ("" when it has none).
        problems: why it is not used, in plain words (empty when it is fine,
            or when it is simply not one of ours).
    """

    record: TeamRecord | None
    kind: str = ""
    problems: tuple[str, ...] = ()


def parse_message(raw: bytes, uid: int | None = None) -> TeamRecord | None:
    """A valid record from a team-mailbox message; None for anything else.

    Messages of a newer protocol version, without a kind, or with a body that
    is not a JSON object are skipped (a human may drop other mail there too);
    records that fail their kind's schema (``record_schema.py``) are skipped
    too and reported by :func:`read_message`.
    """
    return read_message(raw, uid).record


def read_message(raw: bytes, uid: int | None = None) -> RecordReading:
    """:func:`parse_message` with the reason a record was refused. Never raises."""
    try:
        return _read_message(raw, uid)
    except Exception as exc:  # outside input: one bad record never stops a reader
        return RecordReading(None, "", (f"the message cannot be read ({type(exc).__name__})",))


def _read_message(raw: bytes, uid: int | None) -> RecordReading:
    # compat32 keeps header values raw (tokens stay as written) and is several
    # times faster than the default policy; only the subject needs decoding.
    msg = email.message_from_bytes(raw)
    kind = _token(msg.get("X-Mailwise-Kind", "")).lower()[:64]
    if not kind or kind == "primer":
        return RecordReading(None)
    try:
        version = int(_token(msg.get("X-Mailwise-Version", "1"))[:10])
    except ValueError:
        return RecordReading(None, kind, ("its X-Mailwise-Version is not a number",))
    if version > VERSION:
        return RecordReading(None, kind)  # a newer client's: not ours to judge
    part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
    if part is None:
        return RecordReading(None, kind, ("it has no text/plain body",))
    body = part.get_payload(decode=True)
    try:
        text = body.decode(part.get_content_charset() or "utf-8") if isinstance(body, bytes) else ""
    except (ValueError, LookupError):
        return RecordReading(None, kind, ("its body is not in a known character set",))
    payload, problem = record_schema.load_body(kind, text)
    if payload is None:
        return RecordReading(None, kind, (problem or "the body is not a JSON object",))
    problems = record_schema.check_payload(kind, payload)
    created = time.time()
    with contextlib.suppress(TypeError, ValueError, OverflowError, IndexError):
        created = parsedate_to_datetime(str(msg["Date"])).timestamp()
    date_problem = record_schema.check_created(created)
    if date_problem:
        problems.append(date_problem)
    if problems:
        return RecordReading(None, kind, tuple(problems))
    record_id = _token(msg.get("Message-ID", "")).strip("<>")[:998]
    subject = str(msg.get("Subject", ""))
    with contextlib.suppress(LookupError, ValueError, email.errors.HeaderParseError):
        subject = str(make_header(decode_header(subject)))
    record = TeamRecord(
        kind=kind,
        target=_token(msg.get("X-Mailwise-Target", "")).strip("<>"),
        actor=_token(msg.get("X-Mailwise-Actor", "")),
        payload=payload,
        subject=" ".join(subject.split()),
        created=created,
        record_id=record_id or f"uid-{uid}@{RECORD_DOMAIN}",
        uid=uid,
    )
    return RecordReading(record, kind)


def _token(value: object) -> str:
    """A header that carries a token: unfolded, no whitespace at all."""
    return "".join(str(value or "").split())


# -- subjects: one human-readable line per record -------------------------

_VERBS = {
    "claim": "claimed",
    "release": "released",
    "hold": "put on hold",
    "resume": "resumed",
    "done": "marked done",
    "skip": "marked no reply needed",
    "reopen": "reopened",
    "repair": "repaired the state of",
}


def event_subject(actor: str, operation: str, subject: str, *, to: str | None = None) -> str:
    """``[mailwise] 佐藤 claimed: 請求書の再発行について``."""
    if operation == "transfer":
        verb = f"handed over to {to}" if to else "transferred"
    else:
        verb = _VERBS.get(operation, operation)
    return f"{PREFIX} {actor} {verb}: {_one_line(subject) or '(no subject)'}"


def note_subject(actor: str, subject: str) -> str:
    """``[mailwise] 佐藤 noted: 請求書の再発行について``."""
    return f"{PREFIX} {actor} noted: {_one_line(subject) or '(no subject)'}"


def roster_subject(name: str, teammate_id: str, active: bool, slot: int | None) -> str:
    """``[mailwise] roster: 佐藤 (sato) joined`` / ``… left``."""
    state = "joined" if active else "left"
    where = f" (owner slot {slot})" if slot is not None and active else ""
    return f"{PREFIX} roster: {name or teammate_id} ({teammate_id}) {state}{where}"


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
