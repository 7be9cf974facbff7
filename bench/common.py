"""Shared pieces of the benchmarks: a seeded Dovecot, timers, raw floors, tables."""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness.dovecot import DovecotServer, TestUser


@dataclass
class Row:
    """One line of a benchmark table: our figure, its reference, and the goal."""

    work: str
    ours: float
    reference_name: str = ""
    reference: float | None = None
    goal: str = ""
    goal_met: bool | None = None
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.ours / self.reference  # type: ignore[operator]


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        ratio = "" if row.ratio is None else f" ({row.ratio:.2f}x {row.reference_name})"
        print(f"  {row.work}: {row.ours:.3f} {row.unit}{ratio}", file=sys.stderr, flush=True)
        return row

    def markdown(self) -> str:
        lines = [
            f"### {self.title}",
            "",
            f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {machine()}",
            "",
            "| work | ours | reference | ref. figure | ratio | goal | met |",
            "|---|---:|---|---:|---:|---|---|",
        ]
        for r in self.rows:
            ref = "" if r.reference is None else f"{r.reference:.3f} {r.unit}"
            ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
            met = {None: "", True: "yes", False: "**no**"}[r.goal_met]
            lines.append(
                f"| {r.work} | {r.ours:.3f} {r.unit} | {r.reference_name} | {ref} | {ratio} | {r.goal} | {met} |"
            )
        lines += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "machine": machine(),
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "rows": [r.__dict__ | {"ratio": r.ratio} for r in self.rows],
            "notes": self.notes,
        }


def compile_sources() -> None:
    """Byte-compile the app before timing whole processes, as an installed app ships.

    PyInstaller bundles bytecode; a source checkout run with
    ``PYTHONDONTWRITEBYTECODE`` (CI, this machine) compiled every module of the
    app in every measured process (about 0.1 s of a window's cold start, more
    of a CLI command), while the references' libraries were compiled at install.
    """
    import compileall

    compileall.compile_dir(
        Path(__file__).resolve().parent.parent / "mailwise_desktop", quiet=1, workers=1
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - start
    elapsed.append(time.perf_counter() - start)


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def _timed_exchange(
    server: DovecotServer,
    user: TestUser,
    setup: bytes,
    timed: bytes,
    last_tag: bytes,
    between: Callable[[], None] | None = None,
) -> float:
    """Seconds from sending ``timed`` to reading ``last_tag``'s reply, over a raw TLS socket.

    ``setup`` (after LOGIN, its last command tagged ``b``) is sent and read
    untimed, then ``between`` runs (untimed); nothing is parsed, literals are skipped.
    """
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    with (
        socket.create_connection((server.host, server.imaps_port)) as plain,
        ctx.wrap_socket(plain, server_hostname="localhost") as sock,
    ):
        reader = sock.makefile("rb", buffering=1 << 20)
        reader.readline()
        sock.sendall(f"a LOGIN {user.name} {user.password}\r\n".encode() + setup)
        _until(reader, b"b ")
        if between is not None:
            between()
        start = time.perf_counter()
        sock.sendall(timed)
        _until(reader, last_tag)
        elapsed = time.perf_counter() - start
        sock.sendall(b"z LOGOUT\r\n")
    return elapsed


def raw_fetch_floor(server: DovecotServer, user: TestUser, items: bytes) -> float:
    """Seconds for ``UID FETCH 1:* items`` over a raw TLS socket, reading to the tag, no parsing."""
    return _timed_exchange(
        server, user, b"c ENABLE CONDSTORE\r\nb SELECT INBOX\r\n",
        b"d UID FETCH 1:* " + items + b"\r\n", b"d ",
    )  # fmt: skip


def raw_resync_floor(server: DovecotServer, user: TestUser, modseq: int, last_uid: int) -> float:
    """Seconds for SELECT + ``UID FETCH 1:last (FLAGS MODSEQ) (CHANGEDSINCE modseq VANISHED)``.

    What any client's resync after another client's changes costs the server:
    a Maildir SELECT rescans the folder whose files the changes renamed. Raw
    TLS socket, logged in beforehand, reading to the tag without parsing.
    """
    return _timed_exchange(
        server, user, b"b ENABLE QRESYNC\r\n",
        b"c SELECT INBOX\r\nd UID FETCH 1:%d (UID FLAGS MODSEQ) (CHANGEDSINCE %d VANISHED)\r\n"
        % (last_uid, modseq),
        b"d ",
    )  # fmt: skip


def raw_selected_resync_floor(
    server: DovecotServer, user: TestUser, modseq: int, last_uid: int, change: Callable[[], None]
) -> float:
    """Seconds for NOOP + STATUS + the CHANGEDSINCE fetch on a session that keeps INBOX selected.

    The resync after a push: ``change`` (another client's changes) runs after
    this session's SELECT, untimed; the three commands are pipelined.
    """
    return _timed_exchange(
        server, user, b"c ENABLE QRESYNC\r\nb SELECT INBOX\r\n",
        b"d NOOP\r\ne STATUS INBOX (UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ)\r\n"
        b"f UID FETCH 1:%d (UID FLAGS MODSEQ) (CHANGEDSINCE %d VANISHED)\r\n" % (last_uid, modseq),
        b"f ", change,
    )  # fmt: skip


def _until(reader: Any, tag: bytes) -> None:
    while True:
        line = reader.readline()
        if not line:
            raise ConnectionError("server closed")
        if line.startswith(tag):
            return
        if line.rstrip(b"\r\n").endswith(b"}"):
            size = int(line[line.rfind(b"{") + 1 : line.rstrip(b"\r\n").rfind(b"}")])
            reader.read(size)


def mbsync_available() -> bool:
    """mbsync is on PATH; on Debian as root it is installed first (package isync)."""
    if (
        shutil.which("mbsync") is None
        and shutil.which("apt-get")
        and getattr(os, "geteuid", lambda: 1)() == 0
    ):
        subprocess.run(["apt-get", "install", "-y", "-q", "isync"], check=False)
    return shutil.which("mbsync") is not None


class Mbsync:
    """isync's mbsync pulling the same mailbox into a local Maildir."""

    def __init__(self, server: DovecotServer, user: TestUser) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mw-mbsync-"))
        self.config = self.dir / "mbsyncrc"
        (self.dir / "mail").mkdir()
        self.config.write_text(
            f"""IMAPAccount bench
Host localhost
Port {server.imaps_port}
User {user.name}
Pass {user.password}
SSLType IMAPS
CertificateFile {server.ca_file}
# The default 20 s gave up on a 200k pull when the shared machine stalled Dovecot.
Timeout 600

IMAPStore remote
Account bench

MaildirStore local
Path {self.dir}/mail/
Inbox {self.dir}/mail/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
""",
            encoding="utf-8",
        )

    def run(self) -> float:
        start = time.perf_counter()
        proc = subprocess.run(
            ["mbsync", "-q", "-c", str(self.config), "bench"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"mbsync failed: {proc.stderr.strip()}")
        return time.perf_counter() - start

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def write_results(name: str, table: Table, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(table.json(), indent=2, ensure_ascii=False))
    (out_dir / f"{name}.md").write_text(table.markdown(), encoding="utf-8")
