"""Compare-and-set against a real Dovecot: wins, refusals, spurious conflicts, races.

Uses the shared fixtures from ``tests/conftest.py``: ``dovecot`` (the session's
server) and ``imap_user`` (a fresh mailbox user per test). The server's view is
checked with ``doveadm fetch``, not through the code under test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mailwise_desktop.core.accounts import Endpoint
from mailwise_desktop.core.errors import NotFoundError
from mailwise_desktop.core.states import HandlingState, Operation, RefusalKind
from mailwise_desktop.imap.cas import (
    CasResult,
    CasStatus,
    compare_and_set,
    ensure_condstore,
    ensure_keywords,
    read_flags,
    transition_decider,
)
from mailwise_desktop.imap.commands import ImapCommands
from mailwise_desktop.imap.keywords import OUR_KEYWORDS, Decoded, encode
from mailwise_desktop.imap.session import ImapSession, open_session, start_session
from tests.harness.dovecot import DovecotServer, TestUser

pytestmark = pytest.mark.integration

FOREIGN = {"\\Seen", "$Forwarded", "$label1"}
RAW = b"From: a@example.com\r\nTo: support@example.com\r\nSubject: %d\r\n\r\nbody\r\n"


@pytest.fixture
def connect(
    dovecot: DovecotServer, imap_user: TestUser, imaps_endpoint: Endpoint
) -> Iterator[Callable[[], ImapCommands]]:
    """Open sessions the app's way, QRESYNC enabled, INBOX selected read-write."""
    opened: list[ImapSession] = []

    def open_one() -> ImapCommands:
        session = open_session(imaps_endpoint, dovecot.password(imap_user))
        assert session.features.qresync
        ensure_keywords(session.client, "INBOX")
        opened.append(session)
        return session.client

    yield open_one
    for session in opened:
        session.close()


def append(dovecot: DovecotServer, user: TestUser, n: int = 1, flags: tuple[str, ...] = ()) -> int:
    return dovecot.append(user, RAW % n, "INBOX", flags)


def server_flags(dovecot: DovecotServer, user: TestUser, uid: int) -> set[str]:
    """The message's flags as doveadm reports them (a second, independent reader)."""
    out = dovecot.doveadm("fetch", "flags", "mailbox", "INBOX", "uid", str(uid), user=user)
    line = out.strip()
    assert line.startswith("flags:"), out
    return set(line.removeprefix("flags:").split()) - {"\\Recent"}


def ours(flags: set[str]) -> set[str]:
    return {f for f in flags if f.lower() in OUR_KEYWORDS}


def claim(client: ImapCommands, uid: int, me: int, **kw: Any) -> CasResult:
    return compare_and_set(client, uid, transition_decider(Operation.CLAIM, me), **kw)


def test_claim_wins_and_writes_exactly_the_protocol_keywords(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user, flags=tuple(sorted(FOREIGN)))
    client = connect()
    result = claim(client, uid, me=5)
    assert result.status is CasStatus.WON and result.attempts == 1
    assert (result.decoded.state, result.decoded.owner_slot) == (HandlingState.IN_PROGRESS, 5)
    expected = FOREIGN | encode(HandlingState.IN_PROGRESS, 5)
    assert server_flags(dovecot, imap_user, uid) == expected
    assert set(result.flags) == expected
    # The MODSEQ returned is the server's current one, as another connection sees it.
    assert read_flags(connect(), uid)[1] == result.modseq
    # Nothing is left unread on the connection for the next command to misread.
    assert not client.wire.has_buffered()


def test_second_claimer_is_refused_and_told_the_owner(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user)
    first, second = connect(), connect()
    assert claim(first, uid, me=1).won
    before = server_flags(dovecot, imap_user, uid)
    result = claim(second, uid, me=2)
    assert result.status is CasStatus.REFUSED and result.attempts == 0
    assert result.refusal is not None
    assert result.refusal.kind is RefusalKind.HELD_BY_OTHER
    assert result.refusal.holder_slot == 1
    assert server_flags(dovecot, imap_user, uid) == before


def test_spurious_conflict_is_retried_and_wins(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user, flags=("$label1",))
    client, third = connect(), connect()
    hooked: list[int] = []

    def someone_reads_it(uid_: int, modseq: int) -> None:
        if not hooked:  # only before the first STORE
            third.add_flags([uid_], [b"\\Seen"], silent=True)
        hooked.append(modseq)

    result = claim(client, uid, me=7, before_store=someone_reads_it)
    assert result.status is CasStatus.WON
    assert result.attempts == 2
    assert hooked[1] > hooked[0]  # the retry started from the re-read MODSEQ
    assert server_flags(dovecot, imap_user, uid) == {
        "\\Seen",
        "$label1",
        *encode(HandlingState.IN_PROGRESS, 7),
    }


def test_real_conflict_reports_the_new_state(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user)
    client, rival = connect(), connect()

    def rival_claims_first(uid_: int, _modseq: int) -> None:
        assert claim(rival, uid_, me=9).won

    result = claim(client, uid, me=3, before_store=rival_claims_first)
    assert result.status is CasStatus.REFUSED and result.attempts == 1
    assert result.refusal is not None and result.refusal.holder_slot == 9
    assert ours(server_flags(dovecot, imap_user, uid)) == encode(HandlingState.IN_PROGRESS, 9)


def test_endless_spurious_conflicts_give_up_without_writing(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user)
    client, third = connect(), connect()
    toggle = iter(range(100))

    def keep_touching(uid_: int, _modseq: int) -> None:
        third.add_flags([uid_], [f"other{next(toggle)}".encode()], silent=True)

    result = claim(client, uid, me=3, retries=2, backoff=0.0, before_store=keep_touching)
    assert result.status is CasStatus.CONTENDED
    assert result.attempts == 3
    assert ours(server_flags(dovecot, imap_user, uid)) == set()


def test_foreign_flags_survive_every_operation(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user, flags=tuple(sorted(FOREIGN)))
    client = connect()
    me, other = 0, 69
    steps: list[tuple[Operation, dict[str, Any], HandlingState, int | None]] = [
        (Operation.CLAIM, {}, HandlingState.IN_PROGRESS, me),
        (Operation.HOLD, {}, HandlingState.ON_HOLD, me),
        (Operation.RESUME, {}, HandlingState.IN_PROGRESS, me),
        (Operation.TRANSFER, {"target_slot": other}, HandlingState.IN_PROGRESS, other),
        (Operation.TRANSFER, {"target_slot": me, "take_over": True}, HandlingState.IN_PROGRESS, me),
        (Operation.RELEASE, {}, HandlingState.UNHANDLED, None),
        (Operation.DONE, {}, HandlingState.DONE, me),
        (Operation.REOPEN, {}, HandlingState.IN_PROGRESS, me),
        (Operation.SKIP, {}, HandlingState.NO_REPLY_NEEDED, me),
        (Operation.REOPEN, {}, HandlingState.IN_PROGRESS, me),
        (Operation.DONE, {}, HandlingState.DONE, me),
    ]
    for op, kw, state, owner in steps:
        result = compare_and_set(client, uid, transition_decider(op, me, **kw))
        assert result.won, (op, result)
        assert server_flags(dovecot, imap_user, uid) == FOREIGN | encode(state, owner), op


def test_decide_sees_current_flags_and_unchanged_sends_nothing(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user, flags=("$label1",))
    client = connect()
    seen: list[tuple[tuple[str, ...], Decoded]] = []

    def keep(flags: tuple[str, ...], decoded: Decoded) -> tuple[str, ...]:
        seen.append((flags, decoded))
        return tuple(f.upper() for f in flags if f != "\\Recent")

    result = compare_and_set(client, uid, keep)
    assert result.status is CasStatus.UNCHANGED and result.attempts == 0
    assert "$label1" in seen[0][0]
    assert seen[0][1].state is HandlingState.UNHANDLED


def test_missing_message_is_not_found(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user)
    client = connect()
    with pytest.raises(NotFoundError):
        claim(client, uid + 100, me=1)
    dovecot.expunge(imap_user, uid)
    with pytest.raises(NotFoundError):
        claim(client, uid, me=1)


def test_expunged_between_read_and_store_is_not_a_win(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uid = append(dovecot, imap_user)
    client = connect()

    def expunge_and_leave_a_stale_fetch(uid_: int, modseq: int) -> None:
        dovecot.expunge(imap_user, uid_)
        # A leftover FETCH with a newer MODSEQ must not be mistaken for our win.
        # The wire would read it as part of the STORE's answer.
        stale = b"* 1 FETCH (UID %d MODSEQ (%d))\r\n" % (uid_, modseq + 1000)
        client.wire._buf += stale

    with pytest.raises(NotFoundError):
        claim(client, uid, me=1, before_store=expunge_and_leave_a_stale_fetch)


def test_two_connections_racing_fifty_claims_have_one_winner_each(
    dovecot: DovecotServer, imap_user: TestUser, connect: Callable[[], ImapCommands]
) -> None:
    uids = [append(dovecot, imap_user, n, flags=("$Forwarded",)) for n in range(50)]
    clients = {1: connect(), 2: connect()}
    results: dict[int, list[CasResult]] = {1: [], 2: []}
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def run(me: int) -> None:
        try:
            for uid in uids:
                barrier.wait()  # start each claim together to make them collide
                results[me].append(claim(clients[me], uid, me=me))
        except BaseException as exc:  # surfaced below; a thread can't fail the test
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(me,)) for me in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    # The race was real: some losers lost at the STORE, not already at the read.
    assert any(r.attempts and not r.won for r in results[1] + results[2])
    for i, uid in enumerate(uids):
        a, b = results[1][i], results[2][i]
        winners = [r for r in (a, b) if r.won]
        assert len(winners) == 1, (uid, a, b)
        winner_slot = 1 if a.won else 2
        loser = b if a.won else a
        assert loser.status is CasStatus.REFUSED
        assert loser.refusal is not None and loser.refusal.holder_slot == winner_slot
        assert server_flags(dovecot, imap_user, uid) == {
            "$Forwarded",
            *encode(HandlingState.IN_PROGRESS, winner_slot),
        }


def test_ensure_keywords_registers_ours_once_and_leaves_no_message(
    dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = append(dovecot, imap_user, flags=("$label1",))
    session = start_session(dovecot.connect(imap_user), enable=False)
    client = session.client
    try:
        assert ensure_condstore(client) == "QRESYNC"
        assert ensure_keywords(client, "INBOX") is True
        assert ensure_keywords(client, "INBOX") is False
        listed = {f.decode().lower() for f in client.select_folder("INBOX")[b"FLAGS"]}
        assert listed >= OUR_KEYWORDS
        assert client.search("ALL") == [uid]  # the primer is gone
        assert server_flags(dovecot, imap_user, uid) == {"$label1"}
    finally:
        session.close()
