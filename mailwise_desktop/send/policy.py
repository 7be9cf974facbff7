"""The team's sending policy, stored in the team mailbox (kind ``policy``).

Defaults follow SENDING.md: 10 MB per mail (encoded size), large audience
from 25 recipients, a 10 s undo window, attachment keywords in Japanese and
English. ``mailwise policy set KEY VALUE`` goes through :func:`parse_value`,
so the CLI and the UI accept the same spellings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import idna

from mailwise_desktop.core.errors import UsageError

POLICY_KIND = "policy"

DEFAULT_ATTACHMENT_KEYWORDS: tuple[str, ...] = (
    "添付",
    "同封",
    "別添",
    "添え状",
    "送付します",
    "お送りします",
    "attached",
    "attachment",
    "enclosed",
    "i attach",
    "please find",
)


@dataclass(frozen=True)
class KeywordRule:
    """A subject/body rule: ``pattern`` (plain text, case-insensitive) -> warn or block."""

    pattern: str
    action: str = "warn"  # "warn" | "block"
    reason: str = ""


@dataclass(frozen=True)
class TeamPolicy:
    """What the team decided about outgoing mail."""

    internal_domains: tuple[str, ...] = ()
    attention_domains: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    blocked_addresses: tuple[str, ...] = ()
    size_limit: int = 10_000_000
    large_audience: int = 25
    attachment_keywords: tuple[str, ...] = DEFAULT_ATTACHMENT_KEYWORDS
    undo_seconds: int = 10
    keyword_rules: tuple[KeywordRule, ...] = ()
    done_after_reply: bool = True
    #: the team's signature, a template ({{ me.name }}, {{ team.name }} …) used by
    #: every teammate who has not written their own
    signature: str = ""

    def __post_init__(self) -> None:
        # Domains and addresses are compared exactly: keep them in one normal form.
        for key in (*_DOMAIN_LISTS, "blocked_addresses"):
            object.__setattr__(self, key, parse_value(key, getattr(self, key)))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["keyword_rules"] = [asdict(r) for r in self.keyword_rules]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TeamPolicy:
        """Read a stored policy; unknown keys are ignored, bad values keep the default."""
        policy = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            try:
                policy = policy.with_value(f.name, data[f.name])
            except UsageError:
                continue
        return policy

    def with_value(self, key: str, value: Any) -> TeamPolicy:
        """A copy with one setting changed; ``value`` may be text (from the CLI) or JSON."""
        names = {f.name for f in fields(self)}
        if key not in names:
            raise UsageError(f"Unknown policy setting {key!r}. Known: {', '.join(sorted(names))}.")
        return replace(self, **{key: parse_value(key, value)})


SIGNATURE_MAX = 2000
_DOMAIN_LISTS = {"internal_domains", "attention_domains", "blocked_domains"}
_INT_LIMITS = {
    "size_limit": (1, 10_000_000_000),
    "large_audience": (1, 100_000),
    "undo_seconds": (0, 600),
}


def parse_value(key: str, value: Any) -> Any:
    """Turn a setting's value (text or JSON) into its typed form, or raise UsageError."""
    if key in _INT_LIMITS:
        number = _parse_int(key, value)
        low, high = _INT_LIMITS[key]
        if not low <= number <= high:
            raise UsageError(f"{key} must be between {low} and {high}.")
        return number
    if key == "done_after_reply":
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered not in {"true", "false", "yes", "no", "1", "0"}:
            raise UsageError(f"{key} takes true or false.")
        return lowered in {"true", "yes", "1"}
    if key == "signature":
        text = str(value).replace("\r\n", "\n")
        if len(text) > SIGNATURE_MAX:
            raise UsageError(f"A signature is at most {SIGNATURE_MAX} characters.")
        return text
    if key == "keyword_rules":
        try:
            items = json.loads(value) if isinstance(value, str) else value
            if not isinstance(items, list | tuple):
                raise TypeError("not a list")
            rules = tuple(KeywordRule(**dict(i)) for i in items)
        except (TypeError, ValueError, RecursionError) as exc:
            raise UsageError(
                'keyword_rules takes JSON: [{"pattern": "...", "action": "block"}]'
            ) from exc
        if any(
            not isinstance(r.pattern, str)
            or not isinstance(r.reason, str)
            or r.action not in {"warn", "block"}
            or not r.pattern
            for r in rules
        ):
            raise UsageError("Each keyword rule needs a pattern and the action warn or block.")
        return rules
    items = _parse_list(value)
    if key in _DOMAIN_LISTS:
        return tuple(normalize_domain(d) for d in items)
    if key == "blocked_addresses":
        return tuple(normalize_address(a) for a in items)
    return tuple(items)


def _parse_int(key: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().upper().replace("_", "")
    scale = 1
    for suffix, factor in (("MB", 1_000_000), ("KB", 1_000), ("S", 1)):
        if text.endswith(suffix):
            text, scale = text[: -len(suffix)].strip(), factor
            break
    try:
        return int(float(text) * scale)
    except (ValueError, OverflowError):
        raise UsageError(f"{key} takes a number, not {value!r}.") from None


def _parse_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            raise UsageError(f"{text[:40]!r} is not a JSON list.") from None
        if not isinstance(parsed, list):
            raise UsageError(f"{text[:40]!r} is not a JSON list.")
        return [str(v).strip() for v in parsed if str(v).strip()]
    return [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]


def normalize_domain(domain: str) -> str:
    """A domain for exact comparison: case-folded, IDNA (punycode) form, no trailing dot.

    Raises:
        UsageError: not a valid domain name.
    """
    cleaned = domain.strip().strip(".").lstrip("@").casefold()
    if not cleaned or any(c.isspace() for c in cleaned):
        raise UsageError(f"{domain!r} is not a domain name.")
    try:
        return idna.encode(cleaned, uts46=True).decode("ascii")
    except idna.IDNAError:
        if cleaned.isascii():
            return cleaned  # e.g. underscores in internal names: still comparable
        raise UsageError(f"{domain!r} is not a valid domain name.") from None


def normalize_address(address: str) -> str:
    """An address for comparison: local part as written, domain normalised."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local:
        raise UsageError(f"{address!r} is not an e-mail address.")
    return f"{local.casefold()}@{normalize_domain(domain)}"


def domain_of(address: str) -> str:
    """The normalised domain of an address ("" when it has none or it is invalid)."""
    _local, at, domain = address.strip().rpartition("@")
    if not at:
        return ""
    try:
        return normalize_domain(domain)
    except UsageError:
        return domain.strip().casefold()


def domain_matches(domain: str, listed: tuple[str, ...]) -> bool:
    """``domain`` is one of ``listed`` or a subdomain of one."""
    return any(domain == d or domain.endswith("." + d) for d in listed)
