"""The SASL responses that carry an OAuth2 bearer token to IMAP and SMTP.

XOAUTH2 is Google's and Microsoft's mechanism; OAUTHBEARER is its standard
successor (RFC 7628). For a Microsoft 365 shared mailbox the *user* is the
shared address while the token is the delegate's own.
"""

from __future__ import annotations

from collections.abc import Callable

from mailwise_desktop.core.accounts import Auth


def xoauth2(user: str, token: str) -> bytes:
    """``user=U^Aauth=Bearer T^A^A`` (Google's and Microsoft's XOAUTH2)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def oauthbearer(user: str, token: str, host: str, port: int) -> bytes:
    """RFC 7628 initial client response: GS2 header, host, port and the bearer token."""
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01".encode()


def initial_response(auth: Auth, user: str, token: str, host: str, port: int) -> bytes:
    """The first (and only useful) client message of ``auth``'s mechanism."""
    if auth is Auth.OAUTHBEARER:
        return oauthbearer(user, token, host, port)
    return xoauth2(user, token)


def mechanism_name(auth: Auth) -> str:
    return "OAUTHBEARER" if auth is Auth.OAUTHBEARER else "XOAUTH2"


def responder(first: bytes) -> Callable[[bytes], bytes]:
    """A SASL callback: ``first`` once, then an empty line.

    When the token is refused, both mechanisms send an error challenge (a
    JSON document) and wait for an empty response before the final NO/535;
    answering it with the token again would be a protocol error.
    """
    sent = False

    def answer(_challenge: bytes) -> bytes:
        nonlocal sent
        if sent:
            return b""
        sent = True
        return first

    return answer
