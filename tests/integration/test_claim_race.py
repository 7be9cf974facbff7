"""The acceptance race: 10 teammates in 10 processes claim the same messages at once.

Ten worker processes (``tests/harness/claim_worker.py``), each its own profile
and IMAP session, claim the same 100 fresh messages in the same order, started
together; ten rounds make 1,000 races. Every message must end with exactly one
owner, every loser must have been told "someone else holds it" naming the
winner, and the flags on the server — read with ``doveadm``, not by our code —
must be exactly the protocol's (the winner's 4-of-8 code, ``mw-wip``, and the
foreign flags untouched).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.imap.keywords import encode
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import endpoint_for, open_profile

pytestmark = pytest.mark.slow

NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
TEAM = [(f"t{n}", name) for n, name in enumerate(NAMES)]
ROUNDS = int(os.environ.get("MW_RACE_ROUNDS", "10"))
PER_ROUND = 100
FOREIGN = {"$Forwarded", "$label1"}
REPO = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, config: dict[str, Any], module: str = "tests.harness.claim_worker") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.send(config)

    def send(self, document: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(document, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"worker exited with {self.proc.wait(5)}"
        return json.loads(line)  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()


def server_flags(
    dovecot: DovecotServer, user: TestUser, first: int, last: int
) -> dict[int, set[str]]:
    """uid → flags of INBOX messages first..last, read with doveadm."""
    out = dovecot.doveadm(
        "fetch", "uid flags", "mailbox", "INBOX", "uid", f"{first}:{last}", user=user
    )
    flags: dict[int, set[str]] = {}
    uid = None
    for line in out.splitlines():
        if line.startswith("uid:"):
            uid = int(line.split(":", 1)[1])
        elif line.startswith("flags:") and uid is not None:
            flags[uid] = set(line.split(":", 1)[1].split()) - {"\\Recent"}
    return flags


@pytest.mark.timeout(900)  # ~2 min on an idle 2-core machine; shared CI boxes are slower
def test_ten_processes_race_for_a_thousand_claims(
    dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    endpoint = endpoint_for(dovecot, imap_user)
    admin = open_profile(tmp_path / "admin", endpoint, imap_user.password)
    rows = [TeammateRow(tid, name, f"{tid}@example.jp") for tid, name in TEAM]
    roster = run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    admin.close()
    slot_of = {t.id: t.slot for t in roster}
    name_of = {t.id: t.name for t in roster}

    workers = [
        Worker(
            {
                "root": str(tmp_path / tid),
                "host": dovecot.host,
                "port": dovecot.imaps_port,
                "ca": str(dovecot.ca_file),
                "user": imap_user.name,
                "password": imap_user.password,
                "me": tid,
            }
        )
        for tid, _ in TEAM
    ]
    races = store_losses = 0
    try:
        for w in workers:
            assert w.receive() == {"ok": True}
        next_uid = 1
        for round_ in range(ROUNDS):
            t_round = time.perf_counter()
            raws = [
                make_message(
                    subject=f"請求書 {round_}-{n}",
                    body="本文",
                    message_id=f"<r{round_}-{n}@example.jp>",
                )
                for n in range(PER_ROUND)
            ]
            dovecot.seed_maildir(imap_user, raws, seen=round_ % 2 == 1)
            for w in workers:
                w.send({"cmd": "sync"})
            for w in workers:
                assert w.receive() == {"ok": True}
            # The first sync made Dovecot assign the UIDs; primer messages take some.
            flags_now = server_flags(dovecot, imap_user, next_uid, next_uid + 10 * PER_ROUND)
            uids = sorted(flags_now)[-PER_ROUND:]
            assert len(uids) == PER_ROUND
            dovecot.doveadm(
                "flags", "add", " ".join(sorted(FOREIGN)), "mailbox", "INBOX",
                "uid", f"{uids[0]}:{uids[-1]}", user=imap_user,
            )  # fmt: skip
            t_claim = time.perf_counter()
            for w in workers:
                w.send({"cmd": "claim", "uids": uids})
            answers = {
                tid: w.receive()["results"] for (tid, _), w in zip(TEAM, workers, strict=True)
            }
            print(
                f"round {round_}: prep {t_claim - t_round:.1f}s claims {time.perf_counter() - t_claim:.1f}s"
            )
            on_server = server_flags(dovecot, imap_user, uids[0], uids[-1])
            for i, uid in enumerate(uids):
                results = {tid: answers[tid][i] for tid, _ in TEAM}
                assert all("error" not in r for r in results.values()), results
                winners = [tid for tid, r in results.items() if r["won"]]
                assert len(winners) == 1, (uid, results)
                winner = winners[0]
                races += 1
                for tid, r in results.items():
                    assert r["uid"] == uid
                    assert r["owner"] == winner, (uid, tid, r)
                    if tid == winner:
                        continue
                    store_losses += r["stores"] > 0
                    assert r["refusal"] == "held_by_other", (uid, tid, r)
                    assert r["message"].startswith(name_of[winner]), r
                expected = FOREIGN | encode(HandlingState.IN_PROGRESS, slot_of[winner])
                if round_ % 2 == 1:
                    expected |= {"\\Seen"}
                assert on_server[uid] == expected, (uid, winner, on_server[uid])
            next_uid = uids[-1] + 1
    finally:
        for w in workers:
            w.stop()
    # Winners are spread over the team, and some losers lost at the STORE itself
    # (not only at the read): the races were real.
    assert races == ROUNDS * PER_ROUND
    assert store_losses > 0
    print(f"\nclaim race: {races} races, 0 double wins, {store_losses} losses at the STORE")
