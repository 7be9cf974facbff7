"""Templates: sandbox, strict edit-time checks, render-time fallbacks, nothing leaks to a customer."""

from __future__ import annotations

import pytest

from mailwise_desktop.core.errors import NotFoundError, UsageError
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.templates.records import (
    PersonalTemplates,
    TemplateRecord,
    filter_names,
    latest_shared,
)
from mailwise_desktop.templates.render import (
    TemplateProblemError,
    check_template,
    find_leaks,
    render_template,
)
from mailwise_desktop.templates.variables import format_date, sample_variables

GREETING = '{{ customer.name | default("ご担当者") }} 様\n{{ original.subject }}の件です。'


def test_render_uses_values_then_declared_then_builtin_fallbacks() -> None:
    values = {"customer": {"name": "山田 太郎"}, "original": {"subject": "請求書"}}
    assert render_template(GREETING, values) == "山田 太郎 様\n請求書の件です。"
    # None and "" count as missing: the template's default() speaks.
    missing = {"customer": {"name": None}, "original": {"subject": "請求書"}}
    assert render_template(GREETING, missing).startswith("ご担当者 様")
    # No default() in the template: the record's fallback, else the built-in one.
    assert render_template("{{ customer.name }} 様", {}, fallbacks={"customer.name": "お客様"}) == (
        "お客様 様"
    )
    assert render_template("{{ customer.name }} 様", {"customer": None}) == "ご担当者 様"
    assert render_template("Dear {{ customer.name }},", {}, language="en") == "Dear Customer,"


@pytest.mark.parametrize(
    "source",
    ["{{ nobody }} 様\n本文", "Dear {{ nobody }},\nThanks", "{{ '{{' }} x }}", "{{ none_value }}"],
)
def test_render_refuses_output_that_would_leak(source: str) -> None:
    with pytest.raises(TemplateProblemError):
        render_template(source, {"none_value": "None"})


def test_sandbox_blocks_python_internals() -> None:
    problems = check_template("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
    assert problems, "the sandbox let a walk into Python internals through"
    with pytest.raises(TemplateProblemError):
        render_template("{{ cycler.__init__.__globals__.os.system('id') }}", {})


def test_check_reports_line_of_unknown_variable_and_syntax_error() -> None:
    variables = sample_variables("ja")
    [problem] = check_template("{{ customer.name }} 様\n\n{{ custmer.email }}", variables)
    assert problem.line == 3 and "custmer" in problem.message
    [syntax] = check_template("a\n{% if x %}\nb", variables)
    assert syntax.line is not None and "Syntax" in syntax.message
    assert check_template(GREETING, variables) == []


def test_find_leaks_names_each_problem() -> None:
    assert find_leaks("山田 様\nありがとうございます") == []
    assert any("greeting" in w for w in find_leaks("  様\nありがとうございます"))
    assert find_leaks("value: None") == ["the word None"]


def test_dates_in_japanese_and_english() -> None:
    from datetime import date

    assert format_date(date(2026, 11, 29), "ja") == "2026/11/29 (日)"
    assert format_date(date(2026, 11, 29), "en") == "Nov 29, 2026"


def test_shared_templates_newest_wins_and_tombstones_delete() -> None:
    records = [
        {"name": "お礼", "body": "v1"},
        {"name": "再発行", "body": "r"},
        {"name": "お礼", "body": "v2"},
        {"name": "再発行", "deleted": True},
        {"name": "", "body": "broken"},
    ]
    current = latest_shared(records)
    assert list(current) == ["お礼"] and current["お礼"].body == "v2" and current["お礼"].shared


def test_quick_filter_is_width_and_case_insensitive() -> None:
    names = ["お礼（初回）", "Invoice reissue", "請求書 再発行"]
    assert filter_names(names, "ＩＮＶＯＩＣＥ") == ["Invoice reissue"]
    assert filter_names(names, "再発行 請求") == ["請求書 再発行"]
    assert filter_names(names, "") == sorted(names)


def test_personal_templates_round_trip_in_local_db() -> None:
    ctx = AppContext.open()
    try:
        store = PersonalTemplates(ctx.local)
        record = TemplateRecord("お礼", "ありがとうございます", fallbacks={"customer.name": "様"})
        store.save(record)
        assert store.get("お礼") == record
        store.remove("お礼")
        with pytest.raises(NotFoundError):
            store.get("お礼")
        with pytest.raises(UsageError):
            store.save(TemplateRecord.from_json({"name": "a\nb", "body": "x"}, shared=False))
    finally:
        ctx.close()
