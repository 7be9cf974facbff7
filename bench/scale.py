"""Scale benchmark (issue 13): every figure at two sizes, with its reference, ratio and growth.

Usage: ``python -m bench.scale [--sizes 50000,200000]``. One throwaway Dovecot;
the mailbox is seeded to the first size, measured, then grown to the next
size and measured again with a fresh profile. At each size, side by side in
the same minutes:

- first sync as a whole ``mailwise sync`` process (its peak RSS too) against
  the raw-socket header read and mbsync's full pull;
- ``mailwise sync`` with nothing changed against mbsync's no-op, and the
  no-op resync on an open connection (as the app's engine runs it), and
  the import share of the process (profile);
- resync after 100 flag changes (CHANGEDSINCE), after a push (INBOX stays
  selected: NOOP + STATUS) and after a reconnect (SELECT);
- claim round trip p95 against a raw FETCH+STORE pair;
- search p95 in-process and ``mailwise search`` as a whole process;
- window: cold start → list painted against the Qt floor, tab and search
  repaint p95, peak RSS (bench/ui.py's probe, offline copy of the cache).

Prints one table per size and a growth table (cost per message at both
sizes, 200k/50k), with the load average before and after each size, and
writes ``bench/out/scale.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import keyring

from bench.common import (
    Mbsync,
    compile_sources,
    mbsync_available,
    p,
    raw_fetch_floor,
    raw_resync_floor,
    raw_selected_resync_floor,
)
from bench.scale_claims import claims, claims_after_teammate
from bench.scale_tables import (
    CLAIMS,
    RESYNC_PUSH,
    RESYNC_SELECT,
    TEAMMATE_CLAIM,
    Figure,
    growth_table,
    size_table,
)
from bench.sync import HEADERS, QUERIES
from bench.ui import interleaved_probes
from mailwise_desktop.core.accounts import Account, Endpoint, Security, default_smtp
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import HOME_ENV, Profile
from mailwise_desktop.imap.mailbox_sync import MailboxSync
from mailwise_desktop.imap.session import open_session
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.services.messages import MessageService
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.keyring_backend import FILE_ENV, FileKeyring
from tests.harness.seed import realistic_mailbox

REPO = Path(__file__).resolve().parent.parent

# Runs the CLI in this process and reports its own peak RSS on stderr.
RSS_PROG = """
import resource, sys
from mailwise_desktop.cli.main import main
code = main(sys.argv[1:])
sys.stderr.write(f"\\nMAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
raise SystemExit(code)
"""


def change_flags(server: DovecotServer, user: TestUser, count: int, keyword: bytes) -> None:
    """Set ``keyword`` on ``count`` messages, or clear it where set (another client's changes).

    The same ``count`` messages every time, and one keyword per size: each
    call flips it. With a new keyword per round the mailbox went past
    Maildir's 26 keyword letters (Dovecot keeps the rest in its index only),
    and at the second size one round's 100 changes were never seen by the
    next SELECT (0 changed); the cause was not pinned down.
    """
    import random

    client = server.connect(user)
    try:
        client.select_folder("INBOX")
        # UIDs are 1..n (seeded Maildir); SEARCH ALL at 200k overflows imaplib's line limit.
        total = int(client.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"])
        uids = random.Random(1).sample(range(1, total + 1), count)
        flags = client.get_flags(uids[:1])
        if keyword in (flags.get(uids[0]) or ()):
            client.remove_flags(uids, [keyword], silent=True)
        else:
            client.add_flags(uids, [keyword], silent=True)
    finally:
        client.logout()


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5 min {five:.1f})"


def run_cli(env: dict[str, str], argv: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one whole ``mailwise ARGV`` process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROG, *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"mailwise {' '.join(argv)} failed: {done.stderr[-2000:]}")
    rss = next((int(x.split()[1]) for x in done.stderr.splitlines() if x.startswith("MAXRSS ")), 0)
    return seconds, rss / 1024


def timed_process(env: dict[str, str], argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def make_profile(home: Path, server: DovecotServer, user: TestUser) -> tuple[AppContext, Account]:
    ctx = AppContext.open(Profile(home))
    endpoint = Endpoint(
        server.host, server.imaps_port, Security.TLS, user.name, str(server.ca_file)
    )
    account = Account("bench", endpoint, default_smtp(endpoint))
    ctx.settings.set("accounts", [account.to_json()])
    ctx.settings.set("me", "sato")
    ctx.settings.save()
    ctx.keychain.set_password(imap_key("bench"), user.password)
    return ctx, account


def offline_copy(ctx: AppContext, home: Path) -> None:
    """A profile with the same cache and an unreachable account (the window's cold start)."""
    ui = AppContext.open(Profile(home))
    endpoint = Endpoint("127.0.0.1", 9, Security.TLS, "support")
    ui.settings.set("accounts", [Account("bench", endpoint, default_smtp(endpoint)).to_json()])
    ui.settings.set("me", "sato")
    ui.settings.save()
    ui.close()
    copy_cache(ctx, ui.profile)


def copy_cache(ctx: AppContext, profile: Profile) -> None:
    """``ctx``'s cache as ``profile``'s (closed), so it needs no first sync of its own."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{profile.cache_db}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(ctx.profile.cache_db) as src, sqlite3.connect(profile.cache_db) as dst:
        src.backup(dst)


def mate_profile(ctx: AppContext, home: Path, server: DovecotServer, user: TestUser) -> AppContext:
    """Teammate suzuki on the same login, with a copy of ``ctx``'s cache."""
    mate, _ = make_profile(home, server, user)
    mate.settings.set("me", "suzuki")
    mate.settings.save()
    mate.close()
    copy_cache(ctx, mate.profile)
    return AppContext.open(Profile(home))


def cache_figures(ctx: AppContext, account: Account, env: dict[str, str]) -> dict[str, Figure]:
    """Search in-process and `mailwise search`/`list` as whole processes (the cache only)."""
    figures: dict[str, Figure] = {}
    service = MessageService(ctx)
    latencies = []
    for i in range(100):
        start = time.perf_counter()
        service.search(account, QUERIES[i % len(QUERIES)])
        latencies.append(time.perf_counter() - start)
    figures["search p95 (100 queries ja/en, in-process)"] = Figure(
        p(latencies, 0.95) * 1000, unit="ms"
    )
    searched, bare_search = [], []
    for _ in range(3):
        searched.append(
            timed_process(env, [sys.executable, "-m", "mailwise_desktop.cli", "search", "請求書"])
        )
        bare_search.append(timed_process(env, [sys.executable, "-c", "pass"]))
    figures["`mailwise search 請求書` (whole process, median of 3)"] = Figure(
        median(searched), "`python -c pass`", median(bare_search)
    )
    listed = [
        timed_process(env, [sys.executable, "-m", "mailwise_desktop.cli", "list", "--limit", "50"])
        for _ in range(3)
    ]
    figures["`mailwise list --limit 50` (whole process, median of 3)"] = Figure(
        median(listed), "`python -c pass`", median(bare_search)
    )
    return figures


def window_figures(ui_home: Path) -> dict[str, Figure]:
    """Cold start, RSS, tab and search repaint of the window on an offline profile."""
    figures: dict[str, Figure] = {}
    floors, apps = interleaved_probes(ui_home, 5)
    floor_paint = median([float(f["painted"]) for f, _ in floors])
    app_paint = median([float(a["painted"]) for a, _ in apps])
    last: dict[str, Any] = apps[-1][0]
    figures["window cold start → list painted (median of 5, interleaved with the floor)"] = Figure(
        app_paint, "Qt floor (empty window + view)", floor_paint
    )
    figures["window peak RSS"] = Figure(
        max(r for _, r in apps), "Qt floor process", max(r for _, r in floors), "MB"
    )
    figures["filter tab → repainted, p95 of 24"] = Figure(
        p([float(x) for x in last["tabs"]], 0.95) * 1000, unit="ms"
    )
    figures["search in the window → repainted, p95 of 20"] = Figure(
        p([float(x) for x in last["searches"]], 0.95) * 1000, unit="ms"
    )
    return figures


def rerun(root: Path) -> int:
    """The cache and window rows again on a finished run's profiles (no server needed)."""
    sections = []
    for home in sorted(root.glob("profile-*"), key=lambda h: int(h.name.split("-")[1])):
        n = int(home.name.split("-")[1])
        before = load()
        ctx = AppContext.open(Profile(home))
        env = dict(os.environ, **{HOME_ENV: str(home), "PYTHONPATH": str(REPO)})
        figures = cache_figures(ctx, ctx.account(), env)
        ctx.close()
        figures.update(window_figures(root / f"window-{n}"))
        sections.append(size_table(n, figures, before, load()).replace("###", "### Re-run:", 1))
        print(sections[-1], flush=True)
    return 0


def measure(server: DovecotServer, user: TestUser, n: int, root: Path) -> dict[str, Figure]:
    """Every figure at the mailbox's current size ``n``."""
    from bench.claim import raw_cas_floor

    figures: dict[str, Figure] = {}
    home = root / f"profile-{n}"
    ctx, account = make_profile(home, server, user)
    env = dict(
        os.environ,
        **{HOME_ENV: str(home), "PYTHONPATH": str(REPO)},
        PYTHON_KEYRING_BACKEND="tests.harness.keyring_backend.FileKeyring",
    )
    raw_fetch_floor(server, user, HEADERS)  # warm Dovecot's index and header cache
    floor = raw_fetch_floor(server, user, HEADERS)

    first, first_rss = run_cli(env, ["sync"])
    figures["first sync (`mailwise sync`, whole process) vs raw header floor"] = Figure(
        first, "raw header floor", floor
    )
    figures["peak RSS of that first sync process"] = Figure(first_rss, unit="MB")
    mb = Mbsync(server, user) if WITH_MBSYNC[0] and mbsync_available() else None
    try:
        mb_full = mb.run() if mb else None
    except RuntimeError as exc:  # one reference failing must not lose the run's other rows
        print(f"mbsync full pull failed at {n:,}: {exc}", file=sys.stderr, flush=True)
        mb, mb_full = None, None
    figures["first sync vs mbsync full pull"] = Figure(first, "mbsync full pull", mb_full)

    noop_cli, mb_noops, imports, bare = [], [], [], []
    for _ in range(3):
        noop_cli.append(run_cli(env, ["sync"])[0])
        if mb:
            mb_noops.append(mb.run())
        imports.append(
            timed_process(
                env, [sys.executable, "-c", "import mailwise_desktop.cli.mailbox_commands"]
            )
        )
        bare.append(timed_process(env, [sys.executable, "-c", "pass"]))
    mb_noop = median(mb_noops) if mb_noops else None
    figures["`mailwise sync`, nothing changed (whole process, median of 3)"] = Figure(
        median(noop_cli), "mbsync no-op", mb_noop
    )
    figures["  its imports alone (`import cli.mailbox_commands`, median of 3)"] = Figure(
        median(imports), "`python -c pass`", median(bare)
    )

    rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
    if n == min(ARGS_SIZES):
        run_once(ctx, account, TeamService(ctx, account).import_job(rows))
    session = open_session(account.imap, user.password)
    try:
        task = MailboxSync(session.wire, ctx.cache, account.id, "INBOX", session.features)
        task.sync()
        works = []
        for _ in range(5):
            start = time.perf_counter()
            task.sync()
            works.append(time.perf_counter() - start)
        figures["resync, nothing changed (open connection, median of 5)"] = Figure(
            median(works), "mbsync no-op", mb_noop
        )
        # In turn, three times each. After a push (the engine's case): INBOX stays
        # selected, 100 changes, then our resync (NOOP + STATUS), then the raw
        # floor's. After a reconnect: 100 changes, then our resync with a SELECT,
        # 100 more, then the raw floor's (whichever SELECTs first pays the rescan).
        ours_push, raw_push, ours_100, raw_100 = [], [], [], []
        for _ in range(3):
            task.ensure_selected()
            change_flags(server, user, 100, b"$scale%d" % n)
            start = time.perf_counter()
            changes = task.sync(reselect=False)
            ours_push.append(time.perf_counter() - start)
            assert len(changes.changed) == 100, len(changes.changed)
            assert task.status is not None and task.status.highestmodseq is not None
            raw_push.append(
                raw_selected_resync_floor(
                    server, user, task.status.highestmodseq, n,
                    lambda: change_flags(server, user, 100, b"$scale%d" % n),
                )
            )  # fmt: skip
            task.sync(reselect=False)  # takes in the raw round's changes untimed
        for _ in range(3):
            change_flags(server, user, 100, b"$scale%d" % n)
            start = time.perf_counter()
            changes = task.sync()
            ours_100.append(time.perf_counter() - start)
            assert len(changes.changed) == 100, len(changes.changed)
            assert task.status is not None and task.status.highestmodseq is not None
            before = task.status.highestmodseq
            change_flags(server, user, 100, b"$scale%d" % n)
            raw_100.append(raw_resync_floor(server, user, before, n))
            task.sync()  # takes in the raw round's changes untimed
        figures[RESYNC_PUSH] = Figure(
            median(ours_push), "raw NOOP + STATUS + CHANGEDSINCE fetch", median(raw_push)
        )
        figures[RESYNC_SELECT] = Figure(
            median(ours_100), "raw SELECT + CHANGEDSINCE fetch", median(raw_100)
        )
    finally:
        session.close()

    trips = claims(ctx, account, user.password, list(range(n - CLAIMS, n + 1)))
    cas_floor = raw_cas_floor(server, user, list(range(n - 2 * CLAIMS - 1, n - CLAIMS - 1)))
    figures[f"claim round trip p95 ({CLAIMS} claims)"] = Figure(
        p(trips, 0.95) * 1000, "raw FETCH+STORE pair p95", p(cas_floor, 0.95) * 1000, "ms"
    )

    mate = mate_profile(ctx, root / f"mate-{n}", server, user)
    with_reader, without = claims_after_teammate(
        ctx, mate, account, user.password, list(range(n - 140, n - 98))
    )
    mate.close()
    figures[TEAMMATE_CLAIM] = Figure(
        p(with_reader, 0.95) * 1000,
        "same, team mailbox read on `cmd`",
        p(without, 0.95) * 1000,
        "ms",
    )

    figures.update(cache_figures(ctx, account, env))
    ctx.close()

    ui_home = root / f"window-{n}"
    offline_copy(ctx, ui_home)
    figures.update(window_figures(ui_home))
    if mb:
        mb.cleanup()
    return figures


ARGS_SIZES: list[int] = []
WITH_MBSYNC: list[bool] = [True]


def main(argv: list[str] | None = None) -> int:
    compile_sources()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50000,200000")
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument(
        "--rerun",
        type=Path,
        help="a finished run's folder: measure its cache and window rows again",
    )
    parser.add_argument("--no-mbsync", action="store_true", help="skip the mbsync references")
    args = parser.parse_args(argv)
    WITH_MBSYNC[:] = [not args.no_mbsync]
    if args.rerun:
        return rerun(args.rerun)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    ARGS_SIZES[:] = sizes
    root = Path(tempfile.mkdtemp(prefix="mw-bench-scale-"))
    os.environ[FILE_ENV] = str(root / "keyring.json")  # shared with the CLI processes
    keyring.set_keyring(FileKeyring())
    results: dict[int, dict[str, Figure]] = {}
    sections = []
    with DovecotServer() as server:
        user = server.add_user()
        seeded = 0
        for n in sizes:
            t0 = time.perf_counter()
            server.seed_maildir(user, realistic_mailbox(n - seeded, seed=n))
            seeded = n
            print(
                f"seeded to {n:,} in {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True
            )
            before = load()
            results[n] = measure(server, user, n, root)
            after = load()
            sections.append(size_table(n, results[n], before, after))
            print(sections[-1], flush=True)
    if len(results) > 1:
        sections.append(growth_table(results))
    text = "\n".join(sections)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.md").write_text(text, encoding="utf-8")
    (args.out / "scale.json").write_text(
        json.dumps(
            {str(n): {w: f.__dict__ for w, f in fig.items()} for n, fig in results.items()},
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
