"""Address completion in compose: the team's address book first, then the senders the cache knows.

Works on the last address of a comma-separated field: typing "sa" after
"a@x.jp, " offers "佐々木 一郎 <sasaki@example.jp>", and choosing it replaces
only that last part. Matches anywhere in the name or the address, any case.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit


class AddressCompletion(QObject):
    """Completion for one address field from ``choices`` ("Name <address>" texts)."""

    def __init__(self, edit: QLineEdit, choices: Sequence[str]) -> None:
        super().__init__(edit)
        self.edit = edit
        self.model = QStringListModel(list(choices), self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setWidget(edit)
        self.completer.activated.connect(self.insert)
        edit.textEdited.connect(self.update)

    def last_part(self) -> str:
        return self.edit.text().rpartition(",")[2].strip()

    def update(self, _text: str = "") -> None:
        """Offer the choices matching what is being typed (two characters at least)."""
        prefix = self.last_part()
        popup = self.completer.popup()
        self.completer.setCompletionPrefix(prefix)
        if len(prefix) >= 2 and self.completer.completionCount():
            self.completer.complete()
        elif popup is not None:
            popup.hide()

    def insert(self, choice: str) -> None:
        """Replace the address being typed with ``choice``."""
        head = self.edit.text().rpartition(",")[0]
        self.edit.setText(f"{head}, {choice}, " if head.strip() else f"{choice}, ")
