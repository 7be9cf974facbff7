"""Errors a support person can understand, each with a distinct CLI exit code.

Every error raised across a layer boundary is a :class:`MailwiseError`. Its
``message`` is one plain sentence for the user; ``detail`` carries what an
administrator needs (the server's reply, the exception text) and is shown on
demand only. The CLI maps ``exit_code`` straight to its process exit status,
so scripts can tell a wrong password from a dropped line.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """Process exit status of the ``mailwise`` CLI, one per kind of failure."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    AUTH = 3
    UNREACHABLE = 4
    CERTIFICATE = 5
    CONNECTION_LOST = 6
    PROTOCOL = 7
    NOT_FOUND = 8
    STORAGE = 9
    NOT_CONFIGURED = 10
    HELD_BY_OTHER = 11
    NOT_ALLOWED = 12
    CAPABILITY = 13
    BLOCKED = 14
    TOO_LARGE = 15
    CANCELLED = 16
    KEYCHAIN = 17
    SEND_FAILED = 18
    SCHEMA = 19
    #: ``mailwise team check`` found team-mailbox records that are not used.
    TEAM_PROBLEMS = 20
    #: an invitation file or code that cannot be used (damaged, too new, not one)
    INVITATION = 21
    #: the OAuth2 sign-in lapsed or was revoked: the person must sign in again
    SIGN_IN_AGAIN = 22
    #: the organisation's administrator must approve (consent to) the app first
    ADMIN_APPROVAL = 23


class ErrorCase(StrEnum):
    """Cases whose words differ per front end (the CLI names a command, the window a menu).

    A service raises the error with its case and the data the words need;
    ``cli/error_words.py`` and ``ui/error_words.py`` put it into words. The
    error's own ``message`` is the plain English fallback, naming neither.
    """

    IDENTITY_MISSING = "identity_missing"  # nobody said who they are
    NOT_ON_ROSTER = "not_on_roster"  # data: id (the declared id)
    REMOVED_FROM_ROSTER = "removed_from_roster"  # data: id
    TRANSFER_NEEDS_TARGET = "transfer_needs_target"  # a transfer without a teammate
    TARGET_WITHOUT_TRANSFER = "target_without_transfer"  # a teammate given to another operation
    NOT_A_TEAMMATE = "not_a_teammate"  # data: id
    MESSAGE_NOT_CACHED = "message_not_cached"  # data: uid, mailbox
    NO_SUCH_TEMPLATE = "no_such_template"  # data: name
    NO_SENDING_ADDRESS = "no_sending_address"  # data: account
    NO_SUCH_TEAMMATE = "no_such_teammate"  # data: id (not on the roster at all)
    UNKNOWN_TEAMMATES = "unknown_teammates"  # data: ids (comma-separated)
    NO_APPROVERS = "no_approvers"  # a mail needs approval and nobody may give it
    NO_SUCH_APPROVAL = "no_such_approval"  # data: id
    NO_ACCOUNT = "no_account"  # no shared mailbox set up
    SEVERAL_ACCOUNTS = "several_accounts"  # data: names
    ACCOUNT_NAME_TAKEN = "account_name_taken"  # data: id
    NOT_IN_TRASH = "not_in_trash"  # data: folder
    FOLDER_GONE = "folder_gone"  # data: folder (deleted or renamed on the server)
    #: a mailbox cannot carry handling state; data: mailbox, reasons (comma-separated
    #: :class:`TeamOffReason` values)
    TEAM_OFF = "team_off"
    NO_CONDSTORE = "no_condstore"  # the server offers neither QRESYNC nor CONDSTORE
    NO_MODSEQ = "no_modseq"  # a FETCH answered without a modification sequence
    NO_STARTTLS = "no_starttls"  # data: host, port, tls_port (IMAP or SMTP)
    NO_SMTP_AUTH = "no_smtp_auth"  # data: host, port (the server offers no login)


class TeamOffReason(StrEnum):
    """Why a mailbox cannot carry handling state (imap/coordination_check.py)."""

    NO_KEYWORDS = "no_keywords"  # no \\* in PERMANENTFLAGS: no labels of our own
    NO_CONDSTORE = "no_condstore"  # no CONDSTORE: no change-only-if-unchanged
    READ_ONLY = "read_only"  # the login may not change flags


#: The plain English clause of each reason: the cache, the CLI and the error's
#: message say these (the window words the codes, ui/error_words.py).
TEAM_OFF_CLAUSES: dict[TeamOffReason, str] = {
    TeamOffReason.NO_KEYWORDS: (
        "the server does not let apps keep their own labels on messages (no \\* in "
        "PERMANENTFLAGS), so handling state and owner cannot be shared"
    ),
    TeamOffReason.NO_CONDSTORE: (
        "the server cannot change a message only if nobody changed it first (no CONDSTORE), "
        "so two teammates could both take the same message"
    ),
    TeamOffReason.READ_ONLY: (
        "this login may read the folder but not change its flags (read-only), "
        "so it cannot take or hand over messages"
    ),
}


class MailwiseError(Exception):
    """Base of all errors meant for the user.

    Args:
        message: one plain sentence saying what happened and what to do.
        detail: technical detail (server reply, exception text) for logs and
            the "Show details" button.
        case: for cases each front end words itself (see :class:`ErrorCase`).
        data: the values those words need (ids, names), as text.
    """

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(
        self,
        message: str,
        *,
        detail: str | None = None,
        case: ErrorCase | None = None,
        data: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.case = case
        self.data: Mapping[str, str] = dict(data or {})

    def __str__(self) -> str:
        return self.message

    def text(self, language: str) -> str:
        """The sentence in a UI language (``"ja"`` or ``"en"``); English unless a kind has more."""
        return self.message


class UsageError(MailwiseError):
    """The command or its arguments are wrong."""

    exit_code = ExitCode.USAGE


class AuthError(MailwiseError):
    """The server refused the user name or password."""

    exit_code = ExitCode.AUTH


class SignInAgainError(AuthError):
    """The OAuth2 sign-in is no longer valid (expired, revoked, password changed)."""

    exit_code = ExitCode.SIGN_IN_AGAIN


class AdminApprovalError(AuthError):
    """The identity provider wants an administrator to approve the app first."""

    exit_code = ExitCode.ADMIN_APPROVAL


class SignInMethodError(AuthError):
    """The provider does not take this way of signing in (a password, SMTP AUTH).

    Attributes:
        kind: ``app_password`` (Google wants an app password or its sign-in),
            ``browser_confirm`` (Google wants the sign-in confirmed in a browser),
            ``smtp_off`` (the organisation switched SMTP sign-in off),
            ``password_retired`` (Microsoft no longer takes a password).
    """

    def __init__(self, message: str, *, kind: str, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.kind = kind


class UnreachableError(MailwiseError):
    """The server could not be reached (DNS, refused, timeout)."""

    exit_code = ExitCode.UNREACHABLE


class CertificateError(MailwiseError):
    """The server's certificate is not trusted or does not match."""

    exit_code = ExitCode.CERTIFICATE


class ConnectionLostError(MailwiseError):
    """The connection dropped in the middle of a command."""

    exit_code = ExitCode.CONNECTION_LOST


class ProtocolError(MailwiseError):
    """The server answered something we cannot use."""

    exit_code = ExitCode.PROTOCOL


class NotFoundError(MailwiseError):
    """A message, mailbox, account or teammate does not exist."""

    exit_code = ExitCode.NOT_FOUND


class StorageError(MailwiseError):
    """The local disk or database failed (full disk, permissions, corruption)."""

    exit_code = ExitCode.STORAGE


class SchemaError(MailwiseError):
    """The local database was written by a newer version of the app."""

    exit_code = ExitCode.SCHEMA


class NotConfiguredError(MailwiseError):
    """Something must be set up first (an account, who I am)."""

    exit_code = ExitCode.NOT_CONFIGURED


class HeldByOtherError(MailwiseError):
    """A teammate holds the message; the operation was refused."""

    exit_code = ExitCode.HELD_BY_OTHER


class NotAllowedError(MailwiseError):
    """The operation does not apply to the message's current state."""

    exit_code = ExitCode.NOT_ALLOWED


class CapabilityError(MailwiseError):
    """The server lacks something the operation needs (CONDSTORE, keywords)."""

    exit_code = ExitCode.CAPABILITY


class BlockedError(MailwiseError):
    """Team policy forbids this (blocked recipient, keyword rule)."""

    exit_code = ExitCode.BLOCKED


class TooLargeError(MailwiseError):
    """A mail exceeds the size limit."""

    exit_code = ExitCode.TOO_LARGE


class CancelledError(MailwiseError):
    """The user declined a confirmation."""

    exit_code = ExitCode.CANCELLED


class KeychainError(MailwiseError):
    """No usable OS keychain, or it refused to store/read a secret."""

    exit_code = ExitCode.KEYCHAIN


NO_KEYCHAIN_WORDS = {
    "en": (
        "This computer has no usable system keychain, so Mailwise cannot keep your password. "
        "Mailwise never stores a password anywhere else. Set up the keychain (on Linux a "
        "Secret Service such as GNOME Keyring or KWallet, unlocked when you log in), "
        "then try again."
    ),
    "ja": (
        "このコンピューターには使えるシステムのキーチェーンがないため、"
        "Mailwise はパスワードを保管できません。"
        "Mailwise がパスワードをほかの場所に保存することはありません。"
        "キーチェーンを用意してから（Linux では GNOME Keyring や KWallet などの "
        "Secret Service を、ログイン時にロックが解除されるように）、もう一度お試しください。"
    ),
}


class KeychainMissingError(KeychainError):
    """No usable OS keychain at all: nothing is stored, the user is told how to get one."""

    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(NO_KEYCHAIN_WORDS["en"], detail=detail)

    def text(self, language: str) -> str:
        return NO_KEYCHAIN_WORDS.get(language, self.message)


class SendError(MailwiseError):
    """SMTP submission failed; the mail stays in the outbox."""

    exit_code = ExitCode.SEND_FAILED
