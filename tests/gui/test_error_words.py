"""The window words a service's error kinds itself: its menus, never CLI syntax."""

from __future__ import annotations

from mailwise_desktop.core.errors import ErrorCase, NotConfiguredError, UsageError
from mailwise_desktop.ui.error_words import kind_sentence, plain_error
from tests.gui.ui_language import install_translation


def test_kinds_get_window_words_in_japanese_and_english(qapp) -> None:  # type: ignore[no-untyped-def]
    missing = NotConfiguredError("Say who you are first.", case=ErrorCase.IDENTITY_MISSING)
    stranger = UsageError(
        "'kato' is not an active teammate.", case=ErrorCase.NOT_A_TEAMMATE, data={"id": "kato"}
    )
    sentence, details = plain_error(missing)
    assert sentence == "Say who you are first (Actions ▸ Who am I…), then try again."
    assert details == "Say who you are first."
    assert plain_error(stranger)[0] == "kato is not an active teammate."
    translation = install_translation("ja")
    try:
        assert plain_error(missing)[0] == (
            "先にご自分の名前を設定してから（操作 ▸ 自分の名前を設定…）、もう一度お試しください。"
        )
        assert plain_error(stranger)[0] == "kato は現在のチームメンバーではありません。"
    finally:
        translation.remove()
    for error in (missing, stranger):
        assert "mailwise" not in plain_error(error)[0] and "--" not in plain_error(error)[0]


def test_every_case_has_window_words_without_cli_syntax(qapp) -> None:  # type: ignore[no-untyped-def]
    keys = ("id", "ids", "uid", "mailbox", "name", "account", "names", "folder")
    data = {k: "x" for k in (*keys, "host", "port", "tls_port")}
    for case in ErrorCase:
        sentence = kind_sentence(UsageError("fallback", case=case, data=data))
        assert sentence and sentence != "fallback", case
        assert "mailwise " not in sentence and "--" not in sentence, case
