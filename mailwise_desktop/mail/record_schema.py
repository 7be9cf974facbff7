"""One schema per team-mailbox record kind, checked before a record is used.

Anyone with the mailbox password can write to the team mailbox, so a record
is outside input: :func:`check_body` looks at the raw JSON text (size and
nesting depth *before* ``json.loads``, so a 100,000-deep document never
reaches the recursive parser) and :func:`check_payload` at the parsed object
(types, ranges, string and list lengths). A record with problems is never
applied; ``mailwise team check`` lists it.

Hand-written on purpose: the kinds are few and small, and a library schema
would still need the depth check done before parsing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: Largest record body, and deepest JSON nesting, any reader accepts.
MAX_BYTES = 64 * 1024
MAX_DEPTH = 20
#: Approval requests carry the whole mail (base64) to be sent once approved.
MAX_APPROVAL_BYTES = 16 * 1024 * 1024
#: Dates outside 1970..2100 (epoch seconds) are a writer's bug or a lie, and
#: ``datetime`` cannot show some of them at all (year 10000, negative on Windows).
MIN_CREATED, MAX_CREATED = 0.0, 4_102_444_800.0

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def max_bytes(kind: str) -> int:
    return MAX_APPROVAL_BYTES if kind == "approval" else MAX_BYTES


def json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest, without parsing it (linear time)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def load_body(kind: str, text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The record body as a JSON object, or None and what is wrong with it."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes(kind):
        return None, f"the record is {size} bytes (at most {max_bytes(kind)})"
    depth = json_depth(text)
    if depth > MAX_DEPTH:
        return None, f"the JSON nests {depth} levels deep (at most {MAX_DEPTH})"
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        return None, "the body is not valid JSON"
    if not isinstance(payload, dict):
        return None, "the body is not a JSON object"
    return payload, None


# -- field checks: each returns a problem in plain words, or None ---------

Check = Callable[[Any], str | None]


def text(limit: int, *, empty: bool = True, pattern: str | None = None) -> Check:
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"should be text, not {_kind_of(value)}"
        if len(value) > limit:
            return f"is {len(value)} characters long (at most {limit})"
        if not empty and not value:
            return "is empty"
        if compiled is not None and not compiled.fullmatch(value):
            return "is not in the expected form"
        return None

    return check


def number(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"should be a whole number, not {_kind_of(value)}"
        if not low <= value <= high:
            return f"is {value} (allowed {low} to {high})"
        return None

    return check


def flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"should be true or false, not {_kind_of(value)}"


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"should be one of {', '.join(choices)}"

    return check


def optional(inner: Check) -> Check:
    def check(value: Any) -> str | None:
        return None if value is None else inner(value)

    return check


def items(inner: Check, limit: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"should be a list, not {_kind_of(value)}"
        if len(value) > limit:
            return f"has {len(value)} entries (at most {limit})"
        for index, item in enumerate(value):
            problem = inner(item)
            if problem:
                return f"entry {index + 1} {problem}"
        return None

    return check


def mapping(fields: Mapping[str, Check], required: tuple[str, ...] = ()) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return f"should be an object, not {_kind_of(value)}"
        problems = object_problems(value, fields, required)
        return "; ".join(problems) if problems else None

    return check


def text_map(key_limit: int, value_limit: int, limit: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return f"should be an object of names to text, not {_kind_of(value)}"
        if len(value) > limit:
            return f"has {len(value)} entries (at most {limit})"
        for key, item in value.items():
            if len(key) > key_limit or not isinstance(item, str) or len(item) > value_limit:
                return f"entry {key[:40]!r} should be text of at most {value_limit} characters"
        return None

    return check


def object_problems(
    value: Mapping[str, Any], fields: Mapping[str, Check], required: tuple[str, ...] = ()
) -> list[str]:
    """What is wrong with the known fields of ``value`` (unknown ones are a newer client's)."""
    problems = [f"{name} is missing" for name in required if name not in value]
    for name, check in fields.items():
        if name in value:
            problem = check(value[name])
            if problem:
                problems.append(f"{name} {problem}")
    return problems


def _kind_of(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


# -- the kinds ------------------------------------------------------------

_LINE = text(2000)
_ADDRESS = text(320)
_DOMAIN = text(253)
_ID = text(200)
_SIDE = mapping(
    {
        "state": optional(text(40)),
        "owner_slot": optional(number(0, 69)),
        "owner": optional(text(64)),
    }
)


@dataclass(frozen=True)
class KindSchema:
    fields: Mapping[str, Check]
    required: tuple[str, ...] = ()


SCHEMAS: dict[str, KindSchema] = {
    "event": KindSchema(
        {
            "operation": text(40, empty=False),
            "mailbox": text(1000),
            "uid": number(0, 2**32 - 1),
            "subject": _LINE,
            "from": _SIDE,
            "to": _SIDE,
            "modseq": optional(number(0, 2**63 - 1)),
            "take_over": flag,
            "problems": items(text(500), 50),
        },
        ("operation",),
    ),
    "note": KindSchema(
        {
            "text": text(20_000),
            "mailbox": text(1000),
            "uid": number(0, 2**32 - 1),
            "subject": _LINE,
            "deleted": flag,
            "supersedes": text(300),
        }
    ),
    "template": KindSchema(
        {
            "name": text(80, empty=False),
            "body": text(50_000),
            "subject": text(1000),
            "to": items(_ADDRESS, 100),
            "cc": items(_ADDRESS, 100),
            "attachments_expected": flag,
            "fallbacks": text_map(200, 1000, 100),
            "deleted": flag,
        },
    ),
    "roster": KindSchema(
        {
            "id": text(32, empty=False, pattern=r"[a-z0-9][a-z0-9._-]{0,31}"),
            "name": text(200),
            "email": _ADDRESS,
            "slot": optional(number(0, 69)),
            "active": flag,
        },
        ("id",),
    ),
    "policy": KindSchema(
        {
            "internal_domains": items(_DOMAIN, 1000),
            "attention_domains": items(_DOMAIN, 1000),
            "blocked_domains": items(_DOMAIN, 1000),
            "blocked_addresses": items(_ADDRESS, 1000),
            "size_limit": number(1, 10_000_000_000),
            "large_audience": number(1, 100_000),
            "attachment_keywords": items(text(100), 200),
            "undo_seconds": number(0, 600),
            "signature": text(2000),
            "keyword_rules": items(
                mapping(
                    {
                        "pattern": text(200, empty=False),
                        "action": one_of("warn", "block"),
                        "reason": text(500),
                    },
                    ("pattern",),
                ),
                200,
            ),
            "done_after_reply": flag,
        }
    ),
    "mode": KindSchema(
        {
            "mailbox": text(1000, empty=False),
            "authority": one_of("log", "keywords"),
            "phase": one_of("switching", "effective"),
            "base": optional(text(300)),
            "auto": flag,
        },
        ("mailbox", "authority", "phase"),
    ),
    "approval-rules": KindSchema(
        {
            "approvers": items(_ID, 100),
            "always_for": items(_ID, 100),
            "new_external_domain": flag,
            "any_attachment": flag,
            "keywords": items(text(100), 200),
            "max_external_recipients": number(0, 100_000),
        }
    ),
    "approval": KindSchema(
        {
            "op": one_of("request", "decision", "withdraw"),
            "approvers": items(_ID, 100),
            # Each reason: a code the UI translates, the English sentence, its params.
            "reasons": items(
                mapping(
                    {"code": text(40), "message": text(500), "params": text_map(40, 1000, 20)},
                    ("message",),
                ),
                50,
            ),
            "subject": _LINE,
            "recipients": items(_ADDRESS, 10_000),
            "message_id": text(1000),
            "sha256": text(200),
            "raw_b64": text(MAX_APPROVAL_BYTES),
            "decision": one_of("approve", "return"),
            "comment": text(5000),
        },
        ("op",),
    ),
}


# Shared address-book cards (core/contact_cards.py): a record names only the fields it changes.
SCHEMAS["contact"] = KindSchema(
    {
        "address": _ADDRESS,
        "name": text(200),
        "company": text(200),
        "department": text(200),
        "phone": text(100),
        "memo": text(5000),
        "tags": items(text(60, empty=False), 50),
        "vip": flag,
        "do_not_contact": flag,
        "deleted": flag,
    }
)


def check_payload(kind: str, payload: Mapping[str, Any]) -> list[str]:
    """What is wrong with a parsed record body of ``kind`` (empty: it may be used)."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        return []  # a newer client's kind: size and depth were checked, no reader uses it
    return object_problems(payload, schema.fields, schema.required)


def check_created(created: float) -> str | None:
    """A record's date out of 1990..2100 is refused (datetime cannot even show year 10000)."""
    if not MIN_CREATED <= created <= MAX_CREATED:
        return "its date is out of range (before 1970 or after 2100)"
    return None
