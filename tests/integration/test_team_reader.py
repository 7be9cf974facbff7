"""Reading the team mailbox without unselecting INBOX, against the real Dovecot.

A teammate's record used to be read by EXAMINE on the command connection, so
the next claim re-SELECTed INBOX (0.6 s at 200,000 messages after a flag
change). Two things keep INBOX selected now: our own records are read past
when they were next in line (no EXAMINE at all), and the engine reads the
others' on a reader connection of its own once INBOX is big
(``imap/team_reader.py``; the threshold is lowered here).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.session import ImapSession, open_session
from mailwise_desktop.imap.team_reader import TeamReader
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, seed

SELECTING = (b"SELECT", b"EXAMINE", b"CLOSE", b"UNSELECT")


def _verbs(lines: list[bytes]) -> list[bytes]:
    return [line.split(b" ", 1)[0] for line in lines]


def _refresh_recording(ctx: AppContext) -> list[bytes]:
    """``mailwise team refresh`` as one job; every command line it sent."""
    lines: list[bytes] = []
    service = CoordinationService(ctx, ctx.account())
    run_once(ctx, ctx.account(), service.refresh_team_job(), on_command=lines.append)
    return lines


def test_own_record_next_in_line_is_read_past_without_examining(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "own record")
    sato = team("sato")
    SyncService(sato).sync_once(sato.account())  # reads the team mailbox: its position is known
    assert do(sato, Operation.CLAIM, uid).won  # APPENDs the claim's event
    lines = _refresh_recording(sato)
    assert b"STATUS" in _verbs(lines)
    assert not set(_verbs(lines)) & set(SELECTING)  # nothing new to fetch: no EXAMINE
    history = CoordinationService(sato, sato.account()).history(uid)
    assert [h.operation for h in history] == ["claim"]  # the event itself is cached


def test_a_teammates_record_in_between_is_still_read(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    first, second = seed(dovecot, imap_user, "theirs"), seed(dovecot, imap_user, "mine")
    sato, suzuki = team("sato"), team("suzuki")
    SyncService(sato).sync_once(sato.account())
    SyncService(suzuki).sync_once(suzuki.account())
    assert do(suzuki, Operation.CLAIM, first).won  # their event takes the next UID
    assert do(sato, Operation.CLAIM, second).won  # ours comes after it: not next in line
    lines = _refresh_recording(sato)
    assert b"EXAMINE" in _verbs(lines)
    service = CoordinationService(sato, sato.account())
    assert [h.operation for h in service.history(first)] == ["claim"]
    assert [h.operation for h in service.history(second)] == ["claim"]


@pytest.fixture
def recorded_engine(team: Team, imap_user: TestUser) -> Iterator[tuple[AppContext, EngineContext]]:
    """sato's engine-like context: INBOX synced on its command connection, lines recorded."""
    sato = team("sato")
    account = sato.account()
    sessions: list[ImapSession] = []
    lines: dict[str, list[bytes]] = {"cmd": [], "reader": []}

    def opener(name: str) -> ImapSession:
        session = open_session(account.imap, imap_user.password, on_command=lines[name].append)
        sessions.append(session)
        return session

    reader = TeamReader(lambda: opener("reader"), threshold=1)
    ectx = EngineContext(opener("cmd"), sato.cache, account, {}, team_reader=reader)
    ectx.lines = lines  # type: ignore[attr-defined]
    try:
        yield sato, ectx
    finally:
        reader.close()
        for session in sessions:
            session.close()


def test_engine_reads_teammates_records_on_its_reader_and_inbox_stays_selected(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    recorded_engine: tuple[AppContext, EngineContext],
) -> None:
    warm, uid = seed(dovecot, imap_user, "warm-up"), seed(dovecot, imap_user, "read on the reader")
    sato, ectx = recorded_engine
    lines = ectx.lines  # type: ignore[attr-defined]
    service = CoordinationService(sato, sato.account())
    ectx.mailbox("INBOX").sync()
    # The first claim on a connection checks the mailbox, primes the keywords and
    # chooses its mode, as the engine's first claim does.
    assert service.operation_job(Operation.CLAIM, warm)(ectx).won
    assert ectx.session.wire.selected == "INBOX"
    lines["cmd"].clear()
    suzuki = team("suzuki")
    run_once(
        suzuki,
        suzuki.account(),
        CoordinationService(suzuki, suzuki.account()).note_job(uid, "請求書の再発行を確認中"),
    )
    service.refresh_team_job()(ectx)
    assert [n.text for n in service.notes(uid)] == ["請求書の再発行を確認中"]
    assert ectx.session.wire.selected == "INBOX"  # the command connection never left it
    assert not set(_verbs(lines["cmd"])) & set(SELECTING)
    assert b"EXAMINE" in _verbs(lines["reader"])
    # The claim that follows needs no SELECT: one conditional STORE on the cached pair.
    lines["cmd"].clear()
    assert service.operation_job(Operation.CLAIM, uid)(ectx).won
    assert not set(_verbs(lines["cmd"])) & set(SELECTING), lines["cmd"]
    assert [line for line in lines["cmd"] if line.startswith(b"UID")] == [
        line for line in lines["cmd"] if line.startswith(b"UID STORE %d " % uid)
    ]


def test_small_inbox_keeps_two_connections(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    recorded_engine: tuple[AppContext, EngineContext],
) -> None:
    uid = seed(dovecot, imap_user, "small inbox")
    sato, ectx = recorded_engine
    assert ectx.team_reader is not None
    ectx.team_reader.threshold = 1_000  # INBOX holds one message here
    lines = ectx.lines  # type: ignore[attr-defined]
    service = CoordinationService(sato, sato.account())
    ectx.mailbox("INBOX").sync()
    suzuki = team("suzuki")
    run_once(
        suzuki,
        suzuki.account(),
        CoordinationService(suzuki, suzuki.account()).note_job(uid, "small"),
    )
    service.refresh_team_job()(ectx)
    assert [n.text for n in service.notes(uid)] == ["small"]
    assert not ectx.team_reader.open and lines["reader"] == []
    assert b"EXAMINE" in _verbs(lines["cmd"])  # read on the command connection, as before
