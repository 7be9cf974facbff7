"""Plain words for what mail providers answer when they will not take a password.

Google answers a password sign-in on an account with 2-Step Verification with
``[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833``
(IMAP) or ``534-5.7.9 Application-specific password required`` (SMTP); a
sign-in it finds suspicious with ``[WEBALERT …]`` / ``Please log in via your web browser``.
Microsoft answers ``535 5.7.139 … SmtpClientAuthentication is disabled`` when an
organisation switched SMTP AUTH off, and ``5.7.30 Basic authentication is not
supported`` to a password.
"""

from __future__ import annotations

from mailwise_desktop.core.errors import SignInMethodError

#: Google's answers to a password sign-in it will not take (IMAP and SMTP alike).
_APP_PASSWORD_MARKS = (
    "Application-specific password",
    "answer/185833",
    "InvalidSecondFactor",
)
_BROWSER_SIGN_IN_MARKS = ("WEBALERT", "Please log in via your web browser")


def provider_refusal(reply: str) -> SignInMethodError | None:
    """The plain-words error for a provider's known "not this way" answer, or None."""
    if any(mark in reply for mark in _APP_PASSWORD_MARKS):
        return SignInMethodError(
            "Google does not take your account password here. Sign in with Google instead, "
            "or use an app password: turn on 2-Step Verification, create one at "
            "myaccount.google.com/apppasswords and enter it as the password.",
            kind="app_password",
            detail=reply,
        )
    if any(mark in reply for mark in _BROWSER_SIGN_IN_MARKS):
        return SignInMethodError(
            "Google blocked this sign-in and wants it confirmed in a browser. Sign in with "
            "Google instead (or use an app password).",
            kind="browser_confirm",
            detail=reply,
        )
    if "5.7.139" in reply or "SmtpClientAuthentication is disabled" in reply:
        return SignInMethodError(
            "SMTP sign-in is switched off for your organisation, so Mailwise cannot send. "
            "Your administrator must turn on 'Authenticated SMTP' for this mailbox "
            "(Microsoft 365 admin center ▸ the user ▸ Mail ▸ Manage email apps).",
            kind="smtp_off",
            detail=reply,
        )
    if "5.7.30" in reply or "Basic authentication is not supported" in reply:
        return SignInMethodError(
            "Microsoft no longer accepts a password here. Add the account with "
            "'Sign in with Microsoft' instead.",
            kind="password_retired",
            detail=reply,
        )
    return None
