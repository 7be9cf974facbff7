"""A real SMTP submission server (aiosmtpd) on loopback, with failure modes.

Two listeners share one recorder: :attr:`SmtpServer.port` requires STARTTLS
before AUTH, :attr:`SmtpServer.smtps_port` is implicit TLS. Both check AUTH
PLAIN/LOGIN against :attr:`SmtpServer.users`, and XOAUTH2/OAUTHBEARER
tokens by RFC 7662 introspection at :attr:`SmtpServer.oauth_introspection_url`
(the test OAuth2 provider), the way Microsoft's and Google's servers check
them: the SASL user must be the token's owner or a mailbox it may send as
(:attr:`SmtpServer.send_as`, a Microsoft 365 shared mailbox). Tests read what was accepted in
:attr:`SmtpServer.messages` and switch on one failure mode at a time
(:meth:`SmtpServer.refuse_recipient`, :meth:`SmtpServer.fail_data`,
:meth:`SmtpServer.drop_after_data`, :meth:`SmtpServer.set_size_limit`);
:meth:`SmtpServer.reset` puts everything back.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
import shutil
import tempfile
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.harness.certs import ServerCertificates, make_server_certificates
from tests.harness.dovecot import HOST, free_port

DEFAULT_SIZE_LIMIT = 33_554_432  # aiosmtpd's own default (32 MiB)


@dataclass(frozen=True)
class ReceivedMessage:
    """One message the server accepted.

    Attributes:
        mail_from: the envelope sender (MAIL FROM).
        rcpt_tos: the accepted envelope recipients (RCPT TO).
        data: the message exactly as received (dot-unstuffed, CRLF line endings).
        auth_user: the login the client authenticated as, if any.
    """

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    auth_user: str | None


@dataclass
class _Behaviour:
    refused: dict[str, str] = field(default_factory=dict)  # recipient -> reply
    data_reply: str | None = None
    drop_after_data: bool = False
    reply_delay: float = 0.0
    size_limit: int | None = DEFAULT_SIZE_LIMIT


class _Handler:
    """aiosmtpd handler: applies the current failure mode, records deliveries."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._token_auth(server, args, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._token_auth(server, args, "OAUTHBEARER")

    async def _token_auth(self, server: SMTP, args: list[str], mechanism: str) -> AuthResult:
        if len(args) > 1:
            blob = base64.b64decode(args[1])
        else:
            answer = await server.challenge_auth("")
            if not isinstance(answer, bytes):
                return AuthResult(success=False, handled=True)
            blob = answer
        user, token = _parse_token_response(blob, mechanism)
        self.owner.oauth_attempts.append((mechanism, user))
        if self.owner.token_auth_reply is not None:
            return AuthResult(success=False, handled=False, message=self.owner.token_auth_reply)
        owner = await asyncio.to_thread(self.owner.introspect, token)
        if owner is not None and (user == owner or user in self.owner.send_as.get(owner, ())):
            return AuthResult(success=True, auth_data=user)
        # RFC 7628 / XOAUTH2: an error challenge, the client's empty answer, then 535.
        await server.challenge_auth(json.dumps({"status": "invalid_token", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self.owner.behaviour.refused.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        behaviour = self.owner.behaviour
        if behaviour.drop_after_data:
            # The data arrived, the reply never does: the client cannot know
            # whether the mail went out. Record it: a real server may have sent it.
            self.owner._record(session, envelope, dropped=True)
            assert server.transport is not None
            server.transport.abort()
            return "250 OK"  # written to a closed transport: never reaches the client
        if behaviour.data_reply is not None:
            return behaviour.data_reply
        self.owner._record(session, envelope, dropped=False)
        if behaviour.reply_delay:
            # Taken, and the 250 still on its way: a client killed now cannot know.
            await asyncio.sleep(behaviour.reply_delay)
        return "250 OK: queued"


class SmtpServer:
    """aiosmtpd on two loopback ports (STARTTLS and implicit TLS) with AUTH.

    Attributes:
        host: the loopback address.
        port: submission port; STARTTLS required before AUTH and mail.
        smtps_port: implicit-TLS port.
        ca_file: the test CA that issued the server certificate.
        user / password: the default login.
        users: all accepted logins (user -> password).
        messages: what was accepted, in order.
        dropped: messages whose DATA was received before the connection was dropped.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.host = HOST
        self.dir = Path(directory or tempfile.mkdtemp(prefix="mailwise-smtp-"))
        self.certificates: ServerCertificates = make_server_certificates(self.dir)
        self.ca_file = self.certificates.ca_file
        self.user = "sender@example.com"
        self.password = secrets.token_urlsafe(12)
        self.users: dict[str, str] = {self.user: self.password}
        self.messages: list[ReceivedMessage] = []
        self.dropped: list[ReceivedMessage] = []
        self.behaviour = _Behaviour()
        self._lock = threading.Lock()
        self._controllers: list[Controller] = []
        self.oauth_introspection_url: str | None = None
        #: token owner -> addresses it may use as the SASL user (shared mailboxes)
        self.send_as: dict[str, set[str]] = {}
        #: when set, every token sign-in is answered with this reply (e.g. 535 5.7.139)
        self.token_auth_reply: str | None = None
        #: when set, every password sign-in is answered with this reply (e.g. Gmail's 534)
        self.password_auth_reply: str | None = None
        #: (mechanism, SASL user) of every token sign-in, in order
        self.oauth_attempts: list[tuple[str, str]] = []
        self.port = 0
        self.smtps_port = 0

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> SmtpServer:
        """Start both listeners in background threads."""
        handler = _Handler(self)
        self.port = free_port()
        self.smtps_port = free_port()
        starttls = _Controller(
            self,
            handler,
            hostname=self.host,
            port=self.port,
            tls_context=self.certificates.server_context(),
            require_starttls=True,
            auth_require_tls=True,
        )
        implicit = _Controller(
            self,
            handler,
            hostname=self.host,
            port=self.smtps_port,
            ssl_context=self.certificates.server_context(),
            implicit_tls=True,
        )
        for controller in (starttls, implicit):
            controller.start()
            self._controllers.append(controller)
        return self

    def stop(self) -> None:
        """Stop both listeners and remove the certificate dir."""
        for controller in self._controllers:
            controller.stop()
        self._controllers.clear()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ behaviour

    def reset(self) -> None:
        """Forget received mail and switch every failure mode off."""
        with self._lock:
            self.messages.clear()
            self.dropped.clear()
            self.behaviour = _Behaviour()
            self.send_as = {}
            self.token_auth_reply = None
            self.password_auth_reply = None
            self.oauth_attempts.clear()

    def introspect(self, token: str) -> str | None:
        """The owner of an active access token, asked of the OAuth2 provider."""
        if not self.oauth_introspection_url:
            return None
        body = urllib.parse.urlencode({"token": token}).encode()
        with urllib.request.urlopen(self.oauth_introspection_url, data=body, timeout=10) as r:
            data = json.loads(r.read())
        return str(data["username"]) if data.get("active") else None

    def add_user(self, user: str, password: str) -> None:
        """Accept another AUTH login."""
        self.users[user] = password

    def refuse_recipient(self, address: str, reply: str = "550 5.1.1 No such user here") -> None:
        """Answer RCPT TO for ``address`` with ``reply`` (a 4xx or 5xx line)."""
        self.behaviour.refused[address.lower()] = reply

    def fail_data(self, reply: str) -> None:
        """Answer the end of DATA with ``reply`` (e.g. ``"451 4.3.0 Try again later"``)."""
        self.behaviour.data_reply = reply

    def drop_after_data(self) -> None:
        """Take the DATA, then close the connection without any reply."""
        self.behaviour.drop_after_data = True

    def delay_reply(self, seconds: float) -> None:
        """Keep each accepted mail's final 250 back for ``seconds`` (a slow server)."""
        self.behaviour.reply_delay = seconds

    def set_size_limit(self, size: int | None) -> None:
        """Advertise ``SIZE size`` in EHLO (and enforce it) on new connections.

        ``None``: no SIZE in EHLO and no limit, like a server without the extension.
        """
        self.behaviour.size_limit = size

    # ------------------------------------------------------------------ internals

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if self.password_auth_reply is not None:
            return AuthResult(success=False, handled=False, message=self.password_auth_reply)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        ok = self.users.get(login) == password
        return AuthResult(success=ok, handled=False, auth_data=login if ok else None)

    def _record(self, session: Session, envelope: Envelope, *, dropped: bool) -> None:
        data = envelope.original_content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        user = session.auth_data if isinstance(session.auth_data, str) else None
        received = ReceivedMessage(
            str(envelope.mail_from), tuple(envelope.rcpt_tos), bytes(data), user
        )
        with self._lock:
            (self.dropped if dropped else self.messages).append(received)


def _parse_token_response(blob: bytes, mechanism: str) -> tuple[str, str]:
    """(SASL user, bearer token) of an XOAUTH2 or OAUTHBEARER client response."""
    text = blob.decode("utf-8", "replace")
    fields = text.split("\x01")
    user = token = ""
    if mechanism == "OAUTHBEARER":
        header = fields[0]  # n,a=user,
        for part in header.split(","):
            if part.startswith("a="):
                user = part[2:].replace("=2C", ",").replace("=3D", "=")
        fields = fields[1:]
    for field_text in fields:
        key, _, value = field_text.partition("=")
        if key == "user":
            user = value
        elif key == "auth" and value.startswith("Bearer "):
            token = value[len("Bearer ") :]
    return user, token


class _ImplicitTlsSMTP(SMTP):  # type: ignore[misc]
    """SMTP over an implicitly encrypted socket.

    aiosmtpd counts only STARTTLS as TLS, so its ``auth_require_tls`` would
    refuse AUTH here although the whole session is encrypted; and turning it
    off up front warns about plaintext AUTH. Lift it after construction.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._auth_require_tls = False


class _Controller(Controller):  # type: ignore[misc]
    """A Controller whose SMTP instances pick up the owner's current settings.

    aiosmtpd builds one SMTP instance per connection through ``factory()``, so a
    test's :meth:`SmtpServer.set_size_limit` applies from its next connection.
    """

    def __init__(
        self, owner: SmtpServer, handler: _Handler, *, implicit_tls: bool = False, **kwargs: Any
    ) -> None:
        self._owner = owner
        self._smtp_class = _ImplicitTlsSMTP if implicit_tls else SMTP
        self._smtp_kwargs = {
            k: kwargs.pop(k)
            for k in ("tls_context", "require_starttls", "auth_require_tls")
            if k in kwargs
        }
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        return self._smtp_class(
            self.handler,
            data_size_limit=self._owner.behaviour.size_limit,
            enable_SMTPUTF8=True,
            authenticator=self._owner._authenticate,
            auth_required=True,
            hostname="mail.test",
            **self._smtp_kwargs,
        )


# aiosmtpd logs every session at INFO: keep test output readable.
logging.getLogger("mail.log").setLevel(logging.ERROR)
