"""One teammate's app in its own process, writing team notes on command (the record-kill test).

Run as ``python -m tests.harness.record_worker``; JSON lines on stdin/stdout
like ``claim_worker``: a config line (``root host port ca user password me``)
→ ``{"ok": true}``; then ``{"cmd": "notes", "uid": n, "texts": [...]}`` writes
each note through ``CoordinationService.note_job`` (what ``mailwise note``
runs), answering ``{"wrote": text}`` after each; ``{"cmd": "flush"}`` sends
what is queued locally → ``{"flushed": n}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import keyring

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.imap.engine import EngineContext
from mailwise_desktop.imap.session import open_session
from mailwise_desktop.mail.team_records import RecordKind, TeamRecord
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
    answer({"ok": True})
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if command["cmd"] == "quit":
                break
            if command["cmd"] == "queue":  # as if these APPENDs had failed earlier
                for text in command["texts"]:
                    record = TeamRecord(
                        kind=RecordKind.NOTE,
                        target="kill-queued@example.jp",
                        actor=config["me"],
                        payload={"text": text, "mailbox": "INBOX", "uid": command["uid"]},
                        subject="[mailwise] note",
                    )
                    ctx.local.queue_team_record(
                        account.id,
                        record.kind,
                        record.subject,
                        record.queue_headers(),
                        record.payload,
                    )
                answer({"queued": len(command["texts"])})
                continue
            if command["cmd"] == "flush":
                team_log.FLUSH_INTERVAL = 0.0
                answer({"flushed": service.log.flush(ectx)})
                continue
            for text in command["texts"]:
                service.note_job(command["uid"], text)(ectx)
                answer({"wrote": text})
    finally:
        session.close()
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
