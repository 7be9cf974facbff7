"""Mode B on a Dovecot configured like Exchange Online: no CONDSTORE, keywords refused.

A second Dovecot instance (``exchange_like``) runs next to the Mode A one, so
a team can mix a Mode A mailbox with a Mode B one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Account, default_smtp
from mailwise_desktop.core.errors import HeldByOtherError
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.states import HandlingState, Operation, RefusalKind
from mailwise_desktop.imap.coordination_mode import CoordinationMode, choose
from mailwise_desktop.imap.log_claims import LogClaims, LogStatus
from mailwise_desktop.services.accounts import AccountService
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.teammates import Team, do, endpoint_for, open_profile, seed, server_flags

TEAM_BOX = "Mailwise"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def exchange_user(exchange_dovecot: DovecotServer) -> TestUser:
    user = exchange_dovecot.add_user()
    exchange_dovecot.create_folder(user, TEAM_BOX)
    return user


def test_an_exchange_like_mailbox_is_mode_b_and_says_why(
    exchange_dovecot: DovecotServer, exchange_user: TestUser
) -> None:
    client = exchange_dovecot.connect(exchange_user)
    try:
        choice = choose(client, "INBOX")
    finally:
        client.logout()
    assert choice.mode is CoordinationMode.LOG
    assert not choice.condstore
    assert choice.keywords_work is False or not choice.keywords_advertised
    words = choice.explain()
    assert "team log" in words and "cannot change a message only if nobody" in words
    assert "Other mail apps do not see" in words
    # The probe message is gone, the mailbox is as it was.
    assert (
        exchange_dovecot.doveadm(
            "search", "-u", exchange_user.name, "mailbox", "INBOX", "ALL"
        ).strip()
        == ""
    )


def test_a_keyword_server_is_mode_a(dovecot: DovecotServer, imap_user: TestUser) -> None:
    client = dovecot.connect(imap_user)
    try:
        choice = choose(client, "INBOX")
    finally:
        client.logout()
    assert choice.mode is CoordinationMode.KEYWORDS
    assert choice.reasons == ()
    assert "labels on each message" in choice.explain()


def _claims(server: DovecotServer, user: TestUser) -> LogClaims:
    return LogClaims(server.connect(user), TEAM_BOX)


def test_claim_then_loser_is_told_the_winner(
    exchange_dovecot: DovecotServer, exchange_user: TestUser
) -> None:
    sato, suzuki = (
        _claims(exchange_dovecot, exchange_user),
        _claims(exchange_dovecot, exchange_user),
    )
    try:
        won = sato.change(
            "msg-1@example.jp", Operation.CLAIM, actor="sato", actor_label="佐藤", me=0
        )
        lost = suzuki.change(
            "msg-1@example.jp", Operation.CLAIM, actor="suzuki", actor_label="鈴木", me=1
        )
        assert won.status is LogStatus.WON and won.view.owner_slot == 0
        assert won.view.state is HandlingState.IN_PROGRESS
        assert lost.status is LogStatus.REFUSED
        assert lost.refusal is not None and lost.refusal.kind is RefusalKind.HELD_BY_OTHER
        assert lost.head is not None and lost.head.actor == "sato"
        # Release, then the other can take it: the chain continues.
        assert (
            sato.change(
                "msg-1@example.jp", Operation.RELEASE, actor="sato", actor_label="佐藤", me=0
            ).status
            is LogStatus.WON
        )
        again = suzuki.change(
            "msg-1@example.jp", Operation.CLAIM, actor="suzuki", actor_label="鈴木", me=1
        )
        assert (
            again.status is LogStatus.WON
            and again.head is not None
            and again.head.actor == "suzuki"
        )
        assert suzuki.resolution("msg-1@example.jp").view("msg-1@example.jp").owner_slot == 1
    finally:
        sato.client.logout()
        suzuki.client.logout()


def test_racing_writers_on_a_stale_head_one_wins_the_other_is_told(
    exchange_dovecot: DovecotServer, exchange_user: TestUser
) -> None:
    """Both decide on the empty log before either appends: exactly the first placed wins."""
    a, b = _claims(exchange_dovecot, exchange_user), _claims(exchange_dovecot, exchange_user)
    original = LogClaims._append
    gate: dict[str, int] = {"calls": 0}

    def b_first(self: LogClaims, record):  # type: ignore[no-untyped-def]
        if self is a and gate["calls"] == 0:
            gate["calls"] = 1
            # b reads and writes while a still holds its stale (empty) head
            assert (
                b.change(record.target, Operation.CLAIM, actor="b", actor_label="B", me=1).status
                is LogStatus.WON
            )
        return original(self, record)

    try:
        LogClaims._append = b_first  # type: ignore[method-assign]
        result = a.change("race@example.jp", Operation.CLAIM, actor="a", actor_label="A", me=0)
    finally:
        LogClaims._append = original  # type: ignore[method-assign]
        a.client.logout()
        b.client.logout()
    assert result.status is LogStatus.REFUSED
    assert result.head is not None and result.head.actor == "b"
    assert result.attempts == 1  # a wrote a record, it was rejected, a re-read and was told


@pytest.mark.slow
def test_ten_processes_race_no_double_owner(
    exchange_dovecot: DovecotServer, exchange_user: TestUser
) -> None:
    rounds = int(os.environ.get("MW_MODE_B_RACE_ROUNDS", "20"))  # 100 = 1,000 races
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.harness.log_claim_worker",
                exchange_dovecot.host,
                str(exchange_dovecot.imaps_port),
                str(exchange_dovecot.ca_file),
                exchange_user.name,
                exchange_user.password,
                f"t{n}",
                str(n),
                str(rounds),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for n in range(10)
    ]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    claims = _claims(exchange_dovecot, exchange_user)
    try:
        for r in range(rounds):
            target = f"race-{r}@example.jp"
            head = claims.resolution(target).heads[target]
            winners = [line for out in outputs for line in out.splitlines() if line == f"{r} won"]
            assert len(winners) == 1, (r, winners)
            losers = [
                line
                for out in outputs
                for line in out.splitlines()
                if line.startswith(f"{r} lost ")
            ]
            assert len(losers) == 9
            assert all(line == f"{r} lost {head.actor}" for line in losers)
    finally:
        claims.client.logout()


# -- through the coordination service, as `mailwise claim` and the window run it


def _team(server: DovecotServer, user: TestUser, root: Path) -> Team:
    endpoint = endpoint_for(server, user)
    opened: dict[str, AppContext] = {}

    def profile(me: str) -> AppContext:
        if me not in opened:
            opened[me] = open_profile(
                root / f"{server.imaps_port}-{me}", endpoint, user.password, me=me
            )
        return opened[me]

    admin = profile("sato")
    rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
    run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    return profile


def test_service_claims_in_mode_b_and_the_loser_is_told_who(
    exchange_dovecot: DovecotServer, exchange_user: TestUser, tmp_path: Path
) -> None:
    team = _team(exchange_dovecot, exchange_user, tmp_path)
    uid = seed(exchange_dovecot, exchange_user, "請求書の再発行について")
    sato, suzuki = team("sato"), team("suzuki")
    won = do(sato, Operation.CLAIM, uid)
    assert won.won and won.state is HandlingState.IN_PROGRESS
    assert won.owner is not None and won.owner.id == "sato"
    lost = do(suzuki, Operation.CLAIM, uid)
    assert not lost.won and lost.refusal is RefusalKind.HELD_BY_OTHER
    assert lost.message.startswith("佐藤 has held this since ")
    with pytest.raises(HeldByOtherError, match="佐藤"):
        lost.raise_if_refused()
    # No keywords on the message (the server refuses them); the log holds it.
    assert server_flags(exchange_dovecot, exchange_user, uid) <= {"\\Seen"}
    history = CoordinationService(suzuki, suzuki.account()).history(uid)
    assert [h.operation for h in history] == ["claim"]
    assert do(sato, Operation.DONE, uid).won
    assert not do(suzuki, Operation.RELEASE, uid).won


def test_a_team_with_a_mode_a_and_a_mode_b_mailbox(
    dovecot: DovecotServer,
    imap_user: TestUser,
    exchange_dovecot: DovecotServer,
    exchange_user: TestUser,
    tmp_path: Path,
) -> None:
    keyword_team = _team(dovecot, imap_user, tmp_path)
    log_team = _team(exchange_dovecot, exchange_user, tmp_path)
    a_uid = seed(dovecot, imap_user, "Mode A のお問い合わせ")
    b_uid = seed(exchange_dovecot, exchange_user, "Mode B のお問い合わせ")
    assert do(keyword_team("sato"), Operation.CLAIM, a_uid).won
    assert do(log_team("suzuki"), Operation.CLAIM, b_uid).won
    assert not do(keyword_team("suzuki"), Operation.CLAIM, a_uid).won
    assert not do(log_team("sato"), Operation.CLAIM, b_uid).won
    # Mode A wrote keywords; Mode B did not (and could not).
    assert "mw-wip" in server_flags(dovecot, imap_user, a_uid)
    assert "mw-wip" not in server_flags(exchange_dovecot, exchange_user, b_uid)


def test_account_add_and_team_status_say_mode_b_in_plain_words(
    exchange_dovecot: DovecotServer, exchange_user: TestUser, tmp_path: Path
) -> None:
    ctx = AppContext.open(Profile(tmp_path / "new-profile"))
    try:
        endpoint = endpoint_for(exchange_dovecot, exchange_user)
        added = AccountService(ctx).add(
            Account("support", endpoint, default_smtp(endpoint)), exchange_user.password
        )
        assert [m.mode for m in added.modes] == [CoordinationMode.LOG]
        assert (
            added.modes[0]
            .explain()
            .startswith("INBOX: who handles what is decided by the team log")
        )
        service = CoordinationService(ctx, ctx.account())
        run_once(ctx, ctx.account(), service.check_job())
        check = service.readiness("INBOX")
        assert check is not None and check.ready
        assert "team log" in check.reasons[0]
    finally:
        ctx.close()
