"""What a conditional STORE or a FLAGS fetch answered, read from the wire's tokens.

The compare-and-set reads exactly the untagged responses of its own command
(:class:`~.wire.Response`), so nothing from an earlier command can make it
believe it won: each helper here looks at one response only.
"""

from __future__ import annotations

from typing import Any

from mailwise_desktop.imap.commands import fetch_value
from mailwise_desktop.imap.tokens import Token, fetch_items
from mailwise_desktop.imap.tokens import parse_uid_set as _uid_list
from mailwise_desktop.imap.wire import Response


def fetches_for(untagged: list[list[Token]], uid: int) -> list[dict[bytes, Any]]:
    """The FETCH data items that name ``uid`` explicitly, in the order they came.

    Responses without a ``UID`` item are skipped: their number is a sequence
    number, and mistaking it for a UID would attribute someone else's change to
    our message.
    """
    found: list[dict[bytes, Any]] = []
    for tokens in untagged:
        parsed = fetch_items(tokens)
        if parsed is None:
            continue
        data = {key: fetch_value(key, value) for key, value in parsed[1].items()}
        if data.get(b"UID") == uid:
            found.append(data)
    return found


def modseq_of(data: dict[bytes, Any]) -> int | None:
    """The ``MODSEQ`` in one FETCH (given as ``(n,)``), if any."""
    value = data.get(b"MODSEQ")
    if isinstance(value, tuple) and value:
        return int(value[0])
    if isinstance(value, int):
        return value
    return None


def vanished(untagged: list[list[Token]]) -> set[int]:
    """The UIDs of ``* VANISHED [(EARLIER)] set`` responses (QRESYNC)."""
    uids: set[int] = set()
    for tokens in untagged:
        if tokens and tokens[0] == b"VANISHED" and isinstance(tokens[-1], bytes):
            uids.update(_uid_list(tokens[-1]))
    return uids


def modified(response: Response) -> bool:
    """Whether the server said ``[MODIFIED set]``: an UNCHANGEDSINCE test failed."""
    if b"[MODIFIED" in response.text.upper():
        return True
    return any(
        tokens
        and tokens[0] == b"OK"
        and isinstance(tokens[1], list)
        and tokens[1][:1] == [b"MODIFIED"]
        for tokens in response.untagged
        if len(tokens) > 1
    )


def parse_uid_set(text: bytes | str) -> set[int]:
    """Expand an IMAP sequence set such as ``1,4:6`` (``VANISHED``, ``MODIFIED``).

    A leading ``(EARLIER)`` tag is ignored; malformed parts are skipped.
    """
    raw = text.encode("ascii", "replace") if isinstance(text, str) else text
    raw = raw.strip()
    if raw.upper().startswith(b"(EARLIER)"):
        raw = raw[len(b"(EARLIER)") :].strip()
    return set(_uid_list(raw))
