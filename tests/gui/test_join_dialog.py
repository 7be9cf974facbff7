"""Joining from an invitation in the window: paste, password once, joined — real Dovecot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailwise_desktop.core.accounts import Endpoint
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.invitations import InvitationService, Joined
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from mailwise_desktop.ui.background import BackgroundOps
from mailwise_desktop.ui.join_dialog import JoinDialog
from tests.gui.ui_language import install_translation
from tests.harness.dovecot import TestUser
from tests.harness.teammates import open_profile

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


@pytest.fixture
def invitation_code(tmp_path: Path, imaps_endpoint: Endpoint, imap_user: TestUser):  # type: ignore[no-untyped-def]
    admin = open_profile(tmp_path / "admin", imaps_endpoint, imap_user.password, me="sato")
    rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
    run_once(admin, admin.account(), TeamService(admin, admin.account()).import_job(rows))
    code = InvitationService(admin).create(admin.account(), teammate="suzuki").to_code()
    admin.close()
    return code


@pytest.fixture
def ctx(mailwise_home: Path):  # type: ignore[no-untyped-def]
    context = AppContext.open(Profile(mailwise_home))
    yield context
    context.close()


def test_paste_a_code_type_the_password_and_join(
    qtbot, ctx: AppContext, invitation_code: str, imap_user: TestUser
) -> None:
    ops = BackgroundOps(None)
    dialog = JoinDialog(ctx, ops)
    qtbot.addWidget(dialog)
    dialog.show()
    join_button = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not join_button.isEnabled()

    dialog.code.setText(invitation_code[:40])  # cut short when copied
    assert dialog.invitation is None
    assert "damaged" in dialog.result_bar.label.text()
    dialog.code.setText(invitation_code)
    assert dialog.invitation is not None and not dialog.result_bar.isVisible()
    assert "For: suzuki." in dialog.summary.text()

    dialog.password.setText("wrong password")
    dialog.join()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.result_bar.label.text().startswith(
        "The server refused the user name or password."
    )
    assert ctx.accounts() == []

    dialog.password.setText(imap_user.password)
    with qtbot.waitSignal(dialog.joined, timeout=20_000) as joined:
        dialog.join()
    result: Joined = joined.args[0]
    assert result.me is not None and result.me.id == "suzuki"
    assert [a.id for a in ctx.accounts()] == ["support"]
    assert ctx.settings.get("me") == "suzuki"
    assert ctx.keychain.get_password(imap_key("support")) == imap_user.password
    ops.shutdown()


WORDS = {"ja": ("チームに参加", "参加"), "en": ("Join a team", "Join")}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_join_dialog_screenshot(
    qtbot, ctx: AppContext, invitation_code: str, language: str
) -> None:
    title, button = WORDS[language]
    translation = install_translation(language)
    try:
        dialog = JoinDialog(ctx, BackgroundOps(None))
        qtbot.addWidget(dialog)
        dialog.code.setText(invitation_code)
        dialog.password.setText("x")
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.windowTitle() == title
        assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).text() == button
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(SCREENSHOT_DIR / f"join-{language}.png"))
    finally:
        translation.remove()
