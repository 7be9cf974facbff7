"""The "could not be read fully" marker's words (issue 9), in the user's language.

A message whose headers or body our parser could not read is still stored
and listed (``MessageSummary.read_problem`` holds the short technical reason).
The list shows a warning sign on its subject with this text as a tooltip; the
reading pane shows a bar with "Show source" and "Save as .eml".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def read_problem_text(reason: str) -> str:
    """One line for the list's tooltip: the marker and the reason."""
    return QCoreApplication.translate("ReadProblem", "Could not be read fully: %1").replace(
        "%1", reason
    )


def read_problem_notice() -> str:
    """The reading pane's sentence above such a message."""
    return QCoreApplication.translate(
        "ReadProblem",
        "This message could not be read fully. Show source or Save as .eml has all of it.",
    )
