"""The app killed at random moments while it APPENDs team records: each record lands once.

A teammate's app (``tests/harness/record_worker.py``, in its own process)
writes notes through ``CoordinationService.note_job`` — what ``mailwise
note`` and the window run — or sends records queued by earlier failed
APPENDs. It is killed (``Popen.kill``: SIGKILL on POSIX, TerminateProcess on
Windows) at a random moment, maybe mid-APPEND, again and again. The next
start's flush sends what was left queued. Counted on the real Dovecot
(``doveadm``): no record is there twice, every note the app said it saved is
there, and nothing stays queued.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.store import team_queue
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import endpoint_for, open_profile
from tests.integration.test_claim_race import Worker

pytestmark = pytest.mark.integration

TEAM_MAILBOX = "Mailwise"
WORKER = "tests.harness.record_worker"
ROUNDS = 4
PER_ROUND = 12


def on_server(dovecot: DovecotServer, user: TestUser, texts: list[str]) -> Counter[str]:
    """How many records in the team mailbox carry each text (read with doveadm)."""
    out = dovecot.doveadm("fetch", "body", "mailbox", TEAM_MAILBOX, "all", user=user)
    found: Counter[str] = Counter()
    for text in texts:
        found[text] = out.count(f'"{text}"')
    return found


def kill_at_random(worker: Worker, rng: random.Random, first: float, last: float) -> list[Any]:
    """Kill the worker after a random wait; what it answered before it died."""
    time.sleep(rng.uniform(first, last))
    worker.proc.kill()
    worker.proc.wait(10)
    assert worker.proc.stdout is not None
    return [json.loads(line) for line in worker.proc.stdout if line.strip()]


def pending(root: Path, endpoint: Any, password: str) -> int:
    ctx = open_profile(root, endpoint, password, me="sato")
    try:
        return team_queue.pending_count(ctx.local, ctx.account().id)
    finally:
        ctx.close()


def test_killed_writer_delivers_every_record_once(
    dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    endpoint = endpoint_for(dovecot, imap_user)
    admin: AppContext = open_profile(tmp_path / "admin", endpoint, imap_user.password)
    run_once(
        admin,
        admin.account(),
        TeamService(admin, admin.account()).import_job([TeammateRow("sato", "佐藤")]),
    )
    admin.close()
    uid = dovecot.append(imap_user, make_message(subject="notes under fire"))
    config = {
        "root": str(tmp_path / "sato"),
        "host": dovecot.host,
        "port": dovecot.imaps_port,
        "ca": str(dovecot.ca_file),
        "user": imap_user.name,
        "password": imap_user.password,
        "me": "sato",
    }
    rng = random.Random(9)
    texts: list[str] = []
    saved: set[str] = set()
    for round_ in range(ROUNDS):
        # Live notes, killed mid-way.
        notes = [f"kill-note-{round_}-{n}" for n in range(PER_ROUND)]
        texts += notes
        worker = Worker(config, WORKER)
        assert worker.receive() == {"ok": True}
        worker.send({"cmd": "notes", "uid": uid, "texts": notes})
        saved |= {a["wrote"] for a in kill_at_random(worker, rng, 0.05, 1.5) if "wrote" in a}
        assert max(on_server(dovecot, imap_user, texts).values()) <= 1
        # Records queued by earlier failed APPENDs, their flush killed mid-way.
        queued = [f"kill-queued-{round_}-{n}" for n in range(PER_ROUND)]
        texts += queued
        worker = Worker(config, WORKER)
        assert worker.receive() == {"ok": True}
        worker.send({"cmd": "queue", "uid": uid, "texts": queued})
        assert worker.receive() == {"queued": PER_ROUND}
        worker.send({"cmd": "flush"})
        kill_at_random(worker, rng, 0.05, 1.0)
        saved |= set(queued)  # the user was told these are kept and will be delivered
        assert max(on_server(dovecot, imap_user, texts).values()) <= 1

    # The next start sends what is left.
    worker = Worker(config, WORKER)
    try:
        assert worker.receive() == {"ok": True}
        worker.send({"cmd": "flush"})
        assert "flushed" in worker.receive()
    finally:
        worker.stop()
    counts = on_server(dovecot, imap_user, texts)
    assert max(counts.values()) == 1, {t: c for t, c in counts.items() if c > 1}
    assert {t for t in saved if counts[t] != 1} == set()
    assert pending(tmp_path / "sato", endpoint, imap_user.password) == 0
