"""Who are you? Pick yourself from the team roster, or add yourself to it.

With one shared login (common in small teams) the identity is declared here
and written into every history event; the roster lives in the team mailbox,
so reading it (and adding someone) needs the server once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailwise_desktop.core.changes import Changes
from mailwise_desktop.core.roster import Teammate
from mailwise_desktop.services.account_services import AccountServices
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow
from mailwise_desktop.ui.background import BackgroundOps, LocalOp
from mailwise_desktop.ui.error_words import plain_error
from mailwise_desktop.ui.notice_bar import NoticeBar


class IdentityDialog(QDialog):
    """Choose (or add) the teammate who uses this profile.

    Signals:
        identity_chosen(Teammate): saved as this profile's ``me``.
    """

    identity_chosen = Signal(object)

    def __init__(
        self,
        services: AccountServices,
        parent: QWidget | None = None,
        *,
        ops: BackgroundOps,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self.ctx, self.account = services.ctx, services.account
        self.ops = ops
        self.coordination = services.coordination
        self.team = services.team
        self.intro = QLabel(self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.roster = QListWidget(self)
        self.roster.setObjectName("rosterList")
        self.roster.itemDoubleClicked.connect(lambda _i: self.choose())
        self.new_box = QGroupBox(self)
        self.new_id = QLineEdit(self.new_box)
        self.new_id.setObjectName("newTeammateId")
        self.new_id.setPlaceholderText("sato")
        self.new_name = QLineEdit(self.new_box)
        self.new_name.setObjectName("newTeammateName")
        self.new_name.setPlaceholderText("佐藤 美咲")
        self.new_email = QLineEdit(self.new_box)
        self.new_email.setObjectName("newTeammateEmail")
        self.new_labels = [QLabel(self.new_box) for _ in range(3)]
        form = QFormLayout(self.new_box)
        for label, field in zip(
            self.new_labels, (self.new_id, self.new_name, self.new_email), strict=True
        ):
            form.addRow(label, field)
        self.result_bar = NoticeBar("identityResult", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.choose)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.roster, 1)
        layout.addWidget(self.new_box)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.setMinimumSize(460, 420)
        self.fill(self.coordination.roster())
        self.load_roster()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Who are you?"))
        self.intro.setText(
            self.tr("Your teammates see your name on the messages you handle. Pick yourself:")
        )
        self.new_box.setTitle(self.tr("Not on the list? Add yourself"))
        for label, text in zip(
            self.new_labels,
            (self.tr("Short id:"), self.tr("Name:"), self.tr("E-mail:")),
            strict=True,
        ):
            label.setText(text)

    def fill(self, teammates: list[Teammate]) -> None:
        me = str(self.ctx.settings.get("me") or "")
        self.roster.clear()
        for teammate in (t for t in teammates if t.active):
            text = f"{teammate.label} ({teammate.id})"
            item = QListWidgetItem(text, self.roster)
            item.setData(Qt.ItemDataRole.UserRole, teammate.id)
            if teammate.id == me:
                self.roster.setCurrentItem(item)

    def load_roster(self) -> None:
        """Read the roster from the team mailbox (in the background)."""
        self.result_bar.show_notice(self.tr("Reading the team roster…"), kind="info")
        job = self.coordination.refresh_team_job()
        LocalOp(lambda: run_once(self.ctx, self.account, job)).success(self._loaded).failure(
            self._failed
        ).run_in(self.ops)

    def _loaded(self, _changes: Changes) -> None:
        self.result_bar.hide()
        self.fill(self.coordination.roster())

    def choose(self) -> None:
        new_id = self.new_id.text().strip()
        if new_id:
            row = TeammateRow(new_id, self.new_name.text().strip(), self.new_email.text().strip())
            try:
                job = self.team.add_job(row)
            except Exception as exc:  # a bad id: said in plain words
                self._failed(exc)
                return
            self.result_bar.show_notice(self.tr("Adding you to the team roster…"), kind="info")
            LocalOp(lambda: run_once(self.ctx, self.account, job)).success(self._added).failure(
                self._failed
            ).run_in(self.ops)
            return
        item = self.roster.currentItem()
        if item is None:
            self.result_bar.show_notice(self.tr("Pick your name, or add yourself."), kind="warning")
            return
        self._set_me(str(item.data(Qt.ItemDataRole.UserRole)))

    def _added(self, teammate: Teammate) -> None:
        self._set_me(teammate.id)

    def _failed(self, error: BaseException) -> None:
        text, detail = plain_error(error)
        self.result_bar.show_notice(text, kind="error", detail=detail)

    def _set_me(self, teammate_id: str) -> None:
        try:
            teammate = self.team.set_me(teammate_id)
        except Exception as exc:
            self._failed(exc)
            return
        self.identity_chosen.emit(teammate)
        self.accept()
