"""One teammate's app in its own process, claiming messages on command (the race test's worker).

Run as ``python -m tests.harness.claim_worker``. It speaks JSON lines:
stdin gets a config line, then commands; stdout answers each one.

- config: ``{"root", "host", "port", "ca", "user", "password", "me"}`` → ``{"ok": true}``
- ``{"cmd": "sync"}``: read new mail into this profile's cache → ``{"ok": true}``
- ``{"cmd": "claim", "uids": [...]}``: claim each, in order, through
  ``CoordinationService`` (what ``mailwise claim`` runs) → ``{"results": [...]}``
- ``{"cmd": "claim", "uids": [...], "op": "release", "pause": "after_store", "at": uid}``:
  another operation (default ``claim``); with ``pause``, the worker answers
  ``{"paused": uid}`` at that point of ``at``'s CAS (``before_store``: its
  event written ahead, the STORE not sent; ``after_store``: the STORE won, nothing
  else done) and waits there to be killed
- ``{"cmd": "flush"}``: deliver and settle queued records → ``{"flushed": n, "pending": n}``
- ``{"cmd": "quit"}``

One IMAP session is kept for the whole run, as the app's engine keeps one.
The password lives in an in-memory keychain of the worker only.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import keyring

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.session import open_session
from mailwise_desktop.services import team_log
from mailwise_desktop.services.coordination import CoordinationService
from tests.harness.keyring_backend import MemoryKeyring
from tests.harness.teammates import open_profile


def answer(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    config = json.loads(sys.stdin.readline())
    endpoint = Endpoint(
        host=config["host"],
        port=int(config["port"]),
        security=Security.TLS,
        user=config["user"],
        ca_file=config["ca"],
    )
    ctx = open_profile(Path(config["root"]), endpoint, config["password"], me=config["me"])
    account = ctx.account()
    session = open_session(account.imap, config["password"])
    ectx = EngineContext(session, ctx.cache, account, {})
    service = CoordinationService(ctx, account)
    stores: Counter[int] = Counter()
    pause: dict[str, Any] = {}

    def hold_if(point: str, uid: int) -> None:
        if pause.get("pause") == point and pause.get("at") == uid:
            answer({"paused": uid})
            time.sleep(3600)  # until the test kills this process

    def before_store(uid: int, _modseq: int) -> None:
        stores.update([uid])
        hold_if("before_store", uid)

    service.before_store = before_store  # runs after the event is written ahead
    service.after_store = lambda uid, _modseq: hold_if("after_store", uid)
    answer({"ok": True})
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if command["cmd"] == "quit":
                break
            if command["cmd"] == "flush":  # deliver and settle what earlier runs left
                team_log.FLUSH_INTERVAL = 0.0
                answer({"flushed": service.log.flush(ectx), "pending": service.log.pending()})
                continue
            if command["cmd"] == "sync":
                ectx.mailbox("INBOX").sync()
                answer({"ok": True})
                continue
            results = []
            pause = command
            operation = Operation(command.get("op", "claim"))
            for uid in command["uids"]:
                try:
                    outcome = service.operation_job(operation, uid)(ectx)
                except MailwiseError as exc:
                    results.append({"uid": uid, "error": f"{type(exc).__name__}: {exc.message}"})
                    continue
                results.append(
                    {
                        "uid": uid,
                        "won": outcome.won,
                        "owner": outcome.owner.id if outcome.owner else None,
                        "refusal": outcome.refusal.value if outcome.refusal else None,
                        "message": outcome.message,
                        "holder_since": outcome.holder_since is not None,
                        "stores": stores.pop(uid, 0),
                    }
                )
            answer({"results": results})
    finally:
        session.close()
        ctx.close()
    return 0


if __name__ == "__main__":
    import os

    if os.environ.get("MW_WORKER_PROFILE"):
        import cProfile

        cProfile.run("main()", f"{os.environ['MW_WORKER_PROFILE']}.{os.getpid()}")
        sys.exit(0)
    sys.exit(main())
