"""The compose window's status line: checking, queued with undo, sending, held, failed."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from mailwise_desktop.send.outbox import OutboxItem, OutboxState


def status_line(item: OutboxItem | None, busy: str | None) -> str | None:
    """What the line under the buttons says now (None: nothing to say)."""
    if busy == "checking":
        return QCoreApplication.translate(
            "ComposeWindow", "Checking the recipients and the server…"
        )
    if busy == "queuing":
        return QCoreApplication.translate("ComposeWindow", "Putting the mail in the outbox…")
    if busy == "template":
        return QCoreApplication.translate("ComposeWindow", "Filling in the template…")
    if busy == "taking_over":
        return QCoreApplication.translate("ComposeWindow", "Taking the message over…")
    if item is None:
        return None
    if item.state is OutboxState.APPROVAL:
        return QCoreApplication.translate(
            "ComposeWindow",
            "Waiting for a teammate's approval; it is sent once approved. Undo brings it back here.",
        )
    if item.state is OutboxState.QUEUED and item.send_after > time.time() and not item.last_error:
        return QCoreApplication.translate(
            "ComposeWindow", "Queued: sending shortly. Undo brings it back here."
        )
    if item.state in (OutboxState.QUEUED, OutboxState.CHECKING, OutboxState.SUBMITTING):
        if item.last_error:
            return QCoreApplication.translate("ComposeWindow", "Waiting to send: %1").replace(
                "%1", item.last_error
            )
        return QCoreApplication.translate("ComposeWindow", "Sending…")
    if item.state in (OutboxState.ACCEPTED, OutboxState.SENT):
        return QCoreApplication.translate("ComposeWindow", "Sent.")
    if item.state is OutboxState.HELD:
        return QCoreApplication.translate("ComposeWindow", "Held, not sent: %1").replace(
            "%1", item.last_error or ""
        )
    if item.state is OutboxState.FAILED:
        return QCoreApplication.translate(
            "ComposeWindow", "Not sent: %1 It stays in the outbox; Retry is in Outbox."
        ).replace("%1", item.last_error or "")
    return QCoreApplication.translate(
        "ComposeWindow", "The connection dropped while sending; see the outbox: %1"
    ).replace("%1", item.last_error or "")
