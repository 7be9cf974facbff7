"""The scale benchmark's figures, its goals (issue 13, PERFORMANCE.md) and its tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CLAIMS = 40


@dataclass
class Figure:
    """One measured figure at one size."""

    ours: float
    ref_name: str = ""
    ref: float | None = None
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return None if not self.ref else self.ours / self.ref


RESYNC_PUSH = "resync after 100 flag changes, after a push (INBOX stays selected, median of 3)"
RESYNC_SELECT = "resync after 100 flag changes, after a reconnect (SELECT, median of 3)"
TEAMMATE_CLAIM = "teammate's record read, then a claim (engine, p95 of 20)"

#: Goals per figure (issue 13 / PERFORMANCE.md): text, and a check on (figure, size).
GOALS: dict[str, tuple[str, Any]] = {
    "first sync (`mailwise sync`, whole process) vs raw header floor": ("≤ 2×", lambda f, n: f.ratio is not None and f.ratio <= 2),
    "first sync vs mbsync full pull": ("≤ 0.5×", lambda f, n: f.ratio is not None and f.ratio <= 0.5),
    "`mailwise sync`, nothing changed (whole process, median of 3)": ("≤ 0.25× mbsync", lambda f, n: f.ratio is not None and f.ratio <= 0.25),
    "resync, nothing changed (open connection, median of 5)": ("≤ 0.05 s", lambda f, n: f.ours <= 0.05),
    RESYNC_PUSH: ("≤ 0.2 s", lambda f, n: f.ours <= 0.2),
    RESYNC_SELECT: ("≤ 0.2 s", lambda f, n: f.ours <= 0.2),
    f"claim round trip p95 ({CLAIMS} claims)": ("≤ 50 ms", lambda f, n: f.ours <= 50),
    TEAMMATE_CLAIM: ("≤ 100 ms", lambda f, n: f.ours <= 100),
    "search p95 (100 queries ja/en, in-process)": ("≤ 100 ms (50k), ≤ 150 ms (200k)", lambda f, n: f.ours <= (100 if n <= 50_000 else 150)),
    "`mailwise search 請求書` (whole process, median of 3)": ("≤ 0.3 s", lambda f, n: f.ours <= 0.3),
    "`mailwise list --limit 50` (whole process, median of 3)": ("≤ 0.3 s", lambda f, n: f.ours <= 0.3),
    "window cold start → list painted (median of 5, interleaved with the floor)": ("≤ 3× the floor", lambda f, n: f.ratio is not None and f.ratio <= 3),
    "window peak RSS": ("≤ 250 MB (50k), ≤ 300 MB (200k)", lambda f, n: f.ours <= (250 if n <= 50_000 else 300)),
    "filter tab → repainted, p95 of 24": ("≤ 50 ms", lambda f, n: f.ours <= 50),
    "search in the window → repainted, p95 of 20": ("≤ 80 ms", lambda f, n: f.ours <= 80),
}  # fmt: skip

#: Figures that grow with the mailbox by nature (cost per message is shown for them).
PER_MESSAGE = (
    "first sync (`mailwise sync`, whole process) vs raw header floor",
    "first sync vs mbsync full pull",
    "peak RSS of that first sync process",
)


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:.0f} {unit}" if unit in ("ms", "MB") and value >= 100 else f"{value:.3f} {unit}"


def size_table(n: int, figures: dict[str, Figure], before: str, after: str) -> str:
    lines = [
        f"### {n:,} messages",
        "",
        f"load average before {before}, after {after}",
        "",
        "| work | ours | reference | ref. figure | ratio | goal | met |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for work, f in figures.items():
        goal, check = GOALS.get(work, ("", None))
        met = "" if check is None else ("yes" if check(f, n) else "**no**")
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}×"
        lines.append(
            f"| {work} | {fmt(f.ours, f.unit)} | {f.ref_name} | {fmt(f.ref, f.unit)} | {ratio} | {goal} | {met} |"
        )
    return "\n".join(lines) + "\n"


def growth_table(results: dict[int, dict[str, Figure]]) -> str:
    small, big = min(results), max(results)
    a, b = results[small], results[big]
    lines = [
        f"### Growth, {small:,} → {big:,} messages ({big / small:.0f}× the mail)",
        "",
        f"| work | {small // 1000}k ours | {small // 1000}k ratio | {big // 1000}k ours | {big // 1000}k ratio | "
        f"per message {small // 1000}k | per message {big // 1000}k | growth |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for work, fa in a.items():
        fb = b.get(work)
        if fb is None:
            continue
        ra = "" if fa.ratio is None else f"{fa.ratio:.2f}×"
        rb = "" if fb.ratio is None else f"{fb.ratio:.2f}×"
        if work in PER_MESSAGE:
            scale = 1e6 if fa.unit == "s" else 1024.0  # µs or KB per message
            unit = "µs" if fa.unit == "s" else "KB"
            pa, pb = f"{fa.ours / small * scale:.1f} {unit}", f"{fb.ours / big * scale:.1f} {unit}"
        else:
            pa = pb = ""
        growth = f"{fb.ours / fa.ours:.2f}×" if fa.ours else ""
        lines.append(
            f"| {work} | {fmt(fa.ours, fa.unit)} | {ra} | {fmt(fb.ours, fb.unit)} | {rb} | {pa} | {pb} | {growth} |"
        )
    return "\n".join(lines) + "\n"
