"""The keychain check: no usable system keychain means no password is kept, anywhere."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, null
from keyring.backends import fail as fail_backend
from keyring.errors import InitError

from mailwise_desktop.core.console import console_language
from mailwise_desktop.core.errors import ExitCode, KeychainMissingError
from mailwise_desktop.core.keychain import Keychain, check_keychain, require_keychain
from tests.harness.keyring_backend import MemoryKeyring


class UnreachableSecretService(KeyringBackend):
    """Like SecretService with no daemon on the session bus: every call fails."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise InitError("Failed to create the collection: org.freedesktop.secrets not provided")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise InitError("unreachable")

    def delete_password(self, service: str, username: str) -> None:
        raise InitError("unreachable")


class PlaintextFileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's PlaintextKeyring: a file, not a keychain."""


PlaintextFileKeyring.__module__ = "keyrings.alt.file"


def test_a_working_keychain_is_usable(memory_keyring: MemoryKeyring) -> None:
    found = check_keychain()
    assert found.usable
    assert found.backend.endswith("MemoryKeyring")
    assert memory_keyring.secrets == {}  # the check writes nothing


@pytest.mark.parametrize(
    ("backend", "words"),
    [
        (fail_backend.Keyring(), "no keychain backend"),
        (null.Keyring(), "no keychain backend"),
        (UnreachableSecretService(), "org.freedesktop.secrets"),
        (PlaintextFileKeyring(), "file backend"),
    ],
    ids=["none", "null", "unreachable", "plaintext-file"],
)
def test_no_usable_keychain_is_found_out(backend: KeyringBackend, words: str) -> None:
    keyring.set_keyring(backend)
    found = check_keychain()
    assert not found.usable
    assert words in found.reason
    with pytest.raises(KeychainMissingError) as raised:
        require_keychain()
    assert raised.value.exit_code == ExitCode.KEYCHAIN
    assert words in (raised.value.detail or "")


@pytest.mark.parametrize(
    ("members", "usable"), [([PlaintextFileKeyring], False), ([MemoryKeyring], True)]
)
def test_a_chain_is_a_keychain_only_with_a_real_one_in_it(
    monkeypatch: pytest.MonkeyPatch, members: list[type[KeyringBackend]], usable: bool
) -> None:
    chain_members = [member() for member in members]
    monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda self: chain_members))
    keyring.set_keyring(chainer.ChainerBackend())
    assert check_keychain().usable is usable


def test_no_password_is_stored_in_a_file_backend() -> None:
    backend = PlaintextFileKeyring()
    keyring.set_keyring(backend)
    with pytest.raises(KeychainMissingError):
        Keychain("mailwise-test").set_password("support/imap", "secret")
    assert backend.secrets == {}


def test_the_words_are_plain_in_both_languages() -> None:
    error = KeychainMissingError()
    assert "no usable system keychain" in error.text("en")
    assert "never stores a password anywhere else" in error.text("en")
    assert "キーチェーン" in error.text(
        "ja"
    ) and "ほかの場所に保存することはありません" in error.text("ja")
    assert error.message == error.text("en")


@pytest.mark.parametrize(
    ("choice", "env", "language"),
    [
        ("ja", {"LANG": "C.UTF-8"}, "ja"),
        ("en", {"LANG": "ja_JP.UTF-8"}, "en"),
        ("system", {"LANG": "ja_JP.UTF-8"}, "ja"),
        ("system", {"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
        ("system", {"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_console_language_follows_setting_then_locale(
    monkeypatch: pytest.MonkeyPatch, choice: str, env: dict[str, str], language: str
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert console_language(choice) == language
