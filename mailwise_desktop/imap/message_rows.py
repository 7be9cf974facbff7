"""Turning FETCH data into cache rows (headers, flags, derived state)."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from mailwise_desktop.imap.keywords import decode
from mailwise_desktop.imap.tokens import Token
from mailwise_desktop.mail.addresses import Address
from mailwise_desktop.mail.headers import _parse_headers_full
from mailwise_desktop.mail.parse import HeaderInfo, parse_headers
from mailwise_desktop.mail.search_text import normalize_for_search
from mailwise_desktop.store import messages as store
from mailwise_desktop.store.messages import FlagUpdate

log = logging.getLogger(__name__)

HEADER_FIELDS = b"MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT FROM TO CC REPLY-TO DATE CONTENT-TYPE"
HEADER_ITEM = b"BODY[HEADER.FIELDS (" + HEADER_FIELDS + b")]"
FETCH_HEADERS = (
    b"(UID FLAGS MODSEQ INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (" + HEADER_FIELDS + b")])"
)
FETCH_HEADERS_NO_MODSEQ = FETCH_HEADERS.replace(b" MODSEQ", b"")

_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            b"JAN",
            b"FEB",
            b"MAR",
            b"APR",
            b"MAY",
            b"JUN",
            b"JUL",
            b"AUG",
            b"SEP",
            b"OCT",
            b"NOV",
            b"DEC",
        ),
        1,
    )
}


def internal_date(value: Token) -> float | None:
    """Epoch seconds of an INTERNALDATE like ``29-Nov-2026 10:42:00 +0900``.

    Parsed by hand: strptime's ``%b`` follows the process locale, which on a
    Japanese desktop is not English. Plain arithmetic on the calendar day
    (no datetime per message: a first sync reads 50,000 of these).
    """
    if not isinstance(value, bytes):
        return None
    try:
        day_text = value[:11]
        days = _DAYS.get(day_text)
        if days is None:
            days = _epoch_day(day_text)
        clock, zone = value[12:].split(b" ")
        hour, minute, second = (int(x) for x in clock.split(b":"))
        sign = -1 if zone.startswith(b"-") else 1
        offset = (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60) * sign
        if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
            return None
        if abs(offset) >= 86400:
            return None
    except (ValueError, KeyError):
        return None
    return float(days * 86400 + hour * 3600 + minute * 60 + second - offset)


#: Day text (``29-Nov-2026``) -> days since 1970: a mailbox's 50,000 dates fall on
#: a few thousand days, so each calendar day is worked out once.
_DAYS: dict[bytes, int] = {}
_DAYS_KEPT = 100_000


def _epoch_day(day_text: bytes) -> int:
    """Days since 1970 of ``DD-Mon-YYYY``; raises ValueError/KeyError as the parse did."""
    day_s, mon_s, year_s = day_text.strip().split(b"-")
    days = datetime.date(int(year_s), _MONTHS[mon_s.upper()], int(day_s)).toordinal()
    if len(_DAYS) < _DAYS_KEPT:
        _DAYS[day_text] = days - _EPOCH_ORDINAL
    return days - _EPOCH_ORDINAL


def flag_strings(value: Token) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(f.decode("ascii", "surrogateescape") for f in value if isinstance(f, bytes))


def modseq_of(items: dict[bytes, Token]) -> int:
    value = items.get(b"MODSEQ")
    if isinstance(value, list) and value and isinstance(value[0], bytes):
        return int(value[0])
    return 0


@lru_cache(maxsize=4096)
def _flag_state(flags: tuple[str, ...]) -> tuple[str, bool, bool, str, int | None, str | None]:
    """What a flag set says (stored flags, seen, answered, state, owner, problem).

    A mailbox has a few hundred distinct flag sets at most, so a first sync
    decodes each once instead of once per message.
    """
    lowered = {f.lower() for f in flags}
    decoded = decode(flags)
    return (
        " ".join(f for f in flags if f.lower() != "\\recent"),
        "\\seen" in lowered,
        "\\answered" in lowered,
        str(decoded.state),
        decoded.owner_slot,
        ",".join(str(p) for p in decoded.problems) or None,
    )


def flag_update(uid: int, flags: Sequence[str], modseq: int) -> FlagUpdate:
    """The cache update for a message's flags, with the decoded handling state."""
    stored, seen, answered, state, owner_slot, problem = _flag_state(tuple(flags))
    return FlagUpdate(
        uid=uid,
        flags=stored,
        modseq=modseq,
        seen=seen,
        answered=answered,
        state=state,
        owner_slot=owner_slot,
        state_problem=problem,
    )


def thread_key(headers: HeaderInfo) -> str | None:
    """The thread's root Message-ID (first reference), for grouping."""
    if headers.references:
        return headers.references[0]
    return headers.in_reply_to or headers.message_id


_ADDRESS_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


@lru_cache(maxsize=4096)
def _addresses(values: tuple[Address, ...]) -> str:
    # Cached: most To fields of a support mailbox are the team's own address.
    return _ADDRESS_JSON([[a.name, a.email] for a in values])


_NO_HEADERS = HeaderInfo(
    message_id=None,
    in_reply_to=None,
    references=(),
    subject="",
    from_=(),
    to=(),
    cc=(),
    reply_to=(),
    date=None,
    has_attachments_hint=False,
)


def short_reason(error: BaseException) -> str:
    """A one-line reason for the log and the "could not be read fully" marker."""
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}"[:200] if text else type(error).__name__


def _read_headers(uid: int, raw: bytes) -> tuple[HeaderInfo, str | None]:
    """The headers, and why they could not be read fully (None if they could).

    A message is outside input: whatever its bytes do, this returns what could
    be read, so the message is still stored and listed.
    """
    try:
        return parse_headers(raw), None
    except Exception as error:
        reason = short_reason(error)
        log.warning("UID %d: headers could not be read fully (%s)", uid, reason)
    try:
        return _parse_headers_full(raw), reason
    except Exception:
        return _NO_HEADERS, reason


def header_row(uid: int, items: dict[bytes, Token]) -> dict[str, Any]:
    """A MessageRow insert dict (plus ``fts_*`` texts) from one FETCH response.

    Never raises for a message's content: an unreadable part leaves its
    fields empty and sets ``read_problem`` (see :func:`fallback_row`).
    """
    try:
        return _header_row(uid, items)
    except Exception as error:
        reason = short_reason(error)
        log.warning("UID %d: could not be read fully (%s)", uid, reason)
        return fallback_row(uid, items, reason)


def fallback_row(uid: int, items: dict[bytes, Token], reason: str) -> dict[str, Any]:
    """The row of a message nothing but the envelope of could be read."""
    try:
        flags = flag_strings(items.get(b"FLAGS"))
        update = flag_update(uid, flags, modseq_of(items))
    except Exception:
        update = flag_update(uid, (), 0)
    size_token = items.get(b"RFC822.SIZE")
    idate = internal_date(items.get(b"INTERNALDATE"))
    return {
        "uid": uid,
        "modseq": update.modseq,
        "date": idate,
        "internal_date": idate,
        "size": int(size_token) if isinstance(size_token, bytes) and size_token.isdigit() else 0,
        "flags": update.flags,
        "seen": update.seen,
        "answered": update.answered,
        "state": update.state,
        "owner_slot": update.owner_slot,
        "state_problem": update.state_problem,
        "read_problem": reason,
        "fts_subject": "",
        "fts_sender": "",
    }


def _first_operational(error: OperationalError) -> OperationalError:
    """The SQLite failure that started it all.

    A full disk makes SQLite roll the whole transaction back, so rolling back
    to the savepoint then fails with "no such savepoint": that second error
    would hide "database or disk is full" from the user.
    """
    first = error
    cause = error.__context__
    while cause is not None:
        if isinstance(cause, OperationalError):
            first = cause
        cause = cause.__context__
    return first


def insert_isolated(session: Session, mailbox_id: int, rows: list[dict[str, Any]]) -> list[int]:
    """``store.insert_messages``, one bad row kept as its envelope instead of failing all.

    A full disk or a locked database (OperationalError) is not a bad row: it
    stops the sync, to be reported in plain words and resumed.
    """
    try:
        with session.begin_nested():
            return store.insert_messages(session, mailbox_id, rows)
    except OperationalError as error:
        raise _first_operational(error) from None
    except Exception:
        pass  # find the row the cache refuses; keep the others as read
    added: list[int] = []
    for row in rows:
        uid = int(row["uid"])
        try:
            with session.begin_nested():
                added += store.insert_messages(session, mailbox_id, [row])
            continue
        except OperationalError as error:
            raise _first_operational(error) from None
        except Exception as error:
            reason = short_reason(error)
            log.warning("UID %d: could not be stored as read (%s)", uid, reason)
        items: dict[bytes, Token] = {
            b"FLAGS": [f.encode("ascii", "replace") for f in str(row.get("flags", "")).split()],
            b"RFC822.SIZE": str(row.get("size", 0)).encode(),
            b"MODSEQ": [str(row.get("modseq", 0)).encode()],
        }
        fallback = fallback_row(uid, items, reason)
        fallback["internal_date"] = fallback["date"] = row.get("internal_date")
        with session.begin_nested():
            added += store.insert_messages(session, mailbox_id, [fallback])
    return added


def _header_row(uid: int, items: dict[bytes, Token]) -> dict[str, Any]:
    raw_header = items.get(HEADER_ITEM)
    headers, problem = _read_headers(uid, raw_header if isinstance(raw_header, bytes) else b"")
    flags = flag_strings(items.get(b"FLAGS"))
    update = flag_update(uid, flags, modseq_of(items))
    size_token = items.get(b"RFC822.SIZE")
    idate = internal_date(items.get(b"INTERNALDATE"))
    sender = headers.from_[0] if headers.from_ else None
    date = headers.date.timestamp() if headers.date is not None else idate
    return {
        "uid": uid,
        "modseq": update.modseq,
        "message_id": headers.message_id,
        "in_reply_to": headers.in_reply_to,
        "references": " ".join(headers.references),
        "thread_key": thread_key(headers),
        "subject": headers.subject,
        "from_name": sender.name if sender else "",
        "from_email": sender.email if sender else "",
        "to_json": _addresses(headers.to),
        "cc_json": _addresses(headers.cc),
        "date": date,
        "internal_date": idate,
        "date_raw": headers.date_raw,
        "size": int(size_token) if isinstance(size_token, bytes) and size_token.isdigit() else 0,
        "flags": update.flags,
        "seen": update.seen,
        "answered": update.answered,
        "has_attachments": headers.has_attachments_hint,
        "state": update.state,
        "owner_slot": update.owner_slot,
        "state_problem": update.state_problem,
        "read_problem": problem,
        "fts_subject": normalize_for_search(headers.subject),
        "fts_sender": normalize_for_search(" ".join(f"{a.name} {a.email}" for a in headers.from_)),
    }
