"""Throwaway certificate authorities and server certificates (trustme).

The test CA is never in the system trust store, so a client that is not given
:attr:`ServerCertificates.ca_file` refuses the server: that is how the tests
prove an untrusted certificate is refused.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme

LOOPBACK_NAMES = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class ServerCertificates:
    """PEM files of one test CA and one server certificate it issued.

    Attributes:
        ca_file: the CA certificate; a client trusting it accepts the server.
        cert_file: the server certificate followed by its chain.
        key_file: the server's private key (unencrypted).
        fingerprint_sha256: SHA-256 of the server certificate (DER) as ``AB:CD:…``.
    """

    ca: trustme.CA
    server: trustme.LeafCert
    ca_file: Path
    cert_file: Path
    key_file: Path
    fingerprint_sha256: str

    def server_context(self) -> ssl.SSLContext:
        """An SSL context for a test server presenting this certificate."""
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.server.configure_cert(ctx)
        return ctx


def make_server_certificates(
    directory: Path, *, names: tuple[str, ...] = LOOPBACK_NAMES, prefix: str = ""
) -> ServerCertificates:
    """Create a fresh CA and a server certificate for ``names`` in ``directory``.

    Args:
        directory: where the PEM files are written (must exist).
        names: host names / IP addresses the certificate is valid for.
        prefix: prepended to the file names, to keep several sets apart.
    """
    ca = trustme.CA()
    server = ca.issue_cert(*names)
    ca_file = directory / f"{prefix}ca.pem"
    cert_file = directory / f"{prefix}cert.pem"
    key_file = directory / f"{prefix}key.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    # Dovecot and aiosmtpd send what is in the cert file: the leaf and its chain.
    cert_file.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
    server.private_key_pem.write_to_path(str(key_file))
    der = ssl.PEM_cert_to_DER_cert(server.cert_chain_pems[0].bytes().decode("ascii"))
    digest = hashlib.sha256(der).hexdigest().upper()
    fingerprint = ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
    return ServerCertificates(ca, server, ca_file, cert_file, key_file, fingerprint)


def make_unrelated_ca_file(path: Path) -> Path:
    """Write the certificate of a CA that issued none of the test servers' certs.

    A client given this file as its extra CA must refuse every test server.
    """
    trustme.CA().cert_pem.write_to_path(str(path))
    return path
