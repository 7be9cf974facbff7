"""Approval requests and decisions as team-mailbox records, and who decided (pure).

Every record has kind ``approval`` and the request's id as target:

- ``request`` (by the sender): the exact MIME that will go out (base64), its
  SHA-256, the recipients, the reasons and the approvers asked;
- ``decision`` (by an approver): ``approve`` or ``return`` with a comment and
  the SHA-256 of the bytes the approver read;
- ``withdraw`` (by the sender): the mail was taken back into the editor.

Records are never edited, so "two approvers at once" is settled the way
claims' history is (COORDINATION.md): the server gives each APPEND a UID, and
the **first valid closing record in UID order wins** (a decision by someone
allowed to decide, for these bytes, or the sender's withdrawal). Later
decisions are kept as history and shown as "too late". Every client reads the
same UIDs, so every client agrees on the one decision that counts.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum

from mailwise_desktop.mail.team_records import PREFIX, TeamRecord
from mailwise_desktop.send.approval_rules import Reason, mime_hash

APPROVAL_KIND = "approval"


class CaseState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Decision:
    """One decision record as read (``counts``: it is the one that decided)."""

    actor: str
    decision: str
    comment: str
    created: float
    uid: int | None
    counts: bool
    record_id: str = ""


@dataclass(frozen=True)
class ApprovalCase:
    """One request with everything decided about it."""

    request_id: str
    requester: str
    approvers: tuple[str, ...]
    reasons: tuple[Reason, ...]
    subject: str
    recipients: tuple[str, ...]
    message_id: str
    sha256: str
    raw: bytes
    created: float
    state: CaseState
    decisions: tuple[Decision, ...]

    @property
    def decided(self) -> Decision | None:
        return next((d for d in self.decisions if d.counts), None)

    @property
    def short_id(self) -> str:
        return self.request_id[:8]


def request_record(
    *,
    request_id: str,
    requester: str,
    requester_name: str,
    approvers: Iterable[str],
    reasons: Iterable[Reason],
    subject: str,
    recipients: Iterable[str],
    message_id: str,
    raw: bytes,
) -> TeamRecord:
    return TeamRecord(
        kind=APPROVAL_KIND,
        target=request_id,
        actor=requester,
        payload={
            "op": "request",
            "approvers": list(approvers),
            "reasons": [
                {"code": r.code, "message": r.message, "params": dict(r.params)} for r in reasons
            ],
            "subject": subject,
            "recipients": list(recipients),
            "message_id": message_id,
            "sha256": mime_hash(raw),
            "raw_b64": base64.b64encode(raw).decode("ascii"),
        },
        subject=f"{PREFIX} {requester_name} asks for approval: {_line(subject)}",
    )


def decision_record(
    case: ApprovalCase, *, actor: str, actor_name: str, approve: bool, comment: str
) -> TeamRecord:
    verb = "approved" if approve else "sent back"
    return TeamRecord(
        kind=APPROVAL_KIND,
        target=case.request_id,
        actor=actor,
        payload={
            "op": "decision",
            "decision": "approve" if approve else "return",
            "comment": comment,
            "sha256": case.sha256,
        },
        subject=f"{PREFIX} {actor_name} {verb}: {_line(case.subject)}",
    )


def withdraw_record(case: ApprovalCase, *, actor: str, actor_name: str) -> TeamRecord:
    return TeamRecord(
        kind=APPROVAL_KIND,
        target=case.request_id,
        actor=actor,
        payload={"op": "withdraw", "sha256": case.sha256},
        subject=f"{PREFIX} {actor_name} withdrew: {_line(case.subject)}",
    )


def _line(text: str) -> str:
    flat = " ".join(text.split())
    return (flat[:119] + "…" if len(flat) > 120 else flat) or "(no subject)"


def resolve(records: Iterable[TeamRecord]) -> dict[str, ApprovalCase]:
    """Every request among ``records`` with its state; records in any order.

    A record that does not parse (outside input) is skipped here and never
    stops the others.
    """
    by_target: dict[str, list[TeamRecord]] = {}
    for record in records:
        if record.kind == APPROVAL_KIND:
            by_target.setdefault(record.target, []).append(record)
    out = {}
    for target, items in by_target.items():
        items.sort(key=lambda r: (r.uid is None, r.uid or 0, r.created))
        case = _case(target, items)
        if case is not None:
            out[target] = case
    return out


def _case(target: str, items: list[TeamRecord]) -> ApprovalCase | None:
    request = next((r for r in items if r.payload.get("op") == "request"), None)
    if request is None:
        return None
    p = request.payload
    try:
        raw = base64.b64decode(str(p.get("raw_b64", "")), validate=True)
    except (binascii.Error, ValueError):
        return None
    sha = str(p.get("sha256", ""))
    if mime_hash(raw) != sha:
        return None  # the stored bytes are not the bytes announced: never approvable
    approvers = tuple(str(a) for a in p.get("approvers") or [] if isinstance(a, str))
    state, decisions = CaseState.PENDING, []
    for record in items:
        op = record.payload.get("op")
        if record is request or op not in {"decision", "withdraw"}:
            continue
        valid = record.payload.get("sha256") == sha and (
            (op == "withdraw" and record.actor == request.actor)
            or (
                op == "decision"
                and record.actor != request.actor
                and (not approvers or record.actor in approvers)
                and record.payload.get("decision") in {"approve", "return"}
            )
        )
        counts = valid and state is CaseState.PENDING
        if counts:
            if op == "withdraw":
                state = CaseState.WITHDRAWN
            elif record.payload.get("decision") == "approve":
                state = CaseState.APPROVED
            else:
                state = CaseState.RETURNED
        decisions.append(
            Decision(
                actor=record.actor,
                decision="withdraw" if op == "withdraw" else str(record.payload.get("decision")),
                comment=str(record.payload.get("comment") or ""),
                created=record.created,
                uid=record.uid,
                counts=counts,
                record_id=record.record_id,
            )
        )
    return ApprovalCase(
        request_id=target,
        requester=request.actor,
        approvers=approvers,
        reasons=tuple(_reason(r) for r in p.get("reasons") or []),
        subject=str(p.get("subject") or ""),
        recipients=tuple(str(r) for r in p.get("recipients") or []),
        message_id=str(p.get("message_id") or ""),
        sha256=sha,
        raw=raw,
        created=request.created,
        state=state,
        decisions=tuple(decisions),
    )


def _reason(data: object) -> Reason:
    """A stored reason (an older record may hold a plain sentence)."""
    if not isinstance(data, dict):
        return Reason("", str(data))
    params = data.get("params")
    pairs = tuple((str(k), str(v)) for k, v in params.items()) if isinstance(params, dict) else ()
    return Reason(str(data.get("code", "")), str(data.get("message", "")), pairs)


def customer_view(raw: bytes) -> str:
    """Headers a reader checks and the plain text, decoded, as the customer gets them."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(msg, EmailMessage):
        return ""
    lines = [f"{h}: {msg[h]}" for h in ("From", "To", "Cc", "Subject") if msg[h]]
    body = msg.get_body(("plain",))
    try:
        text = body.get_content() if isinstance(body, EmailMessage) else ""
    except (LookupError, ValueError):  # an unknown charset: outside input, shown as is
        text = body.get_payload() if isinstance(body, EmailMessage) else ""
    names = [str(part.get_filename()) for part in msg.iter_attachments()]
    lines += [f"Attachment: {n}" for n in names]
    return "\n".join([*lines, "", text.rstrip("\n")])
