"""Handing one message to the SMTP submission server.

:func:`submit` speaks SMTP step by step (EHLO, STARTTLS, AUTH, MAIL, RCPT,
DATA) rather than through ``smtplib.sendmail``, because the outbox must know
*where* a failure happened: a refusal before the end of DATA means the mail
was not sent (safe to retry), while a connection lost after the whole message
went out means nobody knows whether it was accepted (``outcome_unknown``; the
outbox must not resend blindly). Replies are kept verbatim for the
administrator; 4xx is temporary, 5xx permanent.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.credentials import Secret, current, renewable
from mailwise_desktop.core.errors import (
    AuthError,
    CapabilityError,
    ErrorCase,
    MailwiseError,
    ProtocolError,
    SendError,
    TooLargeError,
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

_Stage = Literal["connect", "starttls", "auth", "envelope", "data", "after_data"]
_BARE_EOL = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


class SubmissionError(SendError):
    """The server did not take the message.

    Attributes:
        temporary: the server said "try later" (4xx) or the line failed before
            the message was complete: retrying later is safe.
        outcome_unknown: the whole message was sent and the connection died
            before the server answered: it may or may not be on its way, so it
            must not be resent without asking.
        smtp_code: the server's reply code, when there was one.
        server_reply: the server's reply text, verbatim.
    """

    def __init__(
        self,
        message: str,
        *,
        detail: str | None = None,
        temporary: bool = False,
        outcome_unknown: bool = False,
        smtp_code: int | None = None,
        server_reply: str | None = None,
    ) -> None:
        super().__init__(message, detail=detail)
        self.temporary = temporary
        self.outcome_unknown = outcome_unknown
        self.smtp_code = smtp_code
        self.server_reply = server_reply


@dataclass(frozen=True)
class SubmitResult:
    """What the server said when it accepted the message.

    Attributes:
        reply: the final reply to DATA (code and text), e.g. ``"250 OK: queued as 1A2B"``.
        refused: recipients the server refused while accepting the others
            (address -> reply); the mail did NOT go to them.
    """

    reply: str
    refused: dict[str, str] = field(default_factory=dict)


def submit(
    endpoint: Endpoint,
    password: Secret,
    *,
    mail_from: str,
    rcpt_to: Sequence[str],
    message: bytes,
    timeout: float = 60,
) -> SubmitResult:
    """Submit ``message`` for delivery to ``rcpt_to``.

    With OAuth2 (``endpoint.auth``), a refused token is renewed once and the
    submission started again: a refusal at AUTH comes before any mail data.

    Args:
        endpoint: the submission server (implicit TLS, STARTTLS or loopback plain).
        password: the SMTP password or an OAuth2 token source (never logged);
            empty: no AUTH.
        mail_from: the envelope sender.
        rcpt_to: envelope recipients (at least one).
        message: the complete message; line endings are sent as CRLF.
        timeout: seconds for connecting and for each server reply.

    Raises:
        TooLargeError: the message is larger than the server's SIZE limit
            (checked before anything is sent).
        AuthError: the server refused the login.
        CertificateError: the certificate is untrusted or does not match the pin.
        UnreachableError: DNS failure, connection refused or timed out.
        SubmissionError: the server refused the mail, or the line dropped;
            see ``temporary`` and ``outcome_unknown``.
    """
    if not rcpt_to:
        raise SendError("The message has no recipient.")
    secret = current(password)
    job: dict[str, Any] = {
        "mail_from": mail_from,
        "rcpt_to": rcpt_to,
        "message": message,
        "timeout": timeout,
    }
    if not endpoint.uses_oauth or not renewable(password):
        return _submit(endpoint, secret, **job)
    try:
        return _submit(endpoint, secret, **job)
    except _TokenRefusedError:
        log.info("SMTP: %s refused the access token; renewing it once", endpoint.host)
    return _submit(endpoint, current(password, renew=True), **job)


class _TokenRefusedError(AuthError):
    """A 535 to XOAUTH2/OAUTHBEARER: the token may just have expired."""


def _submit(
    endpoint: Endpoint,
    password: str,
    *,
    mail_from: str,
    rcpt_to: Sequence[str],
    message: bytes,
    timeout: float,
) -> SubmitResult:
    host, port = endpoint.host, endpoint.port
    data = _BARE_EOL.sub(b"\r\n", message)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    log.info(
        "SMTP: submitting %d bytes to %d recipient(s) via %s:%d (%s) as %s",
        len(data),
        len(rcpt_to),
        host,
        port,
        endpoint.security.value,
        endpoint.user,
    )
    context = None
    if endpoint.security is not Security.PLAIN:
        context = client_context(endpoint.ca_file, pin_sha256=endpoint.pin_sha256)
    smtp: smtplib.SMTP | None = None
    stage: _Stage = "connect"
    try:
        if endpoint.security is Security.TLS:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        _ehlo(smtp)
        if endpoint.security is Security.STARTTLS:
            stage = "starttls"
            if not smtp.has_extn("starttls"):
                raise CapabilityError(
                    f"{host} does not offer STARTTLS on port {port}. Use implicit TLS "
                    "(port 465) or ask the server's administrator.",
                    case=ErrorCase.NO_STARTTLS,
                    data={"host": host, "port": str(port), "tls_port": "465"},
                )
            smtp.starttls(context=context)
            _ehlo(smtp)  # capabilities may differ once encrypted
        if endpoint.pin_sha256:
            # Before the password leaves: the pin is the whole trust decision.
            check_pin(_socket(smtp), endpoint.pin_sha256, host=host)
        stage = "auth"
        if password and endpoint.uses_oauth:
            _token_login(smtp, endpoint, password)
        elif password:
            smtp.login(endpoint.user, password)
        stage = "envelope"
        _check_size(smtp, len(data), host)
        result = _transaction(smtp, mail_from, rcpt_to, data, host)
        stage = "after_data"
    except BaseException as exc:
        if smtp is not None:
            with contextlib.suppress(Exception):
                smtp.close()
        if isinstance(exc, MailwiseError) or not isinstance(exc, Exception):
            raise
        raise _translate(exc, endpoint, _stage_of(exc, stage), timeout) from exc
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.quit()  # the mail is accepted: a failed goodbye changes nothing
    log.info("SMTP: accepted by %s: %s", host, result.reply)
    return result


class _DataSentError(Exception):
    """Wraps a failure that happened after the whole message went out."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _DataStartedError(Exception):
    """Wraps a failure after DATA was accepted but before the message was complete."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _token_login(smtp: smtplib.SMTP, endpoint: Endpoint, token: str) -> None:
    mechanism = mechanism_name(endpoint.auth)
    if not smtp.has_extn("auth") or mechanism not in smtp.esmtp_features["auth"].upper().split():
        raise CapabilityError(
            f"{endpoint.host} does not offer sign-in with a token ({mechanism}) on port "
            f"{endpoint.port}.",
            detail=f"AUTH {smtp.esmtp_features.get('auth', '')}",
        )
    first = initial_response(endpoint.auth, endpoint.user, token, endpoint.host, endpoint.port)
    answer = responder(first)

    def respond(challenge: bytes | None = None) -> str:
        # smtplib base64-encodes what this returns, as ASCII text.
        return answer(challenge or b"").decode("utf-8")

    smtp.auth(mechanism, cast(Any, respond), initial_response_ok=True)


def _socket(smtp: smtplib.SMTP) -> socket.socket:
    if smtp.sock is None:
        raise smtplib.SMTPServerDisconnected("not connected")
    return smtp.sock


def _ehlo(smtp: smtplib.SMTP) -> None:
    code, _reply = smtp.ehlo()
    if code != 250:
        smtp.helo()  # a server without ESMTP: no AUTH, no SIZE


def _check_size(smtp: smtplib.SMTP, size: int, host: str) -> None:
    advertised = smtp.esmtp_features.get("size", "").strip()
    limit = int(advertised) if advertised.isdigit() else 0
    if limit and size > limit:
        raise TooLargeError(
            f"The message is {_mb(size)}, larger than the {_mb(limit)} that {host} accepts. "
            "Remove or shrink attachments.",
            detail=f"message {size} bytes, server SIZE {limit}",
        )


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _transaction(
    smtp: smtplib.SMTP, mail_from: str, rcpt_to: Sequence[str], data: bytes, host: str
) -> SubmitResult:
    options: list[str] = []
    if smtp.does_esmtp:
        if smtp.has_extn("size"):
            options.append(f"SIZE={len(data)}")
        if smtp.has_extn("8bitmime") and any(b > 0x7F for b in data):
            options.append("BODY=8BITMIME")
    code, reply = smtp.mail(mail_from, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, mail_from)
    refused: dict[str, tuple[int, bytes]] = {}
    for rcpt in rcpt_to:
        code, reply = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = (code, reply)
    if len(refused) == len(rcpt_to):
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("DATA")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    try:
        smtp.send(_LEADING_DOT.sub(b"..", data) + b".\r\n")
    except Exception as exc:
        # The terminating dot never went out: the server cannot have taken it.
        raise _DataStartedError(exc) from exc
    try:
        code, reply = smtp.getreply()
    except Exception as exc:
        raise _DataSentError(exc) from exc
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return SubmitResult(
        reply=f"{code} {_text(reply)}",
        refused={addr: f"{c} {_text(r)}" for addr, (c, r) in refused.items()},
    )


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _stage_of(exc: Exception, stage: _Stage) -> _Stage:
    if isinstance(exc, _DataSentError):
        return "after_data"
    if isinstance(exc, _DataStartedError):
        return "data"
    return stage


def _translate(exc: Exception, endpoint: Endpoint, stage: _Stage, timeout: float) -> MailwiseError:
    host, port = endpoint.host, endpoint.port
    cause = exc.cause if isinstance(exc, (_DataSentError, _DataStartedError)) else exc
    detail = f"{type(cause).__name__}: {cause}"
    if stage == "after_data":
        return SubmissionError(
            f"The connection to {host} broke right after the message was sent. It may or "
            "may not have been delivered: check Sent or with a recipient before sending "
            "it again.",
            detail=detail,
            outcome_unknown=True,
        )
    if isinstance(cause, ssl.SSLCertVerificationError):
        return untrusted_certificate_error(cause, host, _server_fingerprint(endpoint, timeout))
    if isinstance(cause, smtplib.SMTPAuthenticationError):
        if 400 <= cause.smtp_code < 500:
            return _reply_error(cause.smtp_code, cause.smtp_error, host, "log in")
        reply = f"{cause.smtp_code} {_text(cause.smtp_error)}"
        refusal = provider_refusal(reply)
        if refusal is not None:
            return refusal
        if endpoint.uses_oauth:
            return _TokenRefusedError(
                f"{host} refused the sign-in for {endpoint.user}. For a shared mailbox, the "
                "person signing in needs 'Send As' permission on it; otherwise sign in again.",
                detail=reply,
            )
        return AuthError(
            f"The server refused the user name or password for {endpoint.user}@{host}.",
            detail=f"{cause.smtp_code} {_text(cause.smtp_error)}",
        )
    if isinstance(cause, smtplib.SMTPNotSupportedError):
        return CapabilityError(
            f"{host} does not offer login (SMTP AUTH) on port {port}.",
            detail=detail,
            case=ErrorCase.NO_SMTP_AUTH,
            data={"host": host, "port": str(port)},
        )
    if isinstance(cause, smtplib.SMTPRecipientsRefused):
        replies = {a: (c, _text(r)) for a, (c, r) in cause.recipients.items()}
        temporary = all(400 <= c < 500 for c, _ in replies.values())
        lines = "; ".join(f"{a}: {c} {r}" for a, (c, r) in replies.items())
        first_code = next(iter(replies.values()))[0]
        when = " for now" if temporary else ""
        return SubmissionError(
            f"{host} refused every recipient{when}: {lines}",
            detail=lines,
            temporary=temporary,
            smtp_code=first_code,
            server_reply=lines,
        )
    if isinstance(cause, smtplib.SMTPResponseException):
        verb = "accept the sender" if isinstance(cause, smtplib.SMTPSenderRefused) else "send"
        return _reply_error(cause.smtp_code, cause.smtp_error, host, verb)
    if stage == "connect" or (stage == "starttls" and isinstance(cause, ssl.SSLError)):
        return _connect_error(cause, host, port, timeout, detail)
    if isinstance(cause, (smtplib.SMTPServerDisconnected, OSError, EOFError)):
        return SubmissionError(
            f"The connection to {host} was lost before the message was complete; it was "
            "not sent and can be retried.",
            detail=detail,
            temporary=True,
        )
    return ProtocolError(f"{host} answered something the app cannot use.", detail=detail)


def _reply_error(code: int, reply: bytes | str, host: str, verb: str) -> SubmissionError:
    text = _text(reply)
    if code == 552 or text.startswith("5.3.4"):
        message = f"{host} refused the message as too large: {code} {text}"
    elif 400 <= code < 500:
        message = f"{host} could not {verb} right now and asks to try later: {code} {text}"
    else:
        message = f"{host} refused to {verb} the message: {code} {text}"
    return SubmissionError(
        message,
        detail=f"{code} {text}",
        temporary=400 <= code < 500,
        smtp_code=code,
        server_reply=f"{code} {text}",
    )


def _connect_error(
    exc: BaseException, host: str, port: int, timeout: float, detail: str
) -> MailwiseError:
    common = socket_error(exc, host, port, timeout, detail, tls_ports="TLS: 465, STARTTLS: 587")
    if common is not None:
        return common
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return UnreachableError(
            f"{host} closed the connection on port {port} before it was ready.", detail=detail
        )
    if isinstance(exc, OSError):
        return UnreachableError(f"{host} could not be reached on port {port}.", detail=detail)
    return ProtocolError(f"{host} did not answer like an SMTP server.", detail=detail)


def _server_fingerprint(endpoint: Endpoint, timeout: float) -> str | None:
    """The presented certificate's fingerprint, read over a second, unverified connection."""
    if endpoint.security is Security.TLS:
        return fetch_fingerprint(endpoint.host, endpoint.port, timeout=min(timeout, 10))
    try:
        with smtplib.SMTP(endpoint.host, endpoint.port, timeout=min(timeout, 10)) as smtp:
            smtp.starttls(context=unverified_context())
            sock = smtp.sock
            return peer_fingerprint(sock) if isinstance(sock, ssl.SSLSocket) else None
    except (OSError, smtplib.SMTPException):
        return None
