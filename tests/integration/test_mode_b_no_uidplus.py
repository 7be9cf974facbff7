"""Mode B on a server without UIDPLUS: the writer finds its record by searching.

The Exchange-like Dovecot with UIDPLUS also taken out of its capability list
(``tests/harness/dovecot.py: EXCHANGE_LIKE_NO_UIDPLUS``). Whatever response
code the server still sends, a writer must not rely on an APPENDUID the
server did not promise: it finds its record by its Message-ID among the
records that arrived since it first read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailwise_desktop.core.states import HandlingState, Operation, RefusalKind
from mailwise_desktop.imap.coordination_mode import CoordinationMode, choose
from mailwise_desktop.imap.log_claims import LogClaims, LogStatus
from mailwise_desktop.services.coordination import CoordinationService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser, dovecot_available, start_dovecot
from tests.harness.teammates import do, endpoint_for, open_profile, seed

TEAM_BOX = "Mailwise"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plain_dovecot() -> Iterator[DovecotServer]:
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    server = start_dovecot(exchange_like=True, uidplus=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def user(plain_dovecot: DovecotServer) -> TestUser:
    found = plain_dovecot.add_user()
    plain_dovecot.create_folder(found, TEAM_BOX)
    return found


def test_the_server_offers_no_uidplus_and_is_mode_b(
    plain_dovecot: DovecotServer, user: TestUser
) -> None:
    client = plain_dovecot.connect(user)
    try:
        assert not client.has_capability("UIDPLUS")
        assert choose(client, "INBOX").mode is CoordinationMode.LOG
        # The probe message cannot be UID EXPUNGEd: a second probe reuses it.
        choose(client, "INBOX")
        client.select_folder("INBOX")
        assert len(client.search(["HEADER", "X-Mailwise-Kind", "primer"])) == 1
    finally:
        client.logout()


def test_claims_find_their_record_by_search_and_the_loser_is_told(
    plain_dovecot: DovecotServer, user: TestUser
) -> None:
    sato = LogClaims(plain_dovecot.connect(user), TEAM_BOX, mailbox="INBOX")
    suzuki = LogClaims(plain_dovecot.connect(user), TEAM_BOX, mailbox="INBOX")
    try:
        won = sato.change("q@example.jp", Operation.CLAIM, actor="sato", actor_label="佐藤", me=0)
        assert not sato._uidplus()  # the search path, not APPENDUID
        assert won.status is LogStatus.WON and won.view.state is HandlingState.IN_PROGRESS
        assert won.head is not None and won.head.uid > 0
        lost = suzuki.change(
            "q@example.jp", Operation.CLAIM, actor="suzuki", actor_label="鈴木", me=1
        )
        assert lost.status is LogStatus.REFUSED and lost.head is not None
        assert lost.refusal is not None and lost.refusal.kind is RefusalKind.HELD_BY_OTHER
        assert lost.head.actor == "sato"
        # A stale head: suzuki decided before sato's release and re-claim.
        assert (
            sato.change(
                "q@example.jp", Operation.RELEASE, actor="sato", actor_label="佐藤", me=0
            ).status
            is LogStatus.WON
        )
        again = suzuki.change(
            "q@example.jp", Operation.CLAIM, actor="suzuki", actor_label="鈴木", me=1
        )
        assert (
            again.status is LogStatus.WON
            and again.head is not None
            and again.head.actor == "suzuki"
        )
    finally:
        sato.client.logout()
        suzuki.client.logout()


def test_service_claims_through_the_search_path(
    plain_dovecot: DovecotServer, user: TestUser, tmp_path: Path
) -> None:
    endpoint = endpoint_for(plain_dovecot, user)
    sato = open_profile(tmp_path / "sato", endpoint, user.password, me="sato")
    suzuki = open_profile(tmp_path / "suzuki", endpoint, user.password, me="suzuki")
    try:
        rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
        run_once(sato, sato.account(), TeamService(sato, sato.account()).import_job(rows))
        uid = seed(plain_dovecot, user, "UIDPLUS なしの件")
        assert do(sato, Operation.CLAIM, uid).won
        lost = do(suzuki, Operation.CLAIM, uid)
        assert not lost.won and lost.owner is not None and lost.owner.id == "sato"
        assert [
            h.operation for h in CoordinationService(suzuki, suzuki.account()).history(uid)
        ] == ["claim"]
    finally:
        sato.close()
        suzuki.close()


@pytest.mark.slow
def test_ten_processes_race_without_uidplus_no_double_owner(
    plain_dovecot: DovecotServer, user: TestUser
) -> None:
    rounds = int(os.environ.get("MW_NO_UIDPLUS_RACE_ROUNDS", "10"))  # 10 rounds = 100 races
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.harness.log_claim_worker",
                plain_dovecot.host,
                str(plain_dovecot.imaps_port),
                str(plain_dovecot.ca_file),
                user.name,
                user.password,
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
    claims = LogClaims(plain_dovecot.connect(user), TEAM_BOX)
    try:
        for r in range(rounds):
            target = f"race-{r}@example.jp"
            head = claims.resolution(target).heads[target]
            lines = [
                line for out in outputs for line in out.splitlines() if line.split()[0] == str(r)
            ]
            assert lines.count(f"{r} won") == 1, (r, lines)
            assert sorted(lines) == sorted([f"{r} won", *[f"{r} lost {head.actor}"] * 9])
    finally:
        claims.client.logout()
