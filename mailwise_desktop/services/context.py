"""The application context: one profile's settings, keychain and databases.

Built once by each front end (CLI command, GUI start) and passed to the
services explicitly — no global singletons reached from the core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.credentials import Secret
from mailwise_desktop.core.errors import ErrorCase, NotConfiguredError, NotFoundError
from mailwise_desktop.core.keychain import Keychain, imap_key, smtp_key
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings

if TYPE_CHECKING:  # imported when first opened: `mailwise list` never loads SQLAlchemy
    from mailwise_desktop.signin.token_source import TokenSource
    from mailwise_desktop.store.database import CacheDatabase
    from mailwise_desktop.store.local import LocalDatabase


@dataclass
class AppContext:
    """Everything a service needs from the local profile."""

    profile: Profile
    settings: Settings
    keychain: Keychain
    _cache: CacheDatabase | None = field(default=None, repr=False)
    _local: LocalDatabase | None = field(default=None, repr=False)
    #: one token source per OAuth2 account, so its threads share one lock
    _token_sources: dict[str, TokenSource] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, profile: Profile | None = None) -> AppContext:
        """The context of ``$MAILWISE_HOME`` (or the platform data folder)."""
        profile = (profile or Profile.from_env()).ensure()
        settings = Settings(profile.settings_file)
        return cls(profile, settings, Keychain(profile.keyring_service, settings))

    @property
    def cache(self) -> CacheDatabase:
        if self._cache is None:
            from mailwise_desktop.store.database import CacheDatabase

            self._cache = CacheDatabase(self.profile.cache_db)
        return self._cache

    @property
    def local(self) -> LocalDatabase:
        if self._local is None:
            from mailwise_desktop.store.local import LocalDatabase

            self._local = LocalDatabase(self.profile.local_db)
        return self._local

    def accounts(self) -> list[Account]:
        return [Account.from_json(a) for a in self.settings.get("accounts")]

    def account(self, account_id: str | None = None) -> Account:
        """The named account, or the only one when no name is given."""
        accounts = self.accounts()
        if not accounts:
            raise NotConfiguredError("No shared mailbox is set up yet.", case=ErrorCase.NO_ACCOUNT)
        if account_id is None:
            if len(accounts) > 1:
                names = ", ".join(a.id for a in accounts)
                raise NotConfiguredError(
                    f"Several accounts are set up ({names}); say which one.",
                    case=ErrorCase.SEVERAL_ACCOUNTS,
                    data={"names": names},
                )
            return accounts[0]
        for account in accounts:
            if account.id == account_id:
                return account
        raise NotFoundError(f"There is no account named {account_id!r}.")

    def token_source(self, account: Account) -> TokenSource:
        """The OAuth2 access tokens of ``account`` (refreshed silently, kept in the keychain)."""
        if account.oauth is None:
            raise NotConfiguredError(f"{account.id} does not sign in with OAuth2.")
        from mailwise_desktop.signin.token_source import TokenSource  # only for OAuth2 accounts

        source = self._token_sources.get(account.id)
        if source is None or source.client != account.oauth:
            source = TokenSource(self.keychain, account.id, account.oauth, label=account.id)
            self._token_sources[account.id] = source
        return source

    def imap_password(self, account: Account) -> Secret:
        """The IMAP password, or for an OAuth2 account its token source."""
        if account.imap.uses_oauth:
            return self.token_source(account)
        password = self.keychain.get_password(imap_key(account.id))
        if password is None:
            raise NotConfiguredError(
                f"No password for {account.id} is in the keychain. "
                "Add the account again to store it."
            )
        return password

    def smtp_password(self, account: Account) -> Secret:
        """The SMTP password (its own, else the IMAP one), or the OAuth2 token source."""
        if account.smtp.uses_oauth:
            return self.token_source(account)
        return self.keychain.get_password(smtp_key(account.id)) or self.imap_password(account)

    def close(self) -> None:
        for db in (self._cache, self._local):
            if db is not None:
                db.close()
        self._cache = self._local = None
