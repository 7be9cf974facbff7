"""Gmail's folders on a Dovecot set up like Gmail: SPECIAL-USE \\All is never a second INBOX,
labels are folders, and Google's "app password required" answers are said in plain words.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mailwise_desktop.core.accounts import Account, Endpoint, Security
from mailwise_desktop.core.errors import AuthError, ExitCode
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.send.submission import submit
from mailwise_desktop.services.accounts import AccountService
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sync import SyncService
from tests.harness.dovecot import DovecotServer, TestUser, dovecot_available, start_dovecot
from tests.harness.seed import make_message
from tests.harness.smtp import SmtpServer

ALL_MAIL = "[Gmail]/All Mail"
LABEL = "Customers/ACME"


@pytest.fixture(scope="module")
def gmail_dovecot() -> Iterator[DovecotServer]:
    if not dovecot_available():
        pytest.skip("dovecot is not installed")
    server = start_dovecot(gmail_like=True)
    try:
        yield server
    finally:
        server.stop()


def account_for(server: DovecotServer, user: TestUser, *folders: str) -> Account:
    imap = Endpoint(
        server.host, server.imaps_port, Security.TLS, user.name, ca_file=str(server.ca_file)
    )
    return Account("gmail", imap, imap, address=user.name, folders=folders)


def labelled_mail(server: DovecotServer, user: TestUser, subject: str) -> bytes:
    """One message as Gmail shows it: in INBOX, under a label, and in All Mail."""
    raw = make_message(subject=subject, body="お世話になっております。\n",
                       sender=("山田 太郎", "taro@example.com"))  # fmt: skip
    server.create_folder(user, LABEL)
    for folder in ("INBOX", LABEL, ALL_MAIL):
        server.append(user, raw, folder=folder)
    return raw


def test_all_mail_is_not_kept_offline_and_labels_are_folders(
    gmail_dovecot: DovecotServer,
) -> None:
    user = gmail_dovecot.add_user()
    labelled_mail(gmail_dovecot, user, "見積のお願い")
    ctx = AppContext.open()
    added = AccountService(ctx).add(
        account_for(gmail_dovecot, user, "INBOX", ALL_MAIL, LABEL), user.password
    )
    assert added.account.folders == ("INBOX", LABEL)
    assert any("copy of every message" in w and ALL_MAIL in w for w in added.warnings)
    assert ctx.account("gmail").folders == ("INBOX", LABEL)  # what was kept

    report = SyncService(ctx).sync_once(ctx.account("gmail"))
    added_per_box = {c.mailbox: len(c.added) for c in report.mailboxes}
    assert added_per_box == {"INBOX": 1, LABEL: 1}
    listed = {f.name: f for f in report.folders}
    assert listed[ALL_MAIL].special_use == "\\All"
    assert listed[LABEL].delimiter == "/"  # the label, shown as a folder in the tree
    ctx.close()


def test_a_profile_that_lists_all_mail_still_does_not_sync_it(
    gmail_dovecot: DovecotServer,
) -> None:
    user = gmail_dovecot.add_user()
    labelled_mail(gmail_dovecot, user, "請求書について")
    ctx = AppContext.open()
    account = account_for(gmail_dovecot, user, "INBOX", ALL_MAIL)  # e.g. an older profile
    ctx.settings.set("accounts", [account.to_json()])
    ctx.settings.save()
    ctx.keychain.set_password(imap_key(account.id), user.password)
    report = SyncService(ctx).sync_once(account)
    assert [c.mailbox for c in report.mailboxes] == ["INBOX"]
    ctx.close()


def test_google_app_password_required_is_said_in_plain_words(
    gmail_dovecot: DovecotServer,
) -> None:
    # The right password, refused the way Google refuses it with 2-Step Verification on.
    user = gmail_dovecot.add_user(
        extra_fields="nologin reason=Application-specific_password_required:"
        "https://support.google.com/accounts/answer/185833"
    )
    ctx = AppContext.open()
    with pytest.raises(AuthError) as caught:
        AccountService(ctx).add(account_for(gmail_dovecot, user, "INBOX"), user.password)
    assert "app password" in caught.value.message
    assert "myaccount.google.com/apppasswords" in caught.value.message
    assert caught.value.exit_code == ExitCode.AUTH
    assert ctx.accounts() == []
    ctx.close()


def test_gmail_smtp_534_app_password_is_said_in_plain_words(smtp_server: SmtpServer) -> None:
    smtp_server.reset()
    smtp_server.password_auth_reply = (
        "534 5.7.9 Application-specific password required. Learn more at "
        "https://support.google.com/mail/?p=InvalidSecondFactor"
    )
    endpoint = Endpoint(
        smtp_server.host,
        smtp_server.port,
        Security.STARTTLS,
        smtp_server.user,
        ca_file=str(smtp_server.ca_file),
    )
    with pytest.raises(AuthError, match="app password"):
        submit(endpoint, smtp_server.password, mail_from="a@x.jp", rcpt_to=["b@x.jp"],
               message=b"Subject: x\r\n\r\nx\r\n")  # fmt: skip
    assert smtp_server.messages == []
