"""Team policy and reply templates of one account: personal ones local, shared ones team records.

A base of :class:`~mailwise_desktop.services.sending.SendingService` (its own
module to keep that one short); shared templates and the policy are read from
the team-record cache and written as new records to the team mailbox.
"""

from __future__ import annotations

from mailwise_desktop.core.errors import ErrorCase, MailwiseError, NotFoundError
from mailwise_desktop.mail.team_records import PREFIX, TeamRecord
from mailwise_desktop.send.policy import POLICY_KIND, TeamPolicy
from mailwise_desktop.services import outbox_jobs
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.reply_drafts import ReplyDrafts
from mailwise_desktop.store import team_cache
from mailwise_desktop.templates.records import TEMPLATE_KIND, PersonalTemplates, TemplateRecord

#: The one policy record's target.
POLICY_TARGET = "team-policy"


class TeamTemplates(ReplyDrafts):
    """Policy and templates; the subclass sets ``personal`` and ``coordination``."""

    personal: PersonalTemplates
    coordination: CoordinationService

    def refresh_team(self) -> None:
        """Deliver queued team records and read new ones (roster, templates, policy)."""
        self.run(self.coordination.refresh_team_job())

    def policy(self) -> TeamPolicy:
        with self.ctx.cache.transaction() as session:
            found = team_cache.latest_by_target(session, self.account.id, POLICY_KIND)
        record = found.get(POLICY_TARGET)
        return TeamPolicy() if record is None else TeamPolicy.from_json(record.payload)

    def set_policy(self, key: str, value: object) -> TeamPolicy:
        """Change one policy setting for the whole team (a new ``policy`` record)."""
        self.refresh_team()
        policy = self.policy().with_value(key, value)
        record = TeamRecord(
            kind=POLICY_KIND,
            target=POLICY_TARGET,
            actor=self._actor(),
            payload=policy.to_json(),
            subject=f"{PREFIX} policy: {key} changed",
        )
        self.run(lambda e: outbox_jobs.team_append(e, self.coordination.log, record))
        return policy

    def shared_templates(self) -> dict[str, TemplateRecord]:
        with self.ctx.cache.transaction() as session:
            found = team_cache.latest_by_target(session, self.account.id, TEMPLATE_KIND)
        out = {}
        for record in found.values():
            try:
                template = TemplateRecord.from_json(record.payload, shared=True)
            except MailwiseError:
                continue
            out[template.name] = template
        return out

    def templates(self) -> list[TemplateRecord]:
        """Shared then personal templates, each sorted by name."""
        shared = sorted(self.shared_templates().values(), key=lambda t: t.name)
        personal = sorted(self.personal.all().values(), key=lambda t: t.name)
        return [*shared, *personal]

    def template(self, name: str, *, shared: bool | None = None) -> TemplateRecord:
        """A template by name (personal wins over shared unless ``shared`` says which)."""
        if shared is not True:
            found = self.personal.all().get(name)
            if found is not None:
                return found
        if shared is not False:
            found = self.shared_templates().get(name)
            if found is not None:
                return found
        raise NotFoundError(
            f"There is no template named {name!r}.",
            case=ErrorCase.NO_SUCH_TEMPLATE,
            data={"name": name},
        )

    def save_template(self, template: TemplateRecord) -> bool:
        """Save a template; a shared one goes to the team mailbox (True: on the server now)."""
        if not template.shared:
            self.personal.save(template)
            return True
        record = TeamRecord(
            kind=TEMPLATE_KIND,
            target=template.name,
            actor=self._actor(),
            payload={**template.to_json(), **({"deleted": True} if template.deleted else {})},
            subject=f"{PREFIX} template {'removed' if template.deleted else 'saved'}: "
            f"{template.name}",
        )
        return self.run(lambda e: outbox_jobs.team_append(e, self.coordination.log, record))

    def remove_template(self, name: str, *, shared: bool) -> None:
        if not shared:
            self.personal.remove(name)
            return
        existing = self.template(name, shared=True)
        self.save_template(existing.tombstone())

    def _actor(self) -> str:
        return str(self.ctx.settings.get("me")) or "unknown"
