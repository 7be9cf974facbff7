"""The variables a reply template can use (SENDING.md "Templates").

``customer`` (name, email, company), ``original`` (subject, date, from, quoted
body), ``me`` (name, email, signature), ``team`` (name, address) and
``today``. Values that are unknown are left out, so the renderer's fallbacks
apply; :func:`sample_variables` gives the editor a complete set for previews
and strict checking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

JA_WEEKDAYS = "月火水木金土日"

#: Variable names shown in the editor's help, with a short description.
VARIABLE_HELP: tuple[tuple[str, str], ...] = (
    ("customer.name", "the customer's name"),
    ("customer.email", "the customer's e-mail address"),
    ("customer.company", "the customer's company"),
    ("original.subject", "the subject of the mail being answered"),
    ("original.date", "when it was sent"),
    ("original.from", "who sent it"),
    ("original.quoted", "its text, quoted with > "),
    ("me.name", "your name"),
    ("me.email", "your e-mail address"),
    ("me.signature", "your signature"),
    ("team.name", "the team's name"),
    ("team.address", "the shared address"),
    ("today", "today's date"),
)


@dataclass(frozen=True)
class Person:
    """Someone a template talks about."""

    name: str = ""
    email: str = ""
    company: str = ""
    signature: str = ""


def format_date(value: date | datetime | None, language: str) -> str:
    """A date as the language writes it: ``2026/11/29 (日)`` or ``Nov 29, 2026``."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone()
    if language == "ja":
        return f"{value:%Y/%m/%d} ({JA_WEEKDAYS[value.weekday()]})"
    return f"{value:%b} {value.day}, {value.year}"


def template_variables(
    *,
    customer: Person,
    me: Person,
    team_name: str,
    team_address: str,
    original_subject: str = "",
    original_date: datetime | None = None,
    original_from: str = "",
    original_quoted: str = "",
    today: date | None = None,
    language: str = "ja",
) -> dict[str, Any]:
    """The variables for one reply (empty values are dropped by the renderer)."""
    return {
        "customer": {
            "name": customer.name,
            "email": customer.email,
            "company": customer.company,
        },
        "original": {
            "subject": original_subject,
            "date": format_date(original_date, language),
            "from": original_from,
            "quoted": original_quoted,
        },
        "me": {"name": me.name, "email": me.email, "signature": me.signature},
        "team": {"name": team_name, "address": team_address},
        "today": format_date(today or date.today(), language),
    }


def sample_variables(language: str = "ja") -> dict[str, Any]:
    """A complete set of made-up values for the editor's preview and strict check."""
    ja = language == "ja"
    return template_variables(
        customer=Person(
            "山田 太郎" if ja else "Taro Yamada",
            "taro.yamada@example.jp",
            "株式会社サンプル" if ja else "Sample Inc.",
        ),
        me=Person(
            "佐藤 花子" if ja else "Hanako Sato",
            "support@example.com",
            signature="サポート窓口 佐藤" if ja else "Hanako Sato, Support",
        ),
        team_name="サポート窓口" if ja else "Support",
        team_address="support@example.com",
        original_subject="請求書の再発行について" if ja else "Invoice reissue",
        original_date=datetime(2026, 11, 28, 10, 42),
        original_from="山田 太郎 <taro.yamada@example.jp>",
        original_quoted="> 請求書を再発行していただけますか。" if ja else "> Could you reissue it?",
        today=date(2026, 11, 29),
        language=language,
    )


def preview_variables(
    language: str,
    *,
    from_name: str,
    from_email: str,
    subject: str,
    sent: datetime | None,
    quoted: str = "",
    me: Person | None = None,
) -> dict[str, Any]:
    """The variables of a reply to one real message, for a preview.

    What the message gives (the customer, the original) is taken from it; what
    a preview cannot know without a reply (the quote when the body is not
    loaded, the signature) keeps its sample value so a strict check still runs.
    """
    values = sample_variables(language)
    name_ok = bool(from_name) and "@" not in from_name
    values["customer"] = {
        "name": from_name if name_ok else "",
        "email": from_email,
        "company": "",
    }
    values["original"] = {
        "subject": subject,
        "date": format_date(sent, language),
        "from": f"{from_name} <{from_email}>" if from_name else from_email,
        "quoted": quoted or values["original"]["quoted"],
    }
    if me is not None:
        values["me"] = {
            "name": me.name,
            "email": me.email,
            "signature": me.signature or values["me"]["signature"],
        }
    return values
