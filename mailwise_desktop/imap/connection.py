"""Opening an IMAP connection, and turning its failures into words a user reads.

:func:`open_imap` connects with implicit TLS, STARTTLS or (loopback tests
only) plain text, verifies the certificate (or the user's pin), and logs in.
Every failure leaves as a :class:`~mailwise_desktop.core.errors.MailwiseError`
subclass: a wrong password, an unreachable host, an untrusted certificate
(its fingerprint shown, so the user can decide to pin it), a dropped line, or
a server answering something unusable. :func:`translate_imap_error` does the
same for failures of a connection that is already open.

The password is never logged, and never part of an error message.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from typing import Literal

from imapclient import IMAPClient
from imapclient import exceptions as imap_exc

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.credentials import Secret, current, renewable
from mailwise_desktop.core.errors import (
    AuthError,
    CapabilityError,
    ConnectionLostError,
    ErrorCase,
    MailwiseError,
    ProtocolError,
    UnreachableError,
)
from mailwise_desktop.core.network_errors import socket_error
from mailwise_desktop.core.tls import (
    check_pin,
    client_context,
    fetch_fingerprint,
    peer_fingerprint,
    untrusted_certificate_error,
    unverified_context,
)
from mailwise_desktop.signin.provider_words import provider_refusal
from mailwise_desktop.signin.sasl import initial_response, mechanism_name, responder

log = logging.getLogger(__name__)

_Stage = Literal["connect", "starttls", "login"]


def open_imap(endpoint: Endpoint, password: Secret, *, timeout: float = 30) -> IMAPClient:
    """Connect to ``endpoint``, secure the connection, and log in.

    With OAuth2 (``endpoint.auth``), a refused token is renewed once from the
    token source and the login tried again on a new connection.

    Args:
        endpoint: host, port, security, user, sign-in and trust settings.
        password: the IMAP password, or an OAuth2 token source (never logged).
        timeout: seconds for connecting and for each server answer.

    Returns:
        A logged-in client; the caller owns it (``logout()`` when done).

    Raises:
        AuthError: the server refused the user name or password.
        UnreachableError: DNS failure, connection refused or timed out.
        CertificateError: the certificate is untrusted, for another name, or
            does not match the pin; the message shows its SHA-256 fingerprint.
        CapabilityError: STARTTLS was asked for and the server lacks it.
        ConnectionLostError: the server closed the connection during setup.
        ProtocolError: any other failure (TLS on the wrong port, odd replies).
        SignInAgainError: the OAuth2 sign-in lapsed; the person must sign in again.
    """
    secret = current(password)
    if not endpoint.uses_oauth or not renewable(password):
        return _open(endpoint, secret, timeout)
    try:
        return _open(endpoint, secret, timeout)
    except AuthError:
        log.info("IMAP: %s refused the access token; renewing it once", endpoint.host)
    return _open(endpoint, current(password, renew=True), timeout)


def _login(client: IMAPClient, endpoint: Endpoint, secret: str) -> None:
    if endpoint.uses_oauth:
        first = initial_response(endpoint.auth, endpoint.user, secret, endpoint.host, endpoint.port)
        client.sasl_login(mechanism_name(endpoint.auth), responder(first))
    elif (endpoint.user + secret).isascii():
        client.login(endpoint.user, secret)
    else:
        # LOGIN is ASCII-only in imaplib; AUTHENTICATE PLAIN carries UTF-8.
        client.plain_login(endpoint.user, secret)


def _open(endpoint: Endpoint, password: str, timeout: float) -> IMAPClient:
    host, port = endpoint.host, endpoint.port
    log.info(
        "IMAP: connecting to %s:%d (%s) as %s", host, port, endpoint.security.value, endpoint.user
    )
    context = None
    if endpoint.security is not Security.PLAIN:
        context = client_context(endpoint.ca_file, pin_sha256=endpoint.pin_sha256)
    client: IMAPClient | None = None
    stage: _Stage = "connect"
    try:
        if endpoint.security is Security.TLS:
            client = IMAPClient(host, port, ssl=True, ssl_context=context, timeout=timeout)
        else:
            client = IMAPClient(host, port, ssl=False, timeout=timeout)
            if endpoint.security is Security.STARTTLS:
                stage = "starttls"
                client.starttls(context)
        if endpoint.pin_sha256:
            # Before the password leaves: the pin is the whole trust decision.
            check_pin(client.socket(), endpoint.pin_sha256, host=host)
        stage = "login"
        _login(client, endpoint, password)
    except BaseException as exc:
        if client is not None:
            with contextlib.suppress(Exception):
                client.shutdown()
        if isinstance(exc, MailwiseError):
            raise
        if not isinstance(exc, Exception):
            raise  # KeyboardInterrupt and friends are not connection failures
        raise _translate_open_error(exc, endpoint, stage, timeout) from exc
    log.info("IMAP: logged in to %s:%d as %s", host, port, endpoint.user)
    return client


def translate_imap_error(exc: BaseException, *, host: str = "the server") -> MailwiseError:
    """The user-facing error for a failure of an already open IMAP connection.

    Args:
        exc: what imapclient, imaplib, ssl or the socket raised.
        host: the server's name, for the message.
    """
    if isinstance(exc, MailwiseError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TimeoutError):
        return ConnectionLostError(
            f"{host} stopped answering; the connection timed out.", detail=detail
        )
    if isinstance(exc, (imaplib.IMAP4.abort, EOFError, ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        return ConnectionLostError(f"The connection to {host} was lost.", detail=detail)
    if isinstance(exc, imap_exc.LoginError):
        return AuthError(f"{host} refused the user name or password.", detail=detail)
    if isinstance(exc, imap_exc.CapabilityError):
        return CapabilityError(
            f"{host} does not support an IMAP feature needed here.", detail=detail
        )
    if isinstance(exc, imaplib.IMAP4.error):
        return ProtocolError(f"{host} refused an IMAP command.", detail=detail)
    if isinstance(exc, OSError):
        # Reset, broken pipe, network down: the line is gone.
        return ConnectionLostError(f"The connection to {host} was lost.", detail=detail)
    return ProtocolError(f"{host} answered something the app cannot use.", detail=detail)


def _translate_open_error(
    exc: Exception, endpoint: Endpoint, stage: _Stage, timeout: float
) -> MailwiseError:
    host, port = endpoint.host, endpoint.port
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return untrusted_certificate_error(exc, host, _server_fingerprint(endpoint, timeout))
    if isinstance(exc, imap_exc.LoginError):
        text = str(exc).upper()
        if "UNAVAILABLE" in text or "SERVERBUG" in text:
            return ProtocolError(
                f"{host} could not log in {endpoint.user} right now; try again later.",
                detail=detail,
            )
        refusal = provider_refusal(str(exc))
        if refusal is not None:
            return refusal
        if endpoint.uses_oauth:
            return AuthError(
                f"{host} refused the sign-in for {endpoint.user}. For a shared mailbox, the "
                "person signing in needs Full Access to it; otherwise sign in again.",
                detail=detail,
            )
        return AuthError(
            f"The server refused the user name or password for {endpoint.user}@{host}.",
            detail=detail,
        )
    if isinstance(exc, imap_exc.CapabilityError) and stage == "starttls":
        return CapabilityError(
            f"{host} does not offer STARTTLS on port {port}. Use implicit TLS (port 993) "
            "or ask the server's administrator.",
            detail=detail,
            case=ErrorCase.NO_STARTTLS,
            data={"host": host, "port": str(port), "tls_port": "993"},
        )
    if stage == "connect" or (stage == "starttls" and isinstance(exc, ssl.SSLError)):
        return _connect_error(exc, endpoint, timeout, detail)
    return translate_imap_error(exc, host=host)


def _connect_error(
    exc: Exception, endpoint: Endpoint, timeout: float, detail: str
) -> MailwiseError:
    host, port = endpoint.host, endpoint.port
    common = socket_error(exc, host, port, timeout, detail, tls_ports="TLS: 993, STARTTLS: 143")
    if common is not None:
        return common
    if isinstance(exc, (imaplib.IMAP4.abort, EOFError)):
        return ConnectionLostError(
            f"{host} closed the connection before it was ready.", detail=detail
        )
    if isinstance(exc, OSError):
        return UnreachableError(f"{host} could not be reached on port {port}.", detail=detail)
    return ProtocolError(f"{host} did not answer like an IMAP server.", detail=detail)


def _server_fingerprint(endpoint: Endpoint, timeout: float) -> str | None:
    """The presented certificate's fingerprint, read over a second, unverified connection.

    Only the certificate is read; nothing is sent but the STARTTLS command.
    """
    if endpoint.security is Security.TLS:
        return fetch_fingerprint(endpoint.host, endpoint.port, timeout=min(timeout, 10))
    try:
        imap = imaplib.IMAP4(endpoint.host, endpoint.port, timeout=min(timeout, 10))
    except (OSError, imaplib.IMAP4.error):
        return None
    try:
        imap.starttls(ssl_context=unverified_context())
        sock = imap.sock
        return peer_fingerprint(sock) if isinstance(sock, ssl.SSLSocket) else None
    except (OSError, imaplib.IMAP4.error):
        return None
    finally:
        with contextlib.suppress(Exception):
            imap.shutdown()
