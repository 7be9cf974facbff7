"""A Jinja2 sandbox that cannot exhaust CPU or memory (issue 9, case 5).

A shared template is outside input: a teammate (or anyone with the mailbox
password) may write ``{{ 9 ** (9 ** 9) }}``, two nested ``range(100000)``
loops or ``{{ 'x' * 1000000000 }}``. :class:`BoundedSandbox` stops each of
them with :class:`TemplateLimitError` in plain words:

- ``**`` and ``*`` are intercepted (Jinja2's ``call_binop`` hook; intercepted
  operators are also never constant-folded at compile time): powers whose
  result would pass :data:`MAX_INT_BITS`, and string/list products longer than
  :data:`MAX_OUTPUT`, are refused before they are computed;
- every ``for`` loop's iterable is wrapped (the parsed template is rewritten)
  so all loops together take at most :data:`MAX_ITERATIONS` steps;
- ``range`` is capped; every call, filter and ``%`` format with a width past
  :data:`MAX_OUTPUT` is refused;
- output is collected chunk by chunk and capped at :data:`MAX_OUTPUT`;
- a deadline is checked cooperatively at each of these points.

Cooperative checks, not a worker process, on purpose: a thread cannot be
killed, but every way a template spends time passes one of the hooks, so the
render stops itself by the deadline; a process per key press would cost a
Python start-up (hundreds of ms on Windows) and a frozen-app spawn dance.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT = 1_000_000
MAX_ITERATIONS = 200_000
MAX_RANGE = 10_000
MAX_INT_BITS = 10_000
DEFAULT_SECONDS = 2.0
_ITER_NAME = "__mailwise_bounded_iter"
_BIG_WIDTH = re.compile(r"%[-+ #0]*\d{7,}")


class TemplateLimitError(Exception):
    """A template went past one of the limits; the message says which, in plain words."""


class BoundedSandbox(SandboxedEnvironment):
    """A sandboxed environment with operator, loop, output and time limits.

    Args:
        seconds: the render's time budget (from the first :meth:`start`).
        **options: passed to :class:`SandboxedEnvironment`.
    """

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, *, seconds: float = DEFAULT_SECONDS, **options: Any) -> None:
        super().__init__(**options)
        self.seconds = seconds
        self.deadline = float("inf")
        self.steps = 0
        self.globals["range"] = self._range
        self.globals[_ITER_NAME] = self._iterate
        self.filters = {name: self._bounded_filter(f) for name, f in self.filters.items()}

    # -- budget ------------------------------------------------------------

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds
        self.steps = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"The template was stopped: it ran longer than {self.seconds:g} seconds."
            )

    def _step(self) -> None:
        self.steps += 1
        if self.steps > MAX_ITERATIONS:
            raise TemplateLimitError(
                f"The template was stopped: its loops ran more than {MAX_ITERATIONS:,} times."
            )
        if self.steps % 512 == 0:
            self.tick()

    def _iterate(self, iterable: Any) -> Iterator[Any]:
        for item in iterable:
            self._step()
            yield item

    def _range(self, *args: int) -> Iterator[int]:
        values = range(*args)
        if len(values) > MAX_RANGE:
            raise TemplateLimitError(
                f"The template was stopped: range() may count at most {MAX_RANGE:,} numbers."
            )
        return self._iterate(values)

    # -- hooks -------------------------------------------------------------

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "%" and isinstance(left, str) and _BIG_WIDTH.search(left):
            raise TemplateLimitError("The template was stopped: a format width is too large.")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.tick()
        if __obj is not __self._range:  # range limits itself, in its own words
            _check_widths(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def _bounded_filter(self, function: Callable[..., Any]) -> Callable[..., Any]:
        # The filtered value itself may be any number (an order number); only the
        # arguments (widths, counts) are limited. Marked filters get a context first.
        skip = 2 if hasattr(function, "jinja_pass_arg") else 1

        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            _check_widths(args[skip:], kwargs)
            return function(*args, **kwargs)

        # Jinja2 passes context/environment to filters marked so: keep the marks.
        for mark in ("jinja_pass_arg",):
            if hasattr(function, mark):
                setattr(bounded, mark, getattr(function, mark))
        return bounded

    # -- templates ---------------------------------------------------------

    def bounded_template(self, source: str) -> Any:
        """Parse ``source`` and route every ``for`` loop through the iteration budget."""
        tree = self.parse(source)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(
                nodes.Name(_ITER_NAME, "load"), [loop.iter], [], None, None, lineno=loop.lineno
            )
        tree.set_environment(self)
        return self.from_string(tree)

    def render_bounded(self, template: Any, variables: dict[str, Any]) -> str:
        """Render chunk by chunk within the time budget and :data:`MAX_OUTPUT`."""
        self.start()
        parts: list[str] = []
        size = 0
        for chunk in template.generate(**variables):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimitError(
                    f"The template was stopped: its text would be longer than {MAX_OUTPUT:,} characters."
                )
            parts.append(chunk)
            self.tick()
        return "".join(parts)


def _check_power(left: Any, right: Any) -> None:
    if isinstance(left, int | float) and isinstance(right, int | float):
        base = abs(int(left)) if isinstance(left, int) else 2
        if base > 1 and right > 0 and max(base.bit_length() - 1, 1) * right > MAX_INT_BITS:
            raise TemplateLimitError("The template was stopped: a power (**) is too large.")


def _check_product(left: Any, right: Any) -> None:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int):
            if len(seq) * count > MAX_OUTPUT:
                raise TemplateLimitError(
                    "The template was stopped: a repeated text or list (*) is too long."
                )
            return
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        raise TemplateLimitError("The template was stopped: a product (*) is too large.")


def _check_widths(args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT:
            raise TemplateLimitError(
                f"The template was stopped: the number {value} is too large for a template."
            )
