"""One teammate of the Mode B race: claims race-0..N-1 in order, prints who won each.

Usage: python -m tests.harness.log_claim_worker HOST PORT CA USER PASSWORD ACTOR SLOT ROUNDS
Prints ``<round> won`` or ``<round> lost <winner actor>`` per round.
"""

from __future__ import annotations

import ssl
import sys
import time

from imapclient import IMAPClient

from mailwise_desktop.core.states import Operation
from mailwise_desktop.imap.log_claims import LogClaims, LogStatus


def main(argv: list[str]) -> int:
    host, port, ca, user, password, actor, slot, rounds = argv
    client = IMAPClient(
        host, int(port), ssl=True, ssl_context=ssl.create_default_context(cafile=ca)
    )
    client.login(user, password)
    claims = LogClaims(client, "Mailwise")
    start = time.time()
    for r in range(int(rounds)):
        # Start each round together: on a shared tenth of a second.
        time.sleep(max(0.0, start + 0.3 * (r + 1) - time.time()))
        result = claims.change(
            f"race-{r}@example.jp", Operation.CLAIM, actor=actor, actor_label=actor, me=int(slot)
        )
        if result.status is LogStatus.WON:
            print(f"{r} won", flush=True)
        else:
            print(f"{r} lost {result.head.actor if result.head else '?'}", flush=True)
    client.logout()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
