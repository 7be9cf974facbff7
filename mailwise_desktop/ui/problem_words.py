"""Record problems and "template stopped" reasons in the user's language (issue 9).

The Qt-free core says what is wrong in English sentences of a fixed shape
(``mail/record_schema.py``, ``mail/team_records.py``, ``templates/bounded.py``),
which the CLI prints as they are. The window matches each shape here and
says it with a translated sentence (``%1``… are the values); a sentence of a
shape not listed is shown as it is, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

Words = Callable[[tuple[str, ...]], str]


def _fill(template: str, values: tuple[str, ...]) -> str:
    for n, value in enumerate(values, start=1):
        template = template.replace(f"%{n}", value)
    return template


def _value_kind(kind: str) -> str:
    names = {
        "text": QCoreApplication.translate("ProblemWords", "text"),
        "true/false": QCoreApplication.translate("ProblemWords", "true/false"),
        "a number": QCoreApplication.translate("ProblemWords", "a number"),
        "a list": QCoreApplication.translate("ProblemWords", "a list"),
        "an object": QCoreApplication.translate("ProblemWords", "an object"),
        "null": QCoreApplication.translate("ProblemWords", "null"),
    }
    return names.get(kind, kind)


# Whole-record problems: (pattern, words).
_RECORD: list[tuple[str, Words]] = [
    (
        r"the record is (\d+) bytes \(at most (\d+)\)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "the record is %1 bytes (at most %2)"), v
        ),
    ),
    (
        r"the JSON nests (\d+) levels deep \(at most (\d+)\)",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords", "the JSON nests %1 levels deep (at most %2)"
            ),
            v,
        ),
    ),
    (
        r"the body is not valid JSON",
        lambda v: QCoreApplication.translate("ProblemWords", "the body is not valid JSON"),
    ),
    (
        r"the body is not a JSON object",
        lambda v: QCoreApplication.translate("ProblemWords", "the body is not a JSON object"),
    ),
    (
        r"its body is not in a known character set",
        lambda v: QCoreApplication.translate(
            "ProblemWords", "its body is not in a known character set"
        ),
    ),
    (
        r"the message cannot be read \((\w+)\)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "the message cannot be read (%1)"), v
        ),
    ),
    (
        r"its date is out of range \(before 1970 or after 2100\)",
        lambda v: QCoreApplication.translate(
            "ProblemWords", "its date is out of range (before 1970 or after 2100)"
        ),
    ),
]

# What is wrong with one field; %1 is the field (or "entry n of field").
_FIELD: list[tuple[str, Words]] = [
    (
        r"is missing",
        lambda v: _fill(QCoreApplication.translate("ProblemWords", "%1 is missing"), v),
    ),
    (
        r"should be text, not (.+)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 should be text, not %2"),
            (v[0], _value_kind(v[1])),
        ),
    ),
    (
        r"is (\d+) characters long \(at most (\d+)\)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 is %2 characters long (at most %3)"), v
        ),
    ),
    (r"is empty", lambda v: _fill(QCoreApplication.translate("ProblemWords", "%1 is empty"), v)),
    (
        r"is not in the expected form",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 is not in the expected form"), v
        ),
    ),
    (
        r"should be a whole number, not (.+)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 should be a whole number, not %2"),
            (v[0], _value_kind(v[1])),
        ),
    ),
    (
        r"is (\S+) \(allowed (\S+) to (\S+)\)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 is %2 (allowed %3 to %4)"), v
        ),
    ),
    (
        r"should be true or false, not (.+)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 should be true or false, not %2"),
            (v[0], _value_kind(v[1])),
        ),
    ),
    (
        r"should be one of (.+)",
        lambda v: _fill(QCoreApplication.translate("ProblemWords", "%1 should be one of %2"), v),
    ),
    (
        r"should be a list, not (.+)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 should be a list, not %2"),
            (v[0], _value_kind(v[1])),
        ),
    ),
    (
        r"has (\d+) entries \(at most (\d+)\)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 has %2 entries (at most %3)"), v
        ),
    ),
    (
        r"should be an object, not (.+)",
        lambda v: _fill(
            QCoreApplication.translate("ProblemWords", "%1 should be an object, not %2"),
            (v[0], _value_kind(v[1])),
        ),
    ),
    (
        r"should be an object of names to text, not (.+)",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords", "%1 should be an object of names to text, not %2"
            ),
            (v[0], _value_kind(v[1])),
        ),
    ),
]

_TEMPLATE: list[tuple[str, Words]] = [
    (
        r"it ran longer than (\S+) seconds\.",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords", "The template was stopped: it ran longer than %1 seconds."
            ),
            v,
        ),
    ),
    (
        r"its loops ran more than (\S+) times\.",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords", "The template was stopped: its loops ran more than %1 times."
            ),
            v,
        ),
    ),
    (
        r"range\(\) may count at most (\S+) numbers\.",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords", "The template was stopped: range() may count at most %1 numbers."
            ),
            v,
        ),
    ),
    (
        r"a format width is too large\.",
        lambda v: QCoreApplication.translate(
            "ProblemWords", "The template was stopped: a format width is too large."
        ),
    ),
    (
        r"its text would be longer than (\S+) characters\.",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords",
                "The template was stopped: its text would be longer than %1 characters.",
            ),
            v,
        ),
    ),
    (
        r"a power \(\*\*\) is too large\.",
        lambda v: QCoreApplication.translate(
            "ProblemWords", "The template was stopped: a power (**) is too large."
        ),
    ),
    (
        r"a repeated text or list \(\*\) is too long\.",
        lambda v: QCoreApplication.translate(
            "ProblemWords", "The template was stopped: a repeated text or list (*) is too long."
        ),
    ),
    (
        r"a product \(\*\) is too large\.",
        lambda v: QCoreApplication.translate(
            "ProblemWords", "The template was stopped: a product (*) is too large."
        ),
    ),
    (
        r"the number (\S+) is too large for a template\.",
        lambda v: _fill(
            QCoreApplication.translate(
                "ProblemWords",
                "The template was stopped: the number %1 is too large for a template.",
            ),
            v,
        ),
    ),
]

_FIELD_NAME = r"[A-Za-z_][\w.-]*"
_ENTRY = re.compile(r"entry (\d+|'[^']*') (.+)", re.DOTALL)


def _match(table: list[tuple[str, Words]], text: str, prefix: tuple[str, ...] = ()) -> str | None:
    for pattern, words in table:
        found = re.fullmatch(pattern, text, re.DOTALL)
        if found:
            return words((*prefix, *found.groups()))
    return None


def _field_problem(field: str, rest: str) -> str | None:
    entry = _ENTRY.fullmatch(rest)
    if entry:
        where = _fill(
            QCoreApplication.translate("ProblemWords", "entry %1 of %2"),
            (entry.group(1), field),
        )
        return _field_problem(where, entry.group(2)) or _nested(where, entry.group(2))
    return _match(_FIELD, rest, (field,)) or _nested(field, rest)


def _nested(field: str, rest: str) -> str | None:
    """``rules pattern should be text…``: a field inside a field."""
    inner = re.fullmatch(rf"({_FIELD_NAME}) (.+)", rest, re.DOTALL)
    if inner is None:
        return None
    return _field_problem(f"{field}.{inner.group(1)}", inner.group(2))


def record_problem_text(problem: str) -> str:
    """One problem of a refused team record, in the user's language."""
    whole = _match(_RECORD, problem)
    if whole is not None:
        return whole
    parts = problem.split("; ")
    if len(parts) > 1:
        return "; ".join(record_problem_text(p) for p in parts)
    field = re.fullmatch(rf"({_FIELD_NAME}) (.+)", problem, re.DOTALL)
    if field is not None:
        said = _field_problem(field.group(1), field.group(2))
        if said is not None:
            return said
    return problem


def template_problem_text(problem: str) -> str:
    """A "the template was stopped" reason (or any template problem) in the user's language."""
    lead = "The template was stopped: "
    at = problem.find(lead)  # the editor puts "Body line 3: " in front
    if at >= 0:
        said = _match(_TEMPLATE, problem[at + len(lead) :])
        if said is not None:
            return problem[:at] + said
    return problem
