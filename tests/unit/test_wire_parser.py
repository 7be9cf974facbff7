"""The connection's one reader parses what imapclient's parser parses, the same way.

The wire (imap/wire.py + imap/tokens.py) replaced imapclient on every command
after login, so its tokenizer is checked against imapclient's own response
parser on generated responses: atoms, numbers, quoted strings with escapes,
literals holding any bytes, NIL and nested lists; and whole FETCH responses
as :mod:`mailwise_desktop.imap.commands` hands them to the callers.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from imapclient.response_parser import parse_fetch_response, parse_response

from mailwise_desktop.imap.commands import fetch_data
from mailwise_desktop.imap.tokens import tokenize
from mailwise_desktop.imap.wire import Wire

BOUNDED = settings(max_examples=120, deadline=None)

# An item: ("atom", b), ("quoted", b), ("literal", b), ("nil",), ("list", [items])
_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
atoms = st.builds(
    lambda lead, first, rest: lead + first + rest,
    st.sampled_from([b"", b"\\", b"$"]),
    st.sampled_from([bytes([c]) for c in _LETTERS if c not in b"nN"]),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789.-_", max_size=6).map(str.encode),
)
quoted = st.binary(max_size=12).map(lambda b: bytes(c for c in b if 0x20 <= c < 0x7F))
literals = st.binary(max_size=40)
items = st.recursive(
    st.one_of(
        atoms.map(lambda a: ("atom", a)),
        st.integers(0, 2**40).map(lambda n: ("atom", str(n).encode())),
        quoted.map(lambda q: ("quoted", q)),
        literals.map(lambda b: ("literal", b)),
        st.just(("nil",)),
    ),
    lambda children: st.lists(children, max_size=4).map(lambda xs: ("list", xs)),
    max_leaves=12,
)


def serialise(parts: list[Any]) -> list[bytes]:
    """Alternating text/literal segments, as the wire reads them off the socket."""
    segments: list[bytes] = [b""]

    def text(data: bytes) -> None:
        segments[-1] += data

    def emit(item: Any, first: bool) -> None:
        if not first:
            text(b" ")
        kind = item[0]
        if kind == "atom":
            text(item[1])
        elif kind == "nil":
            text(b"NIL")
        elif kind == "quoted":
            text(b'"' + item[1].replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"')
        elif kind == "literal":
            text(b"{%d}" % len(item[1]))
            segments.extend([item[1], b""])
        else:
            text(b"(")
            for i, child in enumerate(item[1]):
                emit(child, i == 0)
            text(b")")

    for i, part in enumerate(parts):
        emit(part, i == 0)
    return segments


def imaplib_form(segments: list[bytes]) -> list[Any]:
    """The same response as imaplib hands it to imapclient: (text, literal) tuples."""
    out: list[Any] = []
    for i in range(0, len(segments) - 1, 2):
        out.append((segments[i], segments[i + 1]))
    out.append(segments[-1])
    return [o for o in out if o != b""]


def as_tuples(token: Any) -> Any:
    return tuple(as_tuples(t) for t in token) if isinstance(token, list) else token


def as_bytes(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(as_bytes(v) for v in value)
    return str(value).encode() if isinstance(value, int) else value


@BOUNDED
@given(st.lists(items, min_size=1, max_size=6))
def test_tokenizer_matches_imapclient_on_generated_responses(parts: list[Any]) -> None:
    segments = serialise(parts)
    # Tokens keep numbers as bytes (callers know which items are numeric);
    # imapclient turns them into ints: compare with its numbers written back.
    assert as_tuples(tokenize(segments)) == as_bytes(parse_response(imaplib_form(segments)))


fetch_flags = st.lists(atoms.map(lambda a: b"\\" + a.lstrip(b"\\")) | atoms, max_size=4)


@BOUNDED
@given(
    seq=st.integers(1, 10**6),
    uid=st.integers(1, 2**32 - 1),
    flags=fetch_flags,
    modseq=st.integers(1, 2**63 - 1),
    body=literals,
    size=st.integers(0, 10**9),
    order=st.permutations(range(5)),
)
def test_fetch_items_match_imapclient(
    seq: int, uid: int, flags: list[bytes], modseq: int, body: bytes, size: int, order: list[int]
) -> None:
    pieces: list[list[bytes]] = [
        [b"UID %d" % uid],
        [b"FLAGS (" + b" ".join(flags) + b")"],
        [b"MODSEQ (%d)" % modseq],
        [b"RFC822.SIZE %d" % size],
        [b"BODY[] {%d}" % len(body), body, b""],
    ]
    segments = [b"%d FETCH (" % seq]
    for n, index in enumerate(order):
        piece = pieces[index]
        segments[-1] += (b" " if n else b"") + piece[0]
        segments.extend(piece[1:])
    segments[-1] += b")"
    ours = fetch_data([tokenize(segments)])
    # imaplib hands imapclient "N (...)": the word FETCH is already taken off.
    imaplib_segments = [segments[0].replace(b" FETCH ", b" ", 1), *segments[1:]]
    theirs = parse_fetch_response(imaplib_form(imaplib_segments), uid_is_key=True)
    # With UIDs as keys imapclient drops the UID item; so does the comparison.
    assert {k: {i: v for i, v in d.items() if i != b"UID"} for k, d in ours.items()} == {
        k: dict(v) for k, v in theirs.items()
    }


def test_wire_reads_a_literal_split_across_packets_and_owns_the_tags() -> None:
    """One reader: tags of its own (no imaplib counter), literals reassembled."""
    server, client = socket.socketpair()
    sent: list[bytes] = []

    def serve() -> None:
        data = server.recv(1024)
        sent.append(data)
        tag = data.split(b" ")[0]
        for chunk in (b"* 1 FETCH (UID 9 BODY[] {5}\r\nab", b"cde)\r\n", tag + b" OK done\r\n"):
            server.sendall(chunk)

    thread = threading.Thread(target=serve)
    thread.start()
    wire = Wire(client)
    response = wire.command(b"UID FETCH 9 (BODY.PEEK[])")
    thread.join()
    assert sent == [b"M1 UID FETCH 9 (BODY.PEEK[])\r\n"]
    assert response.ok and fetch_data(response.untagged)[9][b"BODY[]"] == b"abcde"
    server.close()
    client.close()


def test_envelope_matches_imapclient() -> None:
    text = (
        b'3 FETCH (UID 8 ENVELOPE ("Tue, 1 Dec 2026 10:42:00 +0900" {9}',
        "件名".encode() + b"\r\n\x01",
        b' (("Sato" NIL "sato" "example.jp")) NIL NIL (("" NIL "a" "b")("123" NIL "c" "d")) '
        b'NIL NIL NIL "<m1@example.jp>"))',
    )
    ours = fetch_data([tokenize(list(text))])
    theirs = parse_fetch_response(
        [(text[0].replace(b" FETCH ", b" ", 1), text[1]), text[2]], uid_is_key=True
    )
    assert ours[8][b"ENVELOPE"] == theirs[8][b"ENVELOPE"]
    assert ours[8][b"ENVELOPE"].from_[0].mailbox == b"sato"
