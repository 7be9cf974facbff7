"""Template records: shared ones (team mailbox, kind ``template``) and personal ones (local DB).

A shared template is one team-mailbox record per change (the newest wins, a
tombstone deletes); every teammate reads them on sync. A personal template is
a row of the local database's ``personal_templates`` table and never leaves
the machine. Both share the JSON shape of :class:`TemplateRecord`.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mailwise_desktop.core.errors import NotFoundError, UsageError
from mailwise_desktop.store import template_rows
from mailwise_desktop.store.local import LocalDatabase

TEMPLATE_KIND = "template"
MAX_NAME = 80


@dataclass(frozen=True)
class TemplateRecord:
    """One reply template.

    Attributes:
        name: unique within its scope (shared / personal); shown in the picker.
        body: the Jinja2 text.
        subject: optional subject template (replaces "Re: ..." when set).
        to / cc: addresses the template adds.
        attachments_expected: the template says something is attached; the
            confirm dialog insists on an attachment.
        fallbacks: dotted variable name -> value used when it is missing.
        shared: stored in the team mailbox (else local only).
        deleted: a tombstone (shared templates only).
    """

    name: str
    body: str
    subject: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    attachments_expected: bool = False
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    shared: bool = False
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "body": self.body,
            "subject": self.subject,
            "to": list(self.to),
            "cc": list(self.cc),
            "attachments_expected": self.attachments_expected,
            "fallbacks": dict(self.fallbacks),
            "deleted": self.deleted,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, shared: bool) -> TemplateRecord:
        """A template from its JSON shape.

        Raises:
            UsageError: a field has the wrong type (a record from outside).
        """
        fallbacks = data.get("fallbacks") or {}
        to, cc = data.get("to") or (), data.get("cc") or ()
        if not isinstance(fallbacks, Mapping) or not all(
            isinstance(v, list | tuple) and all(isinstance(a, str) for a in v) for v in (to, cc)
        ):
            raise UsageError("A template's to/cc must be lists of addresses, fallbacks an object.")
        return cls(
            name=validate_name(str(data.get("name", ""))),
            body=str(data.get("body", "")),
            subject=str(data.get("subject") or ""),
            to=tuple(to),
            cc=tuple(cc),
            attachments_expected=bool(data.get("attachments_expected", False)),
            fallbacks={str(k): str(v) for k, v in fallbacks.items()},
            shared=shared,
            deleted=bool(data.get("deleted", False)),
        )

    def tombstone(self) -> TemplateRecord:
        return replace(self, body="", deleted=True)


def validate_name(name: str) -> str:
    """A template name: trimmed, one line, not empty, at most 80 characters."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if (
        not cleaned
        or len(cleaned) > MAX_NAME
        or any(unicodedata.category(c)[0] == "C" for c in cleaned)
    ):
        raise UsageError(
            f"A template name must be one line of 1 to {MAX_NAME} characters: {name!r}"
        )
    return cleaned


def latest_shared(records: Iterable[Mapping[str, Any]]) -> dict[str, TemplateRecord]:
    """The current shared templates from team-mailbox payloads in UID order (newest last)."""
    current: dict[str, TemplateRecord] = {}
    for payload in records:
        try:
            record = TemplateRecord.from_json(payload, shared=True)
        except UsageError:
            continue  # a damaged record must not hide the others
        if record.deleted:
            current.pop(record.name, None)
        else:
            current[record.name] = record
    return current


def filter_names(names: Iterable[str], query: str) -> list[str]:
    """The picker's quick filter: every word of ``query`` in the name (case- and width-insensitive)."""

    def norm(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold()

    words = norm(query).split()
    return sorted(n for n in names if all(w in norm(n) for w in words))


class PersonalTemplates:
    """Personal templates in the local database."""

    def __init__(self, local: LocalDatabase) -> None:
        self.local = local

    def all(self) -> dict[str, TemplateRecord]:
        return {
            r.name: r
            for r in (
                TemplateRecord.from_json(json.loads(j), shared=False)
                for j in template_rows.all_json(self.local)
            )
        }

    def get(self, name: str) -> TemplateRecord:
        found = self.all().get(validate_name(name))
        if found is None:
            raise NotFoundError(f"There is no personal template named {name!r}.")
        return found

    def save(self, record: TemplateRecord) -> None:
        template_rows.upsert(
            self.local, record.name, json.dumps(record.to_json(), ensure_ascii=False)
        )

    def remove(self, name: str) -> None:
        if not template_rows.delete(self.local, validate_name(name)):
            raise NotFoundError(f"There is no personal template named {name!r}.")
