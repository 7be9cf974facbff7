"""Handling-state badges: fixed colours AND words, so colour is never the only cue.

未処理 red-orange, 処理中 blue, 保留 amber, 完了 green, 対応不要 grey (UI.md).
The list paints them with :class:`StateBadgeDelegate`; the reading pane's
header uses :func:`badge_style_sheet` for its chip.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mailwise_desktop.core.states import HandlingState, Operation

#: Badge fill per state; text is white on all of them (contrast ≥ 4.5:1).
BADGE_COLOURS: dict[str, str] = {
    HandlingState.UNHANDLED: "#c2410c",  # red-orange
    HandlingState.IN_PROGRESS: "#1d4ed8",  # blue
    HandlingState.ON_HOLD: "#a16207",  # amber (dark enough for white text)
    HandlingState.DONE: "#15803d",  # green
    HandlingState.NO_REPLY_NEEDED: "#6b7280",  # grey
}
PENDING_COLOUR = "#475569"  # "claiming…": neutral until the server answers

#: The item data role carrying the state value ("unhandled"…) of a row.
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The role carrying a pending operation's words ("claiming…"), or None.
PENDING_ROLE = Qt.ItemDataRole.UserRole + 2

_H_PAD = 6
_V_MARGIN = 3


def state_label(state: str) -> str:
    """The state in the UI language (未処理, 処理中, …)."""
    labels: dict[str, str] = {
        HandlingState.UNHANDLED: QCoreApplication.translate("StateBadge", "Unhandled"),
        HandlingState.IN_PROGRESS: QCoreApplication.translate("StateBadge", "In progress"),
        HandlingState.ON_HOLD: QCoreApplication.translate("StateBadge", "On hold"),
        HandlingState.DONE: QCoreApplication.translate("StateBadge", "Done"),
        HandlingState.NO_REPLY_NEEDED: QCoreApplication.translate("StateBadge", "No reply needed"),
    }
    return labels.get(state, state)


def pending_words(operation: Operation) -> str:
    """What the state column says while the server decides."""
    words = {
        Operation.CLAIM: QCoreApplication.translate("Operations", "Claiming…"),
        Operation.RELEASE: QCoreApplication.translate("Operations", "Releasing…"),
        Operation.TRANSFER: QCoreApplication.translate("Operations", "Handing over…"),
        Operation.HOLD: QCoreApplication.translate("Operations", "Holding…"),
        Operation.RESUME: QCoreApplication.translate("Operations", "Resuming…"),
        Operation.DONE: QCoreApplication.translate("Operations", "Closing…"),
        Operation.SKIP: QCoreApplication.translate("Operations", "Closing…"),
        Operation.REOPEN: QCoreApplication.translate("Operations", "Reopening…"),
    }
    return words[operation]


def badge_style_sheet(state: str) -> str:
    """A style sheet that draws a QLabel as the state's chip."""
    colour = BADGE_COLOURS.get(state, PENDING_COLOUR)
    return (
        f"QLabel {{ background-color: {colour}; color: white; border-radius: 4px; "
        "padding: 1px 6px; font-weight: 600; }"
    )


class StateBadgeDelegate(QStyledItemDelegate):
    """Paints the state column as a rounded, coloured badge with the state's name."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Selection and focus background first, as the style draws them.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if isinstance(widget, QWidget) else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            return
        pending = index.data(PENDING_ROLE)
        colour = QColor(
            PENDING_COLOUR if pending else BADGE_COLOURS.get(index.data(STATE_ROLE), PENDING_COLOUR)
        )
        rect: QRect = option.rect
        metrics = QFontMetrics(option.font)
        width = min(metrics.horizontalAdvance(text) + 2 * _H_PAD, rect.width() - 4)
        badge = QRect(rect.left() + 2, rect.top() + _V_MARGIN, width, rect.height() - 2 * _V_MARGIN)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor("white"))
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, badge.width() - 2 * _H_PAD)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, elided)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 2 * _H_PAD + 4, size.height() + 2)
