"""The per-account engine thread: owns the IMAP connections, syncs, and IDLEs.

A connection has one reader (its :class:`~.wire.Wire`), so exactly one
thread touches it. Work from other threads (a claim from the UI) arrives as a callable in
a queue and runs here between pushes; results go back through a Future.
What changed leaves as immutable :class:`Changes` through ``on_changes``.

Two connections: ``cmd`` does every command; ``idle`` only sits in IDLE on
INBOX, so pushes from teammates arrive while ``cmd`` is busy and a queued
job never has to wait for IDLE to end. A third reads the team mailbox once
INBOX is big, so ``cmd`` keeps INBOX selected (imap/team_reader.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import TypeVar

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes, MailboxChanges
from mailwise_desktop.core.credentials import Secret
from mailwise_desktop.core.errors import (
    AuthError,
    CertificateError,
    ConnectionLostError,
    MailwiseError,
    NotFoundError,
    ProtocolError,
    SignInAgainError,
    UnreachableError,
)
from mailwise_desktop.imap.body_fetch import bodies_to_fetch, fetch_bodies
from mailwise_desktop.imap.engine_context import EngineContext
from mailwise_desktop.imap.engine_jobs import (
    DEFAULT_DEADLINE,
    Job,
    JobQueue,
    ResumeAfterReconnectError,
)
from mailwise_desktop.imap.engine_status import EngineStatus, LinkState, StatusCase
from mailwise_desktop.imap.folders import (
    list_folders,
    record_folders,
    visible_folders,
    without_all_mail,
)
from mailwise_desktop.imap.mailbox_sync import MailboxSync
from mailwise_desktop.imap.session import ImapSession, open_session
from mailwise_desktop.imap.team_reader import TeamReader
from mailwise_desktop.store.database import CacheDatabase

log = logging.getLogger(__name__)

T = TypeVar("T")
__all__ = ["AccountEngine", "EngineContext", "Job", "ResumeAfterReconnectError"]

INBOX = "INBOX"
BODY_BATCH = 20  # small, so a queued claim waits at most one short fetch
NOOP_INTERVAL = 240.0
FOLDER_RESYNC_INTERVAL = 300.0
MAX_BACKOFF = 60.0


class AccountEngine:
    """Keeps one account's cache live.

    Args:
        account: the account settings.
        password: its IMAP password or OAuth2 token source (from the keychain).
        db: the cache database.
        on_changes: called on the engine thread with every non-empty Changes the engine
            finds itself (sync, IDLE, the team job); a submitted job's result goes to
            its future only.
        on_status: called on the engine thread when the connection state changes.
        body_size_cap: bodies up to this size are downloaded in the background.
        idle_reissue: seconds before IDLE is re-issued (servers drop it after 30 min).
        on_command: protocol hook for tests (each command line sent).
        team_job: run after the first sync, after each push and every
            ``team_interval`` seconds: reads the team mailbox (a STATUS when
            nothing is new) and repairs what needs it; its Changes are emitted.
        team_interval: seconds between two team_job runs without a push.
        job_deadline: seconds a job may wait for the connection before it is
            failed in plain words (a claim must not fire a minute after the click).
    """

    def __init__(
        self,
        account: Account,
        password: Secret,
        db: CacheDatabase,
        *,
        on_changes: Callable[[Changes], None],
        on_status: Callable[[EngineStatus], None] = lambda s: None,
        body_size_cap: int = 2_000_000,
        idle_reissue: float = 540.0,
        on_command: Callable[[bytes], None] | None = None,
        team_job: Job | None = None,
        team_interval: float = 2.0,
        job_deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self.account = account
        self._password = password
        self.db = db
        self.on_changes = on_changes
        self.on_status = on_status
        self.body_size_cap = body_size_cap
        self.idle_reissue = idle_reissue
        self.on_command = on_command
        self.team_job = team_job
        self.team_interval = team_interval
        self._team_problem: str | None = None
        self._team_log_folders: tuple[str, ...] = ()
        self._jobs = JobQueue(job_deadline)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"engine-{account.id}", daemon=True)
        self.status = EngineStatus(LinkState.CONNECTING)
        self._cmd: ImapSession | None = None
        self._idle: ImapSession | None = None
        self._reader: TeamReader | None = None
        self._syncs: dict[str, MailboxSync] = {}
        self._body_queue: list[tuple[int, int, int]] = []
        self.initial_sync_done = threading.Event()
        #: How often the supervisor restarted the loop after an unexpected exception.
        self.restarts = 0

    # -- public, any thread ----------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish, close its connections, and wait for it."""
        self._stop.set()
        self._wake()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def submit(
        self, job: Callable[[EngineContext], T], *, deadline: float | None = None
    ) -> Future[T]:
        """Run ``job`` on the engine thread when connected; its result arrives in the Future.

        Args:
            deadline: seconds it may wait for the connection (default: the
                engine's ``job_deadline``); after that the Future fails with a
                :class:`ConnectionLostError` in plain words.
        """
        future: Future[T] = Future()
        self._jobs.put(job, future, deadline)
        return future

    def request_sync(self) -> Future[Changes]:
        return self.submit(self._sync_all)

    def _wake(self) -> None:
        self._jobs.wake()

    # -- engine thread ---------------------------------------------------

    def _set_status(
        self,
        state: LinkState,
        message: str = "",
        detail: str | None = None,
        *,
        sign_in_again: bool = False,
        error: BaseException | None = None,
        case: StatusCase | None = None,
        seconds: float | None = None,
        problems: tuple[BaseException, ...] = (),
    ) -> None:
        last_sync = self.status.last_sync
        if state is LinkState.ONLINE:
            last_sync = time.time()
        if case is None:
            case = StatusCase.ERROR if error is not None else StatusCase.NONE
        self.status = EngineStatus(
            state,
            message,
            detail,
            last_sync,
            sign_in_again=sign_in_again,
            team_log_folders=self._team_log_folders,
            case=case,
            error=error,
            seconds=seconds,
            problems=problems,
        )
        try:
            self.on_status(self.status)
        except Exception:  # a broken listener must not kill the engine
            log.exception("status listener failed")

    def _report_progress(self, done: int, total: int) -> None:
        """A first sync's progress, as a status (the window's progress bar)."""
        if done >= total:
            return  # the pass's own ONLINE status follows and clears the bar
        self.status = replace(self.status, sync_done=done, sync_total=total)
        try:
            self.on_status(self.status)
        except Exception:  # a broken listener must not kill the engine
            log.exception("status listener failed")

    def _emit(self, changes: Changes) -> None:
        if changes.empty:
            return
        try:
            self.on_changes(changes)
        except Exception:
            log.exception("changes listener failed")

    def _run(self) -> None:
        """Supervise the connection loop; an unexpected exception restarts it with backoff."""
        crash_backoff = 1.0
        try:
            while not self._stop.is_set():
                try:
                    self._run_connected()
                except Exception as exc:  # a bug or outside input: never a dead engine
                    log.exception("engine %s stopped unexpectedly", self.account.id)
                    self.restarts += 1
                    self._set_status(
                        LinkState.RECONNECTING,
                        "Mailwise hit an unexpected problem and restarts the connection "
                        f"in {crash_backoff:.0f} s.",
                        f"{type(exc).__name__}: {exc}",
                        case=StatusCase.RESTARTING,
                        seconds=crash_backoff,
                    )
                    self._disconnect()
                    self._wait(crash_backoff)
                    crash_backoff = min(crash_backoff * 2, MAX_BACKOFF)
                else:
                    return
        finally:
            self._set_status(LinkState.OFFLINE)
            self._fail_jobs(ConnectionLostError("Mailwise is shutting down."))
            self._jobs.close()

    def _run_connected(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                self._connect()
                backoff = 1.0
                self._loop()
            except (AuthError, CertificateError) as exc:
                # Retrying cannot help: the user must fix the settings (or sign in again).
                lapsed = isinstance(exc, SignInAgainError)
                self._set_status(
                    LinkState.ERROR, exc.message, exc.detail, sign_in_again=lapsed, error=exc
                )
                self._fail_jobs(exc)
                self._wait(MAX_BACKOFF * 5)
            except (ConnectionLostError, UnreachableError, OSError) as exc:
                message = getattr(exc, "message", str(exc))
                self._set_status(
                    LinkState.RECONNECTING, message, getattr(exc, "detail", None), error=exc
                )
                self._wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            except MailwiseError as exc:
                self._set_status(LinkState.RECONNECTING, exc.message, exc.detail, error=exc)
                self._fail_jobs(exc)
                self._wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            finally:
                self._disconnect()

    def _wait(self, seconds: float) -> None:
        """Wait offline; queued jobs whose deadline passes meanwhile are failed."""
        until = time.monotonic() + seconds
        while not self._stop.is_set():
            self._jobs.expire()
            now = time.monotonic()
            if now >= until:
                return
            nxt = self._jobs.next_deadline()
            step = until - now if nxt is None else max(0.01, min(until, nxt) - now)
            self._stop.wait(min(step, 1.0))

    def _fail_jobs(self, exc: Exception) -> None:
        self._jobs.fail_all(exc)

    def _connect(self) -> None:
        self._set_status(LinkState.CONNECTING)
        self._cmd, self._idle = self._open(), self._open()
        self._reader = TeamReader(self._open)  # opened only when INBOX is big
        self._syncs = {}

    def _open(self) -> ImapSession:
        return open_session(self.account.imap, self._password, on_command=self.on_command)

    def _disconnect(self) -> None:
        if self._reader is not None:
            self._reader.close()
        for session in (self._cmd, self._idle):
            if session is not None:
                session.close()
        self._cmd = self._idle = self._reader = None

    def _context(self) -> EngineContext:
        assert self._cmd is not None
        return EngineContext(
            self._cmd, self.db, self.account, self._syncs, team_reader=self._reader
        )

    def _sync_all(self, ctx: EngineContext) -> Changes:
        folders = visible_folders(list_folders(ctx.session.client), self.account.team_mailbox)
        record_folders(self.db, self.account.id, folders)
        batches: list[MailboxChanges] = []
        listed: set[int] = set()  # ids already sent slice by slice (a first sync)

        def on_slice(changes: MailboxChanges) -> None:
            listed.update(changes.added)
            self._emit(Changes((changes,)))  # the newest are listed before the rest arrive

        for name in without_all_mail(self.account.folders, folders):
            try:
                done = ctx.mailbox(name).sync(progress=self._report_progress, on_slice=on_slice)
            except NotFoundError as exc:
                self._set_status(LinkState.ONLINE, exc.message, error=exc)
                continue
            batches.append(replace(done, added=done.added - listed) if listed else done)
        # INBOX stays selected for jobs (claims) and background bodies.
        if INBOX in self.account.folders:
            ctx.mailbox(INBOX).ensure_selected()
        changes = Changes(tuple(batches))
        self._emit(changes)
        self._body_queue = []
        for name in self.account.folders:
            sync = ctx.syncs.get(name)
            if name == INBOX and sync is not None:
                self._body_queue = bodies_to_fetch(self.db, sync.mailbox_id, self.body_size_cap)
        return changes

    def _loop(self) -> None:
        ctx = self._context()
        self._set_status(LinkState.ONLINE)  # connected: reading the cache is current again
        self._sync_all(ctx)
        self._set_status(LinkState.ONLINE)  # refreshes last_sync
        self._run_team_job(ctx)
        self.initial_sync_done.set()
        next_team = time.monotonic() + self._team_interval(ctx)
        assert self._idle is not None
        idle_wire = self._idle.wire
        if not idle_wire.select(INBOX, readonly=True).ok:
            raise ProtocolError("The mail server would not open INBOX for watching.")
        idle_wire.idle_start()
        # Mail that arrived after the INBOX sync above but before this EXAMINE is
        # in the EXAMINE's snapshot, so IDLE never pushes it (it waited for the
        # next folder resync, minutes later): the first pass syncs INBOX as if pushed.
        catch_up = True
        reissue_at = time.monotonic() + self.idle_reissue
        last_noop = last_folders = time.monotonic()
        while not self._stop.is_set():
            busy = bool(self._body_queue) and self._jobs.empty()
            wait = min(1.0, max(0.05, next_team - time.monotonic()))
            responses, woken = idle_wire.idle_wait(0.0 if busy else wait, self._jobs.wake_socket)
            pushed, catch_up = bool(responses) or catch_up, False
            if woken:
                self._drain_wake()
            self._jobs.run(ctx, self._stop)
            if pushed:
                inbox = ctx.mailbox(INBOX)
                changes = inbox.sync(reselect=False)  # INBOX stays selected on cmd
                self._set_status(LinkState.ONLINE)
                self._emit(Changes((changes,)))
                if changes.added:
                    # New mail becomes readable offline too, newest first.
                    self._body_queue = [
                        t
                        for t in bodies_to_fetch(self.db, inbox.mailbox_id, self.body_size_cap)
                        if t[0] in changes.added
                    ] + self._body_queue
            now = time.monotonic()
            if pushed or now >= next_team:
                self._run_team_job(ctx)
                next_team = time.monotonic() + self._team_interval(ctx)
            if now >= reissue_at:
                idle_wire.idle_done()
                idle_wire.idle_start()
                reissue_at = now + self.idle_reissue
            if now - last_folders >= FOLDER_RESYNC_INTERVAL:
                self._sync_all(ctx)
                last_folders = last_noop = now
            elif now - last_noop >= NOOP_INTERVAL:
                ctx.session.wire.checked(b"NOOP")
                last_noop = now
            if busy:
                self._fetch_some_bodies(ctx)
        idle_wire.idle_done()

    def _team_interval(self, ctx: EngineContext) -> float:
        return min(self.team_interval, ctx.team_poll) if ctx.team_poll else self.team_interval

    def _drain_wake(self) -> None:
        self._jobs.drain_wake()

    def _run_team_job(self, ctx: EngineContext) -> None:
        """The team mailbox and repairs; a failure other than a lost line only shows in the status."""
        if self.team_job is None:
            return
        try:
            result = self.team_job(ctx)
        except (ConnectionLostError, OSError):
            raise
        except MailwiseError as exc:
            if exc.message != self._team_problem:
                self._team_problem = exc.message
                self._set_status(LinkState.ONLINE, exc.message, exc.detail, error=exc)
            return
        problem = result.status if isinstance(result, Changes) else None
        problems = result.problems if isinstance(result, Changes) else ()
        if problem != self._team_problem or ctx.team_log_folders != self._team_log_folders:
            # E.g. "Team handling is off for INBOX: …" (a capability check failed),
            # or a folder moved to the team log (Mode B): the status line says so.
            self._team_problem = problem
            self._team_log_folders = ctx.team_log_folders
            self._set_status(
                LinkState.ONLINE, problem or "", case=StatusCase.TEAM_PROBLEM, problems=problems
            )
        if isinstance(result, Changes):
            self._emit(Changes(result.mailboxes, result.team_records))

    def _fetch_some_bodies(self, ctx: EngineContext) -> None:
        batch, self._body_queue = self._body_queue[:BODY_BATCH], self._body_queue[BODY_BATCH:]
        inbox = ctx.mailbox(INBOX)
        inbox.ensure_selected()
        stored = fetch_bodies(ctx.session.wire, self.db, inbox.mailbox_id, batch)
        if stored:
            self._emit(
                Changes((MailboxChanges(self.account.id, INBOX, changed=frozenset(stored)),))
            )
