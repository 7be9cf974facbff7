"""A private, throwaway Dovecot IMAP server on loopback (see TESTING.md).

One :class:`DovecotServer` runs per test session from its own temp dir and
config; each test gets its own mailbox user (:meth:`DovecotServer.add_user`)
instead of a server restart. ``doveadm`` plays "another teammate's client":
flag changes, expunges and UIDVALIDITY changes made through it must reach our
cache like changes made by anyone else.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from imapclient import IMAPClient, imap_utf7

from tests.harness.certs import ServerCertificates, make_server_certificates

HOST = "127.0.0.1"
START_TIMEOUT = 10.0
KEEP_ENV = "MAILWISE_KEEP_DOVECOT"  # set to keep the temp dir for a post-mortem


class DovecotError(RuntimeError):
    """Dovecot or doveadm failed; the message carries the command's output or log."""


@dataclass(frozen=True)
class TestUser:
    """A mailbox user of the test server.

    Attributes:
        name: the login name (also the Maildir folder name).
        password: the plain-text password stored in the passwd-file.
    """

    __test__ = False  # not a pytest test class despite the name

    name: str
    password: str


def dovecot_binary() -> str | None:
    """Path of the ``dovecot`` binary, also where ``/usr/sbin`` is not on PATH."""
    return shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")


def doveadm_binary() -> str | None:
    """Path of the ``doveadm`` binary."""
    return shutil.which("doveadm") or shutil.which("doveadm", path="/usr/bin:/usr/sbin")


#: Set by the Windows lane (tests/harness/bridge.py): Dovecot runs on the Linux side.
BRIDGE_ENV = "MAILWISE_DOVECOT_BRIDGE"


def dovecot_available() -> bool:
    """True where :func:`start_dovecot` can start one: installed here, or bridged."""
    return bool(os.environ.get(BRIDGE_ENV)) or dovecot_binary() is not None


def start_dovecot(
    *,
    exchange_like: bool = False,
    oauth_introspection_url: str | None = None,
    imap_settings: str = "",
    uidplus: bool = True,
    gmail_like: bool = False,
) -> DovecotServer:
    """A started Dovecot of the caller's own, with :class:`DovecotServer`'s options.

    Local on Linux and macOS. Under the Windows lane (``$MAILWISE_DOVECOT_BRIDGE``)
    Dovecot can't run where the test runs: the bridge starts it on the Linux
    side and this returns a :class:`~tests.harness.bridge.RemoteDovecot` that
    behaves like the local object (``restart`` and ``stop`` included). Either
    way the caller stops it with ``stop()``.
    """
    options: dict[str, Any] = {
        "exchange_like": exchange_like,
        "oauth_introspection_url": oauth_introspection_url,
        "imap_settings": imap_settings,
        "uidplus": uidplus,
        "gmail_like": gmail_like,
    }
    spec = os.environ.get(BRIDGE_ENV)
    if spec:
        from tests.harness.bridge import RemoteDovecot

        return cast(DovecotServer, RemoteDovecot.start(spec, **options))
    return DovecotServer(**options).start()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = START_TIMEOUT) -> None:
    """Block until something accepts TCP connections on ``HOST:port``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


_CONFIG = """\
# Written by tests/harness/dovecot.py; recipe from docs TESTING.md.
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login{oauth_mechanisms}
# Dovecot waits 2 s before answering a failed login; tests check refusals often.
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
mail_uid = {mail_user}
mail_gid = {mail_group}
first_valid_uid = 1
mail_location = maildir:{dir}/mail/%u
{namespace}# One passwd-file per user (recipe: one shared file). Dovecot stats a
# passwd-file at most once per second, so a user appended to a shared file
# right after another login stays unknown for up to a second; a new file is
# read at its first lookup.
{oauth_passdb}passdb {{
  driver = passwd-file
  args = {dir}/passwd.d/%u
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={dir}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # No auth penalty: tests fail logins on purpose, and later logins from
  # 127.0.0.1 must not be slowed down by seconds for it.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 200
{protocol_extra}}}
"""

#: Dovecot made to look like Exchange Online's IMAP (issue 12): no CONDSTORE or
#: QRESYNC advertised, and every custom keyword refused with ``NO [CANNOT]``
#: (longer than one character) while system flags still work.
EXCHANGE_LIKE = """\
  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE
  mail_max_keyword_length = 1
"""


#: Dovecot's oauth2 passdb (issue 12): XOAUTH2 / OAUTHBEARER tokens are checked
#: by RFC 7662 introspection at the test's OAuth2 provider; passwords still work
#: through the passwd-file for the harness's own logins.
#: A server that does not offer MOVE (RFC 6851): clients must COPY, then mark.
WITHOUT_MOVE = """\
  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UIDPLUS UNSELECT CHILDREN SPECIAL-USE CONDSTORE QRESYNC
"""

OAUTH_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {conf}
}}
"""

OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}
username_attribute = username
active_attribute = active
active_value = true
"""

#: The same without UIDPLUS (hosted servers without it exist): no APPENDUID
#: promised, so a writer finds its record by searching (issue 12).
EXCHANGE_LIKE_NO_UIDPLUS = EXCHANGE_LIKE.replace(" UIDPLUS", "")


#: Folders named and flagged as Gmail has them (issue 12): "/" as the separator,
#: SPECIAL-USE on the [Gmail] folders; \All holds a copy of every message there.
GMAIL_LIKE = """\
namespace inbox {
  inbox = yes
  separator = /
  mailbox "[Gmail]/All Mail" {
    special_use = \\All
    auto = subscribe
  }
  mailbox "[Gmail]/Sent Mail" {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox "[Gmail]/Trash" {
    special_use = \\Trash
    auto = subscribe
  }
}
"""


class DovecotServer:
    """A Dovecot instance running from its own temp dir, for one test session.

    Attributes:
        host: the loopback address both listeners are bound to.
        imap_port: plain IMAP port offering STARTTLS.
        imaps_port: implicit-TLS IMAP port.
        ca_file: PEM file of the test CA that issued the server certificate.
        certificates: the CA and server certificate (fingerprint included).
        dir: the server's temp dir (config, passwd-file, logs, mail).
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        exchange_like: bool = False,
        oauth_introspection_url: str | None = None,
        imap_settings: str = "",
        uidplus: bool = True,
        gmail_like: bool = False,
    ) -> None:
        """Args:
        exchange_like: look like Exchange Online (see EXCHANGE_LIKE).
        uidplus: with ``exchange_like``, False takes UIDPLUS out of the capabilities too.
        gmail_like: Gmail's folder names and SPECIAL-USE flags (see GMAIL_LIKE).
        oauth_introspection_url: check OAuth2 tokens at this RFC 7662 endpoint.
        imap_settings: more ``protocol imap`` lines, e.g. :data:`WITHOUT_MOVE`.
        """
        self.host = HOST
        self.exchange_like = exchange_like
        self.oauth_introspection_url = oauth_introspection_url
        self.imap_settings = imap_settings
        self.uidplus = uidplus
        self.gmail_like = gmail_like
        self._keep_ports = False
        self.dir = Path(directory or tempfile.mkdtemp(prefix="mailwise-dovecot-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "dovecot.conf"
        self.passwd_file = self.dir / "passwd"
        self.passwd_dir = self.dir / "passwd.d"
        self.log_file = self.dir / "dovecot.log"
        self.mail_root = self.dir / "mail"
        self.imap_port = 0
        self.imaps_port = 0
        self._users: dict[str, TestUser] = {}
        self._counter = itertools.count(1)
        self._dovecot = dovecot_binary()
        self._doveadm = doveadm_binary()
        if not self._dovecot or not self._doveadm:
            raise DovecotError("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
        import grp  # POSIX only: the server runs on Linux/macOS (the Windows lane bridges it)
        import pwd

        if os.geteuid() == 0:
            # Dovecot refuses to run login processes or mail access as root.
            self._mail_user = "mail"
            internal, login = "dovecot", "dovenull"
        else:
            self._mail_user = pwd.getpwuid(os.geteuid()).pw_name
            internal = login = self._mail_user
        mail_pw = pwd.getpwnam(self._mail_user)
        self._mail_uid, self._mail_gid = mail_pw.pw_uid, mail_pw.pw_gid
        self._mail_group = grp.getgrgid(self._mail_gid).gr_name
        self._internal_user, self._login_user = internal, login
        self._internal_group = grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name
        self.certificates: ServerCertificates = make_server_certificates(self.dir)
        self.ca_file = self.certificates.ca_file

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> DovecotServer:
        """Write the config and start Dovecot; return once both ports accept."""
        # Dovecot's mail processes run as `mail`: every parent must be traversable.
        self._make_traversable(self.dir)
        self.mail_root.mkdir(exist_ok=True)
        os.chown(self.mail_root, self._mail_uid, self._mail_gid)
        self.passwd_file.touch()
        self.passwd_dir.mkdir(exist_ok=True)
        internal_group = self._internal_group
        oauth_passdb = ""
        if self.oauth_introspection_url:
            oauth_conf = self.dir / "dovecot-oauth2.conf.ext"
            oauth_conf.write_text(OAUTH2_CONF.format(url=self.oauth_introspection_url))
            oauth_passdb = OAUTH_PASSDB.format(conf=oauth_conf)
        # Ports are picked free just before the start; on the rare clash retry.
        for attempt in range(3):
            if not (self._keep_ports and attempt == 0):
                self.imap_port, self.imaps_port = free_port(), free_port()
            self.conf.write_text(
                _CONFIG.format(
                    dir=self.dir,
                    cert=self.certificates.cert_file,
                    key=self.certificates.key_file,
                    internal_user=self._internal_user,
                    internal_group=internal_group,
                    login_user=self._login_user,
                    mail_user=self._mail_user,
                    mail_group=self._mail_group,
                    imap_port=self.imap_port,
                    imaps_port=self.imaps_port,
                    protocol_extra=self._protocol_extra() + self.imap_settings,
                    oauth_mechanisms=" xoauth2 oauthbearer" if oauth_passdb else "",
                    oauth_passdb=oauth_passdb,
                    namespace=GMAIL_LIKE if self.gmail_like else "",
                )
            )
            # The daemon keeps inherited descriptors open: never give it our pipes,
            # or run() would wait for its EOF forever.
            errors = self.dir / "dovecot.stderr"
            with errors.open("wb") as err:
                proc = subprocess.run(
                    [self._dovecot or "dovecot", "-c", str(self.conf)],
                    stdin=subprocess.DEVNULL,
                    stdout=err,
                    stderr=err,
                    check=False,
                    timeout=30,
                )
            if proc.returncode == 0:
                break
            output = errors.read_text(errors="replace") + self._log_tail()
            if attempt == 2 or "in use" not in output:
                raise DovecotError(f"dovecot failed to start: {output}")
        try:
            wait_for_port(self.imap_port)
            wait_for_port(self.imaps_port)
        except OSError as exc:
            self.stop()
            raise DovecotError(f"dovecot did not listen: {self._log_tail()}") from exc
        return self

    def _protocol_extra(self) -> str:
        if not self.exchange_like:
            return ""
        return EXCHANGE_LIKE if self.uidplus else EXCHANGE_LIKE_NO_UIDPLUS

    def stop(self) -> None:
        """Stop Dovecot and remove its temp dir (kept when $MAILWISE_KEEP_DOVECOT is set).

        A graceful ``doveadm stop`` takes Dovecot ~2.5 s; this throwaway server
        gets SIGTERM and, after a short grace, SIGKILL for its whole process
        group (the daemon is a session leader: its children share its group).
        """
        self._kill()
        if not os.environ.get(KEEP_ENV):
            shutil.rmtree(self.dir, ignore_errors=True)

    def restart(self, *, exchange_like: bool) -> None:
        """Stop and start again on the same ports and mail, with other abilities.

        As when a provider changes its server: the mail, UIDs and keywords
        stay, the capability list (and whether keywords are kept) changes.
        """
        self._kill()
        # A killed master can linger as a zombie where nothing reaps it: Dovecot
        # would take its pid file for a running instance.
        for stale in self.dir.glob("**/master.pid"):
            stale.unlink(missing_ok=True)
        self.exchange_like = exchange_like
        self._keep_ports = True
        try:
            self.start()
        finally:
            self._keep_ports = False

    def _kill(self) -> None:
        pid = self._master_pid()
        if pid is not None and _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 0.5
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.02)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.02)

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ users

    def add_user(
        self, name: str | None = None, password: str | None = None, *, extra_fields: str = ""
    ) -> TestUser:
        """Add a mailbox user; Dovecot sees it at the next login, no restart.

        Args:
            name: login name; a unique ``userN-xxxx`` by default.
            password: a random one by default.
            extra_fields: passdb extra fields, e.g. ``nologin reason=…`` (a
                right password answered with a provider's refusal text).
        """
        if name is None:
            name = f"user{next(self._counter)}-{secrets.token_hex(3)}"
        if name in self._users or not re.fullmatch(r"[A-Za-z0-9._@+-]+", name):
            raise ValueError(f"user name taken or not usable in a passwd-file: {name!r}")
        password = password if password is not None else secrets.token_urlsafe(12)
        if ":" in password or "\n" in password:
            raise ValueError("a passwd-file password cannot contain ':' or a newline")
        line = f"{name}:{{PLAIN}}{password}::::::{extra_fields}\n"
        # Written whole, then renamed: Dovecot never reads a half-written file.
        tmp = self.passwd_dir / f".{name}.tmp"
        tmp.write_text(line, encoding="utf-8")
        tmp.replace(self.passwd_dir / name)
        with self.passwd_file.open("a", encoding="utf-8") as fh:
            fh.write(line)  # all users in one place, for a human reading the dir
        user = TestUser(name, password)
        self._users[name] = user
        return user

    def password(self, user: str | TestUser) -> str:
        """The password of a user added with :meth:`add_user`."""
        return self._users[_name(user)].password

    # ------------------------------------------------------------------ doveadm

    def doveadm(self, *args: str, user: str | TestUser | None = None) -> str:
        """Run ``doveadm -c CONF CMD [-u USER] ARGS…`` and return its stdout.

        ``args[0]`` is the command (it may be two words, e.g. ``"mailbox", "create"``
        passed as separate items); ``-u USER`` is inserted after the command words.

        Raises:
            DovecotError: doveadm exited non-zero.
        """
        argv = [self._doveadm or "doveadm", "-c", str(self.conf)]
        words = list(args)
        if user is not None:
            # -u belongs after the command words (those before the first option).
            split = _command_word_count(words)
            words = [*words[:split], "-u", _name(user), *words[split:]]
        proc = subprocess.run(
            [*argv, *words],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if proc.returncode != 0:
            raise DovecotError(f"doveadm {' '.join(words)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def create_folder(self, user: str | TestUser, folder: str) -> None:
        """Create a mailbox (and subscribe to it); no error when it exists."""
        with contextlib.suppress(DovecotError):
            self.doveadm("mailbox", "create", "-s", folder, user=user)
        if folder not in self.list_folders(user):
            raise DovecotError(f"could not create folder {folder!r} for {_name(user)}")

    def list_folders(self, user: str | TestUser) -> list[str]:
        """Names of the user's mailboxes as doveadm lists them."""
        return self.doveadm("mailbox", "list", user=user).splitlines()

    def flags_add(
        self, user: str | TestUser, flags: Sequence[str] | str, uid: int, folder: str = "INBOX"
    ) -> None:
        """Add system flags / keywords to one message, as another client would."""
        self.doveadm("flags", "add", _flag_arg(flags), *_search(folder, uid), user=user)

    def flags_remove(
        self, user: str | TestUser, flags: Sequence[str] | str, uid: int, folder: str = "INBOX"
    ) -> None:
        """Remove system flags / keywords from one message."""
        self.doveadm("flags", "remove", _flag_arg(flags), *_search(folder, uid), user=user)

    def expunge(self, user: str | TestUser, uid: int, folder: str = "INBOX") -> None:
        """Expunge one message, as another client would."""
        self.doveadm("expunge", *_search(folder, uid), user=user)

    def uidvalidity(self, user: str | TestUser, folder: str = "INBOX") -> int:
        """The mailbox's current UIDVALIDITY as doveadm reports it."""
        out = self.doveadm("mailbox", "status", "uidvalidity", folder, user=user)
        return int(out.strip().split("=", 1)[1])

    def change_uidvalidity(
        self, user: str | TestUser, folder: str = "INBOX", new: int | None = None
    ) -> int:
        """Give the mailbox a new UIDVALIDITY (UIDs reset for every client).

        Dovecot 2.3 applies ``doveadm mailbox update --uid-validity`` to Maildir
        too (dovecot-uidlist is rewritten); the harness self-test proves it.

        Returns:
            The new UIDVALIDITY.
        """
        old = self.uidvalidity(user, folder)
        value = new if new is not None else old + 1
        self.doveadm("mailbox", "update", "--uid-validity", str(value), folder, user=user)
        return value

    # ------------------------------------------------------------------ messages

    def maildir(self, user: str | TestUser, folder: str = "INBOX") -> Path:
        """The Maildir++ directory of ``folder`` (INBOX is the user's root)."""
        root = self.mail_root / _name(user)
        if folder.upper() == "INBOX":
            return root
        # Maildir++: ".Folder", hierarchy with ".", names in modified UTF-7.
        return root / ("." + imap_utf7.encode(folder).decode("ascii").replace("/", "."))

    def connect(self, user: str | TestUser, *, implicit_tls: bool = True) -> IMAPClient:
        """A logged-in imapclient connection trusting the test CA (for harness use)."""
        import ssl

        ctx = ssl.create_default_context(cafile=str(self.ca_file))
        if implicit_tls:
            client = IMAPClient(self.host, self.imaps_port, ssl=True, ssl_context=ctx, timeout=30)
        else:
            client = IMAPClient(self.host, self.imap_port, ssl=False, timeout=30)
            client.starttls(ctx)
        client.login(_name(user), self.password(user))
        return client

    def append(
        self,
        user: str | TestUser,
        raw: bytes,
        folder: str = "INBOX",
        flags: Sequence[str] = (),
    ) -> int:
        """APPEND one message over IMAP and return its UID (from APPENDUID)."""
        client = self.connect(user)
        try:
            response = client.append(folder, raw, flags=tuple(flags))
        finally:
            client.logout()
        match = re.search(rb"APPENDUID \d+ (\d+)", response)
        if not match:
            raise DovecotError(f"no APPENDUID in {response!r}")
        return int(match.group(1))

    def seed_maildir(
        self,
        user: str | TestUser,
        messages: Iterable[bytes],
        folder: str = "INBOX",
        *,
        seen: bool = False,
    ) -> int:
        """Write messages straight into the Maildir: fast bulk seeding (50k in seconds).

        Files go into ``cur/`` with a ``:2,`` info suffix (``S`` when ``seen``);
        the leading timestamp increases with each file, so Dovecot assigns UIDs
        in the order of ``messages`` at its next sync. Files are owned by the
        mail user, mode 0600, as Dovecot itself writes them.

        Returns:
            The number of messages written.
        """
        if folder.upper() != "INBOX":
            self.create_folder(user, folder)
        box = self.maildir(user, folder)
        root = self.mail_root / _name(user)
        for path in (root, box, box / "cur", box / "new", box / "tmp"):
            path.mkdir(exist_ok=True)
            os.chown(path, self._mail_uid, self._mail_gid)
            os.chmod(path, 0o700)
        cur = box / "cur"
        info = ":2,S" if seen else ":2,"
        base = int(time.time()) - 10_000_000  # older than anything delivered live
        pid = os.getpid()
        uid, gid = self._mail_uid, self._mail_gid
        count = 0
        for count, raw in enumerate(messages, start=1):
            # Dovecot's name format: <secs>.M<usecs>P<pid>Q<n>.<host>,S=<size>:2,<flags>
            # S= lets Dovecot skip a stat for the size.
            name = f"{base + count}.M{count}P{pid}Q{count}.mailwise,S={len(raw)}{info}"
            fd = os.open(cur / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, raw)
                os.fchown(fd, uid, gid)
            finally:
                os.close(fd)
        return count

    def messages_count(self, user: str | TestUser, folder: str = "INBOX") -> int:
        """Number of messages in a mailbox, as Dovecot sees it now."""
        out = self.doveadm("mailbox", "status", "messages", folder, user=user)
        return int(out.strip().split("=", 1)[1])

    # ------------------------------------------------------------------ internals

    def _make_traversable(self, path: Path) -> None:
        os.chmod(path, 0o755)
        for parent in path.resolve().parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                os.chmod(parent, mode | 0o001)

    def _master_pid(self) -> int | None:
        try:
            return int((self.dir / "run" / "master.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log(self) -> str:
        """Dovecot's log so far (for assertion messages)."""
        return self._log_tail(10_000)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # The daemon's parent is PID 1, which may reap it only much later.
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _name(user: str | TestUser) -> str:
    return user.name if isinstance(user, TestUser) else user


def _flag_arg(flags: Sequence[str] | str) -> str:
    return flags if isinstance(flags, str) else " ".join(flags)


def _search(folder: str, uid: int) -> list[str]:
    return ["mailbox", folder, "uid", str(uid)]


def _command_word_count(words: list[str]) -> int:
    """How many leading items of a doveadm argv are command words."""
    known_two_word = {"mailbox", "flags", "acl", "quota", "fts", "director", "dict", "log"}
    if words and words[0] in known_two_word and len(words) > 1:
        return 2
    return 1 if words else 0
