"""Refresh and compile the UI translations.

Run from anywhere, with the project's virtualenv::

    /work/venv/bin/python scripts/update_translations.py            # lupdate + lrelease
    /work/venv/bin/python scripts/update_translations.py --release  # lrelease only

``pyside6-lupdate`` collects every ``self.tr()`` / ``QCoreApplication.translate``
string of ``mailwise_desktop/app.py`` and ``mailwise_desktop/ui/`` into
``resources/i18n/mailwise_<lang>.ts`` (existing translations are kept, strings
no longer in the code are dropped). Translate new entries (Qt Linguist, or edit
the ``.ts``; remove ``type="unfinished"``), then run again to compile the
``.qm`` with ``pyside6-lrelease``. Commit both files; a test checks that the
``.qm`` matches the ``.ts`` and that nothing is left unfinished.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("ja",)


def tool(name: str) -> str:
    """A PySide6 tool: next to this Python first (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found; install PySide6 in this environment")
    return found


def sources() -> list[Path]:
    """The Python files whose strings are translated."""
    package = ROOT / "mailwise_desktop"
    return [package / "app.py", *sorted((package / "ui").glob("*.py"))]


def update(language: str) -> None:
    """Merge the code's current strings into the language's .ts file."""
    ts = I18N / f"mailwise_{language}.ts"
    command = [tool("pyside6-lupdate"), *map(str, sources()), "-no-obsolete"]
    command += ["-locations", "none"]  # no line numbers: parallel edits rarely conflict
    command += ["-source-language", "en", "-target-language", language, "-ts", str(ts)]
    subprocess.run(command, check=True, cwd=ROOT)


def release(ts: Path, qm: Path) -> None:
    """Compile a .ts file into a .qm file."""
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, cwd=ROOT)


def main() -> int:
    """Update and/or compile every translation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile the .ts files")
    args = parser.parse_args()
    for language in LANGUAGES:
        if not args.release:
            update(language)
        release(I18N / f"mailwise_{language}.ts", I18N / f"mailwise_{language}.qm")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
