"""A process killed between a winning STORE and its history event: the event is still delivered once.

A change of handling state is a conditional STORE, then a history event in
the team mailbox. The event is written ahead of the STORE
(services/intended_records.py) and settled on the next start. Teammates'
apps run in their own processes (``tests/harness/claim_worker.py``) and are
killed (``Popen.kill``: SIGKILL on POSIX, TerminateProcess on Windows) at
fixed points — right after the winning STORE, and after the event was written
ahead but before the STORE — and at random moments of claim races. Counted on
the real Dovecot with ``doveadm``: no double owner; every change that stands
has exactly one event; none for a change that does not; nothing queued after
the next start; the cache agrees with the server after a sync.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.imap import keywords
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.store import queries
from tests.harness.bridge import ENV as WINDOWS_LANE
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import endpoint_for, open_profile
from tests.integration.test_claim_race import Worker, server_flags

pytestmark = pytest.mark.integration

TEAM_MAILBOX = "Mailwise"
# Each teammate is a process of its own; under the Windows lane each start is a Windows
# Python under Wine (about 18 s with its imports and first sync; 15 starts took 4.5 min).
# There the fixed points (the abrupt deaths TerminateProcess must survive) all run and
# one round of random kills; Linux runs all four rounds.
ROUNDS = 1 if os.environ.get(WINDOWS_LANE) else 4
PER_ROUND = 10


def events_on_server(dovecot: DovecotServer, user: TestUser) -> Counter[tuple[int, str]]:
    """(uid, operation) → how many history events the team mailbox holds (read with doveadm)."""
    out = dovecot.doveadm("fetch", "body", "mailbox", TEAM_MAILBOX, "all", user=user)
    found: Counter[tuple[int, str]] = Counter()
    decoder = json.JSONDecoder()
    for start in (m.start() for m in re.finditer(r"^\{$", out, re.MULTILINE)):
        payload, _end = decoder.raw_decode(out, start)  # a record's body: indented JSON
        if isinstance(payload, dict) and "operation" in payload:
            found[(int(payload["uid"]), str(payload["operation"]))] += 1
    return found


def test_killed_after_the_store_still_records_each_change_once(
    dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    endpoint = endpoint_for(dovecot, imap_user)
    admin = open_profile(tmp_path / "admin", endpoint, imap_user.password)
    rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
    roster = run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    admin.close()
    slot = {t.id: t.slot for t in roster}

    def config(me: str) -> dict[str, object]:
        return {
            "root": str(tmp_path / me),
            "host": dovecot.host,
            "port": dovecot.imaps_port,
            "ca": str(dovecot.ca_file),
            "user": imap_user.name,
            "password": imap_user.password,
            "me": me,
        }

    def started(me: str) -> Worker:
        worker = Worker(config(me))
        assert worker.receive() == {"ok": True}
        worker.send({"cmd": "sync"})
        assert worker.receive() == {"ok": True}
        return worker

    def killed_at(point: str, op: str, uid: int) -> None:
        """Run ``op`` on ``uid`` as sato and kill the process at ``point`` of its CAS."""
        worker = started("sato")
        try:
            worker.send({"cmd": "claim", "uids": [uid], "op": op, "pause": point, "at": uid})
            assert worker.receive() == {"paused": uid}
            worker.proc.kill()
            worker.proc.wait(10)
        finally:
            worker.stop()

    def fresh_uids(count: int, tag: str) -> list[int]:
        for n in range(count):
            dovecot.append(
                imap_user, make_message(subject=f"{tag} {n}", message_id=f"<{tag}{n}@x.jp>")
            )
        flags_now = server_flags(dovecot, imap_user, 1, 10_000)
        return sorted(u for u, f in flags_now.items() if not f & keywords.OUR_KEYWORDS)[-count:]

    # Fixed points. a: claim killed right after its STORE won; b: claim killed
    # after its event was written ahead, before the STORE; c: claimed, then a
    # hold killed right after its STORE; d: claimed, then a release killed
    # before its STORE.
    a, b, c, d = fresh_uids(4, "fixed")
    killed_at("after_store", "claim", a)
    killed_at("before_store", "claim", b)
    worker = started("sato")
    try:
        worker.send({"cmd": "claim", "uids": [c, d]})
        assert all(r["won"] for r in worker.receive()["results"])
    finally:
        worker.stop()
    killed_at("after_store", "hold", c)
    killed_at("before_store", "release", d)
    expected: Counter[tuple[int, str]] = Counter(
        {(a, "claim"): 1, (c, "claim"): 1, (c, "hold"): 1, (d, "claim"): 1}
    )

    # Random kills in claim races between two teammates.
    rng = random.Random(17)
    raced: list[int] = []
    for round_ in range(ROUNDS):
        uids = fresh_uids(PER_ROUND, f"race{round_}-")
        raced += uids
        victim, survivor = started("sato"), started("suzuki")
        try:
            for w in (victim, survivor):
                w.send({"cmd": "claim", "uids": uids})
            time.sleep(rng.uniform(0.02, 0.8))
            victim.proc.kill()
            victim.proc.wait(10)
            survivor.receive()
        finally:
            victim.stop()
            survivor.stop()

    # The next start settles and delivers what the killed runs left.
    for me in ("sato", "suzuki"):
        worker = started(me)
        try:
            worker.send({"cmd": "flush"})
            assert worker.receive()["pending"] == 0
        finally:
            worker.stop()

    flags = server_flags(dovecot, imap_user, min(a, *raced), max(raced))
    decoded = {uid: keywords.decode(tuple(f)) for uid, f in flags.items()}
    for uid in (a, b, c, d, *raced):
        assert not decoded[uid].problems, (uid, flags[uid])  # never a double owner
    assert (decoded[a].state, decoded[a].owner_slot) == (HandlingState.IN_PROGRESS, slot["sato"])
    assert decoded[b].state is HandlingState.UNHANDLED
    assert decoded[c].state is HandlingState.ON_HOLD
    assert (decoded[d].state, decoded[d].owner_slot) == (HandlingState.IN_PROGRESS, slot["sato"])
    for uid in raced:
        stands = decoded[uid].owner_slot is not None
        assert stands == (decoded[uid].state is HandlingState.IN_PROGRESS), (uid, flags[uid])
        expected[(uid, "claim")] = 1 if stands else 0
    found = events_on_server(dovecot, imap_user)
    wrong = {key: (found[key], want) for key, want in expected.items() if found[key] != want} | {
        key: (n, 0) for key, n in found.items() if key not in expected
    }
    assert wrong == {}, wrong  # (uid, operation): (events on the server, changes that stand)

    # The killed teammate's cache agrees with the server after a sync.
    sato = open_profile(tmp_path / "sato", endpoint, imap_user.password, me="sato")
    try:
        SyncService(sato).sync_once(sato.account())
        with sato.cache.transaction() as session:
            box = queries.mailbox(session, "support", "INBOX")
            for uid in (a, b, c, d, *raced):
                row = queries.message_by_uid(session, box.id, uid)
                assert (row.state, row.owner_slot) == (
                    str(decoded[uid].state),
                    decoded[uid].owner_slot,
                ), uid
    finally:
        sato.close()
