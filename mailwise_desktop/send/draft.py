"""A mail being written: the value object shared by the editor, the checks and the outbox.

Plain, immutable and JSON-serialisable, so a draft survives a crash (saved in
the local database), goes into the outbox unchanged, and comes back to the
editor on Undo.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class ReplyKind(StrEnum):
    NEW = "new"
    REPLY = "reply"
    REPLY_ALL = "reply_all"
    FORWARD = "forward"


@dataclass(frozen=True)
class Recipient:
    """One address with its display name."""

    name: str
    email: str

    def display(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True)
class AttachmentRef:
    """A file to attach: where it is and what it looked like when it was added."""

    path: str
    filename: str
    size: int
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class OriginalSnapshot:
    """The message being answered, as it was when the draft was opened.

    The collision check compares the server's state with this: a new message
    in the thread, ``\\Answered``, or another owner since then.
    """

    mailbox: str
    uid: int
    message_id: str | None
    modseq: int
    answered: bool
    state: str
    owner_slot: int | None
    thread_key: str | None
    uidnext: int  # the mailbox's UIDNEXT then: later UIDs in the thread are new
    from_email: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """Everything needed to send one mail."""

    account_id: str
    from_name: str
    from_address: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    kind: ReplyKind = ReplyKind.NEW
    to: tuple[Recipient, ...] = ()
    cc: tuple[Recipient, ...] = ()
    bcc: tuple[Recipient, ...] = ()
    subject: str = ""
    body: str = ""
    quoted: str = ""
    attachments: tuple[AttachmentRef, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    original: OriginalSnapshot | None = None
    template: str | None = None
    attachments_expected: bool = False
    take_over: bool = False

    @property
    def recipients(self) -> tuple[Recipient, ...]:
        return (*self.to, *self.cc, *self.bcc)

    def with_changes(self, **changes: Any) -> Draft:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        def people(items: tuple[Recipient, ...]) -> list[list[str]]:
            return [[r.name, r.email] for r in items]

        original = self.original
        return {
            "id": self.id,
            "account_id": self.account_id,
            "from_name": self.from_name,
            "from_address": self.from_address,
            "kind": self.kind.value,
            "to": people(self.to),
            "cc": people(self.cc),
            "bcc": people(self.bcc),
            "subject": self.subject,
            "body": self.body,
            "quoted": self.quoted,
            "attachments": [[a.path, a.filename, a.size, a.content_type] for a in self.attachments],
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "original": None
            if original is None
            else {
                **original.__dict__,
                "to": list(original.to),
                "cc": list(original.cc),
            },
            "template": self.template,
            "attachments_expected": self.attachments_expected,
            "take_over": self.take_over,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        def people(items: list[list[str]]) -> tuple[Recipient, ...]:
            return tuple(Recipient(n, e) for n, e in items)

        raw = data.get("original")
        original = None
        if raw:
            original = OriginalSnapshot(
                **{**raw, "to": tuple(raw.get("to", ())), "cc": tuple(raw.get("cc", ()))}
            )
        return cls(
            id=data["id"],
            account_id=data["account_id"],
            from_name=data.get("from_name", ""),
            from_address=data["from_address"],
            kind=ReplyKind(data.get("kind", "new")),
            to=people(data.get("to", [])),
            cc=people(data.get("cc", [])),
            bcc=people(data.get("bcc", [])),
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            quoted=data.get("quoted", ""),
            attachments=tuple(AttachmentRef(*a) for a in data.get("attachments", [])),
            in_reply_to=data.get("in_reply_to"),
            references=tuple(data.get("references", [])),
            original=original,
            template=data.get("template"),
            attachments_expected=bool(data.get("attachments_expected", False)),
            take_over=bool(data.get("take_over", False)),
        )


def new_draft_id() -> str:
    return uuid.uuid4().hex
