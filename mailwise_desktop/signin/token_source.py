"""Access tokens for an account, from the keychain, refreshed silently.

:class:`TokenSource` is what the IMAP and SMTP code receive in place of a
password: calling it gives a usable access token. It refreshes a few minutes
before expiry, and on demand (``renew=True``) when a server refused the token
it was given. Tokens live only in the keychain (as one JSON entry under the
profile's service name); the profile folder never holds one.

Several processes of one profile (the window and a CLI command) may refresh
at the same time and a provider may rotate refresh tokens: a refused refresh
token is retried once with whatever the keychain holds by then.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from mailwise_desktop.core.accounts import OAuthClient
from mailwise_desktop.core.errors import SignInAgainError
from mailwise_desktop.core.keychain import Keychain, LongSecrets, oauth_key
from mailwise_desktop.signin import token_endpoint
from mailwise_desktop.signin.token_endpoint import TokenSet

log = logging.getLogger(__name__)

#: refresh this long before the provider's expiry (clock skew, a slow login)
EARLY_SECONDS = 300.0

Refresher = Callable[[OAuthClient, str], TokenSet]


def store_tokens(keychain: Keychain, account_id: str, tokens: TokenSet) -> None:
    LongSecrets(keychain).set(oauth_key(account_id), tokens.to_json())


def load_tokens(keychain: Keychain, account_id: str) -> TokenSet | None:
    text = LongSecrets(keychain).get(oauth_key(account_id))
    return TokenSet.from_json(text) if text else None


def forget_tokens(keychain: Keychain, account_id: str) -> None:
    LongSecrets(keychain).delete(oauth_key(account_id))


class TokenSource:
    """``source(renew=False) -> access token`` for one account; thread-safe.

    Args:
        keychain: the profile's keychain.
        account_id: whose tokens.
        client: the registration used to refresh.
        label: the account's name in messages.
        refresher: the refresh call (the token endpoint; replaceable in unit tests).
    """

    def __init__(
        self,
        keychain: Keychain,
        account_id: str,
        client: OAuthClient,
        *,
        label: str = "",
        refresher: Refresher | None = None,
    ) -> None:
        self.keychain = keychain
        self.account_id = account_id
        self.client = client
        self.label = label or account_id
        self._refresher = refresher or token_endpoint.refresh
        self._lock = threading.Lock()

    def __call__(self, renew: bool = False) -> str:
        """A usable access token.

        Args:
            renew: the server refused the last one: get a new one even if it
                has not expired by the clock.

        Raises:
            SignInAgainError: no tokens, or the provider refused the refresh token.
            UnreachableError: the provider could not be reached.
        """
        with self._lock:
            tokens = load_tokens(self.keychain, self.account_id)
            if tokens is None:
                raise self._sign_in_again("no sign-in is stored in the keychain")
            if not renew and tokens.expires_at - EARLY_SECONDS > time.time():
                return tokens.access_token
            return self._refresh(tokens).access_token

    def _refresh(self, tokens: TokenSet) -> TokenSet:
        try:
            fresh = self._refresher(self.client, tokens.refresh_token)
        except SignInAgainError as first:
            # Another process may have rotated the refresh token meanwhile.
            latest = load_tokens(self.keychain, self.account_id)
            if latest is None or latest.refresh_token == tokens.refresh_token:
                raise self._sign_in_again(first.detail or "", cause=first) from first
            log.info("OAuth2: %s: refresh token was rotated elsewhere; retrying", self.label)
            try:
                fresh = self._refresher(self.client, latest.refresh_token)
            except SignInAgainError as second:
                raise self._sign_in_again(second.detail or "", cause=second) from second
        store_tokens(self.keychain, self.account_id, fresh)
        log.info("OAuth2: %s: access token refreshed", self.label)
        return fresh

    def _sign_in_again(
        self, detail: str, *, cause: SignInAgainError | None = None
    ) -> SignInAgainError:
        message = (
            f"The sign-in for {self.label} has expired or was withdrawn. Sign in again: "
            f"mailwise account signin {self.account_id} (or 'Sign in again' in the window)."
        )
        return SignInAgainError(message, detail=detail or (cause.message if cause else None))
