"""First run: the account dialog against the real Dovecot, then "who are you"."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Endpoint, Security
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.ui.account_dialog import AccountDialog
from mailwise_desktop.ui.background import BackgroundOps
from mailwise_desktop.ui.identity_dialog import IdentityDialog
from tests.harness.dovecot import TestUser

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def ctx(mailwise_home: Path):  # type: ignore[no-untyped-def]
    context = AppContext.open(Profile(mailwise_home))
    yield context
    context.close()


def fill(dialog: AccountDialog, endpoint: Endpoint, password: str) -> None:
    dialog.address.setText("support@example.jp")
    dialog.host.setText(endpoint.host)
    dialog.port.setValue(endpoint.port)
    dialog.user.setText(endpoint.user)
    dialog.password.setText(password)
    dialog.ca_file.setText(endpoint.ca_file or "")


def test_connection_test_explains_failures_then_adds_the_account(
    qtbot, ctx: AppContext, imaps_endpoint: Endpoint, imap_user: TestUser
) -> None:
    ops = BackgroundOps(None)
    dialog = AccountDialog(ctx, ops=ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.endpoint().security is Security.TLS

    fill(dialog, imaps_endpoint, "wrong password")
    dialog.run_test()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.result_bar.label.text().startswith(
        "The server refused the user name or password."
    )
    assert dialog.result_bar.details_button.isVisible()  # the server's words, on demand

    dialog.ca_file.setText("")  # the test CA is private: untrusted without it
    dialog.password.setText(imap_user.password)
    dialog.run_test()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert "certificate is not trusted" in dialog.result_bar.label.text()

    dialog.ca_file.setText(imaps_endpoint.ca_file or "")
    dialog.run_test()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.result_bar.label.text().startswith(
        "Connected. This server can share handling state"
    )

    with qtbot.waitSignal(dialog.account_added, timeout=15_000):
        dialog.add_account()
    assert [a.id for a in ctx.accounts()] == ["support"]
    assert ctx.keychain.get_password(imap_key("support")) == imap_user.password
    assert "password" not in ctx.profile.settings_file.read_text(encoding="utf-8").lower()
    ops.shutdown()


def test_who_are_you_picks_or_adds_a_teammate(
    qtbot, ctx: AppContext, imaps_endpoint: Endpoint, imap_user: TestUser
) -> None:
    from mailwise_desktop.core.accounts import Account, default_smtp

    account = Account("support", imaps_endpoint, default_smtp(imaps_endpoint))
    ctx.settings.set("accounts", [account.to_json()])
    ctx.settings.save()
    ctx.keychain.set_password(imap_key("support"), imap_user.password)
    run_once(ctx, account, TeamService(ctx, account).add_job(TeammateRow("sato", "佐藤 美咲")))
    ops = BackgroundOps(None)
    dialog = IdentityDialog(AccountServices(ctx, account), ops=ops)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.roster.count() == 1, timeout=15_000)
    assert dialog.roster.item(0).text() == "佐藤 美咲 (sato)"

    dialog.new_id.setText("suzuki")
    dialog.new_name.setText("鈴木 健太")
    with qtbot.waitSignal(dialog.identity_chosen, timeout=15_000) as chosen:
        dialog.choose()
    assert chosen.args[0].name == "鈴木 健太"
    assert ctx.settings.get("me") == "suzuki"
    ops.shutdown()
