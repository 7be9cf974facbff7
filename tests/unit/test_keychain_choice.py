"""The remembered keyring backend: loaded alone next time, keyring's full lookup when it fails.

Never a plaintext fallback: a file backend is neither remembered nor loaded
when a settings file names one. keyring's own lookup is replaced by a stand-in
that records being asked, so these tests never probe the OS keychains.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail as fail_backend
from keyring.util import platform_

from mailwise_desktop.core.errors import KeychainMissingError
from mailwise_desktop.core.keychain import Keychain
from mailwise_desktop.core.keychain_choice import SETTING
from mailwise_desktop.core.settings import Settings
from tests.harness.keyring_backend import MemoryKeyring

MEMORY = "tests.harness.keyring_backend.MemoryKeyring"
SERVICE = "Mailwise test"


class GoneService(KeyringBackend):
    """Like SecretService with no D-Bus session: keyring's priority check raises."""

    @keyring.backend.properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("Unable to initialize SecretService: no D-Bus session")

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("never used")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("never used")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("never used")


class PlaintextFileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's PlaintextKeyring: a file, not a keychain."""


PlaintextFileKeyring.__module__ = "keyrings.alt.file"


class FullLookup:
    """Stands for keyring's detection of every installed backend; counts the times asked."""

    def __init__(self, found: list[KeyringBackend]) -> None:
        self.found = found
        self.asked = 0

    def __call__(self) -> list[KeyringBackend]:
        self.asked += 1
        return self.found


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """keyring as at the start of a process: no backend chosen, no variable, no config file."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setattr(platform_, "config_root", lambda: tmp_path / "keyring-config")


def lookup_finding(monkeypatch: pytest.MonkeyPatch, *found: KeyringBackend) -> FullLookup:
    lookup = FullLookup(list(found))
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lookup)
    return lookup


def settings_with(tmp_path: Path, name: str, file: str = "settings.json") -> Settings:
    settings = Settings(tmp_path / file)
    if name:
        settings.set(SETTING, name)
        settings.save()
    return settings


@pytest.mark.usefixtures("fresh_process")
def test_the_backend_that_worked_is_remembered_and_loaded_alone_next_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lookup = lookup_finding(monkeypatch, MemoryKeyring())
    first = Keychain(SERVICE, settings_with(tmp_path, ""))
    first.set_password("support/imap", "secret")
    assert lookup.asked == 1
    assert Settings(tmp_path / "settings.json").get(SETTING) == MEMORY

    # The next start: keyring has chosen nothing yet; only the remembered class is loaded.
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    nxt = Keychain(SERVICE, Settings(tmp_path / "settings.json"))
    assert nxt.get_password("support/imap") is None  # a new MemoryKeyring: empty
    assert lookup.asked == 1
    assert type(keyring.get_keyring()).__name__ == "MemoryKeyring"


@pytest.mark.usefixtures("fresh_process")
@pytest.mark.parametrize(
    "remembered",
    ["mailwise_no_such_module.Keyring", f"{__name__}.GoneService"],
    ids=["uninstalled", "service-gone"],
)
def test_a_remembered_backend_that_fails_falls_back_to_the_full_lookup(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, remembered: str
) -> None:
    found = MemoryKeyring()
    lookup = lookup_finding(monkeypatch, found)
    chain = Keychain(SERVICE, settings_with(tmp_path, remembered))
    chain.set_password("support/imap", "secret")
    assert lookup.asked == 1
    assert found.secrets == {(SERVICE, "support/imap"): "secret"}
    # What the full lookup found is remembered instead.
    assert Settings(tmp_path / "settings.json").get(SETTING) == MEMORY


@pytest.mark.usefixtures("fresh_process")
def test_a_file_backend_is_never_loaded_from_settings_nor_remembered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lookup = lookup_finding(monkeypatch)  # no keychain at all: keyring's fail backend
    chain = Keychain(SERVICE, settings_with(tmp_path, "keyrings.alt.file.PlaintextKeyring"))
    with pytest.raises(KeychainMissingError):
        chain.set_password("support/imap", "secret")
    assert lookup.asked == 1
    assert isinstance(keyring.get_keyring(), fail_backend.Keyring)

    # A file backend found by keyring is refused as before, and not remembered.
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    lookup_finding(monkeypatch, PlaintextFileKeyring())
    with pytest.raises(KeychainMissingError):
        Keychain(SERVICE, settings_with(tmp_path, "", "fresh.json")).get_password("support/imap")
    assert Settings(tmp_path / "fresh.json").get(SETTING) == ""


@pytest.mark.usefixtures("fresh_process")
def test_keyrings_own_variable_comes_before_the_remembered_backend(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lookup = lookup_finding(monkeypatch, MemoryKeyring())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    chain = Keychain(SERVICE, settings_with(tmp_path, MEMORY))
    with pytest.raises(KeychainMissingError):
        chain.get_password("support/imap")
    assert lookup.asked == 0
