"""Compose window (offline parts): saved at once and on change, drag and drop, templates, editor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.send.draft import Draft, Recipient
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.sending import SendingService
from mailwise_desktop.templates.records import TemplateRecord
from mailwise_desktop.ui.compose_window import ComposeWindow
from mailwise_desktop.ui.template_editor import TemplateEditor, TemplatePicker

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def service() -> Iterator[SendingService]:
    ctx = AppContext.open()
    imap = Endpoint("127.0.0.1", 1, Security.TLS, "support@example.com")
    account = Account("support", imap, default_smtp(imap), address="support@example.com")
    ctx.settings.set("accounts", [account.to_json()])
    yield SendingService(ctx, account)
    ctx.close()


def draft() -> Draft:
    return Draft(
        account_id="support",
        from_name="Support",
        from_address="support@example.com",
        to=(Recipient("山田 太郎", "taro@customer.example.jp"),),
        subject="Re: 見積もり",
    )


def test_draft_saved_at_once_and_after_changes(qtbot, service: SendingService) -> None:
    window = ComposeWindow(service, draft())
    qtbot.addWidget(window)
    assert service.drafts.load(window.draft.id).subject == "Re: 見積もり"
    window.body_edit.setPlainText("お見積もりをお送りします。")
    window.save_if_changed()  # what the autosave timer calls
    assert service.drafts.load(window.draft.id).body == "お見積もりをお送りします。"
    assert window.autosave.isActive()


def test_dropping_a_file_attaches_a_copy(qtbot, service: SendingService, tmp_path: Path) -> None:
    window = ComposeWindow(service, draft())
    qtbot.addWidget(window)
    source = tmp_path / "見積書.pdf"
    source.write_bytes(b"%PDF-1.4 test")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    [att] = window.draft.attachments
    assert att.filename == "見積書.pdf" and att.size == source.stat().st_size
    assert Path(att.path) != source and Path(att.path).read_bytes() == source.read_bytes()
    assert window.attachments.item(0).text().startswith("見積書.pdf")
    assert service.drafts.load(window.draft.id).attachments == window.draft.attachments


def test_insert_personal_template_by_name(qtbot, service: SendingService) -> None:
    service.personal.save(
        TemplateRecord(
            "お礼", "{{ customer.name | default('ご担当者') }} 様\n\nありがとうございます。"
        )
    )
    window = ComposeWindow(service, draft())
    qtbot.addWidget(window)
    window.insert_template("お礼")  # filled in on the worker
    qtbot.waitUntil(lambda: window.body_edit.toPlainText().startswith("ご担当者 様"))
    assert not window.body_edit.isReadOnly() and window.busy is None
    picker = TemplatePicker(["お礼", "再発行のお知らせ", "Invoice reissue"])
    qtbot.addWidget(picker)
    picker.filter_edit.setText("再発行")
    assert picker.chosen() == "再発行のお知らせ"


def test_teammate_banner_blocks_send_until_take_over(qtbot, service: SendingService) -> None:
    window = ComposeWindow(service, draft(), held_by="鈴木")
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and "鈴木" in window.banner.text()
    assert not window.send_button.isEnabled()


def test_template_editor_shows_errors_while_writing(qtbot) -> None:
    editor = TemplateEditor(TemplateRecord("new", ""), language="ja")
    qtbot.addWidget(editor)
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    editor.name_edit.setText("確認")
    editor.body_edit.setPlainText("{{ customer.name }} 様\n{{ custmer.email }}")
    qtbot.waitUntil(editor.checked_current, timeout=10_000)
    assert "custmer" in editor.error_label.text() and "2" in editor.error_label.text()
    assert not save.isEnabled()
    editor.body_edit.setPlainText("{{ customer.name }} 様\n{{ original.subject }}")
    qtbot.waitUntil(editor.checked_current, timeout=10_000)
    assert save.isEnabled()
    assert editor.preview.toPlainText() == "山田 太郎 様\n請求書の再発行について"


def test_template_editor_stops_a_hostile_template_and_stays_responsive(qtbot) -> None:
    editor = TemplateEditor(TemplateRecord("重い", ""), language="ja")
    qtbot.addWidget(editor)
    editor.show()
    editor.body_edit.setPlainText("{{ 'x' * 1000000000 }}")
    # The UI thread is free while the worker checks: the timer and events keep running.
    qtbot.waitUntil(editor.checked_current, timeout=10_000)
    assert "stopped" in editor.error_label.text() and "(*)" in editor.error_label.text()
    assert not editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    editor.body_edit.setPlainText(
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    )
    qtbot.waitUntil(editor.checked_current, timeout=10_000)
    assert "loops ran more than" in editor.error_label.text()


def test_inserting_a_hostile_template_keeps_the_window_responsive(
    qtbot, service: SendingService
) -> None:
    service.personal.save(TemplateRecord("重い", "{{ 'x' * 1000000000 }}"))
    service.personal.save(TemplateRecord("長い", "{% for i in range(10**9) %}x{% endfor %}"))
    window = ComposeWindow(service, draft().with_changes(body="書きかけ"))
    qtbot.addWidget(window)
    window.show()
    threads: list[bool] = []
    real = service.apply_template

    def apply_template(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    service.apply_template = apply_template  # type: ignore[method-assign]
    window.insert_template("重い")
    # Rendering is the worker's: the call returns at once, the text is read-only meanwhile.
    assert window.busy == "template" and window.body_edit.isReadOnly()
    assert window.undo_bar.text() == "Filling in the template…"
    qtbot.waitUntil(lambda: window.busy is None, timeout=15_000)
    assert threads == [False]
    assert window.notice.isVisibleTo(window)
    assert "The template was stopped" in window.notice.label.text()
    assert window.body_edit.toPlainText() == "書きかけ"  # the draft is as it was
    assert not window.body_edit.isReadOnly()
    window.insert_template("長い")
    qtbot.waitUntil(lambda: window.busy is None, timeout=15_000)
    assert "is too large for a template" in window.notice.label.text()


def test_japanese_input_method_composes_into_the_body_and_the_subject(
    qtbot, service: SendingService
) -> None:
    """An IME's pre-edit text is shown while converting and only the committed text is kept."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    window = ComposeWindow(service, draft())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for edit, committed in ((window.body_edit, "お見積もり"), (window.subject_edit, "の件")):
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus, timeout=2000)
        before = edit.toPlainText() if edit is window.body_edit else edit.text()
        preedit = QInputMethodEvent("おみつもり", [])  # still converting: not text yet
        QCoreApplication.sendEvent(edit, preedit)
        now = edit.toPlainText() if edit is window.body_edit else edit.text()
        assert now == before
        commit = QInputMethodEvent()
        commit.setCommitString(committed)
        QCoreApplication.sendEvent(edit, commit)
        after = edit.toPlainText() if edit is window.body_edit else edit.text()
        assert after.endswith(committed)
    window.save_if_changed()
    saved = service.drafts.load(window.draft.id)
    assert "お見積もり" in saved.body and saved.subject == "Re: 見積もりの件"
