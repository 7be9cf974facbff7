"""Attachment file names that are safe to save, and attachment risk labels.

A received file name is attacker-controlled: it may climb directories
(``../../``), hide its real extension behind a right-to-left override
(``invoice\u202efdp.exe`` shows as "invoiceexe.pdf"), or name a Windows device
(``CON.txt``). :func:`safe_filename` defuses all of these; :func:`attachment_risk`
says which files deserve a warning before the user opens them.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
from enum import StrEnum

DEFAULT_NAME = "attachment"
# Bytes in UTF-8: every file system we run on takes 255; leave room for the
# " (2)" a save dialog may add.
MAX_NAME_BYTES = 200
MAX_EXTENSION = 16

# Characters no file system of ours (or Windows Explorer) accepts in a name.
_FORBIDDEN = frozenset('/\\:*?"<>|')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)


class Risk(StrEnum):
    """Why an attachment gets a warning; values are plain English for logs."""

    EXECUTABLE = "This file is a program; opening it can run anything on your computer."
    SCRIPT = "This file is a script; opening it can run commands on your computer."
    MACRO_DOCUMENT = "This document contains macros, which can run code when opened."
    CONTAINER = "This file is a disk image or archive that can hide programs."
    SHORTCUT = "This file is a shortcut that can start a program."
    DOUBLE_EXTENSION = "This file name hides a program behind a second extension."
    UNSCANNED_ENCRYPTED = "This archive is password-protected, so it could not be checked."


_EXTENSION_RISK: dict[str, Risk] = {
    **dict.fromkeys(
        ("exe", "scr", "com", "pif", "msi", "msp", "msix", "appx", "dll", "cpl", "jar",
         "app", "apk", "dmg", "pkg", "deb", "rpm", "gadget", "application", "xbap",
         "appref-ms", "diagcab", "appinstaller", "msixbundle", "appxbundle"),
        Risk.EXECUTABLE,
    ),
    **dict.fromkeys(
        ("bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "hta",
         "sh", "py", "pl", "reg", "msc", "scf", "chm", "svg", "html", "htm", "xhtml",
         "shtml", "mht", "mhtml", "one", "xll", "iqy", "slk", "ps1xml", "ps2xml", "psc1",
         "psd1", "inf", "command", "tool", "workflow", "scpt"),
        Risk.SCRIPT,
    ),
    **dict.fromkeys(
        ("docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "ppsm", "sldm",
         "xlsb"),
        Risk.MACRO_DOCUMENT,
    ),
    **dict.fromkeys(("iso", "img", "vhd", "vhdx", "udf", "cab"), Risk.CONTAINER),
    # Archives: what is inside is not looked at, so "may contain programs" (CONTAINER).
    **dict.fromkeys(
        ("zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "tbz", "xz", "txz", "zst", "lzh",
         "lha", "arj", "ace", "z", "zipx", "cpio", "sit", "sitx"),
        Risk.CONTAINER,
    ),
    **dict.fromkeys(
        ("lnk", "url", "website", "library-ms", "settingcontent-ms", "desktop"), Risk.SHORTCUT
    ),
}  # fmt: skip

_ARCHIVE_TYPES = frozenset(
    {
        "application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
        "application/x-tar", "application/gzip", "application/x-gzip", "application/x-bzip2",
        "application/x-xz", "application/zstd", "application/x-lzh-compressed",
    }
)  # fmt: skip

_TYPE_RISK: dict[str, Risk] = {
    **dict.fromkeys(
        ("application/x-msdownload", "application/x-msdos-program", "application/x-dosexec",
         "application/x-ms-installer", "application/x-msi", "application/java-archive",
         "application/vnd.microsoft.portable-executable", "application/x-executable"),
        Risk.EXECUTABLE,
    ),
    **dict.fromkeys(
        ("application/javascript", "text/javascript", "application/x-javascript",
         "application/hta", "text/vbscript", "application/x-sh", "application/x-bat"),
        Risk.SCRIPT,
    ),
    **dict.fromkeys(
        ("application/vnd.ms-word.document.macroenabled.12",
         "application/vnd.ms-excel.sheet.macroenabled.12",
         "application/vnd.ms-powerpoint.presentation.macroenabled.12"),
        Risk.MACRO_DOCUMENT,
    ),
    **dict.fromkeys(
        ("application/x-iso9660-image", "application/x-raw-disk-image"), Risk.CONTAINER
    ),
}  # fmt: skip

# Extensions an attacker puts before the real one to look harmless.
_DECOY_EXTENSIONS = frozenset(
    {
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "rtf", "csv", "jpg",
        "jpeg", "png", "gif", "bmp", "tif", "tiff", "zip", "mp3", "mp4", "mov", "wav",
        "htm", "html", "eml", "msg", "odt", "ods", "xml", "json",
    }
)  # fmt: skip

_ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})


def _is_unsafe_char(char: str) -> bool:
    # Cc: controls; Cf: bidi overrides, zero-width; Zl/Zp: separators;
    # Cs: lone surrogates left by undecodable bytes
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def _cap_length(stem: str, extension: str) -> str:
    budget = MAX_NAME_BYTES - len(extension.encode("utf-8"))
    if len(stem.encode("utf-8")) <= budget:
        return stem + extension
    while stem and len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    # a cut may end on a space or dot, which would look like a different name
    return stem.rstrip(". ") + extension


def safe_filename(name: str) -> str:
    """Turn a received attachment name into one that is safe to save.

    Args:
        name: the decoded name from the message (may be anything).

    Returns:
        A non-empty name without path separators, control or bidi characters,
        Windows-reserved device names or trailing dots/spaces, at most
        :data:`MAX_NAME_BYTES` UTF-8 bytes with its extension kept.
    """
    name = unicodedata.normalize("NFC", name)
    chars = []
    for char in name:
        if char.isspace():
            chars.append(" ")  # tabs and line breaks separate words; keep a gap
        elif not _is_unsafe_char(char):
            chars.append("_" if char in _FORBIDDEN else char)
    cleaned = " ".join("".join(chars).split())  # tabs, runs of spaces
    cleaned = cleaned.strip(" .")  # Windows drops trailing dots; leading ones hide files
    if not cleaned:
        return DEFAULT_NAME
    stem, dot, extension = cleaned.rpartition(".")
    if not dot or not stem or len(extension) > MAX_EXTENSION:
        stem, extension = cleaned, ""
    else:
        extension = "." + extension
    if stem.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    result = _cap_length(stem, extension)
    if not result.strip(" ."):
        return DEFAULT_NAME
    return result


def zip_is_encrypted(data: bytes) -> bool:
    """Tell whether a ZIP archive holds any password-protected entry.

    Reads the central directory when it is intact, else walks the local file
    headers (general-purpose flag bit 0 marks encryption, including AES).

    Args:
        data: the archive bytes (possibly truncated).

    Returns:
        True when an encrypted entry is found.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(info.flag_bits & 0x1 for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        pass
    position = data.find(b"PK\x03\x04")
    while position >= 0 and position + 30 <= len(data):
        (flags,) = struct.unpack_from("<H", data, position + 6)
        if flags & 0x1:
            return True
        position = data.find(b"PK\x03\x04", position + 4)
    return False


def attachment_risk(name: str, content_type: str, data: bytes | None = None) -> Risk | None:
    """Say whether an attachment deserves a warning before it is opened.

    Args:
        name: the decoded file name.
        content_type: the declared MIME type.
        data: the decoded bytes, when already at hand (used to spot
            password-protected ZIP archives).

    Returns:
        The risk, or None for an ordinary document.
    """
    cleaned = safe_filename(name).lower()
    pieces = cleaned.split(".")
    extension = pieces[-1] if len(pieces) > 1 else ""
    is_zip = extension == "zip" or content_type.strip().lower() in _ZIP_TYPES
    if is_zip and data is not None and zip_is_encrypted(data):
        return Risk.UNSCANNED_ENCRYPTED  # says more than "an archive"
    by_name = _EXTENSION_RISK.get(extension)
    if by_name is not None and len(pieces) > 2 and pieces[-2] in _DECOY_EXTENSIONS:
        # "請求書.pdf.exe": the inner extension is there to deceive
        return Risk.DOUBLE_EXTENSION if by_name is not Risk.MACRO_DOCUMENT else by_name
    if by_name is not None:
        return by_name
    by_type = _TYPE_RISK.get(content_type.strip().lower())
    if by_type is not None:
        return by_type
    if content_type.strip().lower() in _ARCHIVE_TYPES or is_zip:
        return Risk.CONTAINER
    return None
