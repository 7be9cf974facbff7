"""Address-book files: CSV (UTF-8 with BOM, or Shift_JIS for Excel) and vCard 4 (RFC 6350).

CSV columns: email, name, company, department, phone, tags (``;`` between
tags), vip, do_not_contact (``1`` / empty), memo. Reading also accepts the
Japanese column names Excel users type (メールアドレス, 名前, 会社 ...).
"Shift_JIS" is written as Windows-31J (cp932), the table Excel itself uses:
it has ① and ～ where plain Shift_JIS has none. A character it cannot hold
is written as ``?`` and reported (row, column, character), never dropped
silently. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from mailwise_desktop.core.contact_cards import ContactCard, card_from

SHIFT_JIS = "cp932"
COLUMNS = (
    "email", "name", "company", "department", "phone", "tags", "vip", "do_not_contact", "memo",
)  # fmt: skip
_ALIASES = {
    "email": ("email", "e-mail", "mail", "address", "メールアドレス", "メール", "電子メール"),
    "name": ("name", "名前", "氏名", "表示名"),
    "company": ("company", "organisation", "organization", "会社", "会社名", "組織"),
    "department": ("department", "部署", "部署名"),
    "phone": ("phone", "tel", "telephone", "電話", "電話番号"),
    "tags": ("tags", "categories", "タグ", "分類"),
    "vip": ("vip",),
    "do_not_contact": ("do_not_contact", "do not contact", "連絡不可", "連絡禁止"),
    "memo": ("memo", "note", "notes", "メモ", "備考"),
}
_TRUE = frozenset({"1", "true", "yes", "y", "x", "○", "はい", "✓"})


@dataclass(frozen=True)
class LostCharacter:
    """A character the chosen encoding cannot hold (written as ``?``)."""

    row: int  # 1-based, the header is row 1
    column: str
    character: str


@dataclass(frozen=True)
class FileProblem:
    """A line of an imported file that was not taken, and why (plain words)."""

    line: int
    reason: str
    code: str = ""  # not_address | no_email_column | no_email (the window translates these)
    value: str = ""


def _cell(card: ContactCard, column: str) -> str:
    if column == "email":
        return card.address
    if column == "tags":
        return ";".join(card.tags)
    if column in ("vip", "do_not_contact"):
        return "1" if getattr(card, column) else ""
    return str(getattr(card, column))


def _fits(char: str, encoding: str) -> bool:
    try:
        return char.encode(encoding).decode(encoding) == char
    except UnicodeError:
        return False


def write_csv(cards: Iterable[ContactCard], encoding: str) -> tuple[bytes, list[LostCharacter]]:
    """The cards as CSV bytes (``utf-8-sig`` or :data:`SHIFT_JIS`) and what could not be kept."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    lost: list[LostCharacter] = []
    for row, card in enumerate(cards, 2):
        cells = []
        for column in COLUMNS:
            value = _cell(card, column)
            if encoding == SHIFT_JIS and not value.isascii():
                kept = []
                for char in value:
                    if _fits(char, encoding):
                        kept.append(char)
                    else:
                        kept.append("?")
                        lost.append(LostCharacter(row, column, char))
                value = "".join(kept)
            cells.append(value)
        writer.writerow(cells)
    return buffer.getvalue().encode(encoding), lost


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found (BOM, else UTF-8, else Shift_JIS)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode(SHIFT_JIS, "replace"), SHIFT_JIS


def read_csv(data: bytes) -> tuple[list[ContactCard], list[FileProblem]]:
    """Cards from CSV bytes; a row without a usable address is reported, not taken."""
    text, _encoding = decode_csv(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [], []
    header = [h.strip().casefold() for h in rows[0]]
    where: dict[str, int] = {}
    for column, names in _ALIASES.items():
        for index, title in enumerate(header):
            if title in {n.casefold() for n in names}:
                where.setdefault(column, index)
    if "email" not in where:
        return [], [FileProblem(1, "no column named email (or メールアドレス)", "no_email_column")]
    cards: list[ContactCard] = []
    problems: list[FileProblem] = []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        values = {c: row[i] if i < len(row) else "" for c, i in where.items()}
        card = _card(values)
        if not card.key:
            problems.append(
                FileProblem(
                    line,
                    f"{values['email']!r} is not an email address",
                    "not_address",
                    values["email"],
                )
            )
            continue
        cards.append(card)
    return cards, problems


def _card(values: dict[str, str]) -> ContactCard:
    flags = {f: values.get(f, "").strip().casefold() in _TRUE for f in ("vip", "do_not_contact")}
    return card_from({**values, "address": values["email"], **flags})


# -- vCard 4 (RFC 6350) -------------------------------------------------------

_X_VIP = "X-MAILWISE-VIP"
_X_DNC = "X-MAILWISE-DO-NOT-CONTACT"


def _escape(value: str) -> str:
    """RFC 6350 3.4: backslash, comma, semicolon and newline escaped."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _split(value: str, sep: str) -> list[str]:
    """Split at unescaped ``sep`` and unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            nxt = value[index + 1]
            current.append("\n" if nxt in "nN" else nxt)
            index += 2
            continue
        if char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _fold(line: str) -> str:
    """Lines of at most 75 octets, folded with CRLF + space, never inside a UTF-8 character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def write_vcards(cards: Iterable[ContactCard]) -> bytes:
    """The cards as one vCard 4.0 file (UTF-8, CRLF)."""
    lines: list[str] = []
    for card in cards:
        props = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"FN:{_escape(card.name or card.address)}",
            f"EMAIL:{_escape(card.address)}",
        ]
        if card.company or card.department:
            props.append(f"ORG:{_escape(card.company)};{_escape(card.department)}")
        if card.phone:
            props.append(f"TEL;VALUE=text:{_escape(card.phone)}")
        if card.tags:
            props.append("CATEGORIES:" + ",".join(_escape(t) for t in card.tags))
        if card.memo:
            props.append(f"NOTE:{_escape(card.memo)}")
        if card.vip:
            props.append(f"{_X_VIP}:TRUE")
        if card.do_not_contact:
            props.append(f"{_X_DNC}:TRUE")
        props.append("END:VCARD")
        lines += [_fold(p) for p in props]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8") if lines else b""


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def _property(line: str) -> tuple[str, dict[str, str], str]:
    """(NAME, params, raw value) of one content line; a group prefix ("item1.") dropped."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        return "", {}, ""
    name, *params = head.split(";")
    name = name.rpartition(".")[2].upper()
    found = {}
    for param in params:
        key, _, val = param.partition("=")
        found[key.upper()] = val.strip('"')
    return name, found, value


def read_vcards(data: bytes) -> tuple[list[ContactCard], list[FileProblem]]:
    """Cards from vCard 3 or 4 text (UTF-8); a card without an email is reported."""
    text = data.decode("utf-8-sig", "replace")
    cards: list[ContactCard] = []
    problems: list[FileProblem] = []
    current: dict[str, object] | None = None
    for number, line in enumerate(_unfold(text), 1):
        name, _params, value = _property(line)
        if name == "BEGIN" and value.upper() == "VCARD":
            current = {}
        elif name == "END" and value.upper() == "VCARD" and current is not None:
            # FN is required: a card without a name carries its address there.
            fn = str(current.pop("fn", ""))
            same = fn.strip().lower() == str(current.get("address", "")).strip().lower()
            current["name"] = "" if same else fn
            card = card_from(current)
            if card.key:
                cards.append(card)
            else:
                problems.append(FileProblem(number, "a card without an email address", "no_email"))
            current = None
        elif current is not None:
            _take(current, name, value)
    return cards, problems


def _take(card: dict[str, object], name: str, value: str) -> None:
    if name == "FN":
        card["fn"] = _split(value, "\0")[0]
    elif name == "EMAIL" and "address" not in card:
        card["address"] = _split(value, "\0")[0].removeprefix("mailto:")
    elif name == "ORG":
        parts = _split(value, ";")
        card["company"], card["department"] = parts[0], ";".join(parts[1:2])
    elif name == "TEL" and "phone" not in card:
        card["phone"] = _split(value, "\0")[0].removeprefix("tel:")
    elif name == "CATEGORIES":
        card["tags"] = _split(value, ",")
    elif name == "NOTE":
        card["memo"] = _split(value, "\0")[0]
    elif name in (_X_VIP, _X_DNC):
        card["vip" if name == _X_VIP else "do_not_contact"] = value.strip().upper() == "TRUE"
