"""Coordination through the service against the real Dovecot: roster, claims, notes, history.

Teammates are separate profiles sharing one login; the server's flags are
read with ``doveadm`` (an independent reader), never through the code under test.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import sys

import pytest

from mailwise_desktop.cli.error_words import TEAM_OFF_JA, cli_words
from mailwise_desktop.core.errors import (
    CapabilityError,
    ErrorCase,
    HeldByOtherError,
    NotAllowedError,
    TeamOffReason,
)
from mailwise_desktop.core.states import HandlingState, Operation, RefusalKind
from mailwise_desktop.imap.connection import open_imap
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.keywords import OUR_KEYWORDS, encode
from mailwise_desktop.imap.session import start_session
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.handling_outcome import OperationOutcome
from mailwise_desktop.services.messages import MessageService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.store import team_queue
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, seed, server_flags

FOREIGN = {"\\Seen", "$Forwarded", "$label1"}


def test_roster_slots_are_shared_and_never_reused(team: Team) -> None:
    sato, suzuki = team("sato"), team("suzuki")
    service = CoordinationService(suzuki, suzuki.account())
    run_once(suzuki, suzuki.account(), service.refresh_team_job())
    assert [(t.id, t.name, t.slot) for t in service.roster()] == [
        ("sato", "佐藤", 0),
        ("suzuki", "鈴木", 1),
        ("tanaka", "田中", 2),
    ]
    assert service.me() is not None and service.me().id == "suzuki"  # type: ignore[union-attr]
    admin = TeamService(sato, sato.account())
    retired = run_once(sato, sato.account(), admin.remove_job("tanaka"))
    assert (retired.slot, retired.active) == (2, False)
    yamada = run_once(sato, sato.account(), admin.add_job(TeammateRow("yamada", "山田")))
    assert yamada.slot == 3  # slot 2 stays tanaka's, retired
    back = run_once(sato, sato.account(), admin.add_job(TeammateRow("tanaka", "田中")))
    assert (back.slot, back.active) == (2, True)


def test_claim_wins_updates_cache_at_once_and_loser_is_told_who_since_when(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "請求書の再発行について", tuple(sorted(FOREIGN)))
    sato, suzuki = team("sato"), team("suzuki")
    won = do(sato, Operation.CLAIM, uid)
    assert won.won and won.state is HandlingState.IN_PROGRESS and won.owner.id == "sato"
    assert server_flags(dovecot, imap_user, uid) == FOREIGN | encode(HandlingState.IN_PROGRESS, 0)
    # The cache row changed with the job, no sync or IDLE needed; Changes name it.
    row = MessageService(sato).list_messages(sato.account())[0]
    assert (row.state, row.owner_slot) == ("in_progress", 0)
    assert row.id in won.changes.mailboxes[0].changed

    lost = do(suzuki, Operation.CLAIM, uid)
    assert not lost.won and lost.refusal is RefusalKind.HELD_BY_OTHER
    assert lost.owner is not None and lost.owner.id == "sato"
    assert lost.holder_since is not None
    assert lost.message.startswith("佐藤 has held this since ")
    with pytest.raises(HeldByOtherError, match="佐藤"):
        lost.raise_if_refused()
    assert server_flags(dovecot, imap_user, uid) == FOREIGN | encode(HandlingState.IN_PROGRESS, 0)
    # The loser's cache shows the winner too.
    row = MessageService(suzuki).list_messages(suzuki.account())[0]
    assert (row.state, row.owner_slot) == ("in_progress", 0)

    not_mine = do(suzuki, Operation.RELEASE, uid)
    assert not not_mine.won and not_mine.refusal is RefusalKind.HELD_BY_OTHER
    done_twice = do(sato, Operation.DONE, uid)
    assert done_twice.won
    again = do(sato, Operation.DONE, uid)
    with pytest.raises(NotAllowedError):
        again.raise_if_refused()


def test_foreign_flags_survive_every_operation_through_the_service(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "foreign", tuple(sorted(FOREIGN)))
    sato = team("sato")
    steps: list[tuple[Operation, dict[str, object], HandlingState, int | None]] = [
        (Operation.CLAIM, {}, HandlingState.IN_PROGRESS, 0),
        (Operation.HOLD, {}, HandlingState.ON_HOLD, 0),
        (Operation.RESUME, {}, HandlingState.IN_PROGRESS, 0),
        (Operation.TRANSFER, {"target": "tanaka"}, HandlingState.IN_PROGRESS, 2),
        (Operation.TRANSFER, {"target": "sato", "take_over": True}, HandlingState.IN_PROGRESS, 0),
        (Operation.RELEASE, {}, HandlingState.UNHANDLED, None),
        (Operation.DONE, {}, HandlingState.DONE, 0),
        (Operation.REOPEN, {}, HandlingState.IN_PROGRESS, 0),
        (Operation.SKIP, {}, HandlingState.NO_REPLY_NEEDED, 0),
        (Operation.REOPEN, {}, HandlingState.IN_PROGRESS, 0),
        (Operation.DONE, {}, HandlingState.DONE, 0),
    ]
    for op, kw, state, owner in steps:
        outcome = do(sato, op, uid, **kw)
        assert outcome.won, (op, outcome.message)
        assert server_flags(dovecot, imap_user, uid) == FOREIGN | encode(state, owner), op
    history = CoordinationService(sato, sato.account()).history(uid)
    assert [h.operation for h in history] == [op.value for op, *_ in steps]
    assert history[3].owner == "tanaka" and history[3].owner_name == "田中"


def test_spurious_conflict_through_the_service_is_retried_and_wins(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "spurious", ("$label1",))
    sato = team("sato")
    service = CoordinationService(sato, sato.account())
    modseqs: list[int] = []

    def someone_reads_it(uid_: int, modseq: int) -> None:
        if not modseqs:  # before the first STORE only: a teammate's client sets \Seen
            dovecot.flags_add(imap_user, "\\Seen", uid_)
        modseqs.append(modseq)

    service.before_store = someone_reads_it
    outcome = run_once(sato, sato.account(), service.operation_job(Operation.CLAIM, uid))
    assert outcome.won and len(modseqs) == 2 and modseqs[1] > modseqs[0]
    assert server_flags(dovecot, imap_user, uid) == {
        "\\Seen",
        "$label1",
        *encode(HandlingState.IN_PROGRESS, 0),
    }


def test_notes_and_history_by_one_are_read_by_another_and_read_well_in_a_mail_client(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "ログインできません")
    sato, suzuki = team("sato"), team("suzuki")
    do(sato, Operation.CLAIM, uid)
    note = CoordinationService(sato, sato.account()).note_job(uid, "お客様に電話済み。折り返し待ち")
    run_once(sato, sato.account(), note)

    other = CoordinationService(suzuki, suzuki.account())
    SyncService(suzuki).sync_once(suzuki.account())
    run_once(suzuki, suzuki.account(), other.refresh_team_job())
    notes = other.notes(uid)
    assert [(n.actor, n.actor_name, n.text) for n in notes] == [
        ("sato", "佐藤", "お客様に電話済み。折り返し待ち")
    ]
    history = other.history(uid)
    assert [(h.operation, h.actor_name, h.to_state, h.owner) for h in history] == [
        ("claim", "佐藤", "in_progress", "sato")
    ]
    # A plain mail client (imapclient, nothing of ours) reads human-readable subjects.
    client = dovecot.connect(imap_user)
    try:
        client.select_folder("Mailwise", readonly=True)
        fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]"])
    finally:
        client.logout()
    subjects = []
    for data in fetched.values():
        msg = email.message_from_bytes(data[b"BODY[HEADER]"], policy=email.policy.default)
        subjects.append(str(msg["Subject"]))
        assert json.loads(data[b"BODY[TEXT]"].decode("utf-8"))  # the body is plain JSON
    assert "[mailwise] 佐藤 claimed: ログインできません" in subjects
    assert "[mailwise] 佐藤 noted: ログインできません" in subjects
    assert "[mailwise] roster: 佐藤 (sato) joined (owner slot 0)" in subjects
    # Hidden from the folder list people see, and not subscribed.
    folders = SyncService(suzuki).sync_once(suzuki.account()).folders
    assert "Mailwise" not in {f.name for f in folders}
    assert "Mailwise" not in dovecot.doveadm("mailbox", "list", "-s", user=imap_user).split()


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="makes the Linux-side team mailbox unwritable with POSIX modes, "
    "which a Windows process cannot set",
)
def test_failed_event_append_is_queued_and_delivered_later(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "queued")
    sato = team("sato")
    box = dovecot.maildir(imap_user, "Mailwise")
    parts = [box / "tmp", box / "new", box / "cur", box]
    modes = {p: p.stat().st_mode for p in parts}
    for p in parts:
        os.chmod(p, 0o500)  # the server cannot write there: APPEND fails
    try:
        outcome = do(sato, Operation.CLAIM, uid)
    finally:
        for p, mode in modes.items():
            os.chmod(p, mode)
    assert outcome.won  # the keyword change stands
    assert server_flags(dovecot, imap_user, uid) == encode(HandlingState.IN_PROGRESS, 0)
    assert team_queue.pending_count(sato.local, "support") == 1
    service = CoordinationService(sato, sato.account())
    assert service.history(uid) == []
    run_once(sato, sato.account(), service.refresh_team_job())
    assert team_queue.pending_count(sato.local, "support") == 0
    assert [h.operation for h in service.history(uid)] == ["claim"]


def test_capability_check_refuses_every_change_in_plain_words(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "no condstore")
    sato = team("sato")
    account = sato.account()
    SyncService(sato).sync_once(account)
    # A connection that never enabled CONDSTORE: SELECT reports no HIGHESTMODSEQ.
    session = start_session(open_imap(account.imap, imap_user.password), enable=False)
    service = CoordinationService(sato, account)
    try:
        for op in (Operation.CLAIM, Operation.DONE, Operation.SKIP):
            with pytest.raises(CapabilityError, match="no CONDSTORE") as failure:
                service.operation_job(op, uid)(EngineContext(session, sato.cache, account, {}))
            assert "Team handling is off for INBOX" in failure.value.message
            # the case and codes the window words (ui/error_words.team_off_sentence)
            assert failure.value.case is ErrorCase.TEAM_OFF
            assert failure.value.data == {"mailbox": "INBOX", "reasons": "no_condstore"}
            # the CLI's English is the error's sentence, as before; its Japanese has none of it
            assert cli_words(failure.value, "en") == failure.value.message
            assert cli_words(failure.value, "ja") == (
                "INBOX ではチームでの対応管理が使えません。"
                + TEAM_OFF_JA[TeamOffReason.NO_CONDSTORE]
                + "。"
            )
    finally:
        session.close()
    check = service.readiness("INBOX")
    assert check is not None and not check.ready
    assert any("CONDSTORE" in r for r in check.reasons)
    assert not OUR_KEYWORDS & {f.lower() for f in server_flags(dovecot, imap_user, uid)}
    # A normal connection passes the check, and the cache says so.
    run_once(sato, account, service.check_job())
    assert service.readiness("INBOX").ready  # type: ignore[union-attr]


def test_list_json_has_state_and_owner_and_filters(
    team: Team,
    dovecot: DovecotServer,
    imap_user: TestUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mailwise_desktop.cli.main import main

    uids = [seed(dovecot, imap_user, f"m{n}") for n in range(4)]
    sato, suzuki = team("sato"), team("suzuki")
    do(sato, Operation.CLAIM, uids[0])
    do(suzuki, Operation.CLAIM, uids[1])
    do(suzuki, Operation.SKIP, uids[2])
    SyncService(sato).sync_once(sato.account())
    monkeypatch.setenv("MAILWISE_HOME", str(sato.profile.root))

    def listed(*args: str) -> dict[int, tuple[str, str | None]]:
        capsys.readouterr()
        assert main(["list", "--json", *args]) == 0
        doc = json.loads(capsys.readouterr().out)
        return {m["uid"]: (m["state"], m["owner"]) for m in doc["messages"]}

    assert listed() == {
        uids[0]: ("in_progress", "sato"),
        uids[1]: ("in_progress", "suzuki"),
        uids[2]: ("no_reply_needed", "suzuki"),
        uids[3]: ("unhandled", None),
    }
    assert set(listed("--owner", "me")) == {uids[0]}
    assert set(listed("--owner", "suzuki")) == {uids[1], uids[2]}
    assert set(listed("--owner", "none")) == {uids[3]}
    assert set(listed("--state", "in_progress", "--owner", "suzuki")) == {uids[1]}


def _claim_recording(ctx: AppContext, uid: int) -> tuple[OperationOutcome, list[bytes]]:
    """Claim ``uid`` as ``mailwise claim`` does; the outcome and every command line sent."""
    lines: list[bytes] = []
    service = CoordinationService(ctx, ctx.account())
    job = service.operation_job(Operation.CLAIM, uid)
    return run_once(ctx, ctx.account(), job, on_command=lines.append), lines


def _about(uid: int, lines: list[bytes]) -> list[bytes]:
    """The commands naming message ``uid``, each cut to its verb (``UID STORE``, ``UID FETCH``)."""
    return [
        b" ".join(line.split(b" ")[:2]) for line in lines if line.split(b" ")[2:3] == [b"%d" % uid]
    ]


def test_claim_on_a_current_cache_stores_without_reading_the_flags_first(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "current cache", ("$label1",))
    sato = team("sato")
    SyncService(sato).sync_once(sato.account())
    won, lines = _claim_recording(sato, uid)
    assert won.won and won.owner is not None and won.owner.id == "sato"
    # The cached (flags, MODSEQ) pair decided the STORE: one round trip, no FETCH.
    assert _about(uid, lines) == [b"UID STORE"]
    assert server_flags(dovecot, imap_user, uid) == {
        "$label1",
        *encode(HandlingState.IN_PROGRESS, 0),
    }


def test_claim_on_a_stale_cache_loses_its_store_then_decides_on_the_server(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "stale cache", ("$label1",))
    sato, suzuki = team("sato"), team("suzuki")
    SyncService(suzuki).sync_once(suzuki.account())  # suzuki's cache: unhandled
    assert do(sato, Operation.CLAIM, uid).won
    lost, lines = _claim_recording(suzuki, uid)
    assert not lost.won and lost.refusal is RefusalKind.HELD_BY_OTHER
    assert lost.owner is not None and lost.owner.id == "sato"
    # The STORE on the stale pair lost (UNCHANGEDSINCE), then the server was read.
    assert _about(uid, lines)[:2] == [b"UID STORE", b"UID FETCH"]
    assert server_flags(dovecot, imap_user, uid) == {
        "$label1",
        *encode(HandlingState.IN_PROGRESS, 0),
    }


def test_claim_is_never_refused_on_the_cache_word_alone(
    team: Team, dovecot: DovecotServer, imap_user: TestUser
) -> None:
    uid = seed(dovecot, imap_user, "released meanwhile")
    sato, suzuki = team("sato"), team("suzuki")
    assert do(sato, Operation.CLAIM, uid).won
    SyncService(suzuki).sync_once(suzuki.account())  # suzuki's cache: held by sato
    assert do(sato, Operation.RELEASE, uid).won  # the server: unhandled again
    won, lines = _claim_recording(suzuki, uid)
    assert won.won and won.owner is not None and won.owner.id == "suzuki"
    assert _about(uid, lines) == [b"UID FETCH", b"UID STORE"]
    assert server_flags(dovecot, imap_user, uid) == encode(HandlingState.IN_PROGRESS, 1)
