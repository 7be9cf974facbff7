"""Network failures in plain words, shared by the IMAP and SMTP connections."""

from __future__ import annotations

import socket
import ssl

from mailwise_desktop.core.errors import MailwiseError, ProtocolError, UnreachableError


def socket_error(
    exc: BaseException, host: str, port: int, timeout: float, detail: str, *, tls_ports: str
) -> MailwiseError | None:
    """The user's words for a failure to reach ``host:port``, or None if it is not one.

    Args:
        tls_ports: the usual ports of the protocol, for the TLS mismatch hint
            (e.g. "TLS: 993, STARTTLS: 143").
    """
    if isinstance(exc, socket.gaierror):
        return UnreachableError(
            f"The server name {host} could not be found. Check the name and the network.",
            detail=detail,
        )
    if isinstance(exc, ConnectionRefusedError):
        return UnreachableError(
            f"{host} refused the connection on port {port}. Check the port number.",
            detail=detail,
        )
    if isinstance(exc, TimeoutError):
        return UnreachableError(
            f"{host} did not answer on port {port} within {timeout:g} seconds.", detail=detail
        )
    if isinstance(exc, ssl.SSLError):
        return ProtocolError(
            f"A secure connection to {host}:{port} could not be set up. Check that the "
            f"security setting matches the port ({tls_ports}).",
            detail=detail,
        )
    return None
