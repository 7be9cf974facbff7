"""First sync only (issue 13): whole ``mailwise sync`` processes against the raw header floor.

Usage::

    python -m bench.first_sync [--messages 50000] [--rounds 2]
        [--trees /work/main,/work/wt/me] [--md5] [--py-spy DIR]

The first row of ``bench.scale`` without the rest of that bench (~10 min):
one throwaway Dovecot seeded once, then per round and per source tree (its
``PYTHONPATH``, so two checkouts are compared interleaved, in the same
minutes) a fresh profile, the raw header floor, and one whole first sync.
``--md5`` prints a digest of every cache row a first sync writes (messages,
search rows, thread links, ids included): two trees must print the same.
``--py-spy`` samples each process with py-spy (every thread, collapsed
stacks) into DIR; ``python -m bench.first_sync --stacks FILE`` sums one by function.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import keyring

from bench.common import compile_sources, raw_fetch_floor
from bench.scale import load, make_profile
from bench.sync import HEADERS
from mailwise_desktop.core.profile import HOME_ENV
from tests.harness.dovecot import DovecotServer
from tests.harness.keyring_backend import FILE_ENV, FileKeyring
from tests.harness.seed import realistic_mailbox

#: Tables a first sync fills; each is digested row by row in a fixed order.
DIGESTED = (
    ("messages", "SELECT * FROM messages ORDER BY id"),
    ("messages_fts", "SELECT rowid, subject, sender, body FROM messages_fts ORDER BY rowid"),
    ("thread_links", "SELECT * FROM thread_links ORDER BY message_row_id, link"),
    ("messages_grams", "SELECT rowid, g FROM messages_grams ORDER BY rowid"),
)

# Runs the CLI in this process and reports its own peak RSS on stderr (as bench.scale).
RSS_PROG = """
import resource, sys
from mailwise_desktop.cli.main import main
code = main(sys.argv[1:])
sys.stderr.write(f"\\nMAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
raise SystemExit(code)
"""


def cache_digest(cache: Path) -> dict[str, str]:
    """md5 of each digested table's rows (read by sqlite3, in a fixed order)."""
    out: dict[str, str] = {}
    with sqlite3.connect(cache) as conn:
        for name, sql in DIGESTED:
            digest = hashlib.md5()
            count = 0
            try:
                for row in conn.execute(sql):
                    digest.update(repr(row).encode("utf-8", "surrogatepass"))
                    count += 1
            except sqlite3.OperationalError:  # a table an older tree does not write
                continue
            out[name] = f"{digest.hexdigest()} ({count} rows)"
    return out


def main(argv: list[str] | None = None) -> int:
    compile_sources()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--trees", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--md5", action="store_true", help="digest each first sync's cache rows")
    parser.add_argument("--py-spy", type=Path, help="sample each process with py-spy into DIR")
    parser.add_argument("--stacks", type=Path, help="sum a py-spy raw file by function, then exit")
    args = parser.parse_args(argv)
    if args.stacks is not None:
        return summarise(args.stacks)
    trees = [Path(t).resolve() for t in args.trees.split(",")]
    root = Path(tempfile.mkdtemp(prefix="mw-bench-first-"))
    os.environ[FILE_ENV] = str(root / "keyring.json")
    keyring.set_keyring(FileKeyring())
    with DovecotServer() as server:
        user = server.add_user()
        t0 = time.perf_counter()
        server.seed_maildir(user, realistic_mailbox(args.messages, seed=args.messages))
        print(f"seeded {args.messages:,} in {time.perf_counter() - t0:.0f}s", flush=True)
        raw_fetch_floor(server, user, HEADERS)  # warm Dovecot's index and header cache
        print(
            "| round | tree | first sync | its CPU | raw floor | ratio | RSS | load |", flush=True
        )
        print("|---|---|---:|---:|---:|---:|---:|---|", flush=True)
        for number in range(args.rounds):
            for index, tree in enumerate(trees):
                home = root / f"profile-{number}-{index}"
                ctx, _account = make_profile(home, server, user)
                ctx.close()
                env = dict(
                    os.environ,
                    **{HOME_ENV: str(home), "PYTHONPATH": str(tree)},
                    PYTHON_KEYRING_BACKEND="tests.harness.keyring_backend.FileKeyring",
                )
                floor = raw_fetch_floor(server, user, HEADERS)
                before = load()
                spy: Path | None = None
                if args.py_spy is not None:
                    args.py_spy.mkdir(parents=True, exist_ok=True)
                    spy = args.py_spy / f"first-{number}-{tree.name}.txt"
                seconds, rss, cpu = run_sync(env, tree, spy)
                print(
                    f"| {number} | {tree} | {seconds:.3f} s | {cpu:.2f} s | {floor:.3f} s "
                    f"| {seconds / floor:.2f}x | {rss:.0f} MB | {before} -> {load()} |",
                    flush=True,
                )
                if args.md5:
                    for name, digest in cache_digest(home / "cache.sqlite3").items():
                        print(f"    {tree.name} {name}: {digest}", flush=True)
    return 0


def run_sync(env: dict[str, str], tree: Path, spy: Path | None) -> tuple[float, float, float]:
    """Seconds, peak RSS (MB) and CPU seconds of one whole ``mailwise sync`` from ``tree``.

    CPU (user + system of the process) is the figure that moves least with the
    machine's load; the wall seconds are the one the goal is about.

    Run in ``tree`` (``python -c`` puts the working directory first on the path).
    """
    command = [sys.executable, "-c", RSS_PROG, "sync"]
    if spy is not None:
        py_spy = Path(sys.executable).with_name("py-spy")
        command = [str(py_spy), "record", "-r", "50", "--threads", "--format", "raw"]
        command += ["-o", str(spy), "--", sys.executable, "-c", RSS_PROG, "sync"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"mailwise sync failed: {done.stderr[-2000:]}")
    rss = next((int(x.split()[1]) for x in done.stderr.splitlines() if x.startswith("MAXRSS ")), 0)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, rss / 1024, cpu


def summarise(path: Path, top: int = 45) -> int:
    """Print the functions of a py-spy raw file by samples (self and inclusive), per thread."""
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        own[frames[-1]] = own.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
    print(f"{total} samples")
    for title, table in (("inclusive", inclusive), ("self", own)):
        print(f"--- {title}")
        for frame, count in sorted(table.items(), key=lambda kv: -kv[1])[:top]:
            print(f"{count:7d} {100 * count / max(total, 1):5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
