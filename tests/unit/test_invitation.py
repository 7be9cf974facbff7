"""Invitation files and codes: round trips, damage, secrets, and hostile text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.errors import ExitCode
from mailwise_desktop.core.invitation import (
    CODE_PREFIX,
    Invitation,
    InvitationError,
    for_account,
    parse,
)

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def _account() -> Account:
    imap = Endpoint("imap.example.jp", 993, Security.TLS, "support@example.jp", "/home/a/ca.pem")
    return Account(
        "support",
        imap,
        default_smtp(imap),
        address="support@example.jp",
        team_mailbox="Mailwise",
        folders=("INBOX", "営業"),
    )


def _invitation() -> Invitation:
    return for_account(_account(), imap_ca_pem=PEM, teammate="suzuki", invited_by="sato")


def test_file_and_code_round_trip_and_drop_local_paths() -> None:
    inv = _invitation()
    for text in (inv.to_file_text(), inv.to_code()):
        back = parse(text)
        assert back.account.imap.host == "imap.example.jp"
        assert back.account.imap.ca_file is None  # a path on the admin's machine means nothing
        assert back.account.smtp.ca_file is None
        assert back.account.folders == ("INBOX", "営業")
        assert (back.teammate, back.invited_by, back.imap_ca_pem) == ("suzuki", "sato", PEM)
    code = inv.to_code()
    assert code.startswith(CODE_PREFIX) and code.isascii() and "\n" not in code


def test_a_code_wrapped_by_a_mail_program_still_parses() -> None:
    code = _invitation().to_code()
    wrapped = "\n".join(code[i : i + 60] for i in range(0, len(code), 60))
    assert parse(wrapped).teammate == "suzuki"


def test_a_truncated_code_is_called_damaged() -> None:
    code = _invitation().to_code()
    with pytest.raises(InvitationError, match="damaged") as caught:
        parse(code[: len(code) // 2])
    assert caught.value.exit_code == ExitCode.INVITATION


def test_an_invitation_from_a_newer_app_says_update() -> None:
    doc = _invitation().to_json()
    doc["mailwise_invitation"] = 99
    with pytest.raises(InvitationError, match="newer Mailwise"):
        parse(json.dumps(doc))
    doc = _invitation().to_json()
    doc["mailwise_invitation"] = 1
    doc["account"]["imap"]["oauth_flavour"] = "x"
    with pytest.raises(InvitationError, match="newer Mailwise"):
        parse(json.dumps(doc))


@pytest.mark.parametrize("key", ["password", "Refresh_Token", "secret"])
def test_an_invitation_carrying_a_secret_is_refused(key: str) -> None:
    doc = _invitation().to_json()
    doc["account"]["imap"][key] = "hunter2"
    with pytest.raises(InvitationError, match="password or token"):
        parse(json.dumps(doc))


def test_nothing_secret_is_written() -> None:
    text = _invitation().to_file_text()
    assert all(word not in text.lower() for word in ("password", "token", "secret"))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("imap", "port"), 0),
        (("imap", "port"), "993"),
        (("imap", "port"), True),
        (("imap", "host"), "a b"),
        (("imap", "security"), "ssl3"),
        (("imap", "pin_sha256"), "zz"),
        (("folders",), []),
        (("folders",), ["x" * 500]),
        (("team_mailbox",), ""),
    ],
)
def test_wrong_types_and_ranges_are_refused_in_plain_words(
    path: tuple[str, ...], value: object
) -> None:
    doc = _invitation().to_json()
    target = doc["account"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvitationError, match="damaged"):
        parse(json.dumps(doc))


def test_deep_and_huge_documents_are_refused_before_parsing() -> None:
    with pytest.raises(InvitationError):
        parse('{"mailwise_invitation": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(InvitationError, match="too large"):
        parse('{"mailwise_invitation": 1, "x": "' + "a" * 70_000 + '"}')


def test_a_zip_bomb_code_is_refused() -> None:
    import base64
    import zlib

    bomb = zlib.compress(b'{"mailwise_invitation":1,"x":"' + b"a" * 10_000_000 + b'"}', 9)
    code = CODE_PREFIX + base64.urlsafe_b64encode(bomb).decode()
    with pytest.raises(InvitationError, match="damaged"):
        parse(code)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_an_invitation_or_a_plain_refusal(text: str) -> None:
    try:
        parse(text)
    except InvitationError as exc:
        assert exc.message


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_any_json_under_the_account_key_is_refused_or_valid(value: object) -> None:
    doc = {"mailwise_invitation": 1, "account": value}
    try:
        parse(json.dumps(doc))
    except InvitationError as exc:
        assert exc.message
