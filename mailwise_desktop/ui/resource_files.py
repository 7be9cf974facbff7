"""Paths of the files shipped in ``mailwise_desktop.resources``.

``resources/`` at the top of the repository is installed as the package
``mailwise_desktop.resources`` (see pyproject.toml), and ``build.spec`` copies
it to the same place in the frozen bundle, so one lookup through
:mod:`importlib.resources` works in a checkout, a wheel and a frozen app.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

RESOURCES_PACKAGE = "mailwise_desktop.resources"


def resource_file(*parts: str) -> Path:
    """The filesystem path of a shipped resource.

    Qt loaders (``QIcon``, ``QTranslator``) need real paths, which every way we
    ship provides (a checkout, site-packages, a one-folder bundle); a zipped
    install would not, and is refused loudly instead of failing later.

    Args:
        parts: path components below ``resources/``, e.g. ``"icons", "mailwise.svg"``.

    Returns:
        The path; it may not exist (callers decide whether that is an error).

    Raises:
        RuntimeError: the resources are not on the filesystem.
    """
    root = files(RESOURCES_PACKAGE)
    if not isinstance(root, Path):
        raise RuntimeError(f"Mailwise resources are not on the filesystem ({root!r}).")
    return root.joinpath(*parts)
