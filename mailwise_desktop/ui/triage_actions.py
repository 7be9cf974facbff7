"""The triage actions (claim, release, hold/resume, done, no reply needed, reopen, transfer…).

One QAction each, shared by the toolbar, the Actions menu and the list's
context menu, so a shortcut works everywhere and is listed in the menus.
``Ctrl`` in the key sequences is ⌘ on macOS (Qt maps it), which keeps the
platform's convention; no action takes a standard key another app owns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from mailwise_desktop.core.states import (
    OWNED_STATES,
    HandlingState,
    Operation,
    Refusal,
    RefusalKind,
    StateView,
    check,
)
from mailwise_desktop.store.summaries import MessageSummary

_MNEMONIC = re.compile(r"\(&\w\)")

#: Shortcut per operation (Ctrl = ⌘ on macOS). Ctrl+R / Ctrl+Shift+R stay for reply.
SHORTCUTS: dict[Operation, str] = {
    Operation.CLAIM: "Ctrl+Shift+C",
    Operation.RELEASE: "Ctrl+Shift+U",
    Operation.HOLD: "Ctrl+Shift+H",
    Operation.RESUME: "Ctrl+Shift+G",
    Operation.DONE: "Ctrl+Shift+D",
    Operation.SKIP: "Ctrl+Shift+N",
    Operation.REOPEN: "Ctrl+Shift+O",
    Operation.TRANSFER: "Ctrl+Shift+T",
}


def applicable(operation: Operation, summary: MessageSummary, me: int | None) -> bool:
    """Whether the operation makes sense for a message as the cache shows it.

    A claim on a message a teammate holds stays possible: the server answers
    with who holds it since when, and the user may take it over.
    """
    if me is None:
        return False
    try:
        state = HandlingState(summary.state)
    except ValueError:
        return False
    view = StateView(state, summary.owner_slot)
    if operation is Operation.TRANSFER:
        return state in OWNED_STATES
    result = check(operation, view, me)
    if isinstance(result, Refusal):
        return operation is Operation.CLAIM and result.kind is RefusalKind.HELD_BY_OTHER
    return True


class TriageActions(QObject):
    """The actions and their enabled state for the current selection.

    Signals:
        operation_requested(Operation): the user chose an operation for the selection.
    """

    operation_requested = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.by_operation: dict[Operation, QAction] = {}
        for operation in Operation:
            action = QAction(parent)
            action.setObjectName(f"action_{operation.value}")
            action.setShortcut(QKeySequence(SHORTCUTS[operation]))
            action.triggered.connect(
                lambda _checked=False, op=operation: self.operation_requested.emit(op)
            )
            self.by_operation[operation] = action
        self.note = QAction(parent)
        self.note.setObjectName("action_note")
        self.note.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.reply = QAction(parent)
        self.reply.setObjectName("action_reply")
        self.reply.setShortcut(QKeySequence("Ctrl+R"))
        self.reply_all = QAction(parent)
        self.reply_all.setObjectName("action_reply_all")
        self.reply_all.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.forward = QAction(parent)
        self.forward.setObjectName("action_forward")
        self.forward.setShortcut(QKeySequence("Ctrl+L"))  # Thunderbird's; Ctrl+F is search
        self.new_mail = QAction(parent)
        self.new_mail.setObjectName("action_new_mail")
        self.new_mail.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.New) or [QKeySequence("Ctrl+N")]
        )
        self.outbox = QAction(parent)
        self.outbox.setObjectName("action_outbox")
        self.outbox.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.find = QAction(parent)
        self.find.setObjectName("action_find")
        self.find.setShortcuts([QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("/")])
        self.refresh = QAction(parent)
        self.refresh.setObjectName("action_refresh")
        refresh_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh)
        self.refresh.setShortcuts(refresh_keys or [QKeySequence("F5")])
        self.retranslate()
        self.update_for([], None)

    @property
    def toolbar_operations(self) -> list[Operation]:
        """The toolbar's order (UI.md): claim, hold, done, no reply needed, transfer."""
        return [Operation.CLAIM, Operation.HOLD, Operation.DONE, Operation.SKIP, Operation.TRANSFER]

    @property
    def menu_operations(self) -> list[Operation]:
        return [
            Operation.CLAIM,
            Operation.RELEASE,
            Operation.HOLD,
            Operation.RESUME,
            Operation.DONE,
            Operation.SKIP,
            Operation.REOPEN,
            Operation.TRANSFER,
        ]

    def retranslate(self) -> None:
        texts = {
            Operation.CLAIM: self.tr("&Claim"),
            Operation.RELEASE: self.tr("&Release"),
            Operation.HOLD: self.tr("&Hold"),
            Operation.RESUME: self.tr("Resu&me"),
            Operation.DONE: self.tr("&Done"),
            Operation.SKIP: self.tr("&No reply needed"),
            Operation.REOPEN: self.tr("Re&open"),
            Operation.TRANSFER: self.tr("&Transfer to…"),
        }
        tips = {
            Operation.CLAIM: self.tr("Take this message: you handle it from now on"),
            Operation.RELEASE: self.tr("Give the message back: nobody handles it"),
            Operation.HOLD: self.tr("Put your message on hold"),
            Operation.RESUME: self.tr("Continue handling your message"),
            Operation.DONE: self.tr("Mark the message done"),
            Operation.SKIP: self.tr("Close the message without a reply"),
            Operation.REOPEN: self.tr("Open a closed message again and handle it"),
            Operation.TRANSFER: self.tr("Hand the message over to a teammate"),
        }
        for operation, action in self.by_operation.items():
            action.setText(texts[operation])
            # Toolbar buttons: no access key, Japanese "(&C)" style included.
            action.setIconText(_MNEMONIC.sub("", texts[operation]).replace("&", ""))
            action.setToolTip(
                f"{tips[operation]} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            action.setStatusTip(tips[operation])
        self.note.setText(self.tr("Add &note…"))
        self.reply.setText(self.tr("&Reply"))
        self.reply_all.setText(self.tr("Reply &all"))
        self.forward.setText(self.tr("&Forward"))
        self.new_mail.setText(self.tr("&New mail"))
        self.outbox.setText(self.tr("&Outbox…"))
        for action in (self.reply, self.reply_all, self.forward, self.new_mail):
            action.setIconText(_MNEMONIC.sub("", action.text()).replace("&", ""))
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.iconText()} ({keys})")
        self.find.setText(self.tr("&Search"))
        self.refresh.setText(self.tr("Check for &new mail"))

    def update_for(self, selection: Sequence[MessageSummary], me: int | None) -> None:
        """Enable what applies to at least one selected message."""
        for operation, action in self.by_operation.items():
            action.setEnabled(any(applicable(operation, s, me) for s in selection))
        self.note.setEnabled(len(selection) == 1)
        # Replying claims the message: one message at a time, and only once I know who I am.
        for action in (self.reply, self.reply_all, self.forward):
            action.setEnabled(len(selection) == 1 and me is not None)
