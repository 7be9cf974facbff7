"""Services say what happened (a kind and its data); each front end words it.

The service's own sentence names no command; the CLI's words name the
command that helps, in Japanese or English like the rest of the console.
"""

from __future__ import annotations

import pytest

from mailwise_desktop.cli.error_words import WORDS, cli_words
from mailwise_desktop.core.errors import ErrorCase, NotConfiguredError, UsageError
from mailwise_desktop.core.states import Operation
from mailwise_desktop.services.coordination import CoordinationService

pytestmark = pytest.mark.unit


def test_a_transfer_without_a_teammate_is_a_kind_not_cli_syntax() -> None:
    service = CoordinationService.__new__(CoordinationService)  # the check needs no state
    with pytest.raises(UsageError) as raised:
        service.operation_job(Operation.TRANSFER, 7)
    error = raised.value
    assert error.case is ErrorCase.TRANSFER_NEEDS_TARGET
    assert "--to" not in error.message and "mailwise" not in error.message
    assert cli_words(error, "en") == "A transfer needs --to ID."
    assert cli_words(error, "ja") == "引き継ぎには --to ID が必要です。"
    with pytest.raises(UsageError) as other:
        service.operation_job(Operation.CLAIM, 7, target="sato")
    assert other.value.case is ErrorCase.TARGET_WITHOUT_TRANSFER


def test_cli_words_fill_in_the_data_and_fall_back_to_the_message() -> None:
    error = NotConfiguredError(
        "'kato' is not on the team roster.", case=ErrorCase.NOT_ON_ROSTER, data={"id": "kato"}
    )
    assert cli_words(error, "en") == (
        "'kato' is not on the team roster. Add them with: mailwise team add kato --name NAME"
    )
    assert "mailwise team add kato" in cli_words(error, "ja")
    # Data missing: the service's sentence, never a KeyError.
    bare = NotConfiguredError("Someone is not on the roster.", case=ErrorCase.NOT_ON_ROSTER)
    assert cli_words(bare, "en") == "Someone is not on the roster."
    plain = UsageError("Just words.")
    assert cli_words(plain, "ja") == "Just words."


def test_every_kind_has_cli_words_in_both_languages() -> None:
    assert set(WORDS) == set(ErrorCase)
    for en, ja in WORDS.values():
        assert en and ja and en != ja
