"""Text to a console or a pipe: UTF-8 where it can be, and never an exception.

On Windows a pipe's encoding is the ANSI code page (cp1252, or cp932 on
Japanese Windows), which lacks emoji and many names: printing a teammate's name
raised ``UnicodeEncodeError`` there. The frozen programs run in Python's UTF-8
mode (build.spec); from source, people's lines are printed in the stream's own
encoding with unshowable characters replaced, and JSON for scripts is always
UTF-8 bytes whatever the console.
"""

from __future__ import annotations

import io
import locale
import os
import sys
from typing import TextIO

_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def make_console_safe() -> None:
    """Let ``sys.stdout`` and ``sys.stderr`` replace what they cannot encode.

    A windowed program may have no streams at all (None); those are left alone.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, io.UnsupportedOperation):  # closed or detached
                continue


def write_utf8(text: str, stream: TextIO) -> None:
    """Write ``text`` to ``stream`` as UTF-8 bytes when it has a byte buffer.

    Streams without one (``io.StringIO`` in tests, an IDE's console) take str.
    """
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()  # what was printed before comes first
    buffer.write(text.encode("utf-8", errors="replace"))
    buffer.flush()


def console_language(choice: str = "system") -> str:
    """The language of the CLI's plain-words messages: ``"ja"`` or ``"en"``.

    Args:
        choice: the ``language`` setting (``"ja"``, ``"en"`` or ``"system"``).

    Returns:
        The setting when it names a language, else the locale's: the POSIX
        variables first, then the OS default (Windows names it e.g.
        ``Japanese_Japan``).
    """
    if choice in {"ja", "en"}:
        return choice
    for name in _LOCALE_VARIABLES:
        value = os.environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        found = locale.getlocale()[0] or ""
    except ValueError:
        found = ""
    return "ja" if found.lower().startswith(("ja", "japanese")) else "en"


def stdin_is_terminal(stream: TextIO | None = None) -> bool:
    """Whether a person can answer a question on ``stream`` (standard input by default).

    On Windows ``isatty()`` is also True for ``NUL`` (a character device), so a
    script's ``< NUL`` or a child given DEVNULL would be asked and read EOF;
    only a real console answers ``GetConsoleMode``.
    """
    stream = sys.stdin if stream is None else stream
    try:
        if stream is None or not stream.isatty():
            return False
        fileno = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return False
    if sys.platform != "win32":
        return True
    import ctypes
    import msvcrt

    mode = ctypes.c_uint32()
    handle = msvcrt.get_osfhandle(fileno)
    return bool(ctypes.windll.kernel32.GetConsoleMode(handle, ctypes.byref(mode)))
