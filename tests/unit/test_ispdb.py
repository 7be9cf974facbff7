"""Thunderbird's autoconfig format: what is taken, what is refused (outside input)."""

from __future__ import annotations

import pytest

from mailwise_desktop.core.accounts import Security
from mailwise_desktop.signin import ispdb

DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.jp">
    <domain>example.jp</domain>
    <displayName>Example \xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab</displayName>
    <incomingServer type="pop3">
      <hostname>pop.example.jp</hostname><port>995</port><socketType>SSL</socketType>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>plain.example.jp</hostname><port>143</port><socketType>plain</socketType>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.jp</hostname><port>143</port><socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>IMAP.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.jp</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username><authentication>OAuth2</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""


def test_tls_is_preferred_plain_is_never_taken_and_placeholders_are_filled() -> None:
    found = ispdb.parse(DOC, "info@example.jp", source="test")
    assert found is not None
    assert (found.imap.host, found.imap.port, found.imap.security) == (
        "imap.example.jp",
        993,
        Security.TLS,
    )
    assert found.imap.user == "info@example.jp" and not found.imap.oauth
    assert found.smtp is not None and found.smtp.security is Security.STARTTLS
    assert found.smtp.oauth
    assert found.title == "Example メール"


def test_only_plain_imap_gives_nothing() -> None:
    only_plain = (
        b"<clientConfig><emailProvider><incomingServer type='imap'><hostname>h</hostname>"
        b"<port>143</port><socketType>plain</socketType></incomingServer></emailProvider>"
        b"</clientConfig>"
    )
    assert ispdb.parse(only_plain, "a@example.jp", source="t") is None


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"not xml",
        b"<html><body>Not found</body></html>",
        b"<clientConfig><emailProvider/></clientConfig>",
        b"<clientConfig><emailProvider><incomingServer type='imap'><hostname>h</hostname>"
        b"<port>99999</port><socketType>SSL</socketType></incomingServer></emailProvider>"
        b"</clientConfig>",
        b"<clientConfig><emailProvider><incomingServer type='imap'><hostname>%UNKNOWN%"
        b"</hostname><port>993</port><socketType>SSL</socketType></incomingServer>"
        b"</emailProvider></clientConfig>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;"
        b"&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;"
        b"&c;&c;&c;&c;&c;&c;&c;'><!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'><!ENTITY f '&e;&e;"
        b"&e;&e;&e;&e;&e;&e;&e;&e;'><!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>]>"
        b"<clientConfig><emailProvider><displayName>&g;</displayName></emailProvider>"
        b"</clientConfig>",
        b"<clientConfig>" + b" " * (ispdb.MAX_DOCUMENT + 1) + b"</clientConfig>",
    ],
)
def test_unusable_documents_give_nothing_and_never_raise(document: bytes) -> None:
    assert ispdb.parse(document, "a@example.jp", source="t") is None
