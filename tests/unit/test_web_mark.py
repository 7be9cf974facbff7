"""Mark-of-the-Web on saved attachments (issue 9, case 11)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from mailwise_desktop.mail import web_mark
from mailwise_desktop.mail.web_mark import ZONE_IDENTIFIER, mark_from_internet

pytestmark = pytest.mark.unit


def test_windows_gets_a_zone_identifier_stream_with_zone_3(tmp_path: Path) -> None:
    written: dict[str, str] = {}
    target = tmp_path / "請求書.pdf"
    assert mark_from_internet(target, platform="win32", write=written.__setitem__) is True
    assert written == {f"{target}:Zone.Identifier": "[ZoneTransfer]\r\nZoneId=3\r\n"}
    assert "ZoneId=3" in ZONE_IDENTIFIER


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_other_platforms_write_nothing(tmp_path: Path, platform: str) -> None:
    written: dict[str, str] = {}
    assert mark_from_internet(tmp_path / "a", platform=platform, write=written.__setitem__) is False
    assert written == {}


def test_a_volume_without_streams_keeps_the_file(tmp_path: Path) -> None:
    def refuse(_stream: str, _text: str) -> None:
        raise OSError("FAT32 has no alternate data streams")

    assert mark_from_internet(tmp_path / "a", platform="win32", write=refuse) is False


def test_saving_an_attachment_marks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mailwise_desktop.services.reading import ReadingService
    from mailwise_desktop.store.queries import AttachmentSummary, CachedBody

    marked: list[Path] = []
    monkeypatch.setattr(web_mark, "mark_from_internet", lambda p: marked.append(p) or True)
    reader = SimpleNamespace(attachment_data=lambda _b, _a: b"%PDF")
    attachment = AttachmentSummary("2", "見積書.pdf", "application/pdf", 4, None, False)
    body = CachedBody(b"raw", "text", None, (), (attachment,))
    saved = ReadingService.save_attachment(reader, body, attachment, tmp_path / "見積書.pdf")  # type: ignore[arg-type]
    assert saved.read_bytes() == b"%PDF" and marked == [saved]
