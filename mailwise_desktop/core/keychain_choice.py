"""Which keyring backend a profile uses: remembered, so a start loads only that one.

keyring's own lookup (the first ``keyring.get_keyring()`` of a process) reads the
entry points of every installed package and asks each backend whether it works
here (Secret Service and KWallet over D-Bus, libsecret, …): 0.3-0.4 s of a
``mailwise sync`` that has nothing to do. The backend that answered last time
is kept in the profile's settings (``keychain_backend``: a class name, not a
secret) and loaded alone. When it cannot be loaded (uninstalled, its service
gone) keyring's full lookup runs as before, and what it finds is remembered
instead. keyring's own choices come first, as in its lookup: the
``PYTHON_KEYRING_BACKEND`` variable and its ``keyringrc.cfg``. A file backend,
keyring's fail and null backends and its chain (which runs the full lookup
itself) are never remembered, and ignored if a settings file names one: the
remembered name never leads to a plaintext fallback.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.settings import Settings

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SETTING = "keychain_backend"
ENV = "PYTHON_KEYRING_BACKEND"
# Backends that keep secrets in a file of ours rather than the OS keychain.
FILE_BACKEND_MODULES = ("keyrings.alt",)
# keyring's stand-ins for "no keychain" and its chain of all viable backends.
_NOT_REMEMBERED = ("keyring.backends.fail.", "keyring.backends.null.", "keyring.backends.chainer.")


def backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def is_file_backend(backend: KeyringBackend) -> bool:
    return type(backend).__module__.startswith(FILE_BACKEND_MODULES)


def worth_remembering(name: str) -> bool:
    """A real keychain's class name (not a file backend, fail, null or the chain)."""
    return bool(name) and not name.startswith(FILE_BACKEND_MODULES + _NOT_REMEMBERED)


def keyring_decides_itself() -> bool:
    """True when keyring's variable or config file names the backend (they come first)."""
    if os.environ.get(ENV):
        return True
    from keyring.util import platform_

    return bool((platform_.config_root() / "keyringrc.cfg").exists())


class BackendChoice:
    """Loads a profile's remembered backend once, and remembers the one that worked.

    Args:
        settings: the profile's settings; None keeps keyring's own lookup.
    """

    def __init__(self, settings: Settings | None) -> None:
        self.settings = settings
        self._tried = False
        self._settled = ""

    def before_use(self) -> None:
        """Before the first keyring call: install the remembered backend if it loads."""
        if self._tried or self.settings is None:
            return
        self._tried = True
        name = str(self.settings.get(SETTING))
        if not worth_remembering(name) or keyring_decides_itself():
            return
        import keyring
        import keyring.core

        try:
            backend = keyring.core.load_keyring(name)  # imports it and asks its priority
        except Exception as exc:  # gone or not working here: keyring's full lookup decides
            log.info(
                "remembered keychain backend %s not used: %s: %s", name, type(exc).__name__, exc
            )
            return
        if is_file_backend(backend):
            return
        keyring.set_keyring(backend)
        self._settled = name

    def worked(self, backend: KeyringBackend) -> None:
        """After a successful keychain call: remember ``backend`` for the next start."""
        if self.settings is None or self._settled:
            return
        name = backend_name(backend)
        if name == self.settings.get(SETTING) or not worth_remembering(name):
            return
        if keyring_decides_itself():
            return
        self._settled = name
        self.settings.set(SETTING, name)
        try:
            # A fresh read just before the write: other keys another process saved stay.
            current = Settings(self.settings.path)
            current.set(SETTING, name)
            current.save()
        except MailwiseError as exc:  # only a start-up shortcut: never worth failing for
            log.info("keychain backend not remembered: %s", exc)
