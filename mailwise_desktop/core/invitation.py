"""Team invitations: what a new teammate needs to join, and never a secret.

An administrator who has set the team up (account, roster, policy, shared
templates) hands each teammate an invitation: a small JSON file, or the same
document as one line of text (a *code*) to paste from chat. It carries the
account's server settings, the private CA a company server may use (as PEM
text: a file path means nothing on another machine), the team mailbox's name
and, optionally, who the invitation is for. It never carries a password or
token: the new teammate types the password once when joining.

An invitation is outside input (it may come from anywhere), so reading one is
bounded and checked like a team record: size, nesting depth, types, ranges.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from mailwise_desktop.core.accounts import Account, Auth, Endpoint, OAuthClient, Security
from mailwise_desktop.core.errors import ExitCode, MailwiseError

FORMAT = 1
#: the code form: this prefix, then base64url of the zlib-compressed JSON
CODE_PREFIX = "MWINV1-"
FILE_SUFFIX = ".mailwise-invite"
MAX_BYTES = 64 * 1024
MAX_PEM = 32 * 1024
MAX_DEPTH = 8
_SECRET_KEYS = frozenset({"password", "secret", "token", "refresh_token", "access_token"})


class InvitationError(MailwiseError):
    """An invitation file or code that cannot be used (damaged, too new, not one)."""

    exit_code = ExitCode.INVITATION


@dataclass(frozen=True)
class Invitation:
    """What joining a team needs, without any secret.

    Attributes:
        account: the shared account's settings (``ca_file`` paths are dropped).
        imap_ca_pem: the IMAP server's private CA as PEM text, or "".
        smtp_ca_pem: the SMTP server's private CA as PEM text, or "".
        teammate: the roster id this invitation is for ("" = the joiner picks).
        invited_by: the roster id of the teammate who made it ("" if unknown).
        created: when it was made (UTC).
    """

    account: Account
    imap_ca_pem: str = ""
    smtp_ca_pem: str = ""
    teammate: str = ""
    invited_by: str = ""
    created: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.account.to_json()
        for side in ("imap", "smtp"):
            data[side]["ca_file"] = None
        return {
            "mailwise_invitation": FORMAT,
            "account": data,
            "imap_ca_pem": self.imap_ca_pem,
            "smtp_ca_pem": self.smtp_ca_pem,
            "teammate": self.teammate,
            "invited_by": self.invited_by,
            "created": (self.created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def to_file_text(self) -> str:
        """The file form: readable JSON (an administrator can check what it holds)."""
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    def to_code(self) -> str:
        """The code form: one line of ASCII, safe to paste into chat or mail."""
        raw = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        packed = zlib.compress(raw.encode("utf-8"), 9)
        return CODE_PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def parse(text: str) -> Invitation:
    """An invitation from its file text or its code.

    Raises:
        InvitationError: not an invitation, damaged, too large, or from a newer app.
    """
    stripped = text.strip().lstrip("\ufeff")
    if stripped.startswith(CODE_PREFIX):
        stripped = _unpack_code(stripped[len(CODE_PREFIX) :])
    if len(stripped.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvitationError("This invitation is too large to be a Mailwise invitation.")
    if _depth(stripped) > MAX_DEPTH:
        raise InvitationError("This is not a Mailwise invitation (its structure is wrong).")
    try:
        doc = json.loads(stripped)
    except ValueError as exc:
        raise InvitationError(
            "This is not a Mailwise invitation, or it was cut short when copied.",
            detail=str(exc),
        ) from exc
    return _from_json(doc)


def _unpack_code(body: str) -> str:
    body = "".join(body.split())  # a code wrapped by a mail program still works
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        unpacker = zlib.decompressobj()
        raw = unpacker.decompress(packed, MAX_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise InvitationError(
            "This invitation code is damaged: copy it again, the whole line.", detail=str(exc)
        ) from exc
    if len(raw) > MAX_BYTES or not unpacker.eof:
        raise InvitationError("This invitation code is damaged: copy it again, the whole line.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvitationError("This invitation code is damaged.", detail=str(exc)) from exc


def _depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _from_json(doc: object) -> Invitation:
    if not isinstance(doc, dict) or "mailwise_invitation" not in doc:
        raise InvitationError("This is not a Mailwise invitation.")
    version = doc["mailwise_invitation"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvitationError("This is not a Mailwise invitation.")
    if version > FORMAT:
        raise InvitationError(
            "This invitation was made by a newer Mailwise: update the app, then join again."
        )
    if _SECRET_KEYS & _all_keys(doc):
        # We never write one; an invitation that carries a secret was made by
        # something else, and joining must not store what it did not ask for.
        raise InvitationError(
            "This invitation holds a password or token, which Mailwise invitations never do: "
            "ask for a new one."
        )
    account = _account(doc.get("account"))
    imap_pem = _pem(doc.get("imap_ca_pem", ""), "imap_ca_pem")
    smtp_pem = _pem(doc.get("smtp_ca_pem", ""), "smtp_ca_pem")
    teammate = _short(doc.get("teammate", ""), "teammate", 64)
    invited_by = _short(doc.get("invited_by", ""), "invited_by", 64)
    created = _created(doc.get("created"))
    return Invitation(account, imap_pem, smtp_pem, teammate, invited_by, created)


def _all_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        keys = {str(k).lower() for k in value}
        for item in value.values():
            keys |= _all_keys(item)
        return keys
    if isinstance(value, list):
        return set().union(*(_all_keys(v) for v in value)) if value else set()
    return set()


def _bad(field: str) -> InvitationError:
    return InvitationError(
        "This invitation is damaged (its account settings are incomplete): ask for a new one.",
        detail=f"invalid field: {field}",
    )


def _short(value: object, field: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _bad(field)
    return value


def _pem(value: object, field: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_PEM:
        raise _bad(field)
    if value and "-----BEGIN CERTIFICATE-----" not in value:
        raise _bad(field)
    return value


def _created(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad("created")
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise _bad("created") from exc


def _endpoint(value: object, field: str) -> Endpoint:
    if not isinstance(value, dict):
        raise _bad(field)
    known = {f.name for f in fields(Endpoint)}
    unknown = set(value) - known
    if unknown:
        raise InvitationError(
            "This invitation was made by a newer Mailwise: update the app, then join again.",
            detail=f"unknown {field} settings: {', '.join(sorted(map(str, unknown)))}",
        )
    host, port, user = value.get("host"), value.get("port"), value.get("user")
    if not isinstance(host, str) or not 0 < len(host) <= 253 or any(c.isspace() for c in host):
        raise _bad(f"{field}.host")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise _bad(f"{field}.port")
    if not isinstance(user, str) or len(user) > 320:
        raise _bad(f"{field}.user")
    try:
        security = Security(str(value.get("security")))
    except ValueError as exc:
        raise _bad(f"{field}.security") from exc
    pin = value.get("pin_sha256")
    if pin is not None and (
        not isinstance(pin, str) or len(pin) != 64 or any(c not in "0123456789abcdef" for c in pin)
    ):
        raise _bad(f"{field}.pin_sha256")
    try:
        auth = Auth(str(value.get("auth", Auth.PASSWORD)))
    except ValueError as exc:
        raise _bad(f"{field}.auth") from exc
    extra = {k: v for k, v in value.items() if k not in {"host", "port", "user", "security"}}
    extra["ca_file"] = None
    extra["pin_sha256"] = pin
    extra["auth"] = auth
    try:
        return Endpoint(host=host, port=port, security=security, user=user, **extra)
    except TypeError as exc:
        raise _bad(field) from exc


def _account(value: object) -> Account:
    if not isinstance(value, dict):
        raise _bad("account")
    account_id = _short(value.get("id"), "account.id", 63)
    address = _short(value.get("address", ""), "account.address", 320)
    team_mailbox = _short(value.get("team_mailbox", "Mailwise"), "account.team_mailbox", 200)
    folders = value.get("folders", ["INBOX"])
    if (
        not isinstance(folders, list)
        or not 0 < len(folders) <= 50
        or not all(isinstance(f, str) and 0 < len(f) <= 200 for f in folders)
    ):
        raise _bad("account.folders")
    imap = _endpoint(value.get("imap"), "imap")
    smtp = _endpoint(value.get("smtp"), "smtp")
    if not team_mailbox:
        raise _bad("account.team_mailbox")
    oauth = _oauth(value.get("oauth")) if value.get("oauth") is not None else None
    if imap.auth is not Auth.PASSWORD and oauth is None:
        raise _bad("account.oauth")
    return Account(account_id, imap, smtp, address, team_mailbox, tuple(folders), oauth=oauth)


def _oauth(value: object) -> OAuthClient:
    """The organisation's app registration (no token; the joiner signs in as themselves)."""
    if not isinstance(value, dict):
        raise _bad("account.oauth")
    text = {
        key: _short(value.get(key, ""), f"account.oauth.{key}", 2000)
        for key in (
            "provider",
            "client_id",
            "authorize_url",
            "token_url",
            "client_secret",
            "tenant",
        )
    }
    if text["provider"] not in ("microsoft", "google", "custom") or not text["client_id"]:
        raise _bad("account.oauth")
    for key in ("authorize_url", "token_url"):
        url = text[key]
        if not (url.startswith("https://") or url.startswith("http://127.0.0.1:")):
            raise _bad(f"account.oauth.{key}")
    scopes = value.get("scopes", [])
    if not isinstance(scopes, list) or not all(
        isinstance(x, str) and 0 < len(x) <= 200 for x in scopes
    ):
        raise _bad("account.oauth.scopes")
    return OAuthClient(
        provider=text["provider"],
        client_id=text["client_id"],
        authorize_url=text["authorize_url"],
        token_url=text["token_url"],
        scopes=tuple(scopes[:20]),
        client_secret=text["client_secret"],
        tenant=text["tenant"],
    )


def for_account(
    account: Account,
    *,
    imap_ca_pem: str = "",
    smtp_ca_pem: str = "",
    teammate: str = "",
    invited_by: str = "",
) -> Invitation:
    """An invitation to ``account`` (settings copied; local CA paths dropped)."""
    bare = replace(
        account,
        imap=replace(account.imap, ca_file=None),
        smtp=replace(account.smtp, ca_file=None),
        # whoever joins signs in as themselves: the inviter's name is no hint for them
        oauth=replace(account.oauth, login_hint="") if account.oauth else None,
    )
    return Invitation(bare, imap_ca_pem, smtp_ca_pem, teammate, invited_by, datetime.now(UTC))
