"""imapclient-shaped calls over a connection's one reader (:class:`~.wire.Wire`).

After login the app sends nothing through imapclient: the few calls the
services and the team mailbox make in imapclient's shape (``select_folder``,
``search``, ``fetch``, ``append``, ``add_flags``...) are served here, as
commands on the connection's :class:`~.wire.Wire`. They keep imapclient's
names and return shapes (dicts keyed by bytes, UIDs as ints, flags as bytes)
so call sites read as before, while the socket has one reader, one tag
counter and one record of the selected mailbox. A refusal raises
:class:`~.wire.RefusedError` (a ``ProtocolError`` that is also imapclient's
``IMAPClientError``); a dropped line, ``ConnectionLostError``.

Only UID commands exist here (``use_uid`` is always on).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from imapclient import imap_utf7
from imapclient.datetime_util import parse_to_datetime
from imapclient.response_types import Address, Envelope

from mailwise_desktop.imap.tokens import Token, compress_uid_set, fetch_items
from mailwise_desktop.imap.wire import RefusedError, Wire, mailbox_arg, quote

#: An IMAP atom (RFC 3501 ATOM-CHAR, plus ``\`` for flags): sent as is.
_ATOM = re.compile(rb"\\?[!#$&'+-Z^-z|}~]+")
_NUMERIC_ITEMS = frozenset({b"UID", b"RFC822.SIZE", b"SEQ"})

FetchData = dict[bytes, Any]


def _number(token: Token) -> int | None:
    return int(token) if isinstance(token, bytes) and token.isdigit() else None


def as_value(token: Token) -> Any:
    """A token as imapclient's parser gives it: numbers as int, lists as tuples."""
    if isinstance(token, list):
        return tuple(as_value(t) for t in token)
    number = _number(token)
    return number if number is not None else token


def _nstring(token: Token) -> bytes | None:
    return token if isinstance(token, bytes) else None


def envelope(token: Token) -> Envelope | None:
    """An ENVELOPE as imapclient's :class:`Envelope` (strings stay bytes, never numbers)."""
    if not isinstance(token, list) or len(token) < 10:
        return None
    date = None
    if isinstance(token[0], bytes) and token[0]:
        with contextlib.suppress(ValueError):  # a date nobody can read: none
            date = parse_to_datetime(token[0])
    lists: list[tuple[Address, ...] | None] = []
    for group in token[2:8]:
        if not isinstance(group, list):
            lists.append(None)
            continue
        lists.append(
            tuple(
                Address(*(_nstring(part) for part in address[:4]))
                for address in group
                if isinstance(address, list) and len(address) >= 4
            )
        )
    return Envelope(date, _nstring(token[1]), *lists, _nstring(token[8]), _nstring(token[9]))


def fetch_value(key: bytes, token: Token) -> Any:
    """One FETCH item's value in imapclient's shape (``MODSEQ`` as ``(n,)``, flags as bytes)."""
    if key == b"ENVELOPE":
        return envelope(token)
    if key in _NUMERIC_ITEMS:
        return _number(token)
    if key == b"FLAGS" and isinstance(token, list):
        return tuple(t for t in token if isinstance(t, bytes))
    if key == b"MODSEQ" and isinstance(token, list):
        return tuple(n for n in map(_number, token) if n is not None)
    if isinstance(token, list):
        return as_value(token)
    return token


def fetch_data(untagged: Iterable[list[Token]]) -> dict[int, FetchData]:
    """FETCH responses keyed by UID (responses without a UID are skipped)."""
    found: dict[int, FetchData] = {}
    for tokens in untagged:
        parsed = fetch_items(tokens)
        if parsed is None:
            continue
        seq, items = parsed
        data: FetchData = {key: fetch_value(key, value) for key, value in items.items()}
        uid = data.get(b"UID")
        if isinstance(uid, int):
            data[b"SEQ"] = seq
            found.setdefault(uid, {}).update(data)
    return found


def arg(value: str | bytes | int) -> bytes:
    """A command argument: a number or atom as is, anything else quoted."""
    if isinstance(value, int):
        return str(value).encode()
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    if _ATOM.fullmatch(raw):
        return raw
    if not raw.isascii():
        raise RefusedError("A search word outside ASCII cannot be sent.", detail=repr(value))
    return quote(raw.decode("ascii"))


def _flag_list(flags: Iterable[str | bytes]) -> bytes:
    return b"(" + b" ".join(arg(f) for f in flags) + b")"


def _uids(messages: Iterable[int]) -> bytes:
    return compress_uid_set(int(m) for m in messages)


class ImapCommands:
    """The session's imapclient-shaped calls, all sent through ``wire``.

    Args:
        wire: the connection's reader.
        capabilities: what the server announced after login (upper case).
    """

    use_uid = True

    def __init__(self, wire: Wire, capabilities: Iterable[str]) -> None:
        self.wire = wire
        self._capabilities = frozenset(c.upper() for c in capabilities)

    # -- the server ------------------------------------------------------

    def capabilities(self) -> tuple[bytes, ...]:
        return tuple(c.encode("ascii") for c in sorted(self._capabilities))

    def has_capability(self, name: str) -> bool:
        return name.upper() in self._capabilities

    def enable(self, *names: str) -> list[bytes]:
        """ENABLE ``names``; returns what the server says it enabled."""
        response = self.wire.checked(b"ENABLE " + b" ".join(arg(n) for n in names))
        enabled: list[bytes] = []
        for tokens in response.untagged:
            if tokens and tokens[0] == b"ENABLED":
                enabled += [t for t in tokens[1:] if isinstance(t, bytes)]
        return enabled

    def noop(self) -> None:
        self.wire.checked(b"NOOP")

    # -- mailboxes -------------------------------------------------------

    def select_folder(self, folder: str, readonly: bool = False) -> dict[bytes, Any]:
        """SELECT/EXAMINE ``folder``; its EXISTS, FLAGS, PERMANENTFLAGS, UIDVALIDITY..."""
        response = self.wire.select(folder, readonly=readonly)
        if not response.ok:
            raise RefusedError(
                f"The folder {folder!r} cannot be opened on the server.",
                detail=response.text.decode("utf-8", "replace"),
            )
        info: dict[bytes, Any] = {b"READ-ONLY" if self.wire.read_only else b"READ-WRITE": True}
        for tokens in response.untagged:
            if len(tokens) >= 2 and isinstance(tokens[1], bytes) and _number(tokens[0]) is not None:
                info[tokens[1].upper()] = _number(tokens[0])  # EXISTS, RECENT
            elif tokens and tokens[0] == b"FLAGS" and len(tokens) > 1:
                info[b"FLAGS"] = as_value(tokens[1])
            elif tokens and tokens[0] == b"OK" and len(tokens) > 1 and isinstance(tokens[1], list):
                code = tokens[1]
                if code and isinstance(code[0], bytes):
                    info[code[0].upper()] = as_value(code[1]) if len(code) > 1 else True
        return info

    def unselect_folder(self) -> None:
        self.wire.deselect()

    def list_folders(self, directory: str = "", pattern: str = "*") -> list[Any]:
        """``(flags, delimiter, name)`` per folder, names decoded from modified UTF-7."""
        line = b"LIST " + quote(directory) + b" " + quote(pattern)
        folders: list[Any] = []
        for tokens in self.wire.checked(line).untagged:
            if len(tokens) >= 4 and tokens[0] == b"LIST" and isinstance(tokens[1], list):
                flags = tuple(f for f in tokens[1] if isinstance(f, bytes))
                name = tokens[3]
                if isinstance(name, bytes):
                    folders.append((flags, tokens[2], imap_utf7.decode(name)))
        return folders

    def create_folder(self, folder: str) -> None:
        self.wire.checked(b"CREATE " + mailbox_arg(folder))

    # -- messages --------------------------------------------------------

    def search(self, criteria: Sequence[str | bytes | int] | str = "ALL") -> list[int]:
        """UID SEARCH; the UIDs found."""
        items = [criteria] if isinstance(criteria, str) else list(criteria)
        response = self.wire.checked(b"UID SEARCH " + b" ".join(arg(c) for c in items))
        found: list[int] = []
        for tokens in response.untagged:
            if tokens and tokens[0] == b"SEARCH":
                found += [n for n in map(_number, tokens[1:]) if n is not None]
        return found

    def fetch(self, messages: Iterable[int], data: Sequence[str]) -> dict[int, FetchData]:
        """UID FETCH ``data`` items; per UID a dict such as ``{b"BODY[]": ..., b"UID": 7}``."""
        uids = list(messages)
        if not uids:
            return {}
        items = b"(" + b" ".join(d.encode("ascii") for d in ("UID", *data)) + b")"
        response = self.wire.checked(b"UID FETCH " + _uids(uids) + b" " + items)
        return fetch_data(response.untagged)

    def get_flags(self, messages: Iterable[int]) -> dict[int, tuple[bytes, ...]]:
        return {
            uid: data.get(b"FLAGS", ()) for uid, data in self.fetch(messages, ["FLAGS"]).items()
        }

    def _store(self, messages: Iterable[int], how: bytes, flags: Iterable[str | bytes]) -> None:
        uids = list(messages)
        if uids:
            self.wire.checked(b"UID STORE " + _uids(uids) + b" " + how + b" " + _flag_list(flags))

    def add_flags(
        self, messages: Iterable[int], flags: Iterable[str | bytes], silent: bool = False
    ) -> None:
        self._store(messages, b"+FLAGS.SILENT" if silent else b"+FLAGS", flags)

    def remove_flags(
        self, messages: Iterable[int], flags: Iterable[str | bytes], silent: bool = False
    ) -> None:
        self._store(messages, b"-FLAGS.SILENT" if silent else b"-FLAGS", flags)

    def set_flags(
        self, messages: Iterable[int], flags: Iterable[str | bytes], silent: bool = False
    ) -> None:
        self._store(messages, b"FLAGS.SILENT" if silent else b"FLAGS", flags)

    def copy(self, messages: Iterable[int], folder: str) -> None:
        self.wire.checked(b"UID COPY " + _uids(messages) + b" " + mailbox_arg(folder))

    def move(self, messages: Iterable[int], folder: str) -> None:
        self.wire.checked(b"UID MOVE " + _uids(messages) + b" " + mailbox_arg(folder))

    def uid_expunge(self, messages: Iterable[int]) -> None:
        """UID EXPUNGE exactly ``messages`` (needs UIDPLUS; never a plain EXPUNGE)."""
        self.wire.checked(b"UID EXPUNGE " + _uids(messages))

    def expunge(self, messages: Iterable[int] | None = None) -> None:
        """UID EXPUNGE ``messages``; without them, EXPUNGE every ``\\Deleted`` message.

        The plain form removes what anyone marked deleted in the mailbox: only
        for what the user asked to empty.
        """
        if messages is None:
            self.wire.checked(b"EXPUNGE")
        else:
            self.uid_expunge(messages)

    def append(self, folder: str, msg: bytes, flags: Iterable[str | bytes] = ()) -> bytes:
        """APPEND ``msg`` to ``folder``; the tagged reply's text (``[APPENDUID v u]``)."""
        line = b"APPEND " + mailbox_arg(folder) + b" " + _flag_list(flags)
        return self.wire.checked(line, literal=msg).text
