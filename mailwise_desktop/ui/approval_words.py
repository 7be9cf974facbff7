"""Why a mail needs approval, in the user's language (codes from send/approval_rules.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mailwise_desktop.send.approval_rules import Reason


def approval_text(reason: Reason) -> str:
    """One sentence for ``reason``; an unknown code falls back to the English message."""
    p = dict(reason.params)
    # Literal translate() calls: lupdate collects only those.
    if reason.code == "always":
        return QCoreApplication.translate(
            "ApprovalWords", "Mail from this teammate is approved by another before it goes out."
        )
    if reason.code == "new_domain":
        return QCoreApplication.translate("ApprovalWords", "First mail to %1.").replace(
            "%1", p.get("domains", "")
        )
    if reason.code == "attachment":
        return QCoreApplication.translate(
            "ApprovalWords", "The mail has %1 attachment(s)."
        ).replace("%1", p.get("count", ""))
    if reason.code == "keyword":
        return QCoreApplication.translate("ApprovalWords", "The mail mentions %1.").replace(
            "%1", p.get("words", "")
        )
    if reason.code == "many_external":
        return (
            QCoreApplication.translate("ApprovalWords", "%1 external recipients (more than %2).")
            .replace("%1", p.get("count", ""))
            .replace("%2", p.get("limit", ""))
        )
    return reason.message
