"""What the account dialog does with found settings: continue on the path that fits.

Strings keep the ``AccountDialog`` translation context: they are that dialog's words.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from mailwise_desktop.core.accounts import Security
from mailwise_desktop.signin.discovery import Discovery
from mailwise_desktop.signin.ispdb import ServerGuess
from mailwise_desktop.signin.providers import PRESETS
from mailwise_desktop.ui.notice_bar import NoticeBar


class AccountForm(Protocol):
    """What of the account dialog these steps fill in."""

    address: QLineEdit
    host: QLineEdit
    security: QComboBox
    port: QSpinBox
    user: QLineEdit
    password: QLineEdit
    result_bar: NoticeBar
    found_smtp: ServerGuess | None

    def set_path(self, path: str) -> None: ...


def show_found(dialog: AccountForm, found: Discovery) -> None:
    """Sign-in for Microsoft 365 / Google, the filled form for a server, or the empty form."""
    best = found.best
    if best is None:
        dialog.set_path("manual")
        text = QCoreApplication.translate(
            "AccountDialog", "No settings were published for this address. Enter the server below."
        )
        dialog.result_bar.show_notice(text, kind="warning", detail="\n".join(found.tried))
        return
    if best.oauth_provider:
        dialog.set_path(best.oauth_provider)
        text = QCoreApplication.translate(
            "AccountDialog", "%1 hosts this mailbox. Sign in to add it."
        ).replace("%1", best.title)
        dialog.result_bar.show_notice(text, kind="info", detail=best.source)
        return
    dialog.set_path("manual")
    dialog.host.setText(best.imap.host)
    dialog.security.setCurrentIndex(0 if best.imap.security is Security.TLS else 1)
    dialog.port.setValue(best.imap.port)
    dialog.user.setText(best.imap.user)
    dialog.found_smtp = best.smtp
    text = QCoreApplication.translate(
        "AccountDialog", "Settings found (%1). Enter the password and add the mailbox."
    )
    dialog.result_bar.show_notice(text.replace("%1", best.source), kind="info")
    dialog.password.setFocus()


def use_app_password(dialog: AccountForm) -> None:
    """Google with an app password: its servers in the form, and what to enter."""
    dialog.set_path("manual")
    host, port, _security = PRESETS["google"].imap
    dialog.host.setText(host)
    dialog.security.setCurrentIndex(0)
    dialog.port.setValue(port)
    dialog.user.setText(dialog.address.text().strip())
    dialog.found_smtp = None
    dialog.result_bar.show_notice(
        QCoreApplication.translate(
            "AccountDialog",
            "Enter a Google app password (not your Google password): 2-Step Verification "
            "on, then myaccount.google.com/apppasswords.",
        ),
        kind="info",
    )
