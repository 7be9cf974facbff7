"""`mailwise sync` with nothing changed, against mbsync's no-op in the same minutes (issue 13).

Usage: ``python -m bench.sync_noop [--messages 50000] [--rounds 5]``. One
throwaway Dovecot seeded with realistic mail, a profile with a roster (so the
team mailbox holds records), a first sync, then per round, interleaved: the
quick no-op (a whole ``mailwise sync`` process), mbsync's no-op, the full
sync path with nothing changed (``mailwise sync --mailbox INBOX``, which skips
the quick check) and ``python -c pass``. Medians, ratios and the load average
before and after; checks that each quick run printed the no-op and loaded no
SQLAlchemy. Writes ``bench/out/sync_noop.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Mbsync, compile_sources, mbsync_available
from bench.scale import REPO, load, make_profile, median
from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.keychain import imap_key
from mailwise_desktop.core.profile import HOME_ENV, Profile
from mailwise_desktop.imap.status_probe import look
from mailwise_desktop.services.runner import run_once
from mailwise_desktop.services.sync import SyncService
from mailwise_desktop.services.team import TeammateRow, TeamService
from tests.harness.dovecot import DovecotServer
from tests.harness.keyring_backend import FILE_ENV, FileKeyring
from tests.harness.seed import realistic_mailbox

# Runs the CLI and says on stderr whether SQLAlchemy was loaded (the quick path loads none).
PROBE = """
import sys
from mailwise_desktop.cli.main import main
code = main(sys.argv[1:])
sys.stderr.write(f"\\nSQLALCHEMY {'sqlalchemy' in sys.modules}\\n")
raise SystemExit(code)
"""


def timed(env: dict[str, str], argv: list[str]) -> tuple[float, str, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr[-2000:]}")
    return seconds, done.stdout, done.stderr


def look_seconds(account: Account, home: Path) -> float:
    """The quick check's server exchange alone, in this process (no start, no imports)."""
    password = FileKeyring().get_password(Profile(home).keyring_service, imap_key(account.id))
    start = time.perf_counter()
    look(account.imap, password or "", [*account.folders, account.team_mailbox])
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    compile_sources()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="mw-noop-"))
    os.environ[FILE_ENV] = str(root / "keyring.json")  # shared with the CLI processes
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.harness.keyring_backend.FileKeyring"
    with DovecotServer() as server:
        user = server.add_user()
        server.seed_maildir(user, realistic_mailbox(args.messages, seed=args.messages))
        home = root / "profile"
        ctx, account = make_profile(home, server, user)
        rows = [TeammateRow("sato", "佐藤"), TeammateRow("suzuki", "鈴木")]
        run_once(ctx, account, TeamService(ctx, account).import_job(rows))
        env = dict(os.environ, **{HOME_ENV: str(home), "PYTHONPATH": str(REPO)})
        first, _, _ = timed(env, [sys.executable, "-c", PROBE, "sync"])
        SyncService(ctx).sync_once(account)  # settle (team records read)
        ctx.close()
        mb = Mbsync(server, user) if mbsync_available() else None
        mb_full = mb.run() if mb else None
        before = load()
        quick, full, mbs, bare, looks = [], [], [], [], []
        for _ in range(args.rounds):
            seconds, out, err = timed(env, [sys.executable, "-c", PROBE, "sync"])
            if out != "INBOX: up to date\n" or "SQLALCHEMY False" not in err:
                raise RuntimeError(f"the quick no-op was not taken: {out!r} {err[-500:]!r}")
            quick.append(seconds)
            seconds, out, err = timed(
                env, [sys.executable, "-c", PROBE, "sync", "--mailbox", "INBOX"]
            )
            if out != "INBOX: up to date\n" or "SQLALCHEMY True" not in err:
                raise RuntimeError(f"the full path did not run as a no-op: {out!r}")
            full.append(seconds)
            if mb:
                mbs.append(mb.run())
            bare.append(timed(env, [sys.executable, "-c", "pass"])[0])
            looks.append(look_seconds(account, home))
        after = load()
    mb_noop = median(mbs) if mbs else None
    rows_out = [
        ("`mailwise sync`, nothing changed: quick check (whole process)", median(quick)),
        (
            "`mailwise sync --mailbox INBOX`, nothing changed: full path (whole process)",
            median(full),
        ),
        (
            "  its server exchange alone (TLS, LOGIN, LIST, 2 STATUS, LOGOUT; in-process)",
            median(looks),
        ),
        ("mbsync no-op", mb_noop),
        ("`python -c pass`", median(bare)),
    ]
    print(f"\n### `mailwise sync` no-op, {args.messages:,} messages, median of {args.rounds}\n")
    print(
        f"load average before {before}, after {after}; first sync {first:.2f} s"
        + (f", mbsync full pull {mb_full:.2f} s" if mb_full else "")
        + "\n"
    )
    print("| work | seconds | ratio to mbsync no-op | goal |")
    print("|---|---:|---:|---|")
    for name, value in rows_out:
        ratio = f"{value / mb_noop:.2f}×" if value is not None and mb_noop else ""
        goal = "≤ 0.25×" if "quick" in name else ""
        shown = f"{value:.3f}" if value is not None else "—"
        print(f"| {name} | {shown} | {ratio} | {goal} |")
    out_dir = REPO / "bench" / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "sync_noop.json").write_text(
        json.dumps(
            {
                "messages": args.messages,
                "load_before": before,
                "load_after": after,
                "quick": quick,
                "full": full,
                "look_in_process": looks,
                "mbsync_noop": mbs,
                "bare": bare,
                "first_sync": first,
                "mbsync_full": mb_full,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
