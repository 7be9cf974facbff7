"""The mis-send checks of SENDING.md (誤送信防止), in its order, as pure functions.

:func:`run_checks` takes everything it needs as values (the draft, the team
policy, what the mailbox has mailed before, the collision state) and returns
:class:`Finding` objects with a severity:

- ``block``: the mail cannot be sent as it is (blocked recipient, over the size
  limit, a blocking keyword rule, a teammate owns the message);
- ``confirm``: the user must look at it in the dialog (external domains,
  attention domains, large audience, a missing attachment, a collision …);
- ``warn``: shown, no action needed (first-time recipient, recommend Bcc …).

Each finding has a stable ``code`` and ``params`` so the UI can show it in the
user's language; ``message`` is the English text the CLI prints.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from mailwise_desktop.mail.filenames import Risk, attachment_risk
from mailwise_desktop.send.compose import encoded_size, full_text
from mailwise_desktop.send.draft import Draft, Recipient, ReplyKind
from mailwise_desktop.send.policy import TeamPolicy, domain_matches, domain_of, normalize_address

HEADER_ALLOWANCE = 4_000  # headers and MIME boundaries, generously


class Severity(StrEnum):
    BLOCK = "block"
    CONFIRM = "confirm"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    """One result of one check."""

    code: str
    severity: Severity
    message: str
    params: dict[str, str] = field(default_factory=dict)
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Collision:
    """What changed on the server since the draft was opened (check 12)."""

    new_messages: int = 0
    answered: bool = False
    other_owner: str | None = None  # display name of the teammate who owns it now

    @property
    def any(self) -> bool:
        return bool(self.new_messages or self.answered or self.other_owner)


@dataclass(frozen=True)
class RecipientGroup:
    """Recipients of one domain, as the confirm dialog shows them (check 2)."""

    domain: str
    external: bool
    attention: bool
    recipients: tuple[tuple[str, Recipient], ...]  # (field: to/cc/bcc, recipient)


@dataclass(frozen=True)
class CheckInput:
    draft: Draft
    policy: TeamPolicy
    known_recipients: frozenset[str] | None = None  # None: unknown, check 4 skipped
    collision: Collision | None = None
    message_size: int | None = None
    smtp_size_limit: int | None = None


def internal_domains(draft: Draft, policy: TeamPolicy) -> tuple[str, ...]:
    """The policy's internal domains; without any, the shared address's own domain."""
    if policy.internal_domains:
        return policy.internal_domains
    own = domain_of(draft.from_address)
    return (own,) if own else ()


def is_external(address: str, draft: Draft, policy: TeamPolicy) -> bool:
    return not domain_matches(domain_of(address), internal_domains(draft, policy))


def group_recipients(draft: Draft, policy: TeamPolicy) -> list[RecipientGroup]:
    """Recipients grouped by domain: external first, then internal, each by name."""
    groups: dict[str, list[tuple[str, Recipient]]] = {}
    for where, people in (("to", draft.to), ("cc", draft.cc), ("bcc", draft.bcc)):
        for person in people:
            groups.setdefault(domain_of(person.email), []).append((where, person))
    inside = internal_domains(draft, policy)
    result = [
        RecipientGroup(
            domain,
            not domain_matches(domain, inside),
            domain_matches(domain, policy.attention_domains),
            tuple(members),
        )
        for domain, members in groups.items()
    ]
    return sorted(result, key=lambda g: (not g.external, g.domain))


def estimated_size(draft: Draft) -> int:
    """Encoded size of the mail from its text and attachment sizes (no file is read)."""
    text = len(full_text(draft).encode("utf-8"))
    attachments = sum(encoded_size(a.size) + 300 for a in draft.attachments)
    return HEADER_ALLOWANCE + encoded_size(text) + attachments


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def new_text(draft: Draft) -> str:
    """What the user wrote: the body without quoted lines (``>``)."""
    return "\n".join(line for line in draft.body.split("\n") if not line.lstrip().startswith(">"))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _mentions(text: str, keywords: Iterable[str]) -> list[str]:
    haystack = _norm(text)
    found = []
    for word in keywords:
        needle = _norm(word)
        if not needle:
            continue
        if needle.isascii():
            if re.search(rf"(?<![a-z]){re.escape(needle)}", haystack):
                found.append(word)
        elif needle in haystack:
            found.append(word)
    return found


def run_checks(data: CheckInput) -> list[Finding]:
    """Every finding for ``data``, in the order of SENDING.md."""
    draft, policy = data.draft, data.policy
    out: list[Finding] = []
    everyone = draft.recipients
    if not everyone:
        out.append(Finding("no_recipients", Severity.BLOCK, "The mail has no recipient."))
    groups = group_recipients(draft, policy)
    # 2. external domains
    external = [g.domain for g in groups if g.external]
    if external:
        out.append(
            Finding(
                "external_domains",
                Severity.CONFIRM,
                f"Goes outside the team to: {', '.join(external)}",
                {"domains": ", ".join(external)},
                tuple(external),
            )
        )
    # 3. attention and blocked
    for g in groups:
        if g.attention:
            out.append(
                Finding(
                    "attention_domain",
                    Severity.CONFIRM,
                    f"{g.domain} is on the team's attention list: check it twice.",
                    {"domain": g.domain},
                    (g.domain,),
                )
            )
    for person in everyone:
        reason = blocked_reason(person.email, policy)
        if reason:
            out.append(
                Finding(
                    "blocked_recipient",
                    Severity.BLOCK,
                    f"{person.email} cannot be mailed: {reason}",
                    {"address": person.email, "reason": reason},
                    (person.email,),
                )
            )
    # 4. first-time recipients
    known = data.known_recipients
    first = [] if known is None else [p.email for p in everyone if _safe_norm(p.email) not in known]
    if first:
        out.append(
            Finding(
                "first_time_recipient",
                Severity.WARN,
                f"Never mailed from this mailbox before: {', '.join(first)}",
                {"addresses": ", ".join(first)},
                tuple(first),
            )
        )
    # 5. several external domains visible in To/Cc -> recommend Bcc
    visible = {
        domain_of(p.email) for p in (*draft.to, *draft.cc) if is_external(p.email, draft, policy)
    }
    if len(visible) >= 2:
        out.append(
            Finding(
                "recommend_bcc",
                Severity.WARN,
                f"{len(visible)} external domains can see each other's addresses; consider Bcc.",
                {"count": str(len(visible))},
                tuple(sorted(visible)),
            )
        )
    # 6. large audience
    if len(everyone) >= policy.large_audience:
        out.append(
            Finding(
                "large_audience",
                Severity.CONFIRM,
                f"{len(everyone)} recipients (the team's limit for a normal mail is "
                f"{policy.large_audience}).",
                {"count": str(len(everyone)), "limit": str(policy.large_audience)},
            )
        )
    # 7. attachment mentioned, none attached (new text only)
    if not draft.attachments:
        words = _mentions(f"{draft.subject}\n{new_text(draft)}", policy.attachment_keywords)
        if words or draft.attachments_expected:
            said = ", ".join(words) if words else "the template"
            out.append(
                Finding(
                    "missing_attachment",
                    Severity.CONFIRM,
                    f"The mail mentions an attachment ({said}) but nothing is attached.",
                    {"words": said},
                    tuple(words),
                )
            )
    # 8. attachment list: dangerous and double extensions
    for att in draft.attachments:
        risk = attachment_risk(att.filename, att.content_type)
        if risk is not None:
            severity = Severity.CONFIRM if risk is Risk.DOUBLE_EXTENSION else Severity.WARN
            out.append(
                Finding(
                    "double_extension" if risk is Risk.DOUBLE_EXTENSION else "risky_attachment",
                    severity,
                    f"{att.filename}: {risk.value}",
                    {"file": att.filename},
                    (att.filename,),
                )
            )
    # 9. size limit (encoded size) and the server's SIZE
    size = data.message_size if data.message_size is not None else estimated_size(draft)
    limits = [policy.size_limit] + ([data.smtp_size_limit] if data.smtp_size_limit else [])
    limit = min(limits)
    if size > limit:
        out.append(
            Finding(
                "too_large",
                Severity.BLOCK,
                f"The mail is {mb(size)} once encoded, over the limit of {mb(limit)}. "
                "Remove attachments or share the files another way.",
                {"size": mb(size), "limit": mb(limit)},
            )
        )
    # 10. keyword rules and an empty subject
    searchable = f"{draft.subject}\n{new_text(draft)}"
    for rule in policy.keyword_rules:
        if _mentions(searchable, [rule.pattern]):
            severity = Severity.BLOCK if rule.action == "block" else Severity.WARN
            reason = rule.reason or "team rule"
            out.append(
                Finding(
                    "keyword_rule",
                    severity,
                    f"Contains {rule.pattern!r} ({reason}).",
                    {"pattern": rule.pattern, "reason": reason},
                )
            )
    if not draft.subject.strip():
        out.append(Finding("empty_subject", Severity.CONFIRM, "The subject is empty."))
    # 11. reply-all adding external people the customer did not write to
    if draft.kind is ReplyKind.REPLY_ALL and draft.original is not None:
        o = draft.original
        wrote_to = {_safe_norm(a) for a in (o.from_email, *o.to, *o.cc)}
        added = [
            p.email
            for p in everyone
            if _safe_norm(p.email) not in wrote_to and is_external(p.email, draft, policy)
        ]
        if added:
            out.append(
                Finding(
                    "reply_all_added_external",
                    Severity.CONFIRM,
                    f"Reply-all adds external recipients the customer did not write to: "
                    f"{', '.join(added)}",
                    {"addresses": ", ".join(added)},
                    tuple(added),
                )
            )
    # 12. collision
    out.extend(collision_findings(data.collision, draft))
    return out


def collision_findings(collision: Collision | None, draft: Draft) -> list[Finding]:
    if collision is None or not collision.any:
        return []
    out = []
    if collision.other_owner:
        severity = Severity.CONFIRM if draft.take_over else Severity.BLOCK
        out.append(
            Finding(
                "collision_owner",
                severity,
                f"{collision.other_owner} is handling this message now; sending needs a take-over.",
                {"owner": collision.other_owner},
            )
        )
    if collision.answered:
        out.append(
            Finding(
                "collision_answered",
                Severity.CONFIRM,
                "Someone has answered this message since you opened it.",
            )
        )
    if collision.new_messages:
        out.append(
            Finding(
                "collision_new_message",
                Severity.CONFIRM,
                f"{collision.new_messages} new message(s) arrived in this conversation "
                "since you opened it.",
                {"count": str(collision.new_messages)},
            )
        )
    return out


def blocked_reason(address: str, policy: TeamPolicy) -> str | None:
    """Why the policy forbids ``address`` (None: allowed)."""
    normal = _safe_norm(address)
    if normal in policy.blocked_addresses:
        return "the address is blocked by the team policy"
    domain = domain_of(address)
    if domain_matches(domain, policy.blocked_domains):
        return f"the domain {domain} is blocked by the team policy"
    return None


def _safe_norm(address: str) -> str:
    try:
        return normalize_address(address)
    except Exception:
        return address.strip().casefold()


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.BLOCK]
