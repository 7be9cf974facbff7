"""Safe attachment names and attachment risk labels."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailwise_desktop.mail.filenames import (
    DEFAULT_NAME,
    MAX_NAME_BYTES,
    Risk,
    attachment_risk,
    safe_filename,
    zip_is_encrypted,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("見積書.pdf", "見積書.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..\\..\\Windows\\win.ini", "_.._Windows_win.ini"),
        ("C:report.pdf", "C_report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\x00b\r\nc.txt", "ab c.txt"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("LPT9.tar.gz", "_LPT9.tar.gz"),
        ("COM1 .log", "_COM1 .log"),
        ("CONSOLE.txt", "CONSOLE.txt"),
        ("report.pdf. . ", "report.pdf"),
        ("   ", DEFAULT_NAME),
        ("...", DEFAULT_NAME),
        ("", DEFAULT_NAME),
        ("\u202e\u200b", DEFAULT_NAME),
        ("tab\tand  spaces.txt", "tab and spaces.txt"),
        ("\u30cf\u309a.txt", "\u30d1.txt"),  # NFD from macOS becomes NFC
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_long_name_is_capped_keeping_extension() -> None:
    name = "請" * 300 + ".pdf"
    safe = safe_filename(name)
    assert safe.endswith(".pdf")
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe.startswith("請請")


@given(st.text(max_size=400))
def test_safe_filename_property(name: str) -> None:
    safe = safe_filename(name)
    assert safe
    assert "/" not in safe and "\\" not in safe
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in safe)
    assert not safe.endswith((".", " "))
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe_filename(safe) == safe  # stable: cleaning twice changes nothing


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("setup.exe", "application/octet-stream", Risk.EXECUTABLE),
        ("screensaver.SCR", "application/octet-stream", Risk.EXECUTABLE),
        ("tool.jar", "application/java-archive", Risk.EXECUTABLE),
        ("run.bat", "text/plain", Risk.SCRIPT),
        ("invoice.js", "application/octet-stream", Risk.SCRIPT),
        ("x.vbs", "text/plain", Risk.SCRIPT),
        ("a.ps1", "text/plain", Risk.SCRIPT),
        ("page.hta", "application/octet-stream", Risk.SCRIPT),
        ("install.msi", "application/octet-stream", Risk.EXECUTABLE),
        ("shortcut.lnk", "application/octet-stream", Risk.SHORTCUT),
        ("disk.iso", "application/octet-stream", Risk.CONTAINER),
        ("disk.img", "application/octet-stream", Risk.CONTAINER),
        ("見積.docm", "application/octet-stream", Risk.MACRO_DOCUMENT),
        ("集計.xlsm", "application/octet-stream", Risk.MACRO_DOCUMENT),
        ("請求書.pdf.exe", "application/pdf", Risk.DOUBLE_EXTENSION),
        ("photo\u202egpj.exe", "image/jpeg", Risk.EXECUTABLE),
        ("evil.exe.", "application/octet-stream", Risk.EXECUTABLE),
        ("document", "application/x-msdownload", Risk.EXECUTABLE),
        ("見積書.pdf", "application/pdf", None),
        ("table.xlsx", "application/octet-stream", None),
        ("my.notes.txt", "text/plain", None),
    ],
)
def test_attachment_risk(name: str, content_type: str, expected: Risk | None) -> None:
    assert attachment_risk(name, content_type) is expected


def _zip(password_flag: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("請求書.pdf", b"%PDF-1.4 fake")
    data = bytearray(buffer.getvalue())
    if password_flag:
        # set bit 0 of the general-purpose flags in local and central headers
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            position = data.find(signature)
            data[position + offset] |= 0x01
    return bytes(data)


def test_zip_encryption_bit() -> None:
    plain, locked = _zip(False), _zip(True)
    assert zip_is_encrypted(plain) is False
    assert zip_is_encrypted(locked) is True
    # a truncated archive (no central directory) is read from its local headers
    assert zip_is_encrypted(locked[:40]) is True
    assert zip_is_encrypted(b"not a zip at all") is False


def test_encrypted_zip_is_labelled_unscanned() -> None:
    assert attachment_risk("files.zip", "application/zip", _zip(True)) is Risk.UNSCANNED_ENCRYPTED
    # Issue 9 case 11: any archive may hide programs, so a plain one is flagged too.
    assert attachment_risk("files.zip", "application/zip", _zip(False)) is Risk.CONTAINER
    assert attachment_risk("files.zip", "application/zip") is Risk.CONTAINER


@pytest.mark.parametrize(
    ("name", "risk"),
    [
        ("update.appref-ms", Risk.EXECUTABLE),
        ("types.ps1xml", Risk.SCRIPT),
        ("driver.inf", Risk.SCRIPT),
        ("fix.diagcab", Risk.EXECUTABLE),
        ("app.appinstaller", Risk.EXECUTABLE),
        ("start.desktop", Risk.SHORTCUT),
        ("run.command", Risk.SCRIPT),
        ("請求書.7z", Risk.CONTAINER),
        ("photos.rar", Risk.CONTAINER),
        ("backup.tar.gz", Risk.CONTAINER),
    ],
)
def test_more_risky_kinds_and_archives_are_flagged(name: str, risk: Risk) -> None:
    assert attachment_risk(name, "application/octet-stream") is risk


def test_archive_types_are_flagged_by_mime_type_too() -> None:
    assert attachment_risk("data", "application/x-7z-compressed") is Risk.CONTAINER
    assert attachment_risk("report.pdf", "application/pdf") is None
