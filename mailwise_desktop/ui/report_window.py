"""The report window (レポート): figures of a period, two bar charts, CSV export.

Charts are drawn with QPainter (:class:`BarChart`): QtCharts needs
PySide6-Addons (about 100 MB more in the installer) and pyqtgraph brings
numpy; a few labelled bars need neither.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.report import Report
from mailwise_desktop.ui.background import BackgroundOps, LocalOp

_COLOURS = (QColor("#3b73b9"), QColor("#3a8f5c"))


class BarChart(QWidget):
    """Grouped bars with a title, category labels under them and values on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 180)
        self.title = ""
        self.categories: list[str] = []
        self.series: list[tuple[str, list[int]]] = []

    def set_data(
        self, title: str, categories: Sequence[str], series: Sequence[tuple[str, list[int]]]
    ) -> None:
        self.title, self.categories, self.series = title, list(categories), list(series)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = p.fontMetrics()
        line = fm.height()
        p.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, self.title)
        legend_x = 0.0
        for i, (name, _values) in enumerate(self.series):
            p.fillRect(QRectF(legend_x, line + 4, 10, 10), _COLOURS[i % 2])
            p.drawText(
                QRectF(legend_x + 14, line, 200, line + 4), Qt.AlignmentFlag.AlignVCenter, name
            )
            legend_x += 24 + fm.horizontalAdvance(name)
        top, bottom = 2 * line + 12, self.height() - line - 6
        n = max(1, len(self.categories))
        highest = max([1, *(v for _n, values in self.series for v in values)])
        slot = self.width() / n
        bar = max(2.0, (slot - 8) / max(1, len(self.series)))
        for c, label in enumerate(self.categories):
            x = c * slot + 4
            for s, (_name, values) in enumerate(self.series):
                value = values[c] if c < len(values) else 0
                h = (bottom - top - line) * value / highest
                rect = QRectF(x + s * bar, bottom - h, bar - 1, h)
                p.fillRect(rect, _COLOURS[s % 2])
                p.drawText(QRectF(rect.x() - 10, rect.y() - line, bar + 20, line),
                           Qt.AlignmentFlag.AlignHCenter, str(value))  # fmt: skip
            p.drawText(QRectF(c * slot, bottom + 2, slot, line), Qt.AlignmentFlag.AlignHCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(slot)))  # fmt: skip
        p.end()


def _hours(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 3600:.1f} h"


class ReportWindow(QDialog):
    """Figures of the chosen period; ``load(since)`` is the report source."""

    PERIODS = (7, 30, 90)

    def __init__(
        self,
        load: Callable[[float], Report],
        parent: QWidget | None = None,
        ops: BackgroundOps | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportWindow")
        self.load = load
        # Where the figures are computed: off the UI thread when given (about a
        # second at 50,000 messages), else right here (tests, small caches).
        self.ops = ops
        self.report: Report | None = None
        self.period = QComboBox(self)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(self.export_csv)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.figures = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        for key in (
            "received",
            "handled",
            "first",
            "resolution",
            "replies",
            "teammates",
            "domains",
        ):
            self.labels[key] = QLabel(self)
            self.values[key] = QLabel(self)
            self.values[key].setWordWrap(True)
            self.figures.addRow(self.labels[key], self.values[key])
        self.daily = BarChart(self)
        self.backlog = BarChart(self)
        charts = QHBoxLayout()
        charts.addWidget(self.daily, 2)
        charts.addWidget(self.backlog, 1)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addLayout(self.figures)
        column.addLayout(charts, 1)
        self.resize(900, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reports"))
        index = max(0, self.period.currentIndex())
        self.period.blockSignals(True)
        self.period.clear()
        for days in self.PERIODS:
            self.period.addItem(self.tr("Last %1 days").replace("%1", str(days)), days)
        self.period.setCurrentIndex(index)
        self.period.blockSignals(False)
        self.export_button.setText(self.tr("Export CSV…"))
        names = {
            "received": self.tr("Received"), "handled": self.tr("Handled"),
            "first": self.tr("First response (median / p90)"),
            "resolution": self.tr("Resolution (median / p90)"),
            "replies": self.tr("Replies (template / free text)"),
            "teammates": self.tr("Handled by"), "domains": self.tr("Top customer domains"),
        }  # fmt: skip
        for key, label in self.labels.items():
            label.setText(names[key])
        if self.report is not None:
            self.show_report(self.report)

    def refresh(self) -> None:
        days = self.period.currentData() or 30
        since = time.time() - int(days) * 86400
        if self.ops is None:
            self.show_report(self.load(since))
            return
        self.period.setEnabled(False)
        LocalOp(lambda: self.load(since)).success(self._loaded).failure(
            lambda _error: self.period.setEnabled(True)
        ).run_in(self.ops)

    def _loaded(self, report: Report) -> None:
        self.period.setEnabled(True)
        self.show_report(report)

    def show_report(self, report: Report) -> None:
        self.report = report
        v = self.values
        v["received"].setText(str(report.received))
        v["handled"].setText(str(report.handled))
        fr, rs = report.first_response, report.resolution
        v["first"].setText(f"{_hours(fr.median)} / {_hours(fr.p90)}  ({fr.count})")
        v["resolution"].setText(f"{_hours(rs.median)} / {_hours(rs.p90)}  ({rs.count})")
        v["replies"].setText(f"{report.replies_template} / {report.replies_free_text}")
        v["teammates"].setText(", ".join(f"{k} {n}" for k, n in report.handled_by.items()) or "–")
        top = list(report.per_domain.items())[:5]
        v["domains"].setText(", ".join(f"{d} {f.received}" for d, f in top) or "–")
        days = report.per_day[-14:]
        self.daily.set_data(
            self.tr("Received and handled per day"),
            [d[5:] for d, _r, _h in days],
            [(self.tr("Received"), [r for _d, r, _h in days]),
             (self.tr("Handled"), [h for _d, _r, h in days])],
        )  # fmt: skip
        self.backlog.set_data(
            self.tr("Open now, by age"),
            list(report.backlog),
            [(self.tr("Open"), list(report.backlog.values()))],
        )

    def export_csv(self) -> Path | None:
        if self.report is None:
            return None
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export CSV"), "report.csv", "CSV (*.csv)"
        )
        if not name:
            return None
        from mailwise_desktop.cli.report_commands import write_csv

        path = Path(name)
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            write_csv(self.report, out)
        return path

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ReportMenu(QObject):
    """View ▸ Reports… in a main window."""

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        load: Callable[[float], Report | None],
        *,
        ops: BackgroundOps | None = None,
        ready: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.load_report = load
        self.ops = ops
        self.ready = ready
        self.dialog: ReportWindow | None = None
        self.action = QAction(window)
        self.action.setObjectName("actionReports")
        self.action.triggered.connect(self.show)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def show(self) -> ReportWindow | None:
        if not (self.ready() if self.ready is not None else self.load_report(time.time())):
            return None  # no account yet
        if self.dialog is None:
            self.dialog = ReportWindow(
                lambda since: self.load_report(since) or _EMPTY, self.window, self.ops
            )
        self.dialog.period.setCurrentIndex(1)
        self.dialog.refresh()
        self.dialog.show()
        return self.dialog

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Reports…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def _empty() -> Report:
    from mailwise_desktop.core.report import compute

    return compute([], [], 0.0, 1.0)


_EMPTY = _empty()
