"""A UI language for one test, set as the app sets it: translators and the default QLocale.

``ui.i18n.install_translation`` installs only the translators; ``app.py``
also sets ``QLocale.setDefault`` (and restores it), so without that the tests'
ja screenshots showed C-locale dates. Tests import :func:`install_translation`
from here; ``remove()`` undoes both.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator

from mailwise_desktop.ui import i18n


class LanguageInUse:
    """The installed translators plus the default locale they came with."""

    def __init__(self, language: str) -> None:
        self._previous = QLocale()
        self._installed = i18n.install_translation(language)
        self.language: str = self._installed.language
        self.locale: QLocale = self._installed.locale
        self.translators: list[QTranslator] = self._installed.translators
        self.files: list[Path] = self._installed.files
        QLocale.setDefault(self.locale)

    def remove(self) -> None:
        """Uninstall the translators and put the previous default locale back."""
        self._installed.remove()
        QLocale.setDefault(self._previous)


def install_translation(language: str) -> LanguageInUse:
    """Install ``language``'s translators and make its locale the default, as app.py does."""
    return LanguageInUse(language)
