"""Errors in the user's language: one plain sentence per kind, the server's words as details."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from mailwise_desktop.core.errors import (
    AdminApprovalError,
    AuthError,
    CapabilityError,
    CertificateError,
    ConnectionLostError,
    ErrorCase,
    KeychainError,
    KeychainMissingError,
    MailwiseError,
    NotConfiguredError,
    SignInAgainError,
    SignInMethodError,
    StorageError,
    TeamOffReason,
    UnreachableError,
    UsageError,
)

_FINGERPRINT = re.compile(r"SHA-256 fingerprint: ([0-9A-Fa-f:]{64,95})")


def fingerprint_in(error: BaseException) -> str | None:
    """The certificate fingerprint an untrusted-certificate error names, if any."""
    match = _FINGERPRINT.search(str(getattr(error, "message", error)))
    return match.group(1) if match else None


def no_keychain_sentence() -> str:
    """What the window says when passwords cannot go to a system keychain."""
    return QCoreApplication.translate(
        "Errors",
        "This computer has no usable system keychain, so Mailwise cannot keep your password. "
        "Mailwise never stores a password anywhere else. Set up the keychain (on Linux a "
        "Secret Service such as GNOME Keyring or KWallet, unlocked when you log in), "
        "then try again.",
    )


def sign_in_method_sentence(kind: str) -> str:
    """What the window says when a provider wants another way of signing in."""
    sentences = {
        "app_password": QCoreApplication.translate(
            "Errors",
            "Google does not take your account password here. Sign in with Google, or use an "
            "app password (2-Step Verification on, then myaccount.google.com/apppasswords).",
        ),
        "browser_confirm": QCoreApplication.translate(
            "Errors",
            "Google wants this sign-in confirmed in a browser. Sign in with Google instead.",
        ),
        "smtp_off": QCoreApplication.translate(
            "Errors",
            "SMTP sign-in is switched off for your organisation, so mail cannot be sent. Your "
            "administrator must turn on Authenticated SMTP for this mailbox.",
        ),
        "password_retired": QCoreApplication.translate(
            "Errors",
            "Microsoft no longer accepts a password here. Add the mailbox with "
            "Sign in with Microsoft.",
        ),
    }
    return sentences.get(kind, sentences["app_password"])


def team_off_sentence(mailbox: str, reasons: str) -> str:
    """Why team handling is off for a mailbox; ``reasons``: comma-separated TeamOffReason codes."""
    clauses = {
        TeamOffReason.NO_KEYWORDS: QCoreApplication.translate(
            "Errors",
            "the server does not let apps keep their own labels on messages, "
            "so handling state and owner cannot be shared",
        ),
        TeamOffReason.NO_CONDSTORE: QCoreApplication.translate(
            "Errors",
            "the server cannot change a message only if nobody changed it first, "
            "so two teammates could both take the same message",
        ),
        TeamOffReason.READ_ONLY: QCoreApplication.translate(
            "Errors",
            "this login may read the folder but not change its flags, "
            "so it cannot take or hand over messages",
        ),
    }
    codes = [TeamOffReason(c) for c in reasons.split(",") if c in set(TeamOffReason)]
    said = QCoreApplication.translate("Errors", "; ").join(clauses[c] for c in codes)
    return (
        QCoreApplication.translate("Errors", "Team handling is off for %1: %2.")
        .replace("%1", mailbox)
        .replace("%2", said)
    )


def kind_sentence(error: BaseException) -> str | None:
    """The window's words for an error a service raised with a case (None: no case of ours).

    The CLI says the same cases with its commands (cli/error_words.py); the
    window names its menus instead.
    """
    case = getattr(error, "case", None)
    data: dict[str, str] = dict(getattr(error, "data", None) or {})
    if case is ErrorCase.TEAM_OFF and "mailbox" in data:
        return team_off_sentence(data["mailbox"], data.get("reasons", ""))
    words: dict[ErrorCase, str] = {
        ErrorCase.IDENTITY_MISSING: QCoreApplication.translate(
            "Errors", "Say who you are first (Actions ▸ Who am I…), then try again."
        ),
        ErrorCase.NOT_ON_ROSTER: QCoreApplication.translate(
            "Errors",
            "{id} is not on the team roster. Add them in the team panel, or choose "
            "another name (Actions ▸ Who am I…).",
        ),
        ErrorCase.REMOVED_FROM_ROSTER: QCoreApplication.translate(
            "Errors", "{id} was removed from the team roster. Choose who you are again."
        ),
        ErrorCase.TRANSFER_NEEDS_TARGET: QCoreApplication.translate(
            "Errors", "Choose the teammate to hand it to."
        ),
        ErrorCase.TARGET_WITHOUT_TRANSFER: QCoreApplication.translate(
            "Errors", "Only a handover goes to a teammate."
        ),
        ErrorCase.NOT_A_TEAMMATE: QCoreApplication.translate(
            "Errors", "{id} is not an active teammate."
        ),
        ErrorCase.MESSAGE_NOT_CACHED: QCoreApplication.translate(
            "Errors",
            "This message is not in the list any more (moved or deleted); "
            "the list is brought up to date.",
        ),
        ErrorCase.NO_SUCH_TEMPLATE: QCoreApplication.translate(
            "Errors", "There is no template named {name}."
        ),
        ErrorCase.NO_SENDING_ADDRESS: QCoreApplication.translate(
            "Errors",
            "The account {account} has no sending address. Add it in the account settings.",
        ),
        ErrorCase.NO_SUCH_TEAMMATE: QCoreApplication.translate(
            "Errors", "There is no teammate {id} on the roster."
        ),
        ErrorCase.UNKNOWN_TEAMMATES: QCoreApplication.translate(
            "Errors", "Not on the team roster: {ids}."
        ),
        ErrorCase.NO_APPROVERS: QCoreApplication.translate(
            "Errors",
            "This mail needs approval, but nobody else on the team may approve it. "
            "Ask an administrator to name approvers (View ▸ Approvals…).",
        ),
        ErrorCase.NO_SUCH_APPROVAL: QCoreApplication.translate(
            "Errors", "This approval request is not there any more."
        ),
        ErrorCase.NO_ACCOUNT: QCoreApplication.translate(
            "Errors", "No shared mailbox is set up yet. Add one with File ▸ Add shared mailbox…"
        ),
        ErrorCase.SEVERAL_ACCOUNTS: QCoreApplication.translate(
            "Errors",
            "Several shared mailboxes are set up ({names}); choose one in the folder list.",
        ),
        ErrorCase.ACCOUNT_NAME_TAKEN: QCoreApplication.translate(
            "Errors", "A shared mailbox named {id} is set up already. Join under another name."
        ),
        ErrorCase.NOT_IN_TRASH: QCoreApplication.translate(
            "Errors", "The message is not in {folder} any more."
        ),
        ErrorCase.FOLDER_GONE: QCoreApplication.translate(
            "Errors",
            "The folder {folder} is not on the server any more (deleted or renamed elsewhere).",
        ),
        ErrorCase.NO_CONDSTORE: QCoreApplication.translate(
            "Errors",
            "This mail server cannot change a message only if nobody changed it first "
            "(no CONDSTORE), so Mailwise cannot share who handles what on it.",
        ),
        ErrorCase.NO_MODSEQ: QCoreApplication.translate(
            "Errors",
            "The mail server did not say which version of the message it has "
            "(CONDSTORE off?), so the change was not made.",
        ),
        ErrorCase.NO_STARTTLS: QCoreApplication.translate(
            "Errors",
            "The server {host} does not offer STARTTLS on port {port}, so Mailwise did not "
            "connect. Choose TLS (port {tls_port}) in the account settings, or ask the "
            "server's administrator.",
        ),
        ErrorCase.NO_SMTP_AUTH: QCoreApplication.translate(
            "Errors",
            "The server {host} does not offer login (SMTP AUTH) on port {port}, so mail "
            "cannot be sent. Check the sending port in the account settings.",
        ),
    }
    if case not in words:
        return None
    try:
        return words[case].format(**data)
    except (KeyError, IndexError, ValueError):
        return None


def plain_error(error: BaseException) -> tuple[str, str]:
    """(sentence for the user, details for "Show details") of any error."""
    if isinstance(error, SignInMethodError):
        said = "\n".join(x for x in (error.message, error.detail) if x)
        return sign_in_method_sentence(error.kind), said

    by_kind = kind_sentence(error)
    if by_kind is not None:
        message = getattr(error, "message", None) or str(error)
        detail = getattr(error, "detail", None)
        return by_kind, "\n".join(x for x in (message, detail) if x)
    leads: list[tuple[type[BaseException], str]] = [
        (
            SignInAgainError,
            QCoreApplication.translate(
                "Errors",
                "Your sign-in has expired or was withdrawn (long unused, a password change, or "
                "by your administrator). Sign in again.",
            ),
        ),
        (
            AdminApprovalError,
            QCoreApplication.translate(
                "Errors",
                "Your administrator must approve Mailwise for your organisation before you can "
                "sign in (docs/PROVIDERS.md, Approve the app).",
            ),
        ),
        (
            AuthError,
            QCoreApplication.translate(
                "Errors", "The server refused the user name or password. Check both and try again."
            ),
        ),
        (
            UnreachableError,
            QCoreApplication.translate(
                "Errors",
                "The server could not be reached. Check the server name, the port and the network.",
            ),
        ),
        (
            CertificateError,
            QCoreApplication.translate(
                "Errors",
                "The server's certificate is not trusted, so Mailwise did not send your password.",
            ),
        ),
        (
            ConnectionLostError,
            QCoreApplication.translate(
                "Errors", "The connection to the server was lost. Mailwise will try again."
            ),
        ),
        (
            CapabilityError,
            QCoreApplication.translate(
                "Errors", "This server lacks something Mailwise needs for shared handling."
            ),
        ),
        (KeychainMissingError, no_keychain_sentence()),
        (
            KeychainError,
            QCoreApplication.translate(
                "Errors", "The password could not be kept in the system keychain."
            ),
        ),
        (
            StorageError,
            QCoreApplication.translate(
                "Errors", "The local data could not be written (disk full or no permission?)."
            ),
        ),
        (
            NotConfiguredError,
            QCoreApplication.translate("Errors", "Something has to be set up first."),
        ),
        (UsageError, QCoreApplication.translate("Errors", "Please check what you entered.")),
    ]
    message = getattr(error, "message", None) or str(error)
    detail = getattr(error, "detail", None)
    details = "\n".join(x for x in (message, detail) if x)
    for kind, lead in leads:
        if isinstance(error, kind):
            return lead, details
    if isinstance(error, MailwiseError):
        return message, detail or ""
    return QCoreApplication.translate(
        "Errors", "Something unexpected went wrong."
    ), f"{type(error).__name__}: {error}"
