"""Plain words for what mail providers answer when they will not take a password.

Google answers a password sign-in on an account with 2-Step Verification with
``[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833``
(IMAP) or ``534-5.7.9 Application-specific password required`` (SMTP); a
sign-in it finds suspicious with ``[WEBALERT …]`` / ``Please log in via your web browser``.
"""

from __future__ import annotations

#: Google's answers to a password sign-in it will not take (IMAP and SMTP alike).
_APP_PASSWORD_MARKS = (
    "Application-specific password",
    "answer/185833",
    "InvalidSecondFactor",
)
_BROWSER_SIGN_IN_MARKS = ("WEBALERT", "Please log in via your web browser")


def provider_refusal(reply: str) -> str | None:
    """Plain words for a provider's known "not with a password" answer, or None."""
    if any(mark in reply for mark in _APP_PASSWORD_MARKS):
        return (
            "Google does not take your account password here. Sign in with Google instead, "
            "or use an app password: turn on 2-Step Verification, create one at "
            "myaccount.google.com/apppasswords and enter it as the password."
        )
    if any(mark in reply for mark in _BROWSER_SIGN_IN_MARKS):
        return (
            "Google blocked this sign-in and wants it confirmed in a browser. Sign in with "
            "Google instead (or use an app password)."
        )
    return None
