"""A claiming process killed at a random moment leaves no double owner and a consistent cache.

Two teammates in two processes (``tests/harness/claim_worker.py``) claim the
same fresh messages; one is killed (``Popen.kill``: SIGKILL on POSIX,
TerminateProcess on Windows) at a random point, maybe mid-STORE or mid-cache
write. The server's flags, read with ``doveadm``, must show exactly one owner
per claimed message and never a half-written code; the killed teammate's
profile must open again and, after a sync, agree with the server.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from mailwise_desktop.imap import keywords
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.store import queries
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.seed import make_message
from tests.harness.teammates import endpoint_for, open_profile
from tests.integration.test_claim_race import Worker, server_flags

ROUNDS = 3
PER_ROUND = 12


def test_killed_claimer_leaves_one_owner_and_a_consistent_cache(
    dovecot: DovecotServer, imap_user: TestUser, tmp_path: Path
) -> None:
    endpoint = endpoint_for(dovecot, imap_user)
    admin = open_profile(tmp_path / "admin", endpoint, imap_user.password)
    rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
    roster = run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    admin.close()
    slot = {t.id: t.slot for t in roster}
    rng = random.Random(10)

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

    all_uids: list[int] = []
    for round_ in range(ROUNDS):
        for n in range(PER_ROUND):
            raw = make_message(subject=f"kill {round_}-{n}", message_id=f"<k{round_}-{n}@x.jp>")
            dovecot.append(imap_user, raw)
        victim, survivor = Worker(config("sato")), Worker(config("suzuki"))
        try:
            for w in (victim, survivor):
                assert w.receive() == {"ok": True}
                w.send({"cmd": "sync"})
            for w in (victim, survivor):
                assert w.receive() == {"ok": True}
            flags_now = server_flags(dovecot, imap_user, 1, 10_000)
            fresh = [u for u, f in flags_now.items() if not f & keywords.OUR_KEYWORDS]
            uids = sorted(fresh)[-PER_ROUND:]
            all_uids += uids
            for w in (victim, survivor):
                w.send({"cmd": "claim", "uids": uids})
            time.sleep(rng.uniform(0.02, 0.6))
            victim.proc.kill()
            victim.proc.wait(10)
            results = {r["uid"]: r for r in survivor.receive()["results"]}
        finally:
            victim.stop()
            survivor.stop()
        flags = server_flags(dovecot, imap_user, min(uids), max(uids))
        for uid in uids:
            decoded = keywords.decode(tuple(flags[uid]))
            assert not decoded.problems, (uid, flags[uid])  # never a half-written owner code
            assert decoded.owner_slot in {slot["sato"], slot["suzuki"]}, (uid, flags[uid])
            won = results[uid].get("won")
            assert won == (decoded.owner_slot == slot["suzuki"]), (uid, results[uid], flags[uid])
            if not won:
                assert results[uid]["owner"] == "sato", results[uid]

    # The killed teammate's profile opens again and agrees with the server after a sync.
    sato = open_profile(tmp_path / "sato", endpoint, imap_user.password, me="sato")
    try:
        SyncService(sato).sync_once(sato.account())
        flags = server_flags(dovecot, imap_user, min(all_uids), max(all_uids))
        with sato.cache.transaction() as session:
            box = queries.mailbox(session, "support", "INBOX")
            for uid in all_uids:
                row = queries.message_by_uid(session, box.id, uid)
                decoded = keywords.decode(tuple(flags[uid]))
                assert (row.state, row.owner_slot) == (
                    str(decoded.state),
                    decoded.owner_slot,
                ), uid
    finally:
        sato.close()
