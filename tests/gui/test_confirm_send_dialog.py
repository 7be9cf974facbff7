"""The confirm-before-send dialog: ticks, external highlighting, blocking, Japanese screenshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mailwise_desktop.send import checks
from mailwise_desktop.send.draft import AttachmentRef, Draft, Recipient
from mailwise_desktop.send.policy import TeamPolicy
from mailwise_desktop.services.sending import CheckReport
from mailwise_desktop.ui.confirm_send_dialog import EXTERNAL_BAND, ConfirmSendDialog
from tests.gui.ui_language import install_translation

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

SCREENSHOT_DIR = Path(os.environ.get("MAILWISE_SCREENSHOTS", "/tmp/mailwise-screenshots"))


def report_for(draft: Draft, policy: TeamPolicy | None = None) -> CheckReport:
    policy = policy or TeamPolicy(internal_domains=("example.com",))
    data = checks.CheckInput(draft=draft, policy=policy, known_recipients=frozenset())
    return CheckReport(
        draft,
        tuple(checks.run_checks(data)),
        tuple(checks.group_recipients(draft, policy)),
        checks.estimated_size(draft),
        policy,
    )


def sample_draft(tmp_path: Path) -> Draft:
    pdf = tmp_path / "請求書_2026年11月分.pdf"
    pdf.write_bytes(b"%PDF-1.4" + b"0" * 240_000)
    return Draft(
        account_id="support",
        from_name="サポート窓口",
        from_address="support@example.com",
        to=(Recipient("山田 太郎", "taro.yamada@customer.example.jp"),),
        cc=(
            Recipient("佐藤 花子", "hanako.sato@example.com"),
            Recipient("鈴木 一郎", "ichiro.suzuki@example.com"),
            Recipient("田中 次郎", "jiro.tanaka@partner-corp.co.jp"),
        ),
        subject="Re: 請求書の再発行について（2026年11月分）",
        body="山田 太郎 様\n\n請求書を再発行いたしましたので、添付にてお送りします。\n",
        attachments=(AttachmentRef(str(pdf), pdf.name, pdf.stat().st_size, "application/pdf"),),
    )


def test_send_disabled_until_every_external_recipient_and_attachment_is_ticked(
    qtbot, tmp_path: Path
) -> None:
    dialog = ConfirmSendDialog(report_for(sample_draft(tmp_path)))
    qtbot.addWidget(dialog)
    assert not dialog.send_button.isEnabled()

    # The internal domain can be ticked in one go.
    internal = next(g for g in dialog.group_items if g not in dialog._external_groups)
    internal.setCheckState(0, Qt.CheckState.Checked)
    assert not dialog.send_button.isEnabled()
    external = [i for i in dialog.recipient_items if i.parent() in dialog._external_groups]
    assert len(external) == 2
    # External groups have no "tick all": each recipient on its own.
    assert all(not (g.flags() & Qt.ItemFlag.ItemIsUserCheckable) for g in dialog._external_groups)
    external[0].setCheckState(0, Qt.CheckState.Checked)
    assert not dialog.send_button.isEnabled()
    external[1].setCheckState(0, Qt.CheckState.Checked)
    assert not dialog.send_button.isEnabled()  # the attachment is still unticked
    dialog.attachment_items[0].setCheckState(Qt.CheckState.Checked)
    assert dialog.send_button.isEnabled()
    external[0].setCheckState(0, Qt.CheckState.Unchecked)
    assert not dialog.send_button.isEnabled()


def test_external_domains_highlighted_and_grouped_first(qtbot, tmp_path: Path) -> None:
    dialog = ConfirmSendDialog(report_for(sample_draft(tmp_path)))
    qtbot.addWidget(dialog)
    assert dialog.external_domains() == ["customer.example.jp", "partner-corp.co.jp"]
    for group in dialog._external_groups:
        assert group.background(0).color() == EXTERNAL_BAND
        assert group.text(0).startswith("External: ")
    internal = dialog.group_items[-1]
    assert internal.text(0) == "Internal: example.com"
    assert internal.background(0).style() == Qt.BrushStyle.NoBrush
    texts = dialog.finding_texts()
    assert any("customer.example.jp" in t and t.startswith("Check") for t in texts)
    assert any("consider Bcc" in t for t in texts)


def test_blocked_recipient_can_never_be_sent(qtbot, tmp_path: Path) -> None:
    policy = TeamPolicy(internal_domains=("example.com",), blocked_domains=("partner-corp.co.jp",))
    dialog = ConfirmSendDialog(report_for(sample_draft(tmp_path), policy))
    qtbot.addWidget(dialog)
    for item in dialog.recipient_items:
        item.setCheckState(0, Qt.CheckState.Checked)
    dialog.attachment_items[0].setCheckState(Qt.CheckState.Checked)
    assert dialog.all_ticked()
    assert not dialog.send_button.isEnabled()
    blocked = [t for t in dialog.finding_texts() if t.startswith("Cannot send")]
    assert blocked and "jiro.tanaka@partner-corp.co.jp" in blocked[0]


def test_japanese_dialog_screenshot(qtbot, tmp_path: Path) -> None:
    translation = install_translation("ja")
    try:
        dialog = ConfirmSendDialog(report_for(sample_draft(tmp_path)))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.windowTitle() == "送信前の確認"
        assert dialog.send_button.text() == "送信"
        assert dialog.group_items[0].text(0) == "社外: customer.example.jp"
        dialog.recipient_items[0].setCheckState(0, Qt.CheckState.Checked)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / "confirm_send_dialog_ja.png"
        assert dialog.grab().save(str(path))
        assert path.stat().st_size > 0
    finally:
        translation.remove()
