"""The mis-send checks' findings in the user's language (codes from ``send/checks.py``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mailwise_desktop.send.checks import Finding, Severity


def finding_text(finding: Finding) -> str:
    """One line for ``finding``, translated; unknown codes fall back to the English message."""
    p = finding.params
    texts = {
        "no_recipients": lambda: QCoreApplication.translate(
            "SendFindings", "The mail has no recipient."
        ),
        "external_domains": lambda: QCoreApplication.translate(
            "SendFindings", "Goes outside the team to: %1"
        ).replace("%1", p.get("domains", "")),
        "attention_domain": lambda: QCoreApplication.translate(
            "SendFindings", "%1 is on the team's attention list: check it twice."
        ).replace("%1", p.get("domain", "")),
        "blocked_recipient": lambda: QCoreApplication.translate(
            "SendFindings", "%1 cannot be mailed (blocked by the team policy)."
        ).replace("%1", p.get("address", "")),
        "first_time_recipient": lambda: QCoreApplication.translate(
            "SendFindings", "Never mailed from this mailbox before: %1"
        ).replace("%1", p.get("addresses", "")),
        "recommend_bcc": lambda: QCoreApplication.translate(
            "SendFindings", "%1 external domains can see each other's addresses; consider Bcc."
        ).replace("%1", p.get("count", "")),
        "large_audience": lambda: (
            QCoreApplication.translate("SendFindings", "%1 recipients (the team's limit is %2).")
            .replace("%1", p.get("count", ""))
            .replace("%2", p.get("limit", ""))
        ),
        "missing_attachment": lambda: QCoreApplication.translate(
            "SendFindings", "The mail mentions an attachment (%1) but nothing is attached."
        ).replace("%1", p.get("words", "")),
        "double_extension": lambda: QCoreApplication.translate(
            "SendFindings", "%1 hides a program behind a second extension."
        ).replace("%1", p.get("file", "")),
        "risky_attachment": lambda: QCoreApplication.translate(
            "SendFindings", "%1 can run code on the recipient's computer."
        ).replace("%1", p.get("file", "")),
        "too_large": lambda: (
            QCoreApplication.translate(
                "SendFindings", "The mail is %1 once encoded, over the limit of %2."
            )
            .replace("%1", p.get("size", ""))
            .replace("%2", p.get("limit", ""))
        ),
        "keyword_rule": lambda: (
            QCoreApplication.translate("SendFindings", "Contains “%1” (%2).")
            .replace("%1", p.get("pattern", ""))
            .replace("%2", p.get("reason", ""))
        ),
        "do_not_contact": lambda: QCoreApplication.translate(
            "SendFindings", "%1 is marked “do not contact” in the address book."
        ).replace("%1", p.get("address", "")),
        "empty_subject": lambda: QCoreApplication.translate(
            "SendFindings", "The subject is empty."
        ),
        "reply_all_added_external": lambda: QCoreApplication.translate(
            "SendFindings", "Reply-all adds external recipients the customer did not write to: %1"
        ).replace("%1", p.get("addresses", "")),
        "collision_owner": lambda: QCoreApplication.translate(
            "SendFindings", "%1 is handling this message now."
        ).replace("%1", p.get("owner", "")),
        "collision_answered": lambda: QCoreApplication.translate(
            "SendFindings", "Someone has answered this message since you opened it."
        ),
        "collision_new_message": lambda: QCoreApplication.translate(
            "SendFindings", "%1 new message(s) arrived in this conversation since you opened it."
        ).replace("%1", p.get("count", "")),
        "attachment_missing_file": lambda: QCoreApplication.translate(
            "SendFindings", "The attached file is no longer there: %1"
        ).replace("%1", p.get("files", "")),
    }
    make = texts.get(finding.code)
    return make() if make else finding.message


def severity_text(severity: Severity) -> str:
    """The word shown before a finding (colour is never the only cue)."""
    if severity is Severity.BLOCK:
        return QCoreApplication.translate("SendFindings", "Cannot send")
    if severity is Severity.CONFIRM:
        return QCoreApplication.translate("SendFindings", "Check")
    return QCoreApplication.translate("SendFindings", "Note")
