"""Carrier emoji in Shift_JIS and ISO-2022-JP mail become Unicode emoji (issue 9, case 8).

Byte samples as the phones wrote them (codes from the carriers' published
tables as jpmobile carries them): docomo's sun is Shift_JIS 0xF89F, au's
"danger" 0xF659 (and 0xEB59 / JIS 0x753A in au's mail encoding), SoftBank's
sun 0xF98B in its own range.
"""

from __future__ import annotations

import json

from mailwise_desktop.mail import carrier_emoji
from mailwise_desktop.mail.charsets import decode_text
from mailwise_desktop.mail.headers import parse_headers
from mailwise_desktop.ui.resource_files import resource_file


def test_the_issue_example_decodes_to_the_subject_and_one_emoji() -> None:
    info = parse_headers(b"Subject: =?iso-2022-jp?B?GyRCQmpMPnZeGyhC?=\r\n\r\n")
    assert info.subject == "題名🎤"


def test_docomo_and_au_shift_jis() -> None:
    # あ (0x82A0), docomo sun, au danger, then text
    text = decode_text(b"\x82\xa0\xf8\x9f\xf6\x59\x96\xbe\x93\xfa", "shift_jis")
    assert text == "あ☀⚠明日"


def test_au_mail_encoding_in_jis_and_in_shift_jis() -> None:
    assert decode_text(b"\x1b$Bu:\x1b(B OK", "iso-2022-jp") == "⚠ OK"
    assert decode_text(b"\xeb\x59", "shift_jis") == "⚠"


def test_au_rows_79_to_7b_are_au_only_in_au_text() -> None:
    ibm = decode_text(b"\x1b$By!\x1b(B", "iso-2022-jp")  # CP50221 IBM extension kanji
    assert ibm == "纊"
    table = carrier_emoji.tables()["jis_au"]
    code = next(c for c in table if c.startswith("79"))
    j1, j2 = bytes.fromhex(code)
    au = decode_text(b"\x1b$Bu:" + bytes((j1, j2)) + b"\x1b(B", "iso-2022-jp")
    assert au == "⚠" + table[code]


def test_a_code_without_an_equivalent_is_still_one_replacement() -> None:
    assert decode_text(b"\x91\xe8\x85\x40\x96\xbc", "shift_jis") == "題\ufffd名"


def test_softbank_codes_outside_docomo_and_au_ranges() -> None:
    table = carrier_emoji.tables()
    only_softbank = sorted(
        set(table["sjis_softbank"]) - set(table["sjis_docomo"]) - set(table["sjis_au"])
    )
    code = next(c for c in only_softbank if c < "F9FC")
    assert decode_text(bytes.fromhex(code), "shift_jis") == table["sjis_softbank"][code]


def test_the_table_file_names_its_source_and_licence() -> None:
    data = json.loads(resource_file("emoji", "carrier_emoji.json").read_text(encoding="utf-8"))
    assert "jpmobile" in data["source"] and data["licence"].startswith("MIT")
    assert all(len(data[k]) > 200 for k in ("sjis_docomo", "sjis_au", "sjis_softbank", "jis_au"))
