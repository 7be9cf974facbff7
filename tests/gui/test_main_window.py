"""The main window: empty state, workspace skeleton, menus, About, geometry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from mailwise_desktop import __version__
from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.profile import Profile
from mailwise_desktop.core.settings import Settings
from mailwise_desktop.ui.account_dialog import AccountDialog
from mailwise_desktop.ui.icons import app_icon
from mailwise_desktop.ui.main_window import MainWindow

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform plugin reports this for every top-level widget with a layout.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

MakeWindow = Callable[..., MainWindow]

# An account nobody can reach (no password in the keychain): the window shows it offline.
_ENDPOINT = Endpoint("127.0.0.1", 1, Security.TLS, "support")
ACCOUNT = Account("support", _ENDPOINT, default_smtp(_ENDPOINT)).to_json()


@pytest.fixture
def profile(mailwise_home: Path) -> Profile:
    """The per-test profile that tests/conftest.py points $MAILWISE_HOME at."""
    return Profile(mailwise_home).ensure()


@pytest.fixture
def make_window(qtbot, profile: Profile) -> MakeWindow:
    def make(accounts: list[dict[str, object]] | None = None) -> MainWindow:
        settings = Settings(profile.settings_file)
        if accounts is not None:
            settings.set("accounts", accounts)
            settings.save()
        window = MainWindow(profile, Settings(profile.settings_file), app_icon())
        qtbot.addWidget(window)
        return window

    return make


def test_empty_state_shown_without_accounts(qtbot, make_window: MakeWindow) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)

    assert window.central.currentWidget() is window.empty_state
    assert window.empty_state.isVisible()
    assert not window.workspace.isVisible()
    assert window.empty_state.heading.text() == "Add your shared mailbox"
    assert window.empty_state.add_button.text() == "Add shared mailbox…"
    status = window.findChild(QLabel, "statusConnection")
    assert status is not None and status.text() == "Offline"


def test_workspace_skeleton_shown_with_accounts(qtbot, make_window: MakeWindow) -> None:
    window = make_window(accounts=[ACCOUNT])
    window.show()
    qtbot.waitExposed(window)

    assert not window.empty_state.isVisible()
    for name in ("folderTree", "listColumn", "readingPane"):
        pane = window.findChild(QWidget, name)
        assert pane is not None and pane.isVisible(), name
    # Nothing cached yet: an honest empty list, and the account shown as not connected.
    assert window.controller.model.rowCount() == 0
    # The engines start on the event loop's turn after the first paint (issue 13).
    qtbot.waitUntil(lambda: "not connected" in window.connection_label.text().lower())
    # The parts built after the paint wrap the reading pane (conversation tabs, sender
    # card): it stays shown, at the height the splitter had for it.
    height = window.workspace.reading_pane.height()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "readingWithSender") is not None)
    for name in ("readingPane", "readerTabs", "readingWithSender"):
        pane = window.findChild(QWidget, name)
        assert pane is not None and pane.isVisible(), name
    splitter = window.workspace.reader_splitter
    holder = window.findChild(QWidget, "readingWithSender")
    assert splitter.sizes()[splitter.indexOf(holder)] >= height * 0.9


def test_button_emits_add_account_requested(qtbot, make_window: MakeWindow) -> None:
    window = make_window()
    window.show()
    with qtbot.waitSignal(window.empty_state.add_account_requested, timeout=2000):
        qtbot.mouseClick(window.empty_state.add_button, Qt.MouseButton.LeftButton)


def test_add_account_opens_the_account_dialog(qtbot, make_window: MakeWindow) -> None:
    window = make_window()
    window.show()
    with qtbot.waitSignal(window.add_account_requested, timeout=2000):
        window.action_add_account.trigger()
    dialog = window.setup_dialog
    assert isinstance(dialog, AccountDialog)
    qtbot.waitUntil(dialog.isVisible)
    # TLS is the default, on its port.
    assert dialog.endpoint().security is Security.TLS and dialog.port.value() == 993
    dialog.reject()


def test_menus_and_standard_shortcuts(make_window: MakeWindow) -> None:
    window = make_window()
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&View", "&Actions", "&Help"]
    assert window.action_add_account in window.file_menu.actions()
    assert window.action_quit in window.file_menu.actions()
    assert window.action_about in window.help_menu.actions()
    # Shortcuts are shown in the menus: each must actually be set.
    assert not window.action_quit.shortcut().isEmpty()
    assert not window.action_full_screen.shortcut().isEmpty()


def test_quit_closes_the_window(qtbot, make_window: MakeWindow) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.action_quit.trigger()
    assert not window.isVisible()


def test_about_shows_version_qt_and_profile(qtbot, make_window: MakeWindow, profile) -> None:
    window = make_window()
    window.show()
    dialog = window.show_about()
    qtbot.waitUntil(dialog.isVisible)

    assert __version__ in dialog.version_label.text()
    qt_label = dialog.findChild(QLabel, "aboutQtVersion")
    assert qt_label is not None and "PySide6" in qt_label.text()
    assert dialog.profile_label.text() == str(profile.root)
    dialog.reject()


def test_geometry_remembered_across_restarts(qtbot, make_window: MakeWindow, profile) -> None:
    settings = Settings(profile.settings_file)
    settings.set("window_state", {"last_filter": "mine"})
    settings.save()
    window = make_window(accounts=[ACCOUNT])
    window.show()
    qtbot.waitExposed(window)
    window.resize(740, 520)
    window.workspace.setSizes([150, 300, 290])
    sizes = window.workspace.sizes()
    size = (window.width(), window.height())  # the panes' minimum heights may round it up
    window.close()

    saved = Settings(profile.settings_file).get("window_state")
    assert {"geometry", "splitter"} <= saved.keys()
    assert saved["last_filter"] == "mine", "other window_state keys must survive"

    again = make_window()
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == size
    assert again.workspace.sizes() == sizes


def test_no_state_written_when_persistence_is_off(qtbot, make_window: MakeWindow, profile) -> None:
    window = make_window()
    window.persist_state = False
    window.show()
    window.close()
    assert not profile.settings_file.exists()


def test_the_empty_state_and_the_file_menu_open_the_join_dialog(
    qtbot, make_window: MakeWindow
) -> None:
    from mailwise_desktop.ui.join_dialog import JoinDialog

    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    assert window.empty_state.join_button.isVisible()
    qtbot.mouseClick(window.empty_state.join_button, Qt.MouseButton.LeftButton)
    dialog = window.setup_dialog
    assert isinstance(dialog, JoinDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.reject()
    assert window.action_join in window.menus.file.actions()
