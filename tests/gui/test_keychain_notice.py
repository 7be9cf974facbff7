"""First start without a usable system keychain: the window says so, and keeps no password."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail as fail_backend

from mailwise_desktop.core.accounts import Endpoint
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.ui.account_dialog import AccountDialog
from mailwise_desktop.ui.background import BackgroundOps
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow
from tests.gui.ui_language import install_translation
from tests.harness.dovecot import TestUser

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

EN = "This computer has no usable system keychain, so Mailwise cannot keep your password."
JA = "このコンピューターには使えるシステムのキーチェーンがないため"


def open_window(qtbot, home: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    profile = Profile(home).ensure()
    window = MainWindow(profile, Settings(profile.settings_file), app_icon())
    window.persist_state = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize(("language", "words"), [("en", EN), ("ja", JA)])
def test_first_start_without_a_keychain_says_so(
    qtbot, mailwise_home: Path, language: str, words: str
) -> None:
    keyring.set_keyring(fail_backend.Keyring())
    translation = install_translation(language)
    try:
        window = open_window(qtbot, mailwise_home)
        notice = window.empty_state.keychain_notice
        # Checked on the event loop's turn after the first paint (issue 13: cold start).
        qtbot.waitUntil(notice.isVisible)
        assert notice.text().startswith(words)
        assert not window.keychain.usable
        assert "fail" in window.keychain.backend
    finally:
        translation.remove()


def test_first_start_with_a_keychain_is_quiet(qtbot, mailwise_home: Path) -> None:
    window = open_window(qtbot, mailwise_home)  # the suite's in-memory keychain
    assert window.keychain.usable
    assert not window.empty_state.keychain_notice.isVisible()


def test_account_dialog_refuses_to_keep_the_password_without_a_keychain(
    qtbot, mailwise_home: Path, imaps_endpoint: Endpoint, imap_user: TestUser
) -> None:
    keyring.set_keyring(fail_backend.Keyring())
    ctx = AppContext.open(Profile(mailwise_home))
    ops = BackgroundOps(None)
    try:
        dialog = AccountDialog(ctx, ops=ops)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.address.setText("support@example.jp")
        dialog.host.setText(imaps_endpoint.host)
        dialog.port.setValue(imaps_endpoint.port)
        dialog.user.setText(imaps_endpoint.user)
        dialog.password.setText(imap_user.password)
        dialog.ca_file.setText(imaps_endpoint.ca_file or "")
        added: list[object] = []
        dialog.account_added.connect(added.append)
        dialog.add_account()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
        assert dialog.result_bar.label.text().startswith(EN)
        assert added == []
        assert ctx.accounts() == []
        settings = ctx.profile.settings_file
        assert not settings.exists() or imap_user.password not in settings.read_text("utf-8")
    finally:
        ops.shutdown()
        ctx.close()
