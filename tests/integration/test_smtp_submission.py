"""SMTP submission against a real aiosmtpd server: delivery, trust, and failures."""

from __future__ import annotations

import dataclasses

import pytest

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.errors import (
    AuthError,
    CertificateError,
    SendError,
    TooLargeError,
    UnreachableError,
)
from mailwise_desktop.send.submission import SubmissionError, submit
from tests.harness.dovecot import free_port
from tests.harness.seed import Attachment, make_message
from tests.harness.smtp import SmtpServer

FROM = "support@example.com"
TO = "taro.yamada@example.jp"


def _message() -> bytes:
    return make_message(
        subject="Re: 注文番号 12345 の配送状況について",
        body="山田様\n\nお問い合わせありがとうございます。\n.先頭のドット行も届くこと\n",
        sender=("サポート窓口", FROM),
        to=[("山田 太郎", TO)],
        attachments=[Attachment("請求書.pdf", "application/pdf", b"%PDF-1.4\n" * 50)],
    )


def _send(endpoint: Endpoint, server: SmtpServer, message: bytes | None = None, **kw: object):
    kwargs: dict[str, object] = {"mail_from": FROM, "rcpt_to": [TO], "timeout": 10}
    kwargs.update(kw)
    return submit(
        endpoint,
        server.password,
        message=message if message is not None else _message(),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("fixture", ["smtp_endpoint", "smtps_endpoint"])
def test_delivery_over_tls_with_auth(
    request: pytest.FixtureRequest, smtp_server: SmtpServer, fixture: str
) -> None:
    endpoint: Endpoint = request.getfixturevalue(fixture)
    message = _message()
    result = _send(endpoint, smtp_server, message)
    assert result.reply.startswith("250")
    assert result.refused == {}
    [received] = smtp_server.messages
    assert received.data == message
    assert received.mail_from == FROM
    assert received.rcpt_tos == (TO,)
    assert received.auth_user == smtp_server.user


def test_bare_newlines_and_leading_dots_arrive_intact(
    smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> None:
    message = b"Subject: dots\n\n.one\n..two\nlast line without newline"
    _send(smtp_endpoint, smtp_server, message)
    [received] = smtp_server.messages
    assert received.data == b"Subject: dots\r\n\r\n.one\r\n..two\r\nlast line without newline\r\n"


def test_refused_recipient_is_permanent(smtp_endpoint: Endpoint, smtp_server: SmtpServer) -> None:
    smtp_server.refuse_recipient(TO, "550 5.1.1 <taro.yamada@example.jp>: no such user")
    with pytest.raises(SubmissionError) as info:
        _send(smtp_endpoint, smtp_server)
    error = info.value
    assert isinstance(error, SendError)
    assert error.temporary is False and error.outcome_unknown is False
    assert error.smtp_code == 550
    assert "no such user" in error.message
    assert smtp_server.messages == []


def test_partly_refused_recipients_are_reported(
    smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse_recipient("gone@example.jp")
    result = _send(smtp_endpoint, smtp_server, rcpt_to=[TO, "gone@example.jp"])
    assert list(result.refused) == ["gone@example.jp"]
    assert result.refused["gone@example.jp"].startswith("550")
    [received] = smtp_server.messages
    assert received.rcpt_tos == (TO,)


@pytest.mark.parametrize(
    "reply", ["451 4.3.0 Temporary local problem, try later", "421 4.3.2 Service shutting down"]
)
def test_temporary_failure_at_data(
    smtp_endpoint: Endpoint, smtp_server: SmtpServer, reply: str
) -> None:
    smtp_server.fail_data(reply)
    with pytest.raises(SubmissionError) as info:
        _send(smtp_endpoint, smtp_server)
    error = info.value
    assert error.temporary is True and error.outcome_unknown is False
    assert error.smtp_code == int(reply[:3])
    assert error.server_reply == reply
    assert smtp_server.messages == []


def test_temporary_recipient_failure(smtp_endpoint: Endpoint, smtp_server: SmtpServer) -> None:
    smtp_server.refuse_recipient(TO, "450 4.2.1 Mailbox busy, try later")
    with pytest.raises(SubmissionError) as info:
        _send(smtp_endpoint, smtp_server)
    assert info.value.temporary is True
    assert info.value.smtp_code == 450


def test_552_at_data_is_permanent_and_says_too_large(
    smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> None:
    smtp_server.fail_data("552 5.3.4 Message size exceeds fixed limit")
    with pytest.raises(SubmissionError) as info:
        _send(smtp_endpoint, smtp_server)
    assert info.value.temporary is False
    assert info.value.smtp_code == 552
    assert "too large" in info.value.message


def test_message_over_advertised_size_is_refused_before_sending(
    smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> None:
    smtp_server.set_size_limit(1_000)
    message = _message()
    assert len(message) > 1_000
    with pytest.raises(TooLargeError, match="larger than"):
        _send(smtp_endpoint, smtp_server, message)
    assert smtp_server.messages == [] and smtp_server.dropped == []
    # A message under the limit still goes through on the same server.
    _send(smtp_endpoint, smtp_server, b"Subject: small\r\n\r\nok\r\n")
    assert len(smtp_server.messages) == 1


def test_connection_dropped_after_data_is_outcome_unknown(
    smtps_endpoint: Endpoint, smtp_server: SmtpServer
) -> None:
    smtp_server.drop_after_data()
    message = _message()
    with pytest.raises(SubmissionError) as info:
        _send(smtps_endpoint, smtp_server, message)
    error = info.value
    assert error.outcome_unknown is True
    assert error.temporary is False  # not "just retry": the outbox must decide
    assert "may or may not have been delivered" in error.message
    # The server really did receive the whole message before hanging up.
    [dropped] = smtp_server.dropped
    assert dropped.data == message


def test_wrong_password_is_an_auth_error(smtp_endpoint: Endpoint, smtp_server: SmtpServer) -> None:
    with pytest.raises(AuthError) as info:
        submit(smtp_endpoint, "wrong", mail_from=FROM, rcpt_to=[TO], message=b"x", timeout=10)
    assert info.value.message == (
        f"The server refused the user name or password for {smtp_server.user}@127.0.0.1."
    )
    assert smtp_server.messages == []


@pytest.mark.parametrize("fixture", ["smtp_endpoint", "smtps_endpoint"])
def test_untrusted_certificate_is_refused_with_its_fingerprint(
    request: pytest.FixtureRequest, smtp_server: SmtpServer, fixture: str
) -> None:
    endpoint = dataclasses.replace(request.getfixturevalue(fixture), ca_file=None)
    with pytest.raises(CertificateError) as info:
        _send(endpoint, smtp_server)
    fp = smtp_server.certificates.fingerprint_sha256
    assert f"SHA-256 fingerprint: {fp}" in info.value.message
    assert "not trusted" in info.value.message
    assert smtp_server.messages == []


@pytest.mark.parametrize("fixture", ["smtp_endpoint", "smtps_endpoint"])
def test_pinned_certificate_is_accepted(
    request: pytest.FixtureRequest, smtp_server: SmtpServer, fixture: str
) -> None:
    endpoint = dataclasses.replace(
        request.getfixturevalue(fixture),
        ca_file=None,
        pin_sha256=smtp_server.certificates.fingerprint_sha256,
    )
    _send(endpoint, smtp_server)
    assert len(smtp_server.messages) == 1


def test_closed_port_is_unreachable(smtp_endpoint: Endpoint, smtp_server: SmtpServer) -> None:
    endpoint = dataclasses.replace(smtp_endpoint, port=free_port(), security=Security.TLS)
    with pytest.raises(UnreachableError):
        _send(endpoint, smtp_server)


def test_server_without_size_extension_takes_a_big_message(
    smtp_endpoint: Endpoint, smtp_server: SmtpServer
) -> None:
    smtp_server.set_size_limit(None)
    # Over aiosmtpd's default 32 MiB: only accepted when the limit is really off.
    big = b"Subject: big\r\n\r\n" + (b"y" * 998 + b"\r\n") * 34_000
    assert len(big) > 33_554_432
    _send(smtp_endpoint, smtp_server, big)
    [received] = smtp_server.messages
    assert received.data == big
