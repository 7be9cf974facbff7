"""The "Sign in with Microsoft / Google" part of the account dialog.

Holds the organisation's app registration (client id, tenant; a Google
desktop client's secret) and who signs in; the browser flow itself runs in
:meth:`AccountService.sign_in` off the UI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from mailwise_desktop.core.accounts import OAuthClient
from mailwise_desktop.signin.providers import oauth_client


class SignInPanel(QObject):
    """Who signs in, the app registration, and the sign-in button: rows of the dialog's form.

    Args:
        parent: the dialog (owns the widgets).
        form: the dialog's form; the panel adds its rows there, so they line up.
    """

    def __init__(self, parent: QWidget, form: QFormLayout) -> None:
        super().__init__(parent)
        self.setObjectName("signInPanel")
        self.form = form
        self.provider = "microsoft"
        self.login = QLineEdit(parent)
        self.login.setObjectName("signInLogin")
        self.client_id = QLineEdit(parent)
        self.client_id.setObjectName("signInClientId")
        self.tenant = QLineEdit(parent)
        self.tenant.setObjectName("signInTenant")
        self.client_secret = QLineEdit(parent)
        self.client_secret.setObjectName("signInClientSecret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.labels = [QLabel(parent) for _ in range(4)]
        self.fields: list[QWidget] = [self.login, self.client_id, self.tenant, self.client_secret]
        for label, field in zip(self.labels, self.fields, strict=True):
            label.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(label, field)
        self.note = QLabel(parent)
        self.note.setObjectName("signInNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.button = QPushButton(parent)
        self.button.setObjectName("signInButton")
        self.button.setDefault(True)
        self.app_password = QPushButton(parent)
        self.app_password.setObjectName("useAppPasswordButton")
        self.app_password.setFlat(True)
        self.fields += [self.note, self.button, self.app_password]
        for widget in (self.note, self.button, self.app_password):
            form.addRow(widget)
        self.visible = True
        self.retranslate()

    def isVisible(self) -> bool:
        return self.visible

    def set_visible(self, visible: bool) -> None:
        """Show or hide every row of the panel (the provider's own rows follow it)."""
        self.visible = visible
        for field in self.fields:
            self.form.setRowVisible(field, visible)
        if visible:
            self.set_provider(self.provider)

    def retranslate(self) -> None:
        texts = (
            self.tr("Who signs in:"),
            self.tr("Application (client) ID:"),
            self.tr("Tenant:"),
            self.tr("Client secret:"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.login.setPlaceholderText(self.tr("you@example.co.jp (if not the mailbox address)"))
        self.client_id.setPlaceholderText(self.tr("from your administrator"))
        self.tenant.setPlaceholderText("contoso.onmicrosoft.com")
        self.client_secret.setPlaceholderText(self.tr("Google desktop client only"))
        self.app_password.setText(self.tr("Use an app password instead…"))
        self.set_provider(self.provider)

    def set_provider(self, provider: str) -> None:
        """Show the fields and words of ``microsoft`` or ``google``."""
        self.provider = provider
        microsoft = provider == "microsoft"
        if self.visible:
            self.form.setRowVisible(self.tenant, microsoft)
            self.form.setRowVisible(self.client_secret, not microsoft)
            self.form.setRowVisible(self.app_password, not microsoft)
        if microsoft:
            self.button.setText(self.tr("Sign in with Microsoft"))
            self.note.setText(
                self.tr(
                    "Your browser opens Microsoft's sign-in page. For a shared mailbox, enter "
                    "its address above and sign in as yourself: you need Full Access and Send "
                    "As on it. The administrator registers Mailwise once (docs/PROVIDERS.md)."
                )
            )
        else:
            self.button.setText(self.tr("Sign in with Google"))
            self.note.setText(
                self.tr(
                    "Your browser opens Google's sign-in page. Without a client ID from your "
                    "administrator, use an app password (2-Step Verification on; "
                    "myaccount.google.com/apppasswords)."
                )
            )

    def fill_saved(self, saved: dict[str, Any]) -> None:
        """Prefill the registration the profile used last time for this provider."""
        entry = saved.get(self.provider)
        if isinstance(entry, dict):
            if not self.client_id.text():
                self.client_id.setText(str(entry.get("client_id", "")))
            if not self.tenant.text():
                self.tenant.setText(str(entry.get("tenant", "")))

    def client(self, address: str, saved: dict[str, Any]) -> OAuthClient:
        """The registration to sign in with (NotConfiguredError without a client id)."""
        return oauth_client(
            self.provider,
            saved,
            client_id=self.client_id.text().strip() or None,
            tenant=self.tenant.text().strip() or None,
            client_secret=self.client_secret.text().strip() or None,
            login_hint=self.login.text().strip() or address,
        )
