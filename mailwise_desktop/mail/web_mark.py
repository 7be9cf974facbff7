"""Mark-of-the-Web for saved attachments (Windows ``Zone.Identifier``).

On Windows, a file that came from outside carries an NTFS alternate data
stream ``<file>:Zone.Identifier`` with ``ZoneId=3`` (Internet): Explorer,
Office (Protected View) and SmartScreen then treat it with suspicion, as
they do for a browser download. Other platforms have no such stream (macOS
quarantine needs xattr calls the app does not make yet): nothing is written.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

#: The stream's content: zone 3 is "Internet".
ZONE_IDENTIFIER = "[ZoneTransfer]\r\nZoneId=3\r\n"


def _write_stream(stream: str, text: str) -> None:
    with open(stream, "w", encoding="ascii", newline="") as out:
        out.write(text)


def mark_from_internet(
    path: Path,
    *,
    platform: str = sys.platform,
    write: Callable[[str, str], None] = _write_stream,
) -> bool:
    """Write the Mark-of-the-Web for ``path`` on Windows; True when written.

    A volume without alternate streams (FAT32, some network shares) refuses
    it: that is logged and the saved file is kept, as a browser does.
    """
    if platform != "win32":
        return False
    try:
        write(f"{path}:Zone.Identifier", ZONE_IDENTIFIER)
    except OSError as exc:
        log.warning("could not mark %s as downloaded from the Internet: %s", path, exc)
        return False
    return True
