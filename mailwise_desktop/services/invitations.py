"""Making an invitation for a teammate, and joining a team from one.

Joining is ``account add`` with the settings filled in, then a read of the
team mailbox (the roster) and "who am I" — one login, one password, typed once
by the person joining. The password goes to the keychain only, as with
``account add``; the invitation itself never holds one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.errors import ErrorCase, MailwiseError, NotFoundError, UsageError
from mailwise_desktop.core.invitation import Invitation, InvitationError, for_account, parse
from mailwise_desktop.core.roster import Roster, Teammate
from mailwise_desktop.services.accounts import AccountService, AddedAccount
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team_log import TeamLog
from mailwise_desktop.signin.token_endpoint import TokenSet

_MAX_FILE = 1024 * 1024


@dataclass(frozen=True)
class Joined:
    """The result of joining.

    Attributes:
        added: the account as ``account add`` reports it (capabilities, modes).
        roster: the team as read from the team mailbox just after the login.
        me: who this profile now is, or None when the joiner still has to say.
        warnings: plain sentences to show (e.g. "you are not on the roster yet").
    """

    added: AddedAccount
    roster: Roster
    me: Teammate | None
    warnings: tuple[str, ...]


def read_invitation(source: str) -> Invitation:
    """An invitation from a code (``MWINV1-…``) or the path of an invitation file.

    Raises:
        InvitationError: the code or the file's content is not a usable invitation.
        UsageError: the file cannot be read.
    """
    text = source.strip()
    if not text.startswith("MWINV") and not text.lstrip().startswith("{"):
        path = Path(source)
        try:
            if path.stat().st_size > _MAX_FILE:
                raise InvitationError("This file is too large to be a Mailwise invitation.")
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise UsageError(f"There is no invitation file {source!r}.") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise InvitationError(
                f"{source} is not a Mailwise invitation file.", detail=str(exc)
            ) from exc
    return parse(text)


class InvitationService:
    """Invitations out (for an account this profile has) and in (a new profile joins)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def create(self, account: Account, *, teammate: str = "") -> Invitation:
        """An invitation to ``account``, optionally for one teammate on the cached roster.

        Raises:
            NotFoundError: ``teammate`` is not an active teammate.
            UsageError: a CA file the account trusts cannot be read.
        """
        log = TeamLog(self.ctx, account)
        if teammate:
            found = log.roster().by_id(teammate)
            if found is None or not found.active:
                raise NotFoundError(
                    f"There is no active teammate {teammate!r} on the roster: add them first, "
                    "then make the invitation.",
                    case=ErrorCase.NOT_A_TEAMMATE,
                    data={"id": teammate},
                )
        me = log.identity().teammate
        return for_account(
            account,
            imap_ca_pem=_read_pem(account.imap.ca_file),
            smtp_ca_pem=_read_pem(account.smtp.ca_file),
            teammate=teammate,
            invited_by=me.id if me else "",
        )

    def join(
        self,
        invitation: Invitation,
        password: str | TokenSet,
        *,
        account_id: str | None = None,
        me: str | None = None,
        smtp_password: str | None = None,
    ) -> Joined:
        """Add the invitation's account, read the roster, and say who this profile is.

        Nothing is kept when the login fails (wrong password, refused
        certificate): the profile is left as it was.

        Args:
            password: the password, or for an OAuth2 account the tokens of a
                browser sign-in (``AccountService.sign_in`` with the invitation's
                registration).
            account_id: the local name for the account (default: the invitation's).
            me: who is joining (default: whom the invitation is for).
        """
        account = invitation.account
        if account_id:
            account = replace(account, id=account_id)
        if any(a.id == account.id for a in self.ctx.accounts()):
            raise UsageError(
                f"This profile has an account named {account.id!r} already: "
                "join under another name.",
                case=ErrorCase.ACCOUNT_NAME_TAKEN,
                data={"id": account.id},
            )
        written = self._write_cas(account.id, invitation)
        account = replace(
            account,
            imap=replace(account.imap, ca_file=written.get("imap")),
            smtp=replace(account.smtp, ca_file=written.get("smtp") or written.get("imap")),
        )
        try:
            added = AccountService(self.ctx).add(account, password, smtp_password=smtp_password)
        except BaseException:
            for path in written.values():
                with contextlib.suppress(OSError):
                    Path(path).unlink()
            raise
        warnings = list(added.warnings)
        service = CoordinationService(self.ctx, account)
        try:
            run_once(self.ctx, account, service.refresh_team_job())
        except MailwiseError as exc:
            warnings.append(f"The team roster could not be read yet: {exc.message}")
        roster = service.log.roster()
        who = me or invitation.teammate
        teammate: Teammate | None = None
        if who:
            found = roster.by_id(who)
            if found is None or not found.active:
                warnings.append(
                    f"{who!r} is not on the team's roster yet: ask whoever set the team up "
                    "to add you, then say who you are."
                )
            else:
                self.ctx.settings.set("me", found.id)
                self.ctx.settings.save()
                teammate = found
        return Joined(added, roster, teammate, tuple(warnings))

    def _write_cas(self, account_id: str, invitation: Invitation) -> dict[str, str]:
        """Keep the invitation's private CAs as files in the profile (the settings name paths)."""
        folder = self.ctx.profile.root / "certificates"
        written: dict[str, str] = {}
        for side, pem in (("imap", invitation.imap_ca_pem), ("smtp", invitation.smtp_ca_pem)):
            if not pem:
                continue
            if side == "smtp" and pem == invitation.imap_ca_pem and "imap" in written:
                written[side] = written["imap"]
                continue
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"{account_id}-{side}-ca.pem"
                path.write_text(pem, encoding="ascii", errors="strict")
            except (OSError, UnicodeEncodeError) as exc:
                raise InvitationError(
                    "The invitation's server certificate could not be kept in the profile.",
                    detail=str(exc),
                ) from exc
            written[side] = str(path)
        return written


def _read_pem(path: str | None) -> str:
    if not path:
        return ""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"The account trusts the CA file {path}, which cannot be read: the invitation "
            "would not let a teammate connect.",
            detail=str(exc),
        ) from exc
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UsageError(f"{path} holds no certificate (PEM).")
    return text
