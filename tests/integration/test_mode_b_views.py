"""Mode B in every view: list, show, search, counts, history, notes, follow-ups, "sent".

Two profiles (two machines) on the Exchange-like Dovecot (no CONDSTORE, no
keywords): what one claims, the other's ``mailwise list/show/search --json``
shows with its owner, though no keyword on the server says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.cli.main import main
from mailwise_desktop.core.profile import HOME_ENV
from mailwise_desktop.core.states import HandlingState, Operation
from mailwise_desktop.imap.log_claims import LogClaims
from mailwise_desktop.mail.team_records import TeamRecord
from mailwise_desktop.send.draft import OriginalSnapshot
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.follow_ups import FollowUpService
from mailwise_desktop.services.outbox_jobs import mark_answered_done
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import do, endpoint_for, open_profile, seed, server_flags

TEAM_BOX = "Mailwise"


@pytest.fixture
def exchange_user(exchange_dovecot: DovecotServer) -> TestUser:
    user = exchange_dovecot.add_user()
    exchange_dovecot.create_folder(user, TEAM_BOX)
    return user


@pytest.fixture
def profiles(
    exchange_dovecot: DovecotServer, exchange_user: TestUser, tmp_path: Path
) -> Iterator[dict[str, AppContext]]:
    """sato and suzuki, each its own profile folder; the roster has both."""
    endpoint = endpoint_for(exchange_dovecot, exchange_user)
    opened = {
        me: open_profile(tmp_path / f"profile-{me}", endpoint, exchange_user.password, me=me)
        for me in ("sato", "suzuki")
    }
    admin = opened["sato"]
    rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
    run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    yield opened
    for ctx in opened.values():
        ctx.close()


def cli_json(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> dict:  # type: ignore[type-arg]
    monkeypatch.setenv(HOME_ENV, str(ctx.profile.root))
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)  # type: ignore[no-any-return]


def sync(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(HOME_ENV, str(ctx.profile.root))
    assert main(["sync"]) == 0
    capsys.readouterr()


def cached(ctx: AppContext, uid: int) -> tuple[str, int | None]:
    with ctx.cache.transaction() as session:
        box = queries.mailbox(session, ctx.account().id, "INBOX")
        row = queries.message_by_uid(session, box.id, uid)
        return row.state, row.owner_slot


def test_a_teammates_claim_shows_in_list_show_search_and_counts(
    profiles: dict[str, AppContext],
    exchange_dovecot: DovecotServer,
    exchange_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    claimed = seed(exchange_dovecot, exchange_user, "請求書の再発行について")
    untouched = seed(exchange_dovecot, exchange_user, "ログインできません")
    sato, suzuki = profiles["sato"], profiles["suzuki"]
    assert do(sato, Operation.CLAIM, claimed).won
    # Nothing on the server says so: the log does.
    assert server_flags(exchange_dovecot, exchange_user, claimed) <= {"\\Seen"}

    sync(suzuki, monkeypatch, capsys)
    listed = cli_json(suzuki, monkeypatch, capsys, "list")
    by_uid = {m["uid"]: m for m in listed["messages"]}
    assert (by_uid[claimed]["state"], by_uid[claimed]["owner"]) == ("in_progress", "sato")
    assert (by_uid[untouched]["state"], by_uid[untouched]["owner"]) == ("unhandled", None)
    only = cli_json(suzuki, monkeypatch, capsys, "list", "--state", "in_progress")
    assert [m["uid"] for m in only["messages"]] == [claimed]
    shown = cli_json(suzuki, monkeypatch, capsys, "show", str(claimed))
    assert (shown["state"], shown["owner"]) == ("in_progress", "sato")
    found = cli_json(suzuki, monkeypatch, capsys, "search", "請求書")
    hit = next(m for m in found["messages"] if m["uid"] == claimed)
    assert (hit["state"], hit["owner"]) == ("in_progress", "sato")
    with suzuki.cache.transaction() as session:
        box = queries.mailbox(session, suzuki.account().id, "INBOX")
        assert queries.state_counts(session, box.id) == {"in_progress": 1, "unhandled": 1}

    # The loser is told; then the holder closes it and the other machine follows.
    lost = do(suzuki, Operation.CLAIM, claimed)
    assert not lost.won and lost.owner is not None and lost.owner.id == "sato"
    assert do(sato, Operation.DONE, claimed).won
    sync(suzuki, monkeypatch, capsys)
    shown = cli_json(suzuki, monkeypatch, capsys, "show", str(claimed))
    assert (shown["state"], shown["owner"]) == ("done", "sato")
    # A later flag change on the server (read elsewhere) does not undo the log's state.
    exchange_dovecot.flags_add(exchange_user, "\\Seen", claimed)
    sync(suzuki, monkeypatch, capsys)
    assert cached(suzuki, claimed)[0] == "done"


def test_history_and_notes_in_mode_b_leave_out_the_lost_race(
    profiles: dict[str, AppContext],
    exchange_dovecot: DovecotServer,
    exchange_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uid = seed(exchange_dovecot, exchange_user, "返品の手続き")
    sato, suzuki = profiles["sato"], profiles["suzuki"]
    assert do(sato, Operation.CLAIM, uid).won
    assert not do(suzuki, Operation.CLAIM, uid).won
    service = CoordinationService(sato, sato.account())
    run_once(sato, sato.account(), service.note_job(uid, "お客様に電話済み"))
    sync(suzuki, monkeypatch, capsys)
    history = cli_json(suzuki, monkeypatch, capsys, "history", str(uid))
    assert [(h["operation"], h["actor"]) for h in history["history"]] == [("claim", "sato")]
    assert [n["text"] for n in history["notes"]] == ["お客様に電話済み"]


def test_a_record_that_lost_a_race_is_kept_out_of_the_reports(
    profiles: dict[str, AppContext],
    exchange_dovecot: DovecotServer,
    exchange_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uid = seed(exchange_dovecot, exchange_user, "同時に完了")
    sato, suzuki = profiles["sato"], profiles["suzuki"]
    original = LogClaims._append
    raced: list[bool] = []

    def suzuki_first(self: LogClaims, record: TeamRecord) -> int | None:
        if not raced and record.kind == "event":
            raced.append(True)  # sato decided on "unhandled"; suzuki closes it first
            assert do(suzuki, Operation.DONE, uid).won
        return original(self, record)

    monkeypatch.setattr(LogClaims, "_append", suzuki_first)
    lost = do(sato, Operation.DONE, uid)  # sato's record is placed second: rejected, re-read
    assert raced and not lost.won and lost.state is HandlingState.DONE  # suzuki closed it first
    assert lost.owner is not None and lost.owner.id == "suzuki"
    for ctx in (sato, suzuki):
        run_once(ctx, ctx.account(), CoordinationService(ctx, ctx.account()).refresh_team_job())
        with ctx.cache.transaction() as session:
            rows = session.connection().exec_driver_sql(
                "SELECT actor, operation, to_state FROM team_records WHERE kind='event' "
                "ORDER BY uid"
            )
            assert [tuple(r) for r in rows] == [
                ("suzuki", "done", "done"),
                ("sato", "rejected", None),
            ], ctx.settings.get("me")
        assert [h.actor for h in CoordinationService(ctx, ctx.account()).history(uid)] == ["suzuki"]


def test_a_follow_up_goes_to_the_holder_in_mode_b(
    profiles: dict[str, AppContext], exchange_dovecot: DovecotServer, exchange_user: TestUser
) -> None:
    sato, suzuki = profiles["sato"], profiles["suzuki"]
    first = exchange_dovecot.append(
        exchange_user, make_message(subject="配送について", message_id="<q1@example.co.jp>")
    )
    assert do(sato, Operation.CLAIM, first).won
    follow = exchange_dovecot.append(
        exchange_user,
        make_message(
            subject="Re: 配送について",
            message_id="<q2@example.co.jp>",
            in_reply_to="<q1@example.co.jp>",
            references=["<q1@example.co.jp>"],
        ),
    )
    SyncService(suzuki).sync_once(suzuki.account())
    run_once(
        suzuki, suzuki.account(), CoordinationService(suzuki, suzuki.account()).refresh_team_job()
    )
    outcomes = run_once(
        suzuki, suzuki.account(), FollowUpService(suzuki, suzuki.account()).route_job()
    )
    routed = [o for o in outcomes if o.routed]
    assert [(o.uid, o.owner) for o in routed] == [(follow, "sato")]
    sato_slot = next(
        t.slot for t in CoordinationService(sato, sato.account()).roster() if t.id == "sato"
    )
    assert cached(suzuki, follow) == ("in_progress", sato_slot)
    # The holder's machine routes nothing more: it sees the log's decision.
    SyncService(sato).sync_once(sato.account())
    again = run_once(sato, sato.account(), FollowUpService(sato, sato.account()).route_job())
    assert not any(o.routed for o in again)
    assert cached(sato, follow) == ("in_progress", sato_slot)


def test_a_sent_reply_marks_answered_and_done_in_mode_b(
    profiles: dict[str, AppContext], exchange_dovecot: DovecotServer, exchange_user: TestUser
) -> None:
    sato = profiles["sato"]
    uid = seed(exchange_dovecot, exchange_user, "見積もりのお願い")
    assert do(sato, Operation.CLAIM, uid).won
    service = CoordinationService(sato, sato.account())
    me = service.me()
    assert me is not None
    original = OriginalSnapshot(
        mailbox="INBOX",
        uid=uid,
        message_id="見積もりのお願い@example.jp",
        modseq=0,
        answered=False,
        state="in_progress",
        owner_slot=me.slot,
        thread_key=None,
        uidnext=uid + 1,
    )
    run_once(
        sato,
        sato.account(),
        lambda e: mark_answered_done(
            e, service, original, me, done=True, message_id="r1@x", recipients=["a@example.jp"]
        ),
    )
    assert "\\Answered" in server_flags(exchange_dovecot, exchange_user, uid)
    assert cached(sato, uid) == (HandlingState.DONE.value, me.slot)
    assert [h.operation for h in service.history(uid)] == ["claim", "sent"]
