"""The hostile mailbox: a few hundred broken, truncated, mis-labelled, oversized and nasty mails.

Built at fixture time from the public test mails in ``tests/hostile_corpus/``
(see its SOURCES.md) and bytes made here, so the repository holds about
180 KB. Every item has a stable name (``mail_gem/…``, ``cut/…``, ``label/…``,
``word/…``, ``mime/…``, ``big/…``, ``nasty/…``); :func:`hostile_mails`
yields ``(name, raw)`` and :func:`hostile_records` the team-mailbox records.
The same seed always gives the same bytes.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "hostile_corpus"
JA = "請求書の再発行についてお問い合わせです。①㈱～髙"
HEAD = (
    b"From: sender@example.jp\r\nTo: support@example.jp\r\n"
    b"Date: Tue, 01 Dec 2026 10:00:00 +0900\r\n"
)


def public_mails() -> list[tuple[str, bytes]]:
    """The public parser-suite mails, byte for byte."""
    return [(f"mail_gem/{p.name}", p.read_bytes()) for p in sorted(CORPUS.glob("mail_gem/*.eml"))]


def _mail(name: str, headers: bytes, body: bytes) -> tuple[str, bytes]:
    ident = name.replace("/", "-").encode()
    return (
        name,
        HEAD + b"Message-ID: <" + ident + b"@hostile.example>\r\n" + headers + b"\r\n" + body,
    )


def truncated(public: list[tuple[str, bytes]], rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Each public mail cut once, in turn in its headers or its body (a dropped download)."""
    for n, (name, raw) in enumerate(public):
        split = raw.find(b"\n\n") if b"\r\n\r\n" not in raw else raw.find(b"\r\n\r\n")
        split = split if split > 2 else len(raw) // 2
        if n % 2 or len(raw) - split <= 4:
            yield f"cut/head/{name}", raw[: rng.randrange(1, split)]
        else:
            yield f"cut/body/{name}", raw[: rng.randrange(split + 2, len(raw) - 1)]


def mislabelled() -> Iterator[tuple[str, bytes]]:
    """Text in one charset labelled as another, or as nothing anyone knows."""
    encodings = ("cp932", "euc_jp", "iso2022_jp_ext", "utf-8", "utf-16-le", "latin-1")
    labels = (
        "utf-8",
        "shift_jis",
        "euc-jp",
        "iso-2022-jp",
        "us-ascii",
        "utf-16",
        "utf-7",
        "x-unknown-charset",
        "",
        '"',
        "utf-8\x00",
        "windows-1252; charset=koi8-r",
    )
    for enc in encodings:
        body = JA.encode(enc, errors="replace")
        for label in labels:
            cte = b"8bit" if enc != "utf-16-le" else b"binary"
            yield _mail(
                f"label/{enc}-as-{label.encode().hex()}",
                b"Subject: mislabelled\r\nMIME-Version: 1.0\r\n"
                b'Content-Type: text/plain; charset="' + label.encode() + b'"\r\n'
                b"Content-Transfer-Encoding: " + cte + b"\r\n",
                body + b"\r\n",
            )
    # Raw 8-bit headers in every charset, with no encoded-words at all.
    for enc in encodings:
        name = JA.encode(enc, errors="replace")
        yield _mail(
            f"label/raw-header-{enc}",
            b"Subject: " + name + b"\r\nX-Name: " + name + b"\r\n",
            b"x\r\n",
        )


WORDS = [
    b"=?utf-8?B?\xe9?=",
    b"=?utf-8?B?====?=",
    b"=?utf-8?B?5pel5pys?= =?utf-8?B?\xff\xfe?=",
    b"=?utf-8?Q?=E6=97=A5=E6=9C?=",
    b"=?utf-8?Q?=ZZ=0?=",
    b"=?iso-2022-jp?B?GyRCQmpMPnZeGyhC?=",
    b"=?iso-2022-jp?B?GyRCJCIkJA==?=",  # escape never closed
    b"=?shift_jis?B?gqCCog==?= =?euc-jp?B?pKKkpA==?=",
    b"=?x-bogus?B?YWJj?=",
    b"=?utf-8*ja?B?5pel5pys?=",
    b"=?utf-8?X?abc?=",
    b"=?=?=?=?=?=?=",
    b"=?utf-8?B?" + b"A" * 100_000 + b"?=",
    b" ".join([b"=?utf-8?B?5pel?="] * 20_000),
    b"=?utf-16?B?//5lZQ==?=",
    b"=?utf-8?B?4oCu?= reversed \xe2\x80\xae txt.exe",
    b"<b>bold</b> <img src=http://track.example/x.png> &amp;",
    b"line1\r\n\tline2\r\n \r\n\t",
    b"\x00\x01\x02\x1b[31mred\x1b[0m",
]


def encoded_words() -> Iterator[tuple[str, bytes]]:
    """Encoded-words that are broken, lying, endless or markup, in Subject, From and a filename."""
    for n, word in enumerate(WORDS):
        yield _mail(f"word/subject-{n}", b"Subject: " + word + b"\r\n", b"x\r\n")
        yield _mail(
            f"word/from-{n}",
            b"Subject: from " + str(n).encode() + b"\r\nReply-To: " + word + b" <a@b>\r\n"
            b"Cc: " + word + b"\r\n",
            b"x\r\n",
        )
        yield _mail(
            f"word/filename-{n}",
            b"Subject: attachment name " + str(n).encode() + b"\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n',
            b"--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\n"
            b'Content-Type: application/octet-stream; name="' + word + b'"\r\n'
            b"Content-Disposition: attachment; filename*0*=utf-8''%E6%97; filename*1*=%A5"
            + word[:200]
            + b"\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD\r\n--b--\r\n",
        )


def _nested(depth: int, kind: bytes = b"mixed") -> bytes:
    head = b"".join(
        b"--b%d\r\nContent-Type: multipart/%s; boundary=b%d\r\n\r\n" % (i, kind, i + 1)
        for i in range(depth)
    )
    return head + b"--b%d\r\nContent-Type: text/plain\r\n\r\ndeep\r\n" % depth


def mime_structures() -> Iterator[tuple[str, bytes]]:
    """Multipart trees that are deep, wide, unterminated or self-contradictory."""
    top = b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b0\r\n"
    for depth in (50, 500, 3000):
        yield _mail(f"mime/deep-{depth}", b"Subject: deep\r\n" + top, _nested(depth))
    yield _mail(
        "mime/deep-alternative", b"Subject: deep alt\r\n" + top, _nested(300, b"alternative")
    )
    wide = b"".join(b"--b0\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(5000))
    yield _mail("mime/wide-5000", b"Subject: wide\r\n" + top, wide + b"--b0--\r\n")
    rfc822 = b"Subject: inner\r\n\r\ninner\r\n"
    for _ in range(200):
        rfc822 = b"Subject: wrap\r\nContent-Type: message/rfc822\r\n\r\n" + rfc822
    yield _mail(
        "mime/rfc822-200", b"Subject: rfc822 stack\r\nContent-Type: message/rfc822\r\n", rfc822
    )
    shapes = {
        "no-boundary": b"Content-Type: multipart/mixed\r\n",
        "empty-boundary": b'Content-Type: multipart/mixed; boundary=""\r\n',
        "long-boundary": b"Content-Type: multipart/mixed; boundary=" + b"x" * 5000 + b"\r\n",
        "never-closed": top,
        "type-garbage": b"Content-Type: ;;;===;;\x7f/\x80\r\n",
        "type-text-multipart": b"Content-Type: text/multipart; boundary=b0\r\n",
        "two-types": b"Content-Type: text/html\r\nContent-Type: multipart/mixed; boundary=b0\r\n",
        "cte-garbage": b"Content-Type: text/plain\r\nContent-Transfer-Encoding: x-\xff-uuencode;;\r\n",
        "bad-base64": b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n",
        "bad-qp": b"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n",
        "html-only-script": b"Content-Type: text/html; charset=utf-8\r\n",
        "params-100k": b"Content-Type: text/plain;" + b" a=b;" * 20_000 + b"\r\n",
    }
    body = (
        b"--b0\r\nContent-Type: text/plain\r\n\r\nhello =ZZ ===\r\n!!!!@@@@====\r\n"
        b"<script>alert(1)</script><a href='javascript:alert(1)'>x</a>"
        b"<img src='http://tracker.example/p.gif'><iframe src=data:text/html,x></iframe>\r\n"
        b"--b0\r\nContent-Type: application/x-msdownload; name=invoice.pdf.exe\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nTVqQ====%%%%\r\n"
    )
    for name, headers in shapes.items():
        yield _mail(
            f"mime/{name}",
            b"Subject: " + name.encode() + b"\r\nMIME-Version: 1.0\r\n" + headers,
            body,
        )


def oversized(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Too big in every direction: one attachment, one line, many headers, a huge header."""
    blob = base64.encodebytes(rng.randbytes(3_000_000))
    yield _mail(
        "big/attachment-3mb",
        b'Subject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
        b"--b\r\nContent-Type: text/plain\r\n\r\nsee\r\n--b\r\n"
        b"Content-Type: application/zip; name=big.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + blob
        + b"--b--\r\n",
    )
    yield _mail("big/one-line-2mb", b"Subject: one line\r\n", b"A" * 2_000_000)
    yield _mail("big/headers-20k", b"".join(b"X-H%d: v\r\n" % i for i in range(20_000)), b"x\r\n")
    yield _mail("big/subject-1mb", b"Subject: " + b"S" * 1_000_000 + b"\r\n", b"x\r\n")
    many = b", ".join(b"user%d@example.com" % i for i in range(20_000))
    yield _mail("big/to-20k", b"Subject: many recipients\r\nCc: " + many + b"\r\n", b"x\r\n")
    refs = b" ".join(b"<r%d@x>" % i for i in range(20_000))
    yield _mail("big/references-20k", b"Subject: refs\r\nReferences: " + refs + b"\r\n", b"x\r\n")
    yield _mail("big/html-2mb", b"Subject: html\r\nContent-Type: text/html\r\n", b"<div>" * 400_000)


DATES = [
    b"31 Dec 9999 23:00:00 -0200",
    b"01 Jan 0001 00:00:00 +0000",
    b"Mon, 32 Foo 2026 99:99:99",
    b"-1",
    b"1e400",
    b"Tue, 01 Dec 2026 10:00:00 +9999",
    b"",
    b"\xff\xfe",
    b"29 Feb 2025 10:00 +0900",
    b"Tue, 01 Dec 1969 23:59:59 -1200",
    b"99999999999999999999",
]


def nasty(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Control bytes, broken line ends, lying dates and addresses, loops, carrier emoji."""
    for n, date in enumerate(DATES):
        yield (
            f"nasty/date-{n}",
            (
                b"From: a@b\r\nSubject: date "
                + str(n).encode()
                + b"\r\nDate: "
                + date
                + b"\r\n\r\nx\r\n"
            ),
        )
    yield "nasty/no-headers", b"\r\njust a body\r\n"
    yield "nasty/empty-ish", b"\r\n"
    yield "nasty/nul-bytes", HEAD + b"Subject: nul\x00byte\r\n\r\nbody\x00\x00\x00\r\n"
    yield "nasty/bare-cr", HEAD.replace(b"\r\n", b"\r") + b"Subject: cr\r\rbody\r"
    yield "nasty/lf-only", HEAD.replace(b"\r\n", b"\n") + b"Subject: lf\n\nbody\n"
    yield "nasty/header-no-colon", HEAD + b"This is not a header\r\nSubject: after\r\n\r\nx\r\n"
    yield "nasty/space-before-colon", HEAD + b"Subject : spaced\r\nFrom : x@y\r\n\r\nx\r\n"
    yield "nasty/continuation-first", b" folded first\r\n" + HEAD + b"Subject: x\r\n\r\nx\r\n"
    yield "nasty/random-bytes", rng.randbytes(4000)
    yield (
        "nasty/binary-headers",
        b"Subject: " + rng.randbytes(300).replace(b"\n", b"") + b"\r\n\r\nx",
    )
    for n, addr in enumerate(
        [
            b"<>",
            b"@",
            b'"unterminated <a@b>',
            b"a@b@c",
            b"=?utf-8?B?\xe9?= <x@y>",
            b"group: ;",
            b"(((((((((((x",
            b"a@[1.2.3",
            b"\xe6\x97\xa5@\xe6\x9c\xac.jp",
            b'"evil@bank.example" <attacker@evil.example>',
        ]
    ):
        yield _mail(f"nasty/from-{n}", b"Subject: from\r\nSender: " + addr + b"\r\n", b"x\r\n")
        yield f"nasty/only-from-{n}", b"From: " + addr + b"\r\nSubject: only from\r\n\r\nx\r\n"
    yield _mail(
        "nasty/reply-loop-a",
        b"Subject: loop\r\nIn-Reply-To: <nasty-reply-loop-b@hostile.example>\r\n",
        b"a",
    )
    yield _mail(
        "nasty/reply-loop-b",
        b"Subject: loop\r\nIn-Reply-To: <nasty-reply-loop-a@hostile.example>\r\n",
        b"b",
    )
    yield _mail(
        "nasty/self-reference",
        b"Subject: self\r\nReferences: <nasty-self-reference@hostile.example>\r\n",
        b"x",
    )
    for n in range(3):
        yield _mail(
            f"nasty/dup-id-{n}", b"Message-ID: <same@hostile.example>\r\nSubject: dup\r\n", b"x"
        )
    # Carrier emoji: docomo and au Shift_JIS, au's ISO-2022-JP rows, SoftBank Shift_JIS.
    yield _mail(
        "nasty/emoji-sjis",
        b"Subject: emoji\r\nContent-Type: text/plain; charset=shift_jis\r\n",
        b"\x82\xa0\xf8\x9f\xf6\x59\xf9\x8b\xfb\xfc\r\n",
    )
    yield _mail(
        "nasty/emoji-jis",
        b"Subject: =?iso-2022-jp?B?GyRCQmpMPnZeGyhC?=\r\n"
        b"Content-Type: text/plain; charset=iso-2022-jp\r\n",
        b"\x1b$BBjL>v^u:\x1b(B\r\n",
    )
    yield _mail("nasty/lying-length", b"Subject: length\r\nContent-Length: 99999999\r\n", b"short")
    yield _mail(
        "nasty/rtl-filename",
        b'Subject: rtl\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
        b'--b\r\nContent-Disposition: attachment; filename="inv\xe2\x80\xaefdp.exe"\r\n\r\nMZ\r\n--b--',
    )


def hostile_mails(seed: int = 9) -> list[tuple[str, bytes]]:
    """Every hostile mail, in a stable order."""
    rng = random.Random(seed)
    public = public_mails()
    return [
        *public,
        *truncated(public, rng),
        *mislabelled(),
        *encoded_words(),
        *mime_structures(),
        *oversized(rng),
        *nasty(rng),
    ]


def _record(kind: str, body: bytes, n: int, *, extra: bytes = b"") -> bytes:
    return (
        b"From: attacker@example.jp\r\nSubject: [mailwise] hostile\r\n"
        b"Date: Tue, 01 Dec 2026 10:00:00 +0900\r\nMessage-ID: <rec-%d@hostile.example>\r\n"
        b"X-Mailwise-Kind: %s\r\nX-Mailwise-Target: hostile-%d@example.jp\r\n"
        b"X-Mailwise-Actor: sato\r\nX-Mailwise-Version: 1\r\n%s"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
    ) % (n, kind.encode(), n, extra, body)


def hostile_records() -> list[bytes]:
    """Team-mailbox records of every kind that are too deep, too big, mistyped or not JSON."""
    kinds = ("event", "note", "template", "roster", "policy", "approval-rules", "approval", "bogus")
    bodies = [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"not json",
        b"\xff\xfe\x00",
        b"null",
        b"[1, 2, 3]",
        b'"a string"',
        json.dumps({"x": "y" * 70_000}).encode(),
        b"{" * 10 + b"broken",
        json.dumps(
            {
                k: [1, {"x": None}]
                for k in (
                    "name",
                    "body",
                    "to",
                    "size_limit",
                    "operation",
                    "slot",
                    "id",
                    "text",
                    "rules",
                    "from",
                )
            }
        ).encode(),
        b"1e999999",
        b'{"created": 1e308, "operation": "claim"}',
    ]
    records = []
    for k, kind in enumerate(kinds):
        for b, body in enumerate(bodies):
            records.append(_record(kind, body, k * 100 + b))
    records.append(
        _record("note", b"{}", 9000, extra=b"X-Mailwise-Version: 999999999999999999999\r\n")
    )
    records.append(_record("note", b"{}", 9001, extra=b"Content-Transfer-Encoding: base64\r\n"))
    records.append(b"X-Mailwise-Kind: event\r\n\r\n" + b"{" * 30)
    return records
