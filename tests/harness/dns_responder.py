"""A tiny authoritative DNS responder on loopback UDP, for SRV and MX look-ups in tests.

:attr:`DnsResponder.records` maps ``(name, type)`` to record texts in zone-file
form (``"0 1 993 imap.example.test."`` for SRV, ``"10 mx.example.test."`` for
MX). A name with no record at all is NXDOMAIN; a known name without the asked
type is an empty answer. :meth:`resolver` is a dnspython resolver that asks
only this responder.
"""

from __future__ import annotations

import socket
import threading

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.rrset

from tests.harness.dovecot import HOST


class DnsResponder:
    """``with DnsResponder() as dns_server:`` answers on ``HOST:port`` in a thread."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}
        self.queries: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((HOST, 0))
        self._sock.settimeout(0.2)
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def add(self, name: str, kind: str, *texts: str) -> None:
        self.records.setdefault((_fqdn(name), kind.upper()), []).extend(texts)

    def resolver(self) -> dns.resolver.Resolver:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [HOST]
        resolver.port = self.port
        resolver.lifetime = 5
        return resolver

    def __enter__(self) -> DnsResponder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self._sock.recvfrom(4096)
            except (TimeoutError, OSError):
                continue
            try:
                query = dns.message.from_wire(wire)
            except Exception:  # not a DNS message: ignore like a real server
                continue
            self._sock.sendto(self._answer(query).to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text()
        kind = dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, kind))
        texts = self.records.get((name, kind))
        if texts:
            response.answer.append(dns.rrset.from_text(name, 60, "IN", kind, *texts))
        elif not any(known == name for known, _ in self.records):
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response


def _fqdn(name: str) -> str:
    return name if name.endswith(".") else name + "."
