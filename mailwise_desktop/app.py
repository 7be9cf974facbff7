"""The ``mailwise-desktop`` GUI entry point (also ``python -m mailwise_desktop``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mailwise_desktop import APP_NAME, __version__
from mailwise_desktop.core.console import make_console_safe
from mailwise_desktop.core.errors import ExitCode, MailwiseError
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.i18n import install_translation, resolve_language
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow
from mailwise_desktop.ui.self_test import run_self_test, save_screenshot
from mailwise_desktop.ui.single_instance import SingleInstance

ORGANIZATION_DOMAIN = "mailwise.jp"
# Matches resources/mailwise.desktop so Wayland/X11 docks find our icon and name.
DESKTOP_FILE_NAME = "mailwise"


def build_parser() -> argparse.ArgumentParser:
    """The command line of the GUI."""
    parser = argparse.ArgumentParser(
        prog="mailwise-desktop", description=f"{APP_NAME} shared-mailbox client."
    )
    parser.add_argument("--version", action="version", version=f"mailwise-desktop {__version__}")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--self-test",
        action="store_true",
        help="open the main window, wait until it is painted, close it; exit 0 when all works",
    )
    mode.add_argument(
        "--screenshot",
        metavar="FILE",
        type=Path,
        help="render the main window for the current profile into a PNG file and exit",
    )
    parser.add_argument(
        "--lang", choices=("ja", "en"), help="UI language for this run (overrides the setting)"
    )
    return parser


def _application() -> QApplication:
    existing = QApplication.instance()
    if existing is not None:
        if not isinstance(existing, QApplication):
            raise RuntimeError("a non-widget Qt application is already running")
        return existing
    return QApplication(sys.argv[:1])


def bring_forward(window: QWidget) -> None:
    """Show a window that another launch asked for: restored, raised, focused."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _report(message: str, *, dialog: bool) -> None:
    print(f"mailwise-desktop: {message}", file=sys.stderr)
    if dialog:
        # A windowed app on Windows/macOS has no visible stderr.
        QMessageBox.critical(None, APP_NAME, message)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the GUI.

    Args:
        argv: arguments without the program name (defaults to ``sys.argv[1:]``).

    Returns:
        The process exit status: 0 on success.
    """
    make_console_safe()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --version, --help and usage errors
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        return int(ExitCode.USAGE)
    diagnostic = bool(args.self_test or args.screenshot)
    if args.screenshot:
        # A screenshot needs no screen; respect an explicit choice though.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    app = _application()
    app.setOrganizationName(APP_NAME)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    icon = app_icon()
    app.setWindowIcon(icon)

    try:
        profile = Profile.from_env().ensure()
        settings = Settings(profile.settings_file)
    except MailwiseError as exc:
        _report(exc.message, dialog=not diagnostic)
        return int(exc.exit_code)
    except OSError as exc:
        _report(f"The profile folder cannot be created: {exc}", dialog=not diagnostic)
        return int(ExitCode.STORAGE)

    language = resolve_language(args.lang or settings.get("language"))
    try:
        translation = install_translation(language)
    except FileNotFoundError as exc:
        _report(str(exc), dialog=not diagnostic)
        return int(ExitCode.FAILURE)
    previous_locale = QLocale()
    QLocale.setDefault(translation.locale)
    current = [translation]

    def switch_language(choice: str) -> None:
        """Settings ▸ Language: swap the translators; widgets retranslate on LanguageChange."""
        try:
            new = install_translation(resolve_language(choice))
        except FileNotFoundError as exc:
            _report(str(exc), dialog=True)
            return
        current[0].remove()
        current[0] = new
        QLocale.setDefault(new.locale)

    instance = SingleInstance(profile)
    if not diagnostic and instance.ask_running_to_show():
        current[0].remove()
        QLocale.setDefault(previous_locale)
        return 0  # the running window came forward
    try:
        window = MainWindow(profile, settings, icon)
        window.switch_language = switch_language
        if not diagnostic:
            instance.listen()
            instance.activated.connect(lambda: bring_forward(window))
            window.show()
            try:
                return app.exec()
            finally:
                instance.close()
        window.persist_state = False
        window.connect_on_show = bool(args.screenshot)  # a screenshot shows the live state
        if args.self_test:
            problems = run_self_test(window, icon)
        else:
            problems = save_screenshot(window, args.screenshot)
        window.deleteLater()
        for problem in problems:
            _report(problem, dialog=False)
        if args.self_test and not problems:
            loaded = ", ".join(path.name for path in translation.files) or "none needed"
            print(f"mailwise-desktop {__version__}: self-test passed")
            print(f"language: {language}; translations: {loaded}")
            print(f"profile: {profile.root}")
        return 1 if problems else 0
    finally:
        # Matters when main() runs inside a longer-lived process (tests).
        current[0].remove()
        QLocale.setDefault(previous_locale)
