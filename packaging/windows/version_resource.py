"""The Windows version resource of the frozen programs, from ``__version__``.

PyInstaller embeds a resource described by a "version file" (the text form of
``PyInstaller.utils.win32.versioninfo.VSVersionInfo``). build.spec writes one
per executable with :func:`version_file_text`, so Explorer's Properties ▸
Details, the installer and Windows' "Apps" list all show the version that
``mailwise --version`` prints.
"""

from __future__ import annotations

import re

COMPANY = "Mailwise"
PRODUCT = "Mailwise"
COPYRIGHT = "© Mailwise"
# U.S. English, Unicode: the string table every Windows shows when none matches.
LANGUAGE_CODEPAGE = "040904B0"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps: ``"1.2.3rc1"`` -> ``(1, 2, 3, 0)``.

    Args:
        version: a PEP 440 version; only its release numbers count.

    Raises:
        ValueError: the version has no leading release number.
    """
    match = re.match(r"(\d+(?:\.\d+)*)", version)
    if match is None:
        raise ValueError(f"not a version: {version!r}")
    numbers = [int(part) for part in match.group(1).split(".")][:4]
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"a Windows version number is at most 65535: {version!r}")
    padded = (*numbers, 0, 0, 0, 0)[:4]
    return (padded[0], padded[1], padded[2], padded[3])


def version_file_text(version: str, *, exe_name: str, description: str) -> str:
    """A PyInstaller version file for one executable.

    Args:
        version: ``mailwise_desktop.__version__``.
        exe_name: the file name without ``.exe`` (``mailwise-desktop``).
        description: the FileDescription Explorer and Task Manager show.
    """
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    table = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('{LANGUAGE_CODEPAGE}', [
{table}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
