"""Building the outgoing message: reply subject, recipients, quote, MIME.

UTF-8 by default (SENDING.md "Encoding"): base64 text for Japanese, RFC 2047
UTF-8 encoded words in headers, RFC 2231 file names, ``In-Reply-To`` and
``References`` from the original. Every header value is checked for CR, LF
and other control characters *here*: the Python this app ships with (3.11.7)
lacks the gh-121650 fix, so the standard library would re-serialise an
encoded newline into a new header.
"""

from __future__ import annotations

import email.policy
import mimetypes
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address as MimeAddress
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import idna

from mailwise_desktop.core.errors import BlockedError, UsageError
from mailwise_desktop.mail.addresses import parse_address_list
from mailwise_desktop.send.draft import Draft, Recipient
from mailwise_desktop.send.line_wrap import wrap_text

_POLICY = email.policy.SMTP  # CRLF, RFC 2047 for non-ASCII headers
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|antw|返信|返)\s*(?:\[\d+\])?\s*[:：]\s*)+", re.I)
_FORWARD_PREFIX = re.compile(r"^\s*(?:(?:fwd?|転送)\s*[:：]\s*)+", re.I)
MAX_REFERENCES = 20


def check_header_value(what: str, value: str) -> str:
    """``value`` unchanged if it is safe in a header, else refuse.

    Raises:
        BlockedError: a line break or another control character (header injection).
    """
    for char in value:
        if char in "\r\n" or (unicodedata.category(char) == "Cc" and char != "\t"):
            raise BlockedError(
                f"The {what} contains a line break or a control character and cannot be sent.",
                detail=repr(value[:200]),
            )
        if char in "\u2028\u2029\x85":
            raise BlockedError(f"The {what} contains a line separator and cannot be sent.")
    return value


def reply_subject(subject: str) -> str:
    """``Re: subject`` without stacking prefixes (``Re: Re: 返信: …``)."""
    return "Re: " + _REPLY_PREFIX.sub("", subject).strip()


def forward_subject(subject: str) -> str:
    return "Fwd: " + _FORWARD_PREFIX.sub("", subject).strip()


def parse_recipients(value: str) -> tuple[Recipient, ...]:
    """Recipients typed by a user: ``a@x, 山田 <b@y>`` (refuses line breaks)."""
    check_header_value("recipient list", value)
    out = []
    for address in parse_address_list(value):
        if address.email:
            out.append(Recipient(address.name, address.email))
    return tuple(out)


def quote_text(text: str, *, header: str) -> str:
    """The original's text quoted with ``> ``, under an attribution line."""
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return header + "\n" + "\n".join(("> " + line) if line else ">" for line in lines)


def attribution(sender: str, when: datetime | None, language: str) -> str:
    """ "On <date>, <sender> wrote:" in the draft's language."""
    from mailwise_desktop.templates.variables import format_date

    stamp = ""
    if when is not None:
        local = when.astimezone() if when.tzinfo else when
        stamp = f"{format_date(local, language)} {local:%H:%M}"
    if language == "ja":
        return f"{stamp} {sender} さんは書きました:".strip()
    return f"On {stamp}, {sender} wrote:" if stamp else f"{sender} wrote:"


def references_for(references: Sequence[str], message_id: str | None) -> tuple[str, ...]:
    """The new References: the original's chain plus its own id, root and newest kept."""
    chain = [r for r in references if r]
    if message_id and message_id not in chain:
        chain.append(message_id)
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return tuple(chain)


def new_message_id(from_address: str) -> str:
    """A fresh Message-ID (without ``<>``) in the sending domain."""
    domain = from_address.rpartition("@")[2] or "mailwise.invalid"
    return make_msgid(idstring="mw", domain=_ascii_domain(domain)).strip("<>")


def _ascii_domain(domain: str) -> str:
    try:
        return idna.encode(domain.strip().casefold(), uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise UsageError(f"{domain!r} is not a valid mail domain.") from exc


def _mime_address(recipient: Recipient) -> MimeAddress:
    check_header_value("display name", recipient.name)
    local, at, domain = check_header_value("address", recipient.email.strip()).rpartition("@")
    if not at or not local or not local.isascii() or any(c in local for c in ' <>(),;:"\\'):
        raise UsageError(f"{recipient.email!r} is not an e-mail address that can be sent to.")
    return MimeAddress(display_name=recipient.name, username=local, domain=_ascii_domain(domain))


@dataclass(frozen=True)
class FileData:
    """An attachment's bytes as read for sending."""

    filename: str
    content_type: str
    data: bytes


def guess_type(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def full_text(draft: Draft, *, wrap_columns: int = 0, signature: str = "") -> str:
    """The text as sent: the new text, then the quoted original.

    Args:
        draft: the draft.
        wrap_columns: long lines are wrapped at this many display columns
            (``send/line_wrap.py``; quoted lines and the signature stay as
            they are); 0 sends the lines as typed.
        signature: the sender's signature, sent as designed (not wrapped).
    """
    body = draft.body.rstrip("\n")
    if draft.quoted:
        body = f"{body}\n\n{draft.quoted}" if body else draft.quoted
    return wrap_text(body, wrap_columns, signature=signature) + "\n"


def build_message(
    draft: Draft,
    files: Iterable[FileData],
    *,
    message_id: str,
    date: datetime | None = None,
    wrap_columns: int = 0,
    signature: str = "",
) -> bytes:
    """The complete RFC 5322 message for ``draft`` (CRLF line endings).

    Bcc recipients are *not* written into the message (only into the envelope).
    ``wrap_columns`` and ``signature`` wrap the text as :func:`full_text` does.

    Raises:
        BlockedError: a header value tries to inject a header.
        UsageError: an address cannot be sent to.
    """
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = _mime_address(Recipient(draft.from_name, draft.from_address))
    if draft.to:
        msg["To"] = [_mime_address(r) for r in draft.to]
    if draft.cc:
        msg["Cc"] = [_mime_address(r) for r in draft.cc]
    msg["Subject"] = check_header_value("subject", draft.subject)
    msg["Date"] = format_datetime((date or datetime.now()).astimezone())
    msg["Message-ID"] = f"<{check_header_value('Message-ID', message_id)}>"
    if draft.in_reply_to:
        msg["In-Reply-To"] = f"<{check_header_value('In-Reply-To', draft.in_reply_to)}>"
    refs = [check_header_value("References", r) for r in draft.references]
    if refs:
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg["X-Mailer"] = "Mailwise Desktop"
    text = full_text(draft, wrap_columns=wrap_columns, signature=signature)
    long_lines = any(len(line.encode("utf-8")) > 900 for line in text.split("\n"))
    cte = "base64" if not text.isascii() else ("quoted-printable" if long_lines else "7bit")
    msg.set_content(text, subtype="plain", charset="utf-8", cte=cte)
    for file in files:
        check_header_value("file name", file.filename)
        maintype, _, subtype = file.content_type.partition("/")
        msg.add_attachment(
            file.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=file.filename,
        )
    return msg.as_bytes(policy=_POLICY)


def encoded_size(raw_size: int) -> int:
    """The size of ``raw_size`` bytes once base64-encoded with CRLF every 76 characters."""
    chars = 4 * ((raw_size + 2) // 3)
    return chars + 2 * ((chars + 75) // 76)
