"""Rendering reply templates safely (SENDING.md "Templates").

Templates run in Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment`: a
template shared by a teammate can read the variables it is given and nothing
else (no attribute walks into Python internals, no file access).

Two modes:

- **edit time** (:func:`check_template`): ``StrictUndefined``, so an unknown
  variable or a typo is reported with its line while the template is written;
- **render time** (:func:`render_template`): a missing value becomes the
  template's declared fallback (``{{ customer.name | default("ご担当者") }}``
  or the record's ``fallbacks``), else a built-in one; ``None`` renders as the
  fallback too. The result is then checked by :func:`find_leaks`: a customer
  must never see ``{{ ... }}``, ``None`` or a greeting without a name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError

from mailwise_desktop.core.errors import MailwiseError
from mailwise_desktop.templates.bounded import DEFAULT_SECONDS, BoundedSandbox, TemplateLimitError

#: Built-in fallbacks by dotted variable name and language.
BUILTIN_FALLBACKS: dict[str, dict[str, str]] = {
    "customer.name": {"ja": "ご担当者", "en": "Customer"},
    "customer.company": {"ja": "", "en": ""},
    "me.name": {"ja": "サポート担当", "en": "Support team"},
    "team.name": {"ja": "サポート窓口", "en": "Support"},
}

MAX_TEMPLATE_CHARS = 100_000

# Greeting lines whose name went missing: "様", "  さん", "Dear ,", "Hello ," …
_EMPTY_GREETING = re.compile(
    r"^[ \t\u3000]*(?:様|さま|さん|殿|御中)[ \t\u3000]*[、,。]?[ \t\u3000]*$"
    r"|^[ \t]*(?:dear|hello|hi)[ \t]*[,:]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LEAKS = (
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"), "template syntax"),
    (re.compile(r"\bNone\b"), "the word None"),
    (re.compile(r"\bUndefined\b"), "the word Undefined"),
)


class TemplateProblemError(MailwiseError):
    """A template cannot be used as written; ``line`` points at the problem."""

    def __init__(self, message: str, *, line: int | None = None, detail: str | None = None):
        super().__init__(message, detail=detail)
        self.line = line


class Namespace(dict[str, Any]):
    """A variable group (``customer``, ``original`` …) that knows its dotted path."""

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        super().__init__()
        self.path = path
        for key, value in values.items():
            if value is None or value == "":
                continue  # missing: let the fallback speak
            self[key] = Namespace(f"{path}.{key}", value) if isinstance(value, Mapping) else value


@dataclass(frozen=True)
class Rendered:
    """A rendered template."""

    text: str
    subject: str | None = None


def _dotted(undefined: Undefined) -> str:
    name = str(undefined._undefined_name or "")
    owner = undefined._undefined_obj
    prefix = owner.path if isinstance(owner, Namespace) else ""
    if isinstance(owner, _FallbackUndefined):
        prefix = owner.dotted
    return f"{prefix}.{name}" if prefix else name


class _FallbackUndefined(Undefined):
    """Render-time undefined: prints the fallback of its dotted name, or nothing.

    Chainable (``customer.name`` when ``customer`` itself is missing) and falsy,
    so ``default()`` and ``{% if %}`` behave as authors expect.
    """

    __slots__ = ("dotted",)
    fallbacks: Mapping[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dotted = _dotted(self)

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return type(self)(obj=self, name=name)

    def __getitem__(self, name: str) -> Any:
        return type(self)(obj=self, name=name)

    def __str__(self) -> str:
        return self.fallbacks.get(self.dotted, "")

    def __html__(self) -> str:
        return str(self)


def _environment(undefined: type[Undefined], seconds: float) -> BoundedSandbox:
    return BoundedSandbox(
        seconds=seconds,
        undefined=undefined,
        autoescape=False,  # plain-text mail
        keep_trailing_newline=True,
        finalize=lambda value: "" if value is None else value,
    )


def check_template(
    source: str, variables: Mapping[str, Any], *, seconds: float = DEFAULT_SECONDS
) -> list[TemplateProblemError]:
    """Every problem of ``source`` with strict rules (for the editor, on each key press).

    Args:
        source: the template text.
        variables: sample variables (see :func:`templates.variables.sample_variables`).

    Returns:
        Problems with line numbers; empty when the template is fine.
    """
    if len(source) > MAX_TEMPLATE_CHARS:
        return [
            TemplateProblemError(f"The template is longer than {MAX_TEMPLATE_CHARS} characters.")
        ]
    env = _environment(StrictUndefined, seconds)
    try:
        template = env.bounded_template(source)
    except TemplateSyntaxError as exc:
        return [TemplateProblemError(f"Syntax error: {exc.message}", line=exc.lineno)]
    try:
        env.render_bounded(template, dict(variables))
    except TemplateLimitError as exc:
        return [TemplateProblemError(str(exc), line=_error_line(exc))]
    except UndefinedError as exc:
        return [TemplateProblemError(_unknown_value(source, exc), line=_error_line(exc))]
    except SecurityError as exc:
        return [TemplateProblemError(f"Not allowed in a template: {exc}", line=_error_line(exc))]
    except TemplateError as exc:
        return [TemplateProblemError(f"Template error: {exc.message}", line=_error_line(exc))]
    except Exception as exc:  # a filter on a wrong type etc.
        return [TemplateProblemError(f"Template error: {exc}", line=_error_line(exc))]
    return []


_MISSING_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_MISSING_NAME = re.compile(r"'([^']+)' is undefined")


def _unknown_value(source: str, exc: UndefinedError) -> str:
    """Jinja2's "'dict object' has no attribute 'nmae'" in words a support person reads."""
    from mailwise_desktop.templates.variables import VARIABLE_HELP  # same layer; import late

    text = exc.message or ""
    name = ""
    attribute = _MISSING_ATTRIBUTE.search(text)
    if attribute:
        # Jinja2 does not say whose attribute: find "x.<attr>" in the template itself.
        pattern = r"\b([A-Za-z_]\w*)\." + re.escape(attribute.group(1)) + r"\b"
        dotted = re.search(pattern, source)
        name = f"{dotted.group(1)}." if dotted else ""
        name += attribute.group(1)
    else:
        missing = _MISSING_NAME.search(text)
        name = missing.group(1) if missing else ""
    if not name:
        return f"A value the template uses does not exist ({text})."
    known = [n for n, _ in VARIABLE_HELP]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {{{{ {close[0]} }}}}?" if close else ""
    return f"There is no value called {{{{ {name} }}}}.{hint}"


def _error_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_template(
    source: str,
    variables: Mapping[str, Any],
    *,
    fallbacks: Mapping[str, str] | None = None,
    language: str = "ja",
    seconds: float = DEFAULT_SECONDS,
) -> str:
    """Render ``source`` for a customer mail.

    Args:
        source: the template text.
        variables: the real values (missing ones may be absent or None).
        fallbacks: the template's declared fallbacks by dotted name.
        language: ``"ja"`` or ``"en"``, for the built-in fallbacks.
        seconds: the time budget (``bounded.py``: checked cooperatively).

    Raises:
        TemplateProblemError: the template is broken, went past a limit
            (time, loops, output size, huge numbers), or its output would show the
            customer template syntax, ``None`` or a greeting without a name.
    """
    merged = {k: v.get(language, v.get("en", "")) for k, v in BUILTIN_FALLBACKS.items()}
    merged.update(fallbacks or {})
    undefined = type("TemplateUndefined", (_FallbackUndefined,), {"fallbacks": merged})
    env = _environment(undefined, seconds)
    wrapped = {
        k: Namespace(k, v) if isinstance(v, Mapping) else v
        for k, v in variables.items()
        if v is not None
    }
    try:
        text = env.render_bounded(env.bounded_template(source), wrapped)
    except TemplateLimitError as exc:
        raise TemplateProblemError(str(exc)) from exc
    except TemplateSyntaxError as exc:
        raise TemplateProblemError(f"Syntax error: {exc.message}", line=exc.lineno) from exc
    except SecurityError as exc:
        raise TemplateProblemError(f"Not allowed in a template: {exc}") from exc
    except Exception as exc:
        raise TemplateProblemError(f"The template could not be filled in: {exc}") from exc
    leaks = find_leaks(text)
    if leaks:
        raise TemplateProblemError(
            "The filled-in template would show the customer " + "; ".join(leaks) + ".",
            detail=text[:500],
        )
    return text


def find_leaks(text: str) -> list[str]:
    """What in a rendered text must never reach a customer (empty: nothing)."""
    found = [what for pattern, what in _LEAKS if pattern.search(text)]
    match = _EMPTY_GREETING.search(text)
    if match:
        found.append(f"a greeting without a name ({match.group(0).strip()!r})")
    return found
