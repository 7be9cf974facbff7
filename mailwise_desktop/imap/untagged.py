"""Untagged responses imapclient leaves behind, popped and parsed.

imapclient (3.x and 4.x) does not understand CONDSTORE's ``[MODIFIED ...]``,
QRESYNC's ``VANISHED`` or unsolicited ``FETCH``: imaplib files them in
``client._imap.untagged_responses`` and nothing ever clears them. A stale
``FETCH`` left there would make the next compare-and-set believe it won, so the
compare-and-set pops them before and after each command it sends.
"""

from __future__ import annotations

from typing import Any

from imapclient import IMAPClient
from imapclient.response_parser import parse_fetch_response

#: The untagged responses a conditional STORE or a FLAGS fetch can produce.
CAS_RESPONSES: tuple[str, ...] = ("MODIFIED", "FETCH", "VANISHED")


def pop_untagged(
    client: IMAPClient, names: tuple[str, ...] = CAS_RESPONSES
) -> dict[str, list[Any]]:
    """Remove and return the untagged responses called ``names``.

    Returns:
        name -> the raw entries imaplib collected (bytes, or tuples when a
        literal was involved); an empty list for a name that had none.
    """
    responses = client._imap.untagged_responses
    return {name: list(responses.pop(name, [])) for name in names}


def fetches_for(entries: list[Any], uid: int) -> list[dict[bytes, Any]]:
    """The parsed ``FETCH`` data items that name ``uid`` explicitly, in order.

    Entries without a ``UID`` item are skipped: their number is a sequence
    number, and mistaking it for a UID would attribute someone else's change to
    our message.
    """
    found: list[dict[bytes, Any]] = []
    for entry in entries:
        parsed = parse_fetch_response([entry], normalise_times=True, uid_is_key=False)
        found.extend(data for data in parsed.values() if data.get(b"UID") == uid)
    return found


def modseq_of(data: dict[bytes, Any]) -> int | None:
    """The ``MODSEQ`` in one parsed FETCH (imapclient gives ``(n,)``), if any."""
    value = data.get(b"MODSEQ")
    if isinstance(value, tuple) and value:
        return int(value[0])
    if isinstance(value, int):
        return value
    return None


def parse_uid_set(text: bytes | str) -> set[int]:
    """Expand an IMAP sequence set such as ``1,4:6`` (``VANISHED``, ``MODIFIED``).

    A leading ``(EARLIER)`` tag is ignored; ``*`` cannot appear in these responses.
    """
    raw = text.decode("ascii") if isinstance(text, bytes) else text
    raw = raw.strip()
    if raw.upper().startswith("(EARLIER)"):
        raw = raw[len("(EARLIER)") :].strip()
    uids: set[int] = set()
    for part in filter(None, raw.split(",")):
        low, _, high = part.partition(":")
        start, end = int(low), int(high or low)
        uids.update(range(min(start, end), max(start, end) + 1))
    return uids
