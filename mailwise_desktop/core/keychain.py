"""Passwords in the OS keychain, and nowhere else.

The app never ships a plaintext backend: when no keychain is available the
user is told so (and the UI asks each time) rather than having a secret
written to a file.
"""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backends import fail as fail_backend

from mailwise_desktop.core.errors import KeychainError


class Keychain:
    """Secrets of one profile, stored under its own keychain service name."""

    def __init__(self, service: str) -> None:
        self.service = service

    @staticmethod
    def _check_backend() -> None:
        if isinstance(keyring.get_keyring(), fail_backend.Keyring):
            raise KeychainError(
                "No system keychain is available to store the password. "
                "Install or unlock one (Secret Service on Linux), or enter the password each time."
            )

    def set_password(self, key: str, password: str) -> None:
        self._check_backend()
        try:
            keyring.set_password(self.service, key, password)
        except keyring.errors.KeyringError as exc:
            raise KeychainError(
                "The keychain refused to store the password.", detail=str(exc)
            ) from exc

    def get_password(self, key: str) -> str | None:
        self._check_backend()
        try:
            return keyring.get_password(self.service, key)
        except keyring.errors.KeyringError as exc:
            raise KeychainError("The keychain could not be read.", detail=str(exc)) from exc

    def delete_password(self, key: str) -> None:
        try:
            keyring.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise KeychainError(
                "The keychain could not delete the password.", detail=str(exc)
            ) from exc


def imap_key(account_id: str) -> str:
    return f"{account_id}/imap"


def smtp_key(account_id: str) -> str:
    return f"{account_id}/smtp"
