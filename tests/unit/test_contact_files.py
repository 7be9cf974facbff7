"""Address book: canonical addresses, folding records, CSV (BOM, Shift_JIS) and vCard 4 round trips."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mailwise_desktop.core.contact_cards import (
    ContactCard,
    RecordFacts,
    canonical_address,
    fold,
    merged,
)
from mailwise_desktop.core.contact_files import (
    SHIFT_JIS,
    LostCharacter,
    read_csv,
    read_vcards,
    write_csv,
    write_vcards,
)


def test_canonical_address_is_case_and_idn_blind() -> None:
    assert canonical_address("Tanaka@Example.JP") == "tanaka@example.jp"
    assert canonical_address(" <taro@例え.jp> ") == canonical_address("TARO@xn--r8jz45g.jp")
    assert canonical_address("no address") == ""
    assert canonical_address("@example.jp") == ""


def test_fold_keeps_both_teammates_fields_and_merges_spellings() -> None:
    records = [
        RecordFacts("tanaka@example.jp", {"address": "tanaka@example.jp", "name": "田中"}),
        RecordFacts("Tanaka@EXAMPLE.jp", {"company": "株式会社サンプル"}),  # another spelling
        RecordFacts("tanaka@example.jp", {"vip": True, "tags": ["見積中", "見積中", " a;b "]}),
        RecordFacts("gone@example.jp", {"name": "x"}),
        RecordFacts("gone@example.jp", {"deleted": True}),
        RecordFacts("not an address", {"name": "y"}),
        RecordFacts("tanaka@example.jp", {"phone": 12345}),  # mistyped: ignored
    ]
    cards = fold(records)
    assert list(cards) == ["tanaka@example.jp"]
    card = cards["tanaka@example.jp"]
    assert (card.name, card.company, card.vip, card.phone) == ("田中", "株式会社サンプル", True, "")
    assert card.tags == ("見積中", "a b")


def test_merged_joins_duplicates_by_address() -> None:
    a = ContactCard("taro@例え.jp", name="太郎", tags=("x",))
    b = ContactCard("TARO@xn--r8jz45g.jp", company="例え社", tags=("y",), do_not_contact=True)
    (one,) = merged([a, b]).values()
    assert (one.name, one.company, one.tags, one.do_not_contact) == (
        "太郎",
        "例え社",
        ("x", "y"),
        True,
    )


def test_changes_to_names_only_what_differs() -> None:
    before = ContactCard("a@x.jp", name="A", tags=("t",))
    after = ContactCard("a@x.jp", name="A", company="X", tags=("t", "u"), vip=True)
    assert before.changes_to(after) == {"company": "X", "tags": ["t", "u"], "vip": True}


# -- round trips --------------------------------------------------------------

_SAFE = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="\ufeff")
_LINE = st.text(_SAFE, max_size=30).map(str.strip)
_MEMO = st.lists(_LINE, max_size=3).map("\n".join)
_TAG = st.text(_SAFE.filter(lambda c: c not in ",;"), min_size=1, max_size=12).map(str.strip)


def _sjis(text: str) -> bool:
    try:
        return text.encode(SHIFT_JIS).decode(SHIFT_JIS) == text
    except UnicodeError:
        return False


def _cards(
    text: st.SearchStrategy[str], memo: st.SearchStrategy[str], tag: st.SearchStrategy[str] = _TAG
) -> st.SearchStrategy[ContactCard]:
    local = st.text(st.sampled_from("abcxyz0189._-"), min_size=1, max_size=10)
    domain = st.sampled_from(("example.jp", "例え.jp", "xn--r8jz45g.jp", "sub.example.com"))
    address = st.builds(lambda a, d: f"{a}@{d}", local, domain)
    return st.builds(
        ContactCard,
        address=address,
        name=text,
        company=text,
        department=text,
        phone=st.text(st.sampled_from("0123456789+-() "), max_size=15).map(str.strip),
        memo=memo,
        tags=st.lists(tag.filter(bool), max_size=4, unique=True).map(tuple),
        vip=st.booleans(),
        do_not_contact=st.booleans(),
    ).filter(lambda c: c.name.lower() != c.address.lower())


_ANY = _cards(_LINE, _MEMO)
_JIS_LINE = _LINE.filter(_sjis)
_JIS = _cards(_JIS_LINE, st.lists(_JIS_LINE, max_size=3).map("\n".join), _TAG.filter(_sjis))


@settings(max_examples=150, deadline=None)
@given(cards=st.lists(_ANY, max_size=6))
def test_csv_utf8_with_bom_round_trip(cards: list[ContactCard]) -> None:
    data, lost = write_csv(cards, "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf") and not lost
    assert read_csv(data) == (cards, [])


@settings(max_examples=150, deadline=None)
@given(cards=st.lists(_JIS, max_size=6))
def test_csv_shift_jis_round_trip(cards: list[ContactCard]) -> None:
    data, lost = write_csv(cards, SHIFT_JIS)
    assert not lost
    data.decode(SHIFT_JIS)  # every byte is Shift_JIS (Windows-31J)
    assert read_csv(data) == (cards, [])


@settings(max_examples=150, deadline=None)
@given(cards=st.lists(_ANY, max_size=6))
def test_vcard_round_trip(cards: list[ContactCard]) -> None:
    data = write_vcards(cards)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded by octets
    assert read_vcards(data) == (cards, [])


def test_shift_jis_reports_what_it_cannot_hold() -> None:
    cards = [ContactCard("a@example.jp", name="髙橋 🍣", memo="①～")]  # 髙 and ①～ fit cp932
    data, lost = write_csv(cards, SHIFT_JIS)
    assert lost == [LostCharacter(2, "name", "🍣")]
    assert read_csv(data)[0][0].name == "髙橋 ?"
    assert read_csv(data)[0][0].memo == "①～"


def test_excel_japanese_headers_and_bad_rows() -> None:
    text = "メールアドレス,名前,会社,タグ,VIP,連絡不可\r\nsato@example.jp,佐藤,サンプル,a;b,1,\r\nnot-mail,x,,,,\r\n"
    cards, problems = read_csv(text.encode(SHIFT_JIS))
    assert [(c.address, c.name, c.company, c.tags, c.vip, c.do_not_contact) for c in cards] == [
        ("sato@example.jp", "佐藤", "サンプル", ("a", "b"), True, False)
    ]
    assert [p.line for p in problems] == [3]
    assert read_csv(b"name\r\nx\r\n")[1][0].reason.startswith("no column named email")


def test_vcard_from_another_app() -> None:
    """vCard 3 from a phone: groups, TYPE params, folded lines, mailto:."""
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Suzuki Hanako\r\nN:Suzuki;Hanako;;;\r\n"
        b"item1.EMAIL;TYPE=INTERNET,WORK:mailto:hanako@example.com\r\n"
        b"ORG:Sample Inc.;Sales\r\nTEL;TYPE=CELL:090-1234\r\nNOTE:line one\\nline t\r\n wo\r\n"
        b"END:VCARD\r\nBEGIN:VCARD\r\nFN:No Mail\r\nEND:VCARD\r\n"
    )
    cards, problems = read_vcards(data)
    assert cards == [ContactCard("hanako@example.com", name="Suzuki Hanako", company="Sample Inc.",
                                 department="Sales", phone="090-1234", memo="line one\nline two")]  # fmt: skip
    assert len(problems) == 1
