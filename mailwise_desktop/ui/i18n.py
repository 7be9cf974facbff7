"""UI language: which translation to load, and dates in the user's form.

Source strings are English (``self.tr()`` / ``QCoreApplication.translate``);
Japanese comes from ``resources/i18n/mailwise_ja.qm`` plus Qt's own
``qtbase_ja.qm`` (standard buttons such as OK / Cancel). The setting
``language`` chooses: ``"system"`` follows the OS locale, ``"ja"`` and
``"en"`` force one.

To regenerate the translation files after changing UI strings::

    /work/venv/bin/python scripts/update_translations.py

(runs ``pyside6-lupdate`` over ``mailwise_desktop/ui`` and ``app.py`` into
``resources/i18n/mailwise_ja.ts``, then ``pyside6-lrelease`` to the ``.qm``;
finish new entries in Qt Linguist or by editing the ``.ts`` before releasing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QTime,
    QTranslator,
)

from mailwise_desktop.ui.resource_files import resource_file

LANGUAGE_CHOICES = ("system", "ja", "en")
# Languages with a complete UI translation; English is the source language.
UI_LANGUAGES = ("ja", "en")
SOURCE_LANGUAGE = "en"
TRANSLATION_BASENAME = "mailwise"
# Japanese business software writes dates with slashes and the weekday in brackets.
JA_DATETIME_FORMAT = "yyyy/MM/dd (ddd) HH:mm"


def resolve_language(choice: str, system: QLocale | None = None) -> str:
    """The UI language for a ``language`` setting value.

    Args:
        choice: ``"system"``, ``"ja"`` or ``"en"``; anything else counts as system.
        system: the OS locale (defaults to ``QLocale.system()``; tests pass one).

    Returns:
        ``"ja"`` or ``"en"``: the system's language when we have it, else English.
    """
    if choice in UI_LANGUAGES:
        return choice
    locale = QLocale.system() if system is None else system
    return "ja" if locale.language() == QLocale.Language.Japanese else SOURCE_LANGUAGE


def locale_for(language: str) -> QLocale:
    """The QLocale used for formatting in a UI language."""
    if language == "ja":
        return QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def translation_file(language: str) -> Path:
    """Our compiled translation (``.qm``) for a language (may not exist for English)."""
    return resource_file("i18n", f"{TRANSLATION_BASENAME}_{language}.qm")


def qt_translation_file(language: str) -> Path:
    """Qt's own ``qtbase`` translation for a language, in Qt's translations folder."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return Path(folder) / f"qtbase_{language}.qm"


@dataclass
class InstalledTranslation:
    """The translators installed on the application for one UI language.

    Attributes:
        language: ``"ja"`` or ``"en"``.
        locale: the locale for dates and numbers in that language.
        translators: installed translators; kept referenced so Python doesn't
            delete them while Qt still uses them.
        files: the ``.qm`` files they were loaded from (for ``--self-test``).
    """

    language: str
    locale: QLocale
    translators: list[QTranslator] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def remove(self) -> None:
        """Uninstall the translators (tests switch languages in one process)."""
        for translator in self.translators:
            QCoreApplication.removeTranslator(translator)
        self.translators.clear()
        self.files.clear()


def install_translation(language: str) -> InstalledTranslation:
    """Install the translators for a UI language on the running application.

    Args:
        language: ``"ja"`` or ``"en"`` (see :func:`resolve_language`).

    Returns:
        What was installed.

    Raises:
        FileNotFoundError: our translation for a non-source language is missing or
            unreadable (a broken install; Qt's own file is optional).
    """
    installed = InstalledTranslation(language, locale_for(language))
    if language == SOURCE_LANGUAGE:
        return installed
    ours = QTranslator()
    path = translation_file(language)
    if not ours.load(str(path)):
        raise FileNotFoundError(f"The {language} translation {path} could not be loaded.")
    loaded = [(ours, path)]
    qt_own, qt_path = QTranslator(), qt_translation_file(language)
    # Qt's translations are optional (a trimmed bundle may lack them): without
    # them only the standard buttons stay English.
    if qt_own.load(str(qt_path)):
        loaded.append((qt_own, qt_path))
    for translator, source in loaded:
        QCoreApplication.installTranslator(translator)
        installed.translators.append(translator)
        installed.files.append(source)
    return installed


def format_datetime(dt: datetime, locale: QLocale) -> str:
    """A date and time as users of the locale expect to read it.

    Japanese: ``2026/11/29 (日) 10:42``; other languages: the locale's short form
    (``11/29/26 10:42 AM`` in US English).

    Args:
        dt: naive (taken as local time) or aware (converted to local time).
        locale: the UI locale (:attr:`InstalledTranslation.locale`).
    """
    if dt.tzinfo is not None:
        dt = dt.astimezone().replace(tzinfo=None)
    qdt = QDateTime(QDate(dt.year, dt.month, dt.day), QTime(dt.hour, dt.minute, dt.second))
    if locale.language() == QLocale.Language.Japanese:
        return locale.toString(qdt, JA_DATETIME_FORMAT)
    return locale.toString(qdt, QLocale.FormatType.ShortFormat)


def format_size(size: int, locale: QLocale) -> str:
    """A byte count, short enough for a list column: ``833 B``, ``1.2 KB``, ``3.4 MB``."""
    size = max(0, size)
    if size < 1000:
        return f"{locale.toString(size)} B"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        value = size / scale
        if value < 1000 or unit == "GB":
            decimals = 1 if value < 10 else 0
            return f"{locale.toString(value, 'f', decimals)} {unit}"
    return f"{size} B"  # not reached
