"""The Linux Dovecot for a test suite running elsewhere (the Windows lane under Wine).

Windows CPython under Wine cannot run Dovecot or doveadm (Linux programs, Linux
users and paths), but it reaches Dovecot's ports on loopback like any client. So
the lane starts this module on the Linux side::

    python -m tests.harness.bridge      prints "ADDRESS PORT AUTHKEY-HEX", serves until stdin closes

and the Windows-side conftest uses :class:`RemoteDovecot`, which forwards each
attribute read and method call of :class:`~tests.harness.dovecot.DovecotServer`
over a ``multiprocessing.connection`` socket. Paths cross as Linux paths one way
and ``Z:\\…`` paths (Wine's mapping of ``/``) the other. ``connect()`` runs on
the caller's side: the IMAP session belongs to the test.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import SimpleNamespace
from typing import Any

from imapclient import IMAPClient

ENV = "MAILWISE_DOVECOT_BRIDGE"
_PATH = "__path__"


_CERTS = "__certificates__"


def _to_wire(value: Any) -> Any:
    from tests.harness.certs import ServerCertificates

    if isinstance(value, Path):
        return {_PATH: str(value)}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_wire(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_wire(v) for k, v in value.items()}
    if isinstance(value, Iterator):  # seed_maildir(user, (m for m in …)): a generator
        return [_to_wire(v) for v in value]
    if isinstance(value, ServerCertificates):
        # trustme's CA and key objects do not pickle; the files and fingerprint do.
        fields = ("ca_file", "cert_file", "key_file", "fingerprint_sha256")
        return {_CERTS: {name: _to_wire(getattr(value, name)) for name in fields}}
    return value


def _from_wire(value: Any, convert: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_PATH}:
            return convert(value[_PATH])
        if set(value) == {_CERTS}:
            return SimpleNamespace(**_from_wire(value[_CERTS], convert))
        return {k: _from_wire(v, convert) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_from_wire(v, convert) for v in value)
    return value


def windows_to_linux(text: str) -> Path:
    parts = PureWindowsPath(text)
    if parts.drive.upper() != "Z:":
        raise ValueError(f"only Z: paths reach the Linux side: {text}")
    return Path("/", *parts.parts[1:])


def linux_to_windows(text: str) -> Path:
    return Path("Z:\\" + "\\".join(PurePosixPath(text).parts[1:]))


# ---------------------------------------------------------------------- Linux side


def serve() -> None:
    from tests.harness.dovecot import DovecotServer

    server = DovecotServer().start()
    authkey = os.urandom(16)
    listener = Listener(("127.0.0.1", 0), authkey=authkey)
    host, port = listener.address
    print(host, port, authkey.hex(), flush=True)

    def handle(conn: Connection) -> None:
        with conn:
            while True:
                try:
                    name, args, kwargs = conn.recv()
                except EOFError:
                    return
                try:
                    args = _from_wire(args, windows_to_linux)
                    kwargs = _from_wire(kwargs, windows_to_linux)
                    attr = getattr(server, name)
                    result = attr(*args, **kwargs) if callable(attr) else attr
                    conn.send(("ok", _to_wire(result)))
                except Exception as exc:  # the caller re-raises it as its own failure
                    conn.send(("error", f"{type(exc).__name__}: {exc}"))

    def accept() -> None:
        while True:
            try:
                conn = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        sys.stdin.read()  # the lane closes stdin when the suite is done
    finally:
        listener.close()
        server.stop()


# ---------------------------------------------------------------------- test side


class RemoteDovecot:
    """A DovecotServer on the Linux side, used as if it were here."""

    def __init__(self, spec: str) -> None:
        host, port, key = spec.split()
        self._conn = Client((host, int(port)), authkey=bytes.fromhex(key))
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._conn.send((name, _to_wire(args), _to_wire(kwargs)))
            status, value = self._conn.recv()
        if status == "error":
            raise RuntimeError(f"Linux-side Dovecot: {name}: {value}")
        return _from_wire(value, linux_to_windows)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        from tests.harness.dovecot import DovecotServer

        if callable(getattr(DovecotServer, name, None)):
            return lambda *args, **kwargs: self._call(name, *args, **kwargs)
        return self._call(name)

    def connect(self, user: Any, *, implicit_tls: bool = True) -> IMAPClient:
        # Local on purpose: the test owns the session. Same logic as DovecotServer.connect.
        from tests.harness.dovecot import DovecotServer

        return DovecotServer.connect(self, user, implicit_tls=implicit_tls)  # type: ignore[arg-type]

    def stop(self) -> None:
        self._conn.close()


if __name__ == "__main__":
    serve()
