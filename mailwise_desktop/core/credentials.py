"""What the IMAP and SMTP code sign in with: a password, or a source of OAuth2 tokens.

A token source is called as ``source(renew)`` and returns an access token;
``renew=True`` asks for a new one because a server refused the last. Code
below services/ sees only this shape, not where tokens come from.
"""

from __future__ import annotations

from collections.abc import Callable

TokenProvider = Callable[[bool], str]
#: a password (or a fixed token), or a token provider
Secret = str | TokenProvider


def current(secret: Secret, *, renew: bool = False) -> str:
    """The password or access token to send now."""
    return secret if isinstance(secret, str) else secret(renew)


def renewable(secret: Secret) -> bool:
    """True when a refused token can be exchanged for a new one."""
    return not isinstance(secret, str)
