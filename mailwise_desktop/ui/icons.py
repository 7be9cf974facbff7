"""The application's icons, drawn from the SVG sources in ``resources/icons``."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap

# Imported for its side effect as much as for the fallback renderer: it makes
# PyInstaller ship QtSvg, which the SVG icon-engine plugin links against.
from PySide6.QtSvg import QSvgRenderer

from mailwise_desktop.ui.resource_files import resource_file

APP_ICON_SVG = ("icons", "mailwise.svg")
# Sizes rendered when Qt's SVG icon engine is unavailable.
_FALLBACK_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The Mailwise icon, scalable (SVG) so it stays sharp on high-DPI screens.

    Returns:
        The icon; null only when the SVG is missing or broken.
    """
    path = resource_file(*APP_ICON_SVG)
    icon = QIcon(str(path))
    if not icon.isNull() and not icon.pixmap(QSize(32, 32)).isNull():
        return icon
    # No SVG icon-engine plugin (a trimmed bundle): render fixed sizes ourselves.
    return _rendered_icon(path.read_bytes() if path.is_file() else b"")


def _rendered_icon(svg: bytes) -> QIcon:
    renderer = QSvgRenderer(QByteArray(svg))
    icon = QIcon()
    if not renderer.isValid():
        return icon
    for size in _FALLBACK_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


_SMALL_ICONS: dict[str, QIcon] = {}


def _small_icon(name: str) -> QIcon:
    """A 16 px icon from ``resources/icons/<name>.svg`` (drawn once, then shared)."""
    if name not in _SMALL_ICONS:
        path = resource_file("icons", f"{name}.svg")
        icon = QIcon(str(path))
        if icon.pixmap(QSize(16, 16)).isNull():
            icon = _rendered_icon(path.read_bytes() if path.is_file() else b"")
        _SMALL_ICONS[name] = icon
    return _SMALL_ICONS[name]


def attachment_icon() -> QIcon:
    """The paperclip of the message list's attachment column."""
    return _small_icon("attachment")


def read_problem_icon() -> QIcon:
    """The warning sign of a message that could not be read fully (list and reading pane)."""
    return _small_icon("read-problem")
