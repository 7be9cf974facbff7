"""Imported at start-up of the Windows test lane's Python (from mailwise_lane.pth).

Wine does not pass ``QT_*`` variables from Linux to a Windows process, and the
embeddable Python's ``._pth`` file ignores ``PYTHONPATH``; so what the Linux
side would put in the environment is set here, before anything imports Qt.
The lane's prepare step writes ``mailwise_lane.json`` beside this file.
"""

import json
import os
import sys
from pathlib import Path

_CONFIG = json.loads(Path(__file__).with_name("mailwise_lane.json").read_text(encoding="utf-8"))
# PYTHONPATH as well: tests hand it to child processes (cli_env, the layering check).
_extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
for _path in reversed([*_extra, *_CONFIG["paths"]]):
    if _path not in sys.path:
        sys.path.insert(0, _path)
for _name, _value in _CONFIG["qt_env"].items():
    os.environ.setdefault(_name, _value)
os.environ.setdefault("MAILWISE_WINDOWS_LANE", "1")


class _ResourcesFinder:
    """``mailwise_desktop.resources`` lives at the repository's resources/ (pyproject package-dir)."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "mailwise_desktop.resources":
            return None
        import importlib.util

        folder = Path(_CONFIG["resources"])
        return importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )


sys.meta_path.insert(0, _ResourcesFinder())
