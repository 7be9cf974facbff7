"""Making drafts: reply, reply-all, forward and new mail from the shared address.

The base of :class:`~mailwise_desktop.services.sending.SendingService`. Works
from the cache (the body is downloaded when not cached); claiming the message
on reply is a compare-and-set on the server (COORDINATION.md).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.errors import ErrorCase, MailwiseError, NotConfiguredError, StorageError
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.core.states import Operation, RefusalKind
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.mail.headers import parse_headers
from mailwise_desktop.mail.parse import attachment_bytes
from mailwise_desktop.send.compose import (
    attribution,
    forward_subject,
    guess_type,
    quote_text,
    references_for,
    reply_subject,
)
from mailwise_desktop.send.draft import AttachmentRef, Draft, OriginalSnapshot, Recipient, ReplyKind
from mailwise_desktop.send.policy import TeamPolicy, normalize_address
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService, OperationOutcome
from mailwise_desktop.services.messages import MessageDetail, MessageService
from mailwise_desktop.store import queries
from mailwise_desktop.templates.records import TemplateRecord
from mailwise_desktop.templates.variables import Person, template_variables

T = TypeVar("T")
log = logging.getLogger(__name__)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class ClaimOutcome:
    """What happened when a reply tried to claim its message."""

    claimed: bool
    held_by: str | None = None  # a teammate's name: show the banner, require take-over
    note: str = ""


def language_of(text: str) -> str:
    return "ja" if _CJK.search(text) else "en"


class ReplyDrafts:
    def __init__(
        self, ctx: AppContext, account: Account, coordination: CoordinationService
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.coordination = coordination

    # provided by SendingService
    def roster(self) -> Roster:
        raise NotImplementedError

    def me(self) -> Teammate:
        raise NotImplementedError

    def template(self, name: str, *, shared: bool | None = None) -> TemplateRecord:
        raise NotImplementedError

    def run(self, job: Callable[[EngineContext], T]) -> T:
        raise NotImplementedError

    def policy(self) -> TeamPolicy:
        raise NotImplementedError

    # ------------------------------------------------------------------ building

    def from_name(self) -> str:
        return self.account.id if not self.account.address else self._team_name()

    def _team_name(self) -> str:
        return self.account.id.capitalize()

    def new_draft(self) -> Draft:
        address = self.account.address or self.account.smtp.user
        if "@" not in address:
            raise NotConfiguredError(
                f"The account {self.account.id} has no sending address.",
                case=ErrorCase.NO_SENDING_ADDRESS,
                data={"account": self.account.id},
            )
        signature = self.signature()
        return Draft(
            account_id=self.account.id,
            from_name=self._team_name(),
            from_address=address,
            body=f"\n\n{signature}" if signature else "",
        )

    def snapshot(self, mailbox: str, uid: int) -> OriginalSnapshot:
        with self.ctx.cache.transaction() as session:
            box = queries.mailbox(session, self.account.id, mailbox)
            m = queries.message_by_uid(session, box.id, uid)
        thread = m.references[0] if m.references else (m.in_reply_to or m.message_id)
        return OriginalSnapshot(
            mailbox=mailbox,
            uid=uid,
            message_id=m.message_id,
            modseq=m.modseq,
            answered=m.answered,
            state=m.state,
            owner_slot=m.owner_slot,
            thread_key=thread,
            uidnext=box.uidnext or uid + 1,
            from_email=m.from_email,
            to=tuple(e for _n, e in m.to),
            cc=tuple(e for _n, e in m.cc),
        )

    def reply_draft(
        self,
        uid: int,
        mailbox: str = "INBOX",
        *,
        kind: ReplyKind = ReplyKind.REPLY,
        template: str | None = None,
    ) -> Draft:
        """A reply (or reply-all / forward) to a cached message, template applied."""
        detail = MessageService(self.ctx).show(self.account, uid, mailbox)
        base = self.new_draft()
        m = detail.summary
        text = detail.body.text if detail.body else ""
        language = language_of(m.subject + text)
        header = attribution(
            f"{m.from_name} <{m.from_email}>" if m.from_name else m.from_email, m.date, language
        )
        draft = replace(
            base,
            kind=kind,
            original=self.snapshot(mailbox, uid),
            in_reply_to=m.message_id if kind is not ReplyKind.FORWARD else None,
            references=references_for(m.references, m.message_id)
            if kind is not ReplyKind.FORWARD
            else (),
        )
        if kind is ReplyKind.FORWARD:
            draft = replace(
                draft,
                subject=forward_subject(m.subject),
                quoted=quote_text(
                    text, header="---------- Forwarded message ----------\n" + header
                ),
                attachments=self._forwarded_files(draft.id, detail),
            )
        else:
            draft = replace(
                draft,
                subject=reply_subject(m.subject),
                quoted=quote_text(text, header=header),
                to=self._reply_to(detail),
                cc=self._reply_all_cc(detail) if kind is ReplyKind.REPLY_ALL else (),
            )
        if template:
            draft = self.apply_template(draft, template, detail=detail)
        return draft

    def _own(self) -> set[str]:
        own = {self.account.address, self.account.smtp.user, self.account.imap.user}
        out = set()
        for a in own:
            if a and "@" in a:
                out.add(normalize_address(a))
        return out

    def _reply_to(self, detail: MessageDetail) -> tuple[Recipient, ...]:
        m = detail.summary
        if detail.body is not None:
            info = parse_headers(detail.body.raw.split(b"\r\n\r\n", 1)[0])
            if info.reply_to:
                return tuple(Recipient(a.name, a.email) for a in info.reply_to if a.email)
        return (Recipient(m.from_name, m.from_email),) if m.from_email else ()

    def _reply_all_cc(self, detail: MessageDetail) -> tuple[Recipient, ...]:
        m = detail.summary
        skip = self._own() | {normalize_address(r.email) for r in self._reply_to(detail)}
        out: list[Recipient] = []
        for name, email in (*m.to, *m.cc):
            if not email or "@" not in email:
                continue
            key = normalize_address(email)
            if key in skip:
                continue
            skip.add(key)
            out.append(Recipient(name, email))
        return tuple(out)

    def _forwarded_files(self, draft_id: str, detail: MessageDetail) -> tuple[AttachmentRef, ...]:
        if detail.body is None:
            return ()
        refs = []
        folder = self.attachment_folder(draft_id)
        for att in detail.body.attachments:
            if att.inline:
                continue
            data = attachment_bytes(detail.body.raw, att.part_id)
            path = folder / f"{att.part_id}-{Path(att.filename or 'attachment').name}"
            path.write_bytes(data)
            refs.append(
                AttachmentRef(str(path), att.filename or "attachment", len(data), att.content_type)
            )
        return tuple(refs)

    def attachment_folder(self, draft_id: str) -> Path:
        folder = self.ctx.profile.attachments_dir / draft_id
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def attach(self, draft: Draft, path: str | Path) -> Draft:
        """Attach a file: copied into the profile, so moving the original cannot lose it."""
        source = Path(path)
        if not source.is_file():
            raise StorageError(f"The file {source} does not exist or is not a file.")
        target = self.attachment_folder(draft.id) / source.name
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            raise StorageError(f"The file {source} cannot be read.", detail=str(exc)) from exc
        ref = AttachmentRef(
            str(target), source.name, target.stat().st_size, guess_type(source.name)
        )
        kept = tuple(a for a in draft.attachments if a.filename != source.name)
        return replace(draft, attachments=(*kept, ref))

    # ------------------------------------------------------------------ templates

    def apply_template(
        self, draft: Draft, name: str, *, detail: MessageDetail | None = None
    ) -> Draft:
        """Fill ``draft`` from a template (body above the signature; subject/To/Cc if set)."""
        template = self.template(name)
        original = draft.original
        if detail is None and original is not None:
            detail = MessageService(self.ctx).show(self.account, original.uid, original.mailbox)
        m = detail.summary if detail else None
        language = language_of(template.body)
        try:
            me = self.me()
            me_person = Person(me.name, me.email or draft.from_address, signature=self._signature())
        except NotConfiguredError:
            me_person = Person("", draft.from_address, signature=self._signature())
        name_ok = m is not None and m.from_name and "@" not in m.from_name
        variables = template_variables(
            customer=Person(m.from_name if name_ok else "", m.from_email) if m else Person(),
            me=me_person,
            team_name=self._team_name(),
            team_address=draft.from_address,
            original_subject=m.subject if m else "",
            original_date=m.date if m else None,
            original_from=(
                f"{m.from_name} <{m.from_email}>"
                if m and m.from_name
                else (m.from_email if m else "")
            ),
            original_quoted=draft.quoted,
            today=date.today(),
            language=language,
        )
        # Jinja2 on first use: the window imports this module at start (bench/ui.py).
        from mailwise_desktop.templates.render import render_template

        body = render_template(
            template.body, variables, fallbacks=template.fallbacks, language=language
        )
        signature = self._signature()
        if signature and "me.signature" not in template.body:
            body = f"{body.rstrip()}\n\n{signature}"
        subject = draft.subject
        if template.subject:
            subject = render_template(
                template.subject, variables, fallbacks=template.fallbacks, language=language
            ).strip()
        from mailwise_desktop.send.compose import parse_recipients

        to = draft.to + tuple(r for a in template.to for r in parse_recipients(a))
        cc = draft.cc + tuple(r for a in template.cc for r in parse_recipients(a))
        return replace(
            draft,
            body=body,
            subject=subject,
            to=to,
            cc=cc,
            template=template.name,
            attachments_expected=template.attachments_expected,
        )

    def _signature(self) -> str:
        return self.signature()

    def signature(self) -> str:
        """My signature: my own (Settings), else the team's, filled in with my name.

        The team's is outside input (a record anyone with the password can
        write): it is rendered in the bounded sandbox, and one that fails
        leaves the mail unsigned rather than stopping the reply.
        """
        own = str(self.ctx.settings.get("signature")).strip()
        if own:
            return own
        try:
            team = self.policy().signature.strip()
        except MailwiseError:
            return ""
        if not team:
            return ""
        try:
            me = self.me()
            person = Person(me.name, me.email or self.account.address)
        except MailwiseError:
            person = Person("", self.account.address)
        language = language_of(team)
        variables = template_variables(
            customer=Person(),
            me=person,
            team_name=self._team_name(),
            team_address=self.account.address,
            language=language,
        )
        from mailwise_desktop.templates.render import render_template

        try:
            return render_template(team, variables, language=language).strip()
        except MailwiseError as exc:
            log.warning("team signature not used: %s", exc.message)
            return ""

    # ------------------------------------------------------------------ claiming

    def claim_for_reply(
        self, uid: int, mailbox: str = "INBOX", *, take_over: bool = False
    ) -> ClaimOutcome:
        """Replying claims the message; a teammate's claim needs ``take_over``.

        Already mine, or done / no reply needed: nothing to claim, replying is fine.
        """
        coordination = self.coordination
        me = coordination.require_me()
        if take_over:
            job = coordination.operation_job(
                Operation.TRANSFER, uid, mailbox=mailbox, target=me.id, take_over=True
            )
        else:
            job = coordination.operation_job(Operation.CLAIM, uid, mailbox=mailbox)
        return claim_outcome(self.run(job), me)


def claim_outcome(outcome: OperationOutcome, me: Teammate) -> ClaimOutcome:
    """What a reply's claim (or take-over) came to, from the operation's outcome."""
    if outcome.won or (outcome.owner is not None and outcome.owner.id == me.id):
        return ClaimOutcome(True, note=outcome.message)
    if outcome.refusal is RefusalKind.HELD_BY_OTHER:
        holder = outcome.owner.label if outcome.owner else "?"
        return ClaimOutcome(False, held_by=holder, note=outcome.message)
    return ClaimOutcome(False, note=outcome.message)
