"""When a reply needs a second person's approval (確認者) before it goes out.

The team's rules live in the team mailbox as their own record (kind
``approval-rules``), next to but apart from the sending policy, so an older
client that knows only the policy keeps working. Pure: no I/O.

``mailwise approvals rules set KEY VALUE`` goes through :func:`parse_rule`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.send.checks import is_external, new_text
from mailwise_desktop.send.draft import Draft
from mailwise_desktop.send.policy import TeamPolicy, domain_of

RULES_KIND = "approval-rules"
RULES_TARGET = "approval-rules"


@dataclass(frozen=True)
class ApprovalRules:
    """What needs approval, and who may give it.

    Attributes:
        approvers: teammate ids who may approve (empty: any active teammate).
        always_for: teammate ids whose every mail needs approval (new staff).
        new_external_domain: the first mail to an external domain this
            mailbox never wrote to.
        any_attachment: any mail with an attachment.
        keywords: words in the subject or the new text (not the quote).
        max_external_recipients: more external recipients than this (0: off).
    """

    approvers: tuple[str, ...] = ()
    always_for: tuple[str, ...] = ()
    new_external_domain: bool = False
    any_attachment: bool = False
    keywords: tuple[str, ...] = ()
    max_external_recipients: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApprovalRules:
        """Read stored rules; unknown keys are ignored, a bad value keeps its default."""
        rules = cls()
        for f in fields(cls):
            if f.name in data:
                try:
                    rules = rules.with_value(f.name, data[f.name])
                except UsageError:
                    continue
        return rules

    def with_value(self, key: str, value: Any) -> ApprovalRules:
        names = {f.name for f in fields(self)}
        if key not in names:
            raise UsageError(f"Unknown approval rule {key!r}. Known: {', '.join(sorted(names))}.")
        return replace(self, **{key: parse_rule(key, value)})

    def may_approve(self, teammate_id: str, requester: str) -> bool:
        """Nobody approves their own mail; otherwise the approvers list decides."""
        if teammate_id == requester:
            return False
        return not self.approvers or teammate_id in self.approvers


def parse_rule(key: str, value: Any) -> Any:
    """A rule's typed value from text (CLI) or JSON, or UsageError in plain words."""
    if key in {"new_external_domain", "any_attachment"}:
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered not in {"true", "false", "yes", "no", "1", "0", "on", "off"}:
            raise UsageError(f"{key} takes true or false.")
        return lowered in {"true", "yes", "1", "on"}
    if key == "max_external_recipients":
        try:
            number = int(str(value).strip())
        except ValueError:
            raise UsageError(f"{key} takes a whole number (0 turns it off).") from None
        if not 0 <= number <= 100_000:
            raise UsageError(f"{key} must be between 0 and 100000.")
        return number
    if isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        items = [p.strip() for p in str(value).replace("\n", ",").split(",")]
    return tuple(i for i in items if i)


@dataclass(frozen=True)
class Reason:
    """Why a mail needs approval: ``code`` and ``params`` for the UI's words, ``message``."""

    code: str
    message: str
    params: tuple[tuple[str, str], ...] = ()


def reasons(
    rules: ApprovalRules,
    draft: Draft,
    *,
    requester: str,
    policy: TeamPolicy,
    known_recipients: frozenset[str],
) -> list[Reason]:
    """Why ``draft`` needs approval (empty: it does not), one plain sentence each."""
    out: list[Reason] = []
    if requester in rules.always_for:
        out.append(
            Reason("always", "Mail from this teammate is approved by another before it goes out.")
        )
    external = [r.email for r in draft.recipients if is_external(r.email, draft, policy)]
    if rules.new_external_domain:
        known = {domain_of(a) for a in known_recipients}
        new = sorted({domain_of(a) for a in external} - known)
        if new:
            names = ", ".join(new)
            out.append(Reason("new_domain", f"First mail to {names}.", (("domains", names),)))
    if rules.any_attachment and draft.attachments:
        count = str(len(draft.attachments))
        out.append(
            Reason("attachment", f"The mail has {count} attachment(s).", (("count", count),))
        )
    if rules.keywords:
        haystack = f"{draft.subject}\n{new_text(draft)}".casefold()
        hits = [k for k in rules.keywords if k.casefold() in haystack]
        if hits:
            words = ", ".join(hits)
            out.append(Reason("keyword", f"The mail mentions {words}.", (("words", words),)))
    limit = rules.max_external_recipients
    if limit and len(external) > limit:
        n = str(len(external))
        out.append(
            Reason(
                "many_external",
                f"{n} external recipients (more than {limit}).",
                (("count", n), ("limit", str(limit))),
            )
        )
    return out


def mime_hash(raw: bytes) -> str:
    """The fingerprint that ties an approval to the exact bytes approved."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()
