"""TLS for every connection the app makes: one verified context, plus pinning.

Certificates are checked against the system trust store plus an optional
extra CA file (a company's private CA), with the host name verified and TLS
1.2 as the floor. A self-signed server is accepted only when the user pinned
the SHA-256 fingerprint of its certificate: the pin then replaces CA
verification for that one server (:func:`client_context` turns verification
off and :func:`check_pin` compares the fingerprint after the handshake, before
any password is sent).
"""

from __future__ import annotations

import hashlib
import os
import socket
import ssl
import threading
import time

from mailwise_desktop.core.errors import CertificateError

PIN_HINT = "If you trust this server, pin this fingerprint."


def fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as upper-case hex pairs: ``AB:CD:…``."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalize_pin(pin: str) -> str:
    """A pin as the user may type it (``ab:cd…``, ``ABCD…``, spaces) in ``AB:CD:…`` form.

    Raises:
        CertificateError: the text is not a SHA-256 fingerprint.
    """
    hexdigits = "".join(ch for ch in pin if ch not in ": \t").upper()
    if len(hexdigits) != 64 or any(ch not in "0123456789ABCDEF" for ch in hexdigits):
        raise CertificateError(
            "The pinned certificate fingerprint is not a SHA-256 fingerprint "
            "(64 hexadecimal digits).",
            detail=f"pin: {pin!r}",
        )
    return ":".join(hexdigits[i : i + 2] for i in range(0, 64, 2))


#: How long a context keeps the system trust store it read (seconds): a CA the
#: user adds to the system store is seen by new connections after this.
TRUST_STORE_TTL = 600.0

# Reading the system trust store costs about 40 ms per context on Linux and
# 0.5-1.2 s under Windows CPython in Wine (OpenSSL's default paths, then the
# Windows store) - and every IMAP, SMTP and HTTPS connection made one. A context
# may be shared by connections and threads (none of ours changes it after this
# module made it), so one is kept per (CA file as it is now, pin, system store
# as configured now) for a while.
_FileState = tuple[int, int, int] | None
_StoreKey = tuple[tuple[str, str | None, _FileState], ...]
_contexts: dict[
    tuple[str | None, _FileState, str | None, _StoreKey], tuple[float, ssl.SSLContext]
] = {}
_contexts_lock = threading.Lock()
_clock = time.monotonic


def client_context(ca_file: str | None = None, *, pin_sha256: str | None = None) -> ssl.SSLContext:
    """The SSL context for a connection to a mail server (shared: don't change it).

    Args:
        ca_file: PEM file of extra trusted CAs, added to the system trust store.
        pin_sha256: when set, CA and host name verification are off for this
            connection and the caller MUST call :func:`check_pin` on the socket
            right after the handshake.

    Raises:
        CertificateError: ``ca_file`` cannot be read, or the pin is malformed.
    """
    if pin_sha256:
        normalize_pin(pin_sha256)  # refuse a malformed pin before connecting
    key = (
        ca_file,
        _file_state(ca_file) if ca_file and not pin_sha256 else None,
        pin_sha256,
        () if pin_sha256 else _system_store_key(),
    )
    now = _clock()
    with _contexts_lock:
        kept = _contexts.get(key)
        if kept is not None and now - kept[0] < TRUST_STORE_TTL:
            return kept[1]
    ctx = _new_client_context(ca_file, pin_sha256=pin_sha256)
    with _contexts_lock:
        for stale in [k for k, (made, _) in _contexts.items() if now - made >= TRUST_STORE_TTL]:
            del _contexts[stale]
        _contexts[key] = (now, ctx)
    return ctx


def _system_store_key() -> _StoreKey:
    """What decides the system trust store now: OpenSSL's SSL_CERT_FILE/SSL_CERT_DIR.

    A context made before one of them was set or changed would keep trusting the
    old store for ``TRUST_STORE_TTL`` (seen: the OAuth sign-in refused its server's
    certificate after an earlier connection cached the store without it).
    """
    key = []
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(name)
        key.append((name, value, _file_state(value) if value else None))
    return tuple(key)


def _file_state(path: str) -> _FileState:
    """What tells a changed file: a CA file replaced or rewritten is read again."""
    try:
        st = os.stat(path)
    except OSError:
        return None  # not cached as readable: loading it raises below
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _new_client_context(ca_file: str | None, *, pin_sha256: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if pin_sha256:
        # The pin is the trust decision: a self-signed cert fails CA checks.
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    if ca_file:
        try:
            ctx.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise CertificateError(
                f"The trusted certificate file {ca_file} could not be read.", detail=str(exc)
            ) from exc
    return ctx


def unverified_context() -> ssl.SSLContext:
    """A context that accepts any certificate: ONLY for reading a fingerprint to show."""
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def peer_fingerprint(sock: ssl.SSLSocket) -> str | None:
    """Fingerprint of the certificate the server presented on ``sock``."""
    der = sock.getpeercert(binary_form=True)
    return fingerprint(der) if der else None


def check_pin(sock: socket.socket, pin_sha256: str, *, host: str) -> None:
    """Accept the server on ``sock`` iff its certificate matches the pin.

    Raises:
        CertificateError: the socket is not TLS, or the fingerprint differs.
    """
    if not isinstance(sock, ssl.SSLSocket):
        raise CertificateError(f"The connection to {host} is not encrypted; nothing to pin.")
    expected = normalize_pin(pin_sha256)
    actual = peer_fingerprint(sock)
    if actual != expected:
        raise CertificateError(
            f"The certificate of {host} does not match the pinned fingerprint. "
            f"SHA-256 fingerprint: {actual} If the server's certificate was renewed "
            "and you trust it, pin the new fingerprint.",
            detail=f"pinned {expected}, server presented {actual}",
        )


def fetch_fingerprint(host: str, port: int, *, timeout: float = 10) -> str | None:
    """The fingerprint an implicit-TLS server presents, or None when it can't be read."""
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            unverified_context().wrap_socket(raw, server_hostname=host) as tls,
        ):
            return peer_fingerprint(tls)
    except (OSError, ssl.SSLError):
        return None


def untrusted_certificate_error(
    exc: ssl.SSLError, host: str, server_fingerprint: str | None
) -> CertificateError:
    """The user-facing error for a failed certificate check on ``host``.

    Args:
        exc: the verification failure (its text goes to ``detail``).
        host: the server's host name as configured.
        server_fingerprint: the presented certificate's fingerprint, if known.
    """
    reason = getattr(exc, "verify_message", None) or str(exc)
    if "hostname" in reason.lower() or "ip address mismatch" in reason.lower():
        first = f"The server's certificate is not valid for the name {host}."
    else:
        first = "The server's certificate is not trusted."
    if server_fingerprint:
        message = f"{first} SHA-256 fingerprint: {server_fingerprint} {PIN_HINT}"
    else:
        message = f"{first} Its fingerprint could not be read."
    return CertificateError(message, detail=f"{host}: {reason}")
