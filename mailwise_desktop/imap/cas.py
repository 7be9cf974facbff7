"""Compare-and-set of one message's flags over CONDSTORE (COORDINATION.md, Mode A).

Every change of handling state or owner is one :func:`compare_and_set` on one
UID: read ``FLAGS`` and ``MODSEQ``, let a pure ``decide`` function compute the
full new flag set (or refuse), then ``UID STORE u (UNCHANGEDSINCE m)
FLAGS.SILENT (F')``. The store won only if the tagged reply is OK without
``[MODIFIED]`` and an untagged FETCH for u without FLAGS brought a newer MODSEQ: our
STORE is ``.SILENT``, so the server reports its own effect as MODSEQ alone
(RFC 7162 3.2), while a FETCH that carries FLAGS reports someone else's
change. Dovecot 2.3 can answer a STORE that raced another writer with a
plain OK and that writer's FETCH; when both wrote the same flags (two
repairers), only the MODSEQ-only report tells the real writer from the other.
A lost race re-reads; if ``decide`` still accepts (someone merely set
``\\Seen``), it retries a few times with a short, jittered backoff.

Caller's duties: ``ENABLE CONDSTORE`` or ``QRESYNC`` after login and before
SELECT (:func:`ensure_condstore` does it), select the mailbox read-write and
make sure our keywords exist in it (:func:`ensure_keywords` does both), and
use the session from one thread only. The client is the session's
:class:`~.commands.ImapCommands`: the FETCH and STORE go out raw on its
:class:`~.wire.Wire`, the connection's one reader, which hands back exactly
the untagged responses of each command (nothing left behind to mislead the
next one).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from mailwise_desktop.core.errors import (
    CapabilityError,
    ConnectionLostError,
    ErrorCase,
    NotFoundError,
    ProtocolError,
)
from mailwise_desktop.core.states import Operation, Refusal, Transition, check
from mailwise_desktop.imap import keywords
from mailwise_desktop.imap.commands import ImapCommands
from mailwise_desktop.imap.keywords import Decoded
from mailwise_desktop.imap.untagged import fetches_for, modified, modseq_of, vanished

#: What ``decide`` returns: the complete new flag set, or why not.
Outcome = tuple[str, ...] | Refusal
Decide = Callable[[tuple[str, ...], Decoded], Outcome]
#: Called before each STORE: (uid, modseq read, flags read, flags to write).
Intend = Callable[[int, int, tuple[str, ...], tuple[str, ...]], None]

# A flag is an atom, optionally after one backslash (RFC 3501 flag-keyword).
_FLAG = re.compile(rb'\\?[^\x00-\x20\x7f-\xff(){%*"\\\]]+')


class CasStatus(StrEnum):
    """How a compare-and-set ended."""

    WON = "won"  # our STORE changed the message
    UNCHANGED = "unchanged"  # decide asked for the flags already there: nothing sent
    REFUSED = "refused"  # decide refused on the (re-)read state
    CONTENDED = "contended"  # still accepted, but every retry lost a race
    # After the line dropped during our STORE (see :func:`resolve_in_doubt`):
    NOT_APPLIED = "not_applied"  # the message is as we read it: our STORE never landed
    LOST = "lost"  # someone else's change is there now; ours is not


@dataclass(frozen=True)
class CasResult:
    """The end of a compare-and-set, enough to update the cache without a fetch.

    Attributes:
        status: how it ended.
        uid: the message.
        flags: the message's flags as we now know them (written, or last read).
        modseq: their MODSEQ (the new one after a win).
        decoded: ``flags`` decoded.
        refusal: why ``decide`` refused, for :attr:`CasStatus.REFUSED`.
        attempts: how many STOREs were sent.
        read: the flags the last decision read (before a winning STORE);
            None after an in-doubt STORE, where no decision ran.
    """

    status: CasStatus
    uid: int
    flags: tuple[str, ...]
    modseq: int
    decoded: Decoded
    refusal: Refusal | None = None
    attempts: int = 0
    read: tuple[str, ...] | None = None

    @property
    def won(self) -> bool:
        """True when this call changed the message."""
        return self.status is CasStatus.WON


class CasInDoubtError(ConnectionLostError):
    """The connection dropped during the conditional STORE: it may or may not have landed.

    Re-read the message on a new connection with :func:`resolve_in_doubt`
    before saying anything about the outcome.
    """

    def __init__(
        self, uid: int, modseq: int, flags: tuple[str, ...], attempts: int, detail: str | None
    ) -> None:
        super().__init__(
            "The connection to the mail server was lost while the change was being saved.",
            detail=detail,
        )
        self.uid = uid
        self.modseq = modseq  # what the STORE was conditional on
        self.flags = flags  # what it would have written
        self.attempts = attempts


def resolve_in_doubt(client: ImapCommands, doubt: CasInDoubtError) -> CasResult:
    """What became of a STORE whose reply was lost: read the message again and compare.

    Our flags there (with a newer MODSEQ): it landed, WON. The MODSEQ unchanged:
    it never reached the mailbox, NOT_APPLIED. Anything else: another change
    is there now, LOST. The client must be a new connection with the mailbox
    selected read-write.
    """
    flags, modseq = read_flags(client, doubt.uid)
    decoded = keywords.decode(flags)
    if modseq > doubt.modseq and same_flags(flags, doubt.flags):
        status = CasStatus.WON
    elif modseq == doubt.modseq:
        status = CasStatus.NOT_APPLIED
    else:
        status = CasStatus.LOST
    return CasResult(status, doubt.uid, flags, modseq, decoded, None, doubt.attempts)


def ensure_condstore(client: ImapCommands) -> str:
    """Enable QRESYNC (or else CONDSTORE) on a logged-in, not yet selected client.

    Returns:
        The extension enabled.

    Raises:
        CapabilityError: the server offers neither, so atomic claims are impossible.
    """
    for name in ("QRESYNC", "CONDSTORE"):
        if client.has_capability(name):
            enabled = {keywords.to_text(e).upper() for e in client.enable(name)}
            if name in enabled:
                return name
    raise CapabilityError(
        "This mail server cannot change messages atomically (no CONDSTORE).",
        case=ErrorCase.NO_CONDSTORE,
        detail=f"capabilities: {b' '.join(client.capabilities()).decode('ascii', 'replace')}",
    )


def ensure_keywords(client: ImapCommands, folder: str) -> bool:
    """Register our 12 keywords in ``folder`` before anyone races on them.

    Dovecot 2.3 does not keep ``UNCHANGEDSINCE`` atomic while two sessions
    create new keywords in a mailbox at the same moment: both conditional
    STOREs can answer OK, and owner bits of both can end up merged (measured
    with this module: 1 double win in 200 races on fresh mailboxes, none in 160
    once the keywords existed). So the first client to find one of ours missing
    from the mailbox's FLAGS appends a throwaway message carrying all 12
    (already ``\\Deleted``) and expunges it by UID. Call it once per connection
    in place of SELECT: it (re)selects ``folder`` read-write and leaves it so.

    Returns:
        True if a primer message was needed.
    """
    info = client.select_folder(folder)
    known = {keywords.to_text(f).lower() for f in info.get(b"FLAGS", ())}
    if known >= keywords.OUR_KEYWORDS:
        return False
    primer = b"Subject: [mailwise] keyword primer\r\nX-Mailwise-Kind: primer\r\n\r\n-\r\n"
    flags = ["\\Deleted", "\\Seen", *sorted(keywords.OUR_KEYWORDS)]
    reply = client.append(folder, primer, flags=flags)
    found = re.search(rb"APPENDUID \d+ (\d+)", reply or b"")
    if found and client.has_capability("UIDPLUS"):
        client.uid_expunge([int(found.group(1))])
    # Without UIDPLUS it stays marked \Deleted: a plain EXPUNGE would also
    # remove messages other people merely marked deleted.
    return True


def compare_and_set(
    client: ImapCommands,
    uid: int,
    decide: Decide,
    *,
    retries: int = 3,
    backoff: float = 0.02,
    before_store: Callable[[int, int], None] | None = None,
    intend: Intend | None = None,
    after_store: Callable[[int, int], None] | None = None,
    cached: tuple[tuple[str, ...], int] | None = None,
) -> CasResult:
    """Change one message's flags atomically, as ``decide`` says.

    Args:
        client: logged in, CONDSTORE enabled, mailbox selected read-write.
        uid: the message.
        decide: pure function of (current flags, decoded state) returning the
            complete new flag set (see :func:`keywords.apply`) or a Refusal.
            It is called again after every lost race, on fresh flags.
        retries: STOREs to retry after a lost race while ``decide`` accepts.
        backoff: base delay in seconds between attempts (grows, jittered).
        before_store: called with (uid, modseq read) right before each STORE;
            tests use it to slip in a concurrent change.
        intend: called with (uid, modseq read, flags read, flags to write)
            right before each STORE (before ``before_store``): the caller writes
            ahead what a win would mean (services/handling_cas.py). If it
            raises, no STORE is sent.
        after_store: called with (uid, new modseq) right after a winning
            STORE, before anything is returned; tests use it to stop a
            process exactly there.
        cached: (flags, MODSEQ) as the caller's cache holds them, read together
            from the server. The first STORE is decided on them without a
            FETCH: UNCHANGEDSINCE makes a stale pair lose, and a loss reads the
            server as usual. A decision on them that refuses or changes nothing
            is made again on the server's flags, so nothing is refused on the
            cache's word. The caller vouches that the MODSEQ is not above the
            mailbox's HIGHESTMODSEQ (a server whose sequences went back).

    Raises:
        NotFoundError: the message no longer exists.
        ConnectionLostError: the connection dropped.
        ProtocolError: the server rejected the STORE itself.
    """
    attempts = 0
    known = cached if cached is not None and cached[1] > 0 else None
    stale = False  # the cached pair lost: one more STORE than ``retries`` allows
    while True:
        if known is not None:
            flags, modseq = known
        else:
            flags, modseq = read_flags(client, uid)
        decoded = keywords.decode(flags)
        outcome = decide(flags, decoded)
        if known is not None:
            known = None
            if isinstance(outcome, Refusal) or same_flags(tuple(outcome), flags):
                continue  # only the server's flags may refuse or leave it as it is
            optimistic = True
        else:
            optimistic = False
        if isinstance(outcome, Refusal):
            return CasResult(
                CasStatus.REFUSED, uid, flags, modseq, decoded, outcome, attempts, flags
            )
        new_flags = tuple(outcome)
        if same_flags(new_flags, flags):
            return CasResult(
                CasStatus.UNCHANGED, uid, flags, modseq, decoded, None, attempts, flags
            )
        if attempts > retries + stale:
            return CasResult(
                CasStatus.CONTENDED, uid, flags, modseq, decoded, None, attempts, flags
            )
        if intend is not None:
            intend(uid, modseq, flags, new_flags)
        if before_store is not None:
            before_store(uid, modseq)
        attempts += 1
        try:
            new_modseq = _conditional_store(client, uid, modseq, new_flags)
        except ConnectionLostError as exc:
            raise CasInDoubtError(uid, modseq, new_flags, attempts, exc.detail) from exc
        if new_modseq is not None:
            if after_store is not None:
                after_store(uid, new_modseq)
            won = keywords.decode(new_flags)
            return CasResult(CasStatus.WON, uid, new_flags, new_modseq, won, None, attempts, flags)
        if optimistic:
            stale = True  # the cache was behind: read the server now, no back-off
            continue
        # Jitter keeps two clients that keep colliding from colliding in step.
        time.sleep(backoff * attempts * random.uniform(0.5, 1.5))


def transition_decider(
    operation: Operation,
    me: int,
    *,
    target_slot: int | None = None,
    take_over: bool = False,
) -> Decide:
    """A ``decide`` that applies ``operation`` by ``me`` per the transition table."""

    def decide(flags: tuple[str, ...], decoded: Decoded) -> Outcome:
        result = check(operation, decoded, me, target_slot, take_over)
        if isinstance(result, Transition):
            return keywords.apply(flags, result.after.state, result.after.owner_slot)
        return result

    return decide


def read_flags(client: ImapCommands, uid: int) -> tuple[tuple[str, ...], int]:
    """``UID FETCH uid (FLAGS MODSEQ)`` -> (flags as text, modseq).

    Raises:
        NotFoundError: no such UID in the selected mailbox.
    """
    response = client.wire.command(b"UID FETCH %d (UID FLAGS MODSEQ)" % uid)
    if not response.ok:
        raise ProtocolError(
            "The server refused to read a message's flags.", detail=response.text.decode()
        )
    found = fetches_for(response.untagged, uid)
    flags: tuple[bytes | str, ...] | None = None
    modseq: int | None = None
    for item in found:  # later items are newer; keep the last of each
        flags = item.get(b"FLAGS", flags)
        modseq = modseq_of(item) or modseq
    if flags is None:
        raise NotFoundError(f"Message {uid} no longer exists on the server.")
    if modseq is None:
        raise CapabilityError(
            "The server did not report a modification sequence (CONDSTORE off?).",
            case=ErrorCase.NO_MODSEQ,
            detail=repr(found),
        )
    return tuple(keywords.to_text(f) for f in flags), modseq


def _conditional_store(
    client: ImapCommands, uid: int, modseq: int, flags: tuple[str, ...]
) -> int | None:
    """Send the conditional STORE; the new MODSEQ if it won, else ``None``."""
    flag_list = b"(" + b" ".join(_flag_bytes(f) for f in flags) + b")"
    line = b"UID STORE %d (UNCHANGEDSINCE %d) FLAGS.SILENT " % (uid, modseq) + flag_list
    response = client.wire.command(line)
    if not response.ok:
        # NO: e.g. [EXPUNGEISSUED] or a read-only mailbox. read_flags tells
        # which: it raises NotFoundError when the message is gone.
        read_flags(client, uid)
        raise ProtocolError(
            "The server refused to change the message.", detail=response.text.decode()
        )
    if uid in vanished(response.untagged):
        raise NotFoundError(f"Message {uid} was deleted on the server.")
    if modified(response):
        return None
    fetched = fetches_for(response.untagged, uid)
    # Only a report without FLAGS is our own silent STORE's; one with FLAGS is
    # another writer's change (with its own MODSEQ), even when its flags equal ours.
    ours = [m for f in fetched if b"FLAGS" not in f and (m := modseq_of(f)) and m > modseq]
    return max(ours) if ours else None


def same_flags(new: Iterable[str], old: Iterable[str]) -> bool:
    def norm(flags: Iterable[str]) -> set[str]:
        return {f.lower() for f in flags} - {keywords.RECENT.lower()}

    return norm(new) == norm(old)


def _flag_bytes(flag: str) -> bytes:
    try:
        raw = flag.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        raw = b""  # not an atom: refused just below
    if not _FLAG.fullmatch(raw) or raw.lower() == keywords.RECENT.lower().encode():
        raise ProtocolError("A message flag cannot be written back.", detail=repr(flag))
    return raw
