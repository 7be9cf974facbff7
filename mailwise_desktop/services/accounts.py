"""Adding, listing and removing shared-mailbox accounts."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from mailwise_desktop.core.accounts import Account, OAuthClient, Security
from mailwise_desktop.core.errors import UsageError
from mailwise_desktop.core.keychain import imap_key, require_keychain, smtp_key
from mailwise_desktop.imap.capabilities import ServerCapabilities, probe
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.imap.coordination_mode import ModeChoice, choose
from mailwise_desktop.imap.folders import FolderInfo, list_folders, without_all_mail
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.signin.authorization import LoopbackRedirect, sign_in
from mailwise_desktop.signin.providers import remembered
from mailwise_desktop.signin.token_endpoint import TokenSet
from mailwise_desktop.signin.token_source import forget_tokens, store_tokens
from mailwise_desktop.store import messages as store

#: opens the sign-in address in the system browser (``webbrowser.open`` in the CLI)
BrowserOpener = Callable[[str], object]

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


@dataclass(frozen=True)
class AddedAccount:
    account: Account
    capabilities: ServerCapabilities
    warnings: tuple[str, ...]
    #: per synced folder, which coordination mode it uses and why (plain words)
    modes: tuple[ModeChoice, ...] = ()


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _mode(client: IMAPClient, folder: str) -> ModeChoice | None:
    """The folder's coordination mode (None when it cannot be opened: sync will say so)."""
    try:
        return choose(client, folder)
    except IMAPClientError:
        return None
    finally:
        with contextlib.suppress(Exception):
            client.unselect_folder()


class AccountService:
    """Account settings, passwords in the keychain, and their local data."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def add(
        self, account: Account, password: str | TokenSet, *, smtp_password: str | None = None
    ) -> AddedAccount:
        """Check the login once, then keep the settings and the password (or tokens).

        Nothing is stored when the server refuses: a wrong password or an
        untrusted certificate leaves the profile as it was. Without a usable
        system keychain it refuses before connecting (KeychainMissingError).

        Args:
            account: the settings; ``account.oauth`` set for an OAuth2 account.
            password: the password, or the tokens of :meth:`sign_in`.
            smtp_password: SMTP's own password, when it differs.
        """
        if not _ID.match(account.id):
            raise UsageError(
                "An account name uses lower-case letters, digits, '.', '_' or '-' (e.g. support)."
            )
        if any(a.id == account.id for a in self.ctx.accounts()):
            raise UsageError(f"An account named {account.id!r} exists already.")
        warnings: list[str] = []
        for label, endpoint in (("IMAP", account.imap), ("SMTP", account.smtp)):
            if endpoint.security is Security.PLAIN:
                if not is_loopback(endpoint.host):
                    raise UsageError(
                        f"Unencrypted {label} is only allowed to this computer (loopback), "
                        "for testing. Use tls or starttls."
                    )
                warnings.append(
                    f"{label} connection is NOT encrypted: use this only for local testing."
                )
        # Before the login: without a keychain nothing would be kept, and no
        # password goes anywhere else.
        require_keychain()
        if isinstance(password, TokenSet) != account.imap.uses_oauth:
            raise UsageError(
                "An OAuth2 account is added with sign-in tokens, others with a password."
            )
        secret = password.access_token if isinstance(password, TokenSet) else password
        client = open_imap(account.imap, secret)
        try:
            caps = probe(client)
            account = self._without_all_mail(account, list_folders(client), warnings)
            modes = tuple(_mode(client, folder) for folder in account.folders)
        finally:
            # The probe's answer counts, not a clean goodbye.
            with contextlib.suppress(Exception):
                client.logout()
        if isinstance(password, TokenSet):
            store_tokens(self.ctx.keychain, account.id, password)
            if account.oauth is not None:
                self._remember_client(account.oauth)
        else:
            self.ctx.keychain.set_password(imap_key(account.id), password)
        if smtp_password is not None:
            self.ctx.keychain.set_password(smtp_key(account.id), smtp_password)
        accounts = self.ctx.settings.get("accounts")
        accounts.append(account.to_json())
        self.ctx.settings.set("accounts", accounts)
        self.ctx.settings.save()
        with self.ctx.cache.transaction() as session:
            store.ensure_account(session, account.id)
        return AddedAccount(account, caps, tuple(warnings), tuple(m for m in modes if m))

    @staticmethod
    def sign_in(
        client: OAuthClient,
        open_browser: BrowserOpener,
        *,
        timeout: float = 300,
        started: Callable[[LoopbackRedirect], None] | None = None,
    ) -> TokenSet:
        """Sign in with the system browser (authorization code + PKCE, loopback redirect)."""
        return sign_in(client, open_browser, timeout=timeout, started=started)

    def sign_in_again(self, account_id: str, open_browser: BrowserOpener) -> Account:
        """A new sign-in for an OAuth2 account whose sign-in lapsed; checked with one login.

        Raises:
            UsageError: the account signs in with a password.
        """
        account = self.ctx.account(account_id)
        if account.oauth is None:
            raise UsageError(f"{account.id} signs in with a password, not with a browser.")
        tokens = sign_in(account.oauth, open_browser)
        client = open_imap(account.imap, tokens.access_token)
        with contextlib.suppress(Exception):
            client.logout()
        store_tokens(self.ctx.keychain, account.id, tokens)
        return account

    @staticmethod
    def _without_all_mail(
        account: Account, listed: list[FolderInfo], warnings: list[str]
    ) -> Account:
        kept = without_all_mail(account.folders, listed)
        for name in account.folders:
            if name not in kept:
                warnings.append(
                    f"{name} holds a copy of every message (like Gmail's All Mail), so it is "
                    "not kept offline: each mail would be listed twice. Labels are folders: "
                    "choose those instead."
                )
        return account if kept == account.folders else account.with_folders(kept or ("INBOX",))

    def _remember_client(self, client: OAuthClient) -> None:
        if client.provider == "custom":
            return
        saved = self.ctx.settings.get("oauth_clients")
        saved[client.provider] = remembered(client)
        self.ctx.settings.set("oauth_clients", saved)

    def remove(self, account_id: str) -> Account:
        """Forget an account: its password or tokens, cache, and local data (after confirmation)."""
        account = self.ctx.account(account_id)
        self.ctx.keychain.delete_password(imap_key(account.id))
        self.ctx.keychain.delete_password(smtp_key(account.id))
        forget_tokens(self.ctx.keychain, account.id)
        with self.ctx.cache.transaction() as session:
            store.delete_account(session, account.id)
        self.ctx.local.forget_account(account.id)
        attachments = self.ctx.profile.attachments_dir / account.id
        if attachments.exists():
            shutil.rmtree(attachments)
        self.ctx.settings.set(
            "accounts", [a for a in self.ctx.settings.get("accounts") if a["id"] != account.id]
        )
        self.ctx.settings.save()
        return account
