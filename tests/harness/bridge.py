"""The Linux Dovecot for a test suite running elsewhere (the Windows lane under Wine).

Windows CPython under Wine cannot run Dovecot or doveadm (Linux programs, Linux
users and paths), but it reaches Dovecot's ports on loopback like any client. So
the lane starts this module on the Linux side::

    python -m tests.harness.bridge      prints "ADDRESS PORT AUTHKEY-HEX", serves until stdin closes

It is a factory of DovecotServers: one shared by the session (handle 0, the
``dovecot`` fixture, started before the spec is printed), and any number more
started on request with the keyword arguments of
:class:`~tests.harness.dovecot.DovecotServer` (an Exchange-like, Gmail-like or
OAuth Dovecot, one a test restarts with other abilities). Tests ask for those
through :func:`tests.harness.dovecot.start_dovecot`, which is local on Linux
and macOS and comes here under the lane, so a test file reads the same either way.

The Windows side holds a :class:`RemoteDovecot` per server, which forwards each
attribute read and method call (``restart`` included) over a
``multiprocessing.connection`` socket of its own. Paths cross as Linux paths
one way and ``Z:\\…`` paths (Wine's mapping of ``/``) the other. ``connect()``
runs on the caller's side: the IMAP session belongs to the test. A server
started through a connection is stopped when that connection ends, so a
Windows pytest that dies leaves no Dovecot behind.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import SimpleNamespace
from typing import Any

from imapclient import IMAPClient

ENV = "MAILWISE_DOVECOT_BRIDGE"  # also tests.harness.dovecot.BRIDGE_ENV
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
    """A caller's path on the Linux side: ``Z:\\x`` is ``/x``; a Linux caller's stays."""
    if text.startswith("/"):
        return Path(text)
    parts = PureWindowsPath(text)
    if parts.drive.upper() != "Z:":
        raise ValueError(f"only Z: paths reach the Linux side: {text}")
    return Path("/", *parts.parts[1:])


def linux_to_windows(text: str) -> Path:
    return Path("Z:\\" + "\\".join(PurePosixPath(text).parts[1:]))


def _for_caller(text: str) -> Path:
    """A Linux-side path as the caller reaches it: through Z: under Wine, as is on Linux."""
    return linux_to_windows(text) if os.name == "nt" else Path(text)


# ---------------------------------------------------------------------- Linux side

SHARED = 0  # the handle of the session's shared server
_START, _STOP = "__start__", "__stop__"


class _Servers:
    """The DovecotServers this bridge runs, by handle (thread-safe)."""

    def __init__(self, shared: Any) -> None:
        self._lock = threading.Lock()
        self._by_handle: dict[int, Any] = {SHARED: shared}
        self._next = itertools.count(SHARED + 1)

    def start(self, options: dict[str, Any]) -> int:
        from tests.harness.dovecot import DovecotServer

        server = DovecotServer(**options).start()  # outside the lock: it takes a while
        with self._lock:
            handle = next(self._next)
            self._by_handle[handle] = server
        return handle

    def get(self, handle: int) -> Any:
        with self._lock:
            server = self._by_handle.get(handle)
        if server is None:
            raise LookupError(f"no Dovecot with handle {handle} (stopped already?)")
        return server

    def stop(self, handle: int) -> None:
        if handle == SHARED:
            raise ValueError("the shared Dovecot stops with the bridge")
        with self._lock:
            server = self._by_handle.pop(handle, None)
        if server is not None:
            server.stop()

    def stop_all(self) -> None:
        with self._lock:
            servers = list(self._by_handle.values())
            self._by_handle.clear()
        for server in servers:
            server.stop()


def _answer(servers: _Servers, owned: set[int], message: tuple[Any, ...]) -> Any:
    handle, name, args, kwargs = message
    args = _from_wire(args, windows_to_linux)
    kwargs = _from_wire(kwargs, windows_to_linux)
    if name == _START:
        started = servers.start(kwargs)
        owned.add(started)
        return started
    if name == _STOP:
        owned.discard(handle)
        servers.stop(handle)
        return None
    attr = getattr(servers.get(handle), name)
    return attr(*args, **kwargs) if callable(attr) else attr


def _handle(servers: _Servers, conn: Connection) -> None:
    owned: set[int] = set()
    with conn:
        try:
            while True:
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    return
                try:
                    conn.send(("ok", _to_wire(_answer(servers, owned, message))))
                except Exception as exc:  # the caller re-raises it as its own failure
                    conn.send(("error", (type(exc).__name__, str(exc))))
        finally:
            for handle in owned:  # the caller is gone without stopping them
                servers.stop(handle)


def serve() -> None:
    from tests.harness.dovecot import DovecotServer

    servers = _Servers(DovecotServer().start())
    authkey = os.urandom(16)
    listener = Listener(("127.0.0.1", 0), authkey=authkey)
    host, port = listener.address
    print(host, port, authkey.hex(), flush=True)

    def accept() -> None:
        while True:
            try:
                conn = listener.accept()
            except OSError:
                return
            threading.Thread(target=_handle, args=(servers, conn), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        sys.stdin.read()  # the lane closes stdin when the suite is done
    finally:
        listener.close()
        servers.stop_all()


# ---------------------------------------------------------------------- test side


class RemoteDovecot:
    """A DovecotServer on the Linux side, used as if it were here.

    ``RemoteDovecot(spec)`` is the session's shared server;
    :meth:`RemoteDovecot.start` starts one more with DovecotServer's options.
    """

    def __init__(self, spec: str, handle: int = SHARED) -> None:
        host, port, key = spec.split()
        self._conn = Client((host, int(port)), authkey=bytes.fromhex(key))
        self._lock = threading.Lock()
        self._handle = handle

    @classmethod
    def start(cls, spec: str, **options: Any) -> RemoteDovecot:
        """A new DovecotServer(**options), started on the Linux side."""
        remote = cls(spec)
        try:
            remote._handle = remote._call(_START, **options)
        except BaseException:
            remote._conn.close()
            raise
        return remote

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._conn.send((self._handle, name, _to_wire(args), _to_wire(kwargs)))
            status, value = self._conn.recv()
        if status == "error":
            from tests.harness.dovecot import DovecotError

            kind, text = value
            error = DovecotError if kind == "DovecotError" else RuntimeError
            raise error(f"Linux-side Dovecot: {name}: {kind}: {text}")
        return _from_wire(value, _for_caller)

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
        """Stop this server (not the shared one: it stops with the bridge) and hang up."""
        try:
            if self._handle != SHARED and not self._conn.closed:
                self._call(_STOP)
        finally:
            self._conn.close()

    def __enter__(self) -> RemoteDovecot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    serve()
