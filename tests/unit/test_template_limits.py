"""Templates cannot exhaust CPU or memory (issue 9, case 5)."""

from __future__ import annotations

import threading

import pytest

from mailwise_desktop.templates.render import TemplateProblemError, check_template, render_template
from mailwise_desktop.templates.variables import sample_variables

pytestmark = pytest.mark.unit

HOSTILE = {
    "{{ 9 ** (9 ** 9) }}": "power",
    "{{ 'x' * 1000000000 }}": "repeated text",
    "{{ [1] * 1000000000 }}": "repeated text or list",
    "{% for i in range(100000) %}{% endfor %}": "range()",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}": "loops ran",
    "{% set s = 'x' * 900000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}": "loops ran",
    "{{ 'x' | center(1000000000) }}": "too large",
    "{{ 'x'.ljust(1000000000) }}": "too large",
    "{{ '%1000000000d' % 1 }}": "format width",
    "{% for i in range(10000) %}{{ 'y' * 900 }}{% endfor %}": "longer than",
    "{{ (2 ** 6000) * (2 ** 6000) }}": "product",
}


def _runs_within(seconds: float, call: object) -> object:
    """Run ``call`` in a thread; fail if it has not finished after ``seconds`` (it then hung)."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())  # type: ignore[operator]
        except BaseException as exc:
            box.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the template was not stopped"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


@pytest.mark.parametrize(("source", "reason"), list(HOSTILE.items()))
def test_hostile_templates_are_stopped_with_a_reason(source: str, reason: str) -> None:
    problems = _runs_within(15, lambda: check_template(source, sample_variables("ja")))
    assert isinstance(problems, list) and len(problems) == 1
    assert reason in problems[0].message and "stopped" in problems[0].message
    with pytest.raises(TemplateProblemError, match="stopped"):
        _runs_within(15, lambda: render_template(source, {}))


def test_a_time_budget_stops_a_slow_template_cooperatively() -> None:
    slow = "{% for i in range(10000) %}{% for c in 'abcdefghij' * 10 %}{{ c|upper }}{% endfor %}{% endfor %}"
    problems = check_template(slow, {}, seconds=0.0)
    assert "longer than 0 seconds" in problems[0].message


def test_ordinary_templates_still_work() -> None:
    source = (
        "{{ customer.name }} 様\n{% for i in range(3) %}{{ i * 2 }}{% endfor %} "
        "{{ 2 ** 10 }} {{ '-' * 20 }} {{ 12345678901 | string }} {{ '%05d' % 42 }}"
    )
    assert check_template(source, sample_variables("ja")) == []
    text = render_template(source, {"customer": {"name": "山田"}})
    assert text == "山田 様\n024 1024 " + "-" * 20 + " 12345678901 00042"
