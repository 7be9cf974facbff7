"""Start-up checks behind ``--self-test`` and ``--screenshot``.

Both run with no user and possibly no screen (``QT_QPA_PLATFORM=offscreen``):
the self-test proves a build can start, find its resources and paint its
window; the screenshot renders the window for people to look at.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from mailwise_desktop.ui.i18n import SOURCE_LANGUAGE, UI_LANGUAGES, translation_file

PAINT_TIMEOUT_MS = 15_000


class PaintWatcher(QObject):
    """Notices the first paint event of a widget.

    Signals:
        painted: the widget has been painted once.
    """

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.seen = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Record the first paint, let every event through."""
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            self.painted.emit()
        return False


def show_and_wait_until_painted(window: QWidget, timeout_ms: int = PAINT_TIMEOUT_MS) -> bool:
    """Show a window and run the event loop until it has painted (or time runs out).

    Returns:
        True when the window is visible and has been painted.
    """
    watcher = PaintWatcher(window)
    loop = QEventLoop()
    watcher.painted.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    window.show()
    if not watcher.seen:
        loop.exec()
    QApplication.processEvents()
    watcher.deleteLater()
    return watcher.seen and window.isVisible()


def resource_problems(icon: QIcon) -> list[str]:
    """What is missing from the shipped resources (empty when all is there)."""
    problems = []
    if icon.isNull():
        problems.append("the application icon could not be loaded")
    for language in UI_LANGUAGES:
        if language != SOURCE_LANGUAGE and not translation_file(language).is_file():
            problems.append(f"the {language} translation is missing: {translation_file(language)}")
    return problems


def run_self_test(window: QWidget, icon: QIcon) -> list[str]:
    """Open the main window, wait for it to paint, close it.

    Args:
        window: the main window, not yet shown.
        icon: the application icon as loaded at start-up.

    Returns:
        Problems found, in plain words; empty means the app works.
    """
    problems = resource_problems(icon)
    if not show_and_wait_until_painted(window):
        problems.append("the main window was not shown and painted in time")
    if not window.close():
        problems.append("the main window refused to close")
    QApplication.processEvents()
    if window.isVisible():
        problems.append("the main window is still visible after closing")
    return problems


def save_screenshot(window: QWidget, path: Path) -> list[str]:
    """Render the window into a PNG file, then close it.

    Returns:
        Problems found; empty when the file was written.
    """
    problems = []
    if not show_and_wait_until_painted(window):
        problems.append("the main window was not shown and painted in time")
    prepare = getattr(window, "before_screenshot", None)
    if callable(prepare):
        prepare()  # e.g. wait for the connection, select a message
    QApplication.processEvents()
    pixmap = window.grab()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        problems.append(f"the screenshot could not be written to {path}")
    window.close()
    QApplication.processEvents()
    return problems
