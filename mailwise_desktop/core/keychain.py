"""Passwords and OAuth2 tokens in the OS keychain, and nowhere else.

The app never ships a plaintext backend: when no keychain is usable (a Linux
machine without Secret Service, a locked-out one) the user is told so in plain
words at start and when adding an account, and no password is stored at all —
never a silent fallback to a file (keyrings.alt's file backends are refused too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mailwise_desktop.core.errors import KeychainError, KeychainMissingError
from mailwise_desktop.core.keychain_choice import BackendChoice, backend_name, is_file_backend
from mailwise_desktop.core.settings import Settings

# keyring is imported where it is used (0.1 s of a cold start): `mailwise list`
# and `search` build a Keychain but never ask it for a password.
if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# A read of an entry nobody writes: it shows whether the backend answers at all
# (Secret Service missing or its collection unreachable raise here).
_PROBE_SERVICE = "Mailwise keychain check"
_PROBE_USER = "probe"


@dataclass(frozen=True)
class KeychainCheck:
    """Whether passwords can go to the OS keychain.

    Attributes:
        usable: True when the backend is a real keychain and answers.
        backend: the backend's class name (for details and logs).
        reason: why not, in English, for "Show details" / ``--verbose``.
    """

    usable: bool
    backend: str
    reason: str = ""


def check_keychain() -> KeychainCheck:
    """Look at keyring's backend and ask it once; nothing is written.

    Returns:
        The answer; ``usable`` is False for keyring's "fail" and "null"
        backends, a chain with no keychain in it, a file backend, or a backend
        whose read fails.
    """
    import keyring
    from keyring.backends import chainer
    from keyring.backends import fail as fail_backend
    from keyring.backends import null as null_backend

    backend = keyring.get_keyring()
    name = backend_name(backend)
    if isinstance(backend, (fail_backend.Keyring, null_backend.Keyring)):
        return KeychainCheck(False, name, "keyring found no keychain backend")
    if isinstance(backend, chainer.ChainerBackend):
        real = [b for b in backend.backends if not is_file_backend(b)]
        if not real:
            return KeychainCheck(False, name, "keyring's chain holds no keychain")
    if is_file_backend(backend):
        return KeychainCheck(False, name, "a file backend is not the system keychain")
    try:
        backend.get_password(_PROBE_SERVICE, _PROBE_USER)
    except Exception as exc:  # any backend failure means: not usable
        return KeychainCheck(False, name, f"{type(exc).__name__}: {exc}")
    return KeychainCheck(True, name)


def require_keychain() -> None:
    """Raise :class:`KeychainMissingError` unless :func:`check_keychain` says usable."""
    found = check_keychain()
    if not found.usable:
        raise KeychainMissingError(detail=f"{found.backend}: {found.reason}")


class Keychain:
    """Secrets of one profile, stored under its own keychain service name.

    Args:
        service: the keychain service name of the profile.
        settings: the profile's settings, where the backend that worked is
            remembered (core/keychain_choice.py); None: keyring's full lookup.
    """

    def __init__(self, service: str, settings: Settings | None = None) -> None:
        self.service = service
        self.choice = BackendChoice(settings)

    def _backend(self) -> KeyringBackend:
        import keyring
        from keyring.backends import fail as fail_backend
        from keyring.backends import null as null_backend

        self.choice.before_use()
        backend = keyring.get_keyring()
        if isinstance(backend, (fail_backend.Keyring, null_backend.Keyring)) or is_file_backend(
            backend
        ):
            raise KeychainMissingError(detail=backend_name(backend))
        return backend

    def set_password(self, key: str, password: str) -> None:
        import keyring.errors

        backend = self._backend()
        try:
            backend.set_password(self.service, key, password)
        except keyring.errors.KeyringError as exc:
            raise KeychainError(
                "The keychain refused to store the password.", detail=str(exc)
            ) from exc
        self.choice.worked(backend)

    def get_password(self, key: str) -> str | None:
        import keyring.errors

        backend = self._backend()
        try:
            found = backend.get_password(self.service, key)
        except keyring.errors.KeyringError as exc:
            raise KeychainError("The keychain could not be read.", detail=str(exc)) from exc
        self.choice.worked(backend)
        return found

    def delete_password(self, key: str) -> None:
        import keyring
        import keyring.errors

        self.choice.before_use()
        try:
            keyring.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise KeychainError(
                "The keychain could not delete the password.", detail=str(exc)
            ) from exc


#: Windows Credential Manager keeps at most 2,560 bytes per entry, stored as
#: UTF-16 by keyring: 1,280 characters. OAuth2 tokens (a Microsoft access token
#: is a JWT of 1.5-3 KB) are split into parts below that.
PART_CHARS = 1000
_PARTS_MARK = "mailwise-parts:"


class LongSecrets:
    """Secrets of any length in a :class:`Keychain`, split into numbered parts."""

    def __init__(self, keychain: Keychain) -> None:
        self.keychain = keychain

    def set(self, key: str, value: str) -> None:
        old = self._part_count(key)
        if len(value) <= PART_CHARS and not value.startswith(_PARTS_MARK):
            self.keychain.set_password(key, value)
            parts: list[str] = []
        else:
            parts = [value[i : i + PART_CHARS] for i in range(0, len(value), PART_CHARS)]
            for index, part in enumerate(parts):
                self.keychain.set_password(f"{key}#{index}", part)
            self.keychain.set_password(key, f"{_PARTS_MARK}{len(parts)}")
        for index in range(len(parts), old):
            self.keychain.delete_password(f"{key}#{index}")

    def get(self, key: str) -> str | None:
        head = self.keychain.get_password(key)
        if head is None or not head.startswith(_PARTS_MARK):
            return head
        pieces = []
        for index in range(int(head[len(_PARTS_MARK) :])):
            part = self.keychain.get_password(f"{key}#{index}")
            if part is None:
                return None  # half written by a process that died: as good as none
            pieces.append(part)
        return "".join(pieces)

    def delete(self, key: str) -> None:
        for index in range(self._part_count(key)):
            self.keychain.delete_password(f"{key}#{index}")
        self.keychain.delete_password(key)

    def _part_count(self, key: str) -> int:
        head = self.keychain.get_password(key)
        if head is None or not head.startswith(_PARTS_MARK):
            return 0
        count = head[len(_PARTS_MARK) :]
        return int(count) if count.isdigit() else 0


def imap_key(account_id: str) -> str:
    return f"{account_id}/imap"


def smtp_key(account_id: str) -> str:
    return f"{account_id}/smtp"


def oauth_key(account_id: str) -> str:
    """Where the account's OAuth2 tokens (refresh and access, JSON) are kept."""
    return f"{account_id}/oauth"
