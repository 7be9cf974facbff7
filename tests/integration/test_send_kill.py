"""The app killed at random moments while it sends: every mail reaches the server exactly once.

The app is ``mailwise outbox process`` in its own process (what the window's
outbox runs too), on the real aiosmtpd and Dovecot. Six replies are queued;
the process is killed (``Popen.kill``: SIGKILL on POSIX, TerminateProcess on
Windows) at a random moment, again and again, and started again each time as
a user would. The server is slow to say 250, so some kills land after it has
the mail but before the app knows. Afterwards:

- no mail was received twice (counted by Message-ID at the SMTP server);
- mail the app knows went out is ``sent`` and in Sent exactly once; mail
  killed before SMTP was retried by the next start without anyone's help;
- mail killed mid-SMTP is ``unknown`` (never resent blindly); the user's
  answer (``mark-sent`` / ``send-again``) makes every mail delivered once.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from mailwise_desktop.core.accounts import Account, Endpoint
from mailwise_desktop.core.keychain import imap_key, smtp_key
from mailwise_desktop.send.outbox import OutboxState
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.keyring_backend import FILE_ENV, FileKeyring
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer
from tests.harness.teammates import endpoint_for

pytestmark = pytest.mark.integration

MAILS = 6
KILLS = 5
APP = [sys.executable, "-m", "mailwise_desktop.cli", "outbox", "process"]


@pytest.fixture
def ctx(
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_endpoint: Endpoint,
    smtp_server: SmtpServer,
    cli_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[AppContext]:
    """My profile, its secrets in the file keychain the app's process reads too."""
    monkeypatch.setenv(FILE_ENV, cli_env[FILE_ENV])
    keyring.set_keyring(FileKeyring())
    context = AppContext.open()
    account = Account(
        "support", endpoint_for(dovecot, imap_user), smtp_endpoint, address="support@example.com"
    )
    context.settings.set("accounts", [account.to_json()])
    context.settings.save()
    context.keychain.set_password(imap_key("support"), imap_user.password)
    context.keychain.set_password(smtp_key("support"), smtp_server.password)
    team = TeamService(context, account)
    run_once(context, account, team.add_job(TeammateRow("sato", "佐藤", "sato@example.com")))
    team.set_me("sato")
    yield context
    context.close()


def queue_replies(ctx: AppContext, dovecot: DovecotServer, user: TestUser) -> dict[int, str]:
    """One reply per customer mail, queued with no undo window; outbox id -> Message-ID."""
    uids = [
        dovecot.append(
            user,
            make_message(
                subject=f"問い合わせ {n}",
                sender=("顧客", f"customer{n}@example.jp"),
                message_id=f"<kill-send-{n}@example.jp>",
            ),
        )
        for n in range(MAILS)
    ]
    SyncService(ctx).sync_once(ctx.account())
    service = SendingService(ctx, ctx.account())
    service.set_policy("undo_seconds", "0")
    queued = {}
    for n, uid in enumerate(uids):
        service.claim_for_reply(uid)
        draft = service.with_snapshot(service.reply_draft(uid).with_changes(body=f"回答 {n}"))
        item = service.enqueue(draft, service.check(draft))
        queued[item.id] = item.message_id
    return queued


def deliveries(smtp_server: SmtpServer, message_ids: dict[int, str]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for received in smtp_server.messages:
        for item_id, message_id in message_ids.items():
            if f"<{message_id}>".encode() in received.data:
                counts[item_id] += 1
    return counts


def test_killed_sender_delivers_every_mail_exactly_once(
    ctx: AppContext,
    dovecot: DovecotServer,
    imap_user: TestUser,
    smtp_server: SmtpServer,
    cli_env: dict[str, str],
    tmp_path: Path,
) -> None:
    queued = queue_replies(ctx, dovecot, imap_user)
    outbox = SendingService(ctx, ctx.account()).outbox
    smtp_server.delay_reply(1.0)
    rng = random.Random(9)
    states_at_kill: Counter[str] = Counter()
    for _round in range(KILLS):
        if all(outbox.get(i).state in (OutboxState.SENT, OutboxState.UNKNOWN) for i in queued):
            break
        app = subprocess.Popen(APP, env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(1.5, 7.0))
        app.kill()
        app.wait(30)
        states_at_kill.update(outbox.get(i).state.value for i in queued)
        # Never a mail twice, at any moment.
        assert max(deliveries(smtp_server, queued).values(), default=0) <= 1

    # Started once more and left to finish: what was killed before SMTP is retried.
    finished = subprocess.run(
        APP, env=cli_env, capture_output=True, text=True, timeout=300, check=False
    )
    assert "Traceback" not in finished.stderr, finished.stderr
    counts = deliveries(smtp_server, queued)
    items = {i: outbox.get(i) for i in queued}
    assert {i.state for i in items.values()} <= {OutboxState.SENT, OutboxState.UNKNOWN}, {
        i: (x.state, x.last_error) for i, x in items.items()
    }
    for item_id, item in items.items():
        if item.state is OutboxState.SENT:
            assert counts[item_id] == 1, (item_id, counts)
        else:
            assert counts[item_id] <= 1, (item_id, counts)

    # The user answers for each unknown one, after asking the customer (here: the server).
    service = SendingService(ctx, ctx.account())
    for item_id, item in items.items():
        if item.state is OutboxState.UNKNOWN:
            if counts[item_id]:
                outbox.confirm_sent(item_id)
            else:
                outbox.retry(item_id, resend_unknown=True)
    smtp_server.delay_reply(0)
    service.process_outbox()
    service.process_outbox()
    assert all(outbox.get(i).state is OutboxState.SENT for i in queued), states_at_kill
    assert deliveries(smtp_server, queued) == dict.fromkeys(queued, 1), states_at_kill
    sent = dovecot.doveadm("search", "mailbox", "Sent", "all", user=imap_user).split("\n")
    assert len([line for line in sent if line.strip()]) == MAILS
    print("states at the kills:", dict(states_at_kill))
