"""What crosses the Windows lane's Dovecot bridge (tests/harness/bridge.py) survives pickling."""

from __future__ import annotations

import pickle
from pathlib import Path

from tests.harness.bridge import _from_wire, _to_wire, windows_to_linux
from tests.harness.certs import make_server_certificates


def test_a_generator_argument_crosses_as_a_list() -> None:
    messages = (f"message {n}".encode() for n in range(3))
    wire = pickle.loads(pickle.dumps(_to_wire(("user1", messages))))
    assert _from_wire(wire, windows_to_linux) == (
        "user1",
        [b"message 0", b"message 1", b"message 2"],
    )


def test_server_certificates_cross_as_their_files_and_fingerprint(tmp_path: Path) -> None:
    certificates = make_server_certificates(tmp_path)
    wire = pickle.loads(pickle.dumps(_to_wire(certificates)))  # trustme's objects would not
    there = _from_wire(wire, Path)  # the lane maps paths to Z:\...; here they stay
    assert there.fingerprint_sha256 == certificates.fingerprint_sha256
    assert (there.ca_file, there.cert_file, there.key_file) == (
        certificates.ca_file,
        certificates.cert_file,
        certificates.key_file,
    )
