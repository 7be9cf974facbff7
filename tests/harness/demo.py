"""`make demo`: a private Dovecot + SMTP server with a realistic support mailbox, and the app on it.

    python -m tests.harness.demo [--teammates 2] [--home demo-home] [--screenshot DIR]

Starts Dovecot (IMAPS) and an SMTP server on loopback, seeds the shared
mailbox support@example.jp from ``resources/demo/support_mailbox.json``
(Japanese and English customer mails, attachments, some already claimed by
teammates), sets up one profile per teammate through the real ``mailwise``
CLI, and opens one window per teammate — so a claim in one window can be
watched arriving in the other. Ctrl+C or closing the windows stops it all.

The demo keeps passwords in a test-only file keychain under ``--home``
(tests.harness.keyring_backend.FileKeyring): a developer machine may have no
unlocked system keychain. The app itself never uses a plaintext keychain.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from mailwise_desktop.core.states import HandlingState
from mailwise_desktop.imap.keywords import encode
from tests.harness.dovecot import DovecotServer, TestUser
from tests.harness.keyring_backend import FILE_ENV
from tests.harness.seed import Attachment, make_message
from tests.harness.smtp import SmtpServer

REPO = Path(__file__).resolve().parents[2]
SHARED_ADDRESS = ("サポート窓口", "support@example.jp")


def demo_data() -> dict[str, Any]:
    text = resources.files("mailwise_desktop.resources").joinpath("demo/support_mailbox.json")
    return json.loads(text.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _attachment(spec: dict[str, Any]) -> Attachment:
    # Deterministic filler of the stated size: the demo shows sizes, not contents.
    body = (f"{spec['name']} — demo attachment\n".encode() * (spec["size"] // 30 + 1))[
        : spec["size"]
    ]
    return Attachment(spec["name"], spec["type"], body)


def seed(server: DovecotServer, user: TestUser, data: dict[str, Any]) -> int:
    """APPEND the demo mails (newest last), with state and owner keywords where given."""
    slots = {member["id"]: slot for slot, member in enumerate(data["team"])}
    now = datetime.now(UTC)
    for spec in sorted(data["messages"], key=lambda m: -m["minutes_ago"]):
        raw = make_message(
            subject=spec["subject"],
            body=spec["body"],
            sender=tuple(spec["from"]),  # type: ignore[arg-type]
            to=(SHARED_ADDRESS,),
            date=now - timedelta(minutes=spec["minutes_ago"]),
            message_id=f"<{spec['id']}.demo@example.jp>",
            charset=spec.get("charset", "utf-8"),
            html=spec.get("html"),
            attachments=[_attachment(a) for a in spec.get("attachments", [])],
        )
        flags = list(spec.get("flags", []))
        if "state" in spec:
            owner = slots.get(spec.get("owner", ""))
            flags += sorted(encode(HandlingState(spec["state"]), owner))
        server.append(user, raw, flags=flags)
    return len(data["messages"])


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"mailwise {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def profile_env(home: Path, member_id: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "MAILWISE_HOME": str(home / member_id),
            "PYTHON_KEYRING_BACKEND": "tests.harness.keyring_backend.FileKeyring",
            FILE_ENV: str(home / member_id / "demo-keychain.json"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        }
    )
    return env


def set_up_profile(
    home: Path,
    member: dict[str, str],
    imap: DovecotServer,
    user: TestUser,
    smtp: SmtpServer,
    data: dict[str, Any],
    first: bool,
) -> dict[str, str]:
    env = profile_env(home, member["id"])
    cli(
        env,
        "account",
        "add",
        "support",
        "--host",
        "localhost",
        "--port",
        str(imap.imaps_port),
        "--user",
        user.name,
        "--ca-file",
        str(imap.ca_file),
        "--address",
        SHARED_ADDRESS[1],
        "--smtp-host",
        "localhost",
        "--smtp-port",
        str(smtp.port),
        "--smtp-security",
        "starttls",
        "--smtp-user",
        smtp.user,
        "--smtp-ca-file",
        str(smtp.ca_file),
        "--password-stdin",
        stdin=f"{user.password}\n{smtp.password}\n",
    )
    if _has_command(env, "team"):
        if first:
            for m in data["team"]:
                cli(env, "team", "add", m["id"], "--name", m["name"], "--email", m["email"])
        cli(env, "me", member["id"])
    cli(env, "sync", "--bodies")
    return env


def _has_command(env: dict[str, str], name: str) -> bool:
    probe = subprocess.run(
        [sys.executable, "-m", "mailwise_desktop.cli", name, "--help"],
        capture_output=True,
        env=env,
        check=False,
    )
    return probe.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teammates", type=int, default=1, help="windows to open (1-4)")
    parser.add_argument(
        "--home", type=Path, default=REPO / "demo-home", help="where the demo's profiles live"
    )
    parser.add_argument(
        "--screenshot", type=Path, help="render each window (ja and en) into DIR and exit"
    )
    args = parser.parse_args(argv)
    data = demo_data()
    members = data["team"][: max(1, min(args.teammates, len(data["team"])))]
    shutil.rmtree(args.home, ignore_errors=True)
    args.home.mkdir(parents=True)
    with DovecotServer() as imap, SmtpServer() as smtp:
        user = imap.add_user("support")
        count = seed(imap, user, data)
        print(
            f"Dovecot IMAPS on localhost:{imap.imaps_port}, SMTP on localhost:{smtp.port}; {count} mails seeded"
        )
        envs = [
            set_up_profile(args.home, m, imap, user, smtp, data, first=(i == 0))
            for i, m in enumerate(members)
        ]
        gui = [sys.executable, "-m", "mailwise_desktop"]
        if args.screenshot:
            args.screenshot.mkdir(parents=True, exist_ok=True)
            for member, env in zip(members, envs, strict=True):
                for lang in ("ja", "en"):
                    out = args.screenshot / f"demo-{member['id']}-{lang}.png"
                    subprocess.run(
                        [*gui, "--lang", lang, "--screenshot", str(out)], env=env, check=True
                    )
                    print(f"wrote {out}")
            return 0
        windows = [subprocess.Popen(gui, env=env) for env in envs]
        print("The app is running; close its windows (or press Ctrl+C) to stop the demo servers.")
        for member in members:
            print(f"  {member['name']}: MAILWISE_HOME={args.home / member['id']}")
        try:
            for window in windows:
                window.wait()
        except KeyboardInterrupt:
            for window in windows:
                window.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
