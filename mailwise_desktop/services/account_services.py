"""Every per-account service and cache, built once per account.

The window (one per open account) and every CLI command get an
:class:`AccountServices` and ask it for what they need; no front end or
service builds a second :class:`TeamLog` (the roster memo, the retry queue)
or a second :class:`CoordinationService` (the mailbox modes) for the account.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar, cast

from mailwise_desktop.core.accounts import Account
from mailwise_desktop.core.changes import Changes
from mailwise_desktop.services.context import AppContext

# Every service is imported when it is first made: the window builds this object
# before its first paint, and the services pull in SQLAlchemy and the IMAP engine.
if TYPE_CHECKING:
    from mailwise_desktop.imap.engine import EngineContext
    from mailwise_desktop.services.address_book import AddressBookService
    from mailwise_desktop.services.contact_history import ContactHistory
    from mailwise_desktop.services.contacts import ContactService
    from mailwise_desktop.services.conversations import ConversationService
    from mailwise_desktop.services.coordination import CoordinationService
    from mailwise_desktop.services.follow_ups import FollowUpService
    from mailwise_desktop.services.repairs import RepairService
    from mailwise_desktop.services.reports import ReportService
    from mailwise_desktop.services.sending import Runner, SendingService
    from mailwise_desktop.services.team import TeamService
    from mailwise_desktop.services.team_log import TeamLog

S = TypeVar("S")


class AccountServices:
    """One account's services, sharing one team log and one coordination service.

    Built once per account by the front end: the main window builds one per
    account when the accounts are loaded (and keeps it while the account
    stays), a CLI command builds one for the account it works on. Services
    are made on first use (a ``mailwise list`` never opens the outbox).

    Threads and who owns what:

    - **UI thread**: builds this object and reads through it (roster, notes,
      history, the cache). It never runs an IMAP command.
    - **Engine thread** (one per account): runs the jobs these services hand
      out (``coordination.operation_job``, ``live_team_job``, ...) with its
      own connection; it writes the cache and the team log through them.
    - **Send queue** (one worker per window): ``sending`` builds and submits
      mail there; its IMAP steps are engine jobs it waits for on that worker.
    - **Shared**: ``log`` (roster memo guarded by its own lock; the databases
      by their short transactions) and ``coordination.modes`` (written only by
      the engine thread, read by others). Making a service (the team log and
      the coordination service included: they too are made on first use) is
      guarded by a lock so two threads asking at once still get the same one.

    Args:
        ctx: the profile's context (settings, keychain, databases).
        account: the shared mailbox.
        runner: how ``sending`` runs its IMAP steps (default: one session per
            call, the CLI's way; the window passes a runner that waits for the
            account's engine).
    """

    def __init__(
        self, ctx: AppContext, account: Account, runner: Runner[object] | None = None
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.runner = runner
        self._made: dict[str, object] = {}
        self._lock = threading.RLock()  # a service may need another one made first

    def _once(self, name: str, make: Callable[[], S]) -> S:
        with self._lock:
            if name not in self._made:
                self._made[name] = make()
            return cast(S, self._made[name])

    @property
    def log(self) -> TeamLog:
        """The account's one team log (roster memo, retry queue)."""
        from mailwise_desktop.services.team_log import TeamLog

        return self._once("log", lambda: TeamLog(self.ctx, self.account))

    @property
    def coordination(self) -> CoordinationService:
        """Claims, notes, history and the mailbox modes, on :attr:`log`."""
        from mailwise_desktop.services.coordination import CoordinationService

        return self._once(
            "coordination", lambda: CoordinationService(self.ctx, self.account, log=self.log)
        )

    @property
    def team(self) -> TeamService:
        """Roster changes and identity."""
        from mailwise_desktop.services.team import TeamService

        return self._once("team", lambda: TeamService(self.ctx, self.account, log=self.log))

    @property
    def repairs(self) -> RepairService:
        from mailwise_desktop.services.repairs import RepairService

        return self._once(
            "repairs", lambda: RepairService(self.ctx, self.account, self.coordination)
        )

    @property
    def follow_ups(self) -> FollowUpService:
        from mailwise_desktop.services.follow_ups import FollowUpService

        return self._once(
            "follow_ups", lambda: FollowUpService(self.ctx, self.account, self.coordination)
        )

    @property
    def conversations(self) -> ConversationService:
        from mailwise_desktop.services.conversations import ConversationService

        return self._once(
            "conversations", lambda: ConversationService(self.ctx, self.account, log=self.log)
        )

    @property
    def contacts(self) -> ContactService:
        from mailwise_desktop.services.contacts import ContactService

        return self._once("contacts", lambda: ContactService(self.ctx, self.account, log=self.log))

    @property
    def address_book(self) -> AddressBookService:
        """The team's contact cards."""
        from mailwise_desktop.services.address_book import AddressBookService

        return self._once(
            "address_book", lambda: AddressBookService(self.ctx, self.account, self.coordination)
        )

    @property
    def contact_history(self) -> ContactHistory:
        """Contact pages, sender cards and address completion."""
        from mailwise_desktop.services.contact_history import ContactHistory

        return self._once(
            "contact_history",
            lambda: ContactHistory(
                self.ctx, self.account, book=self.address_book, derived=self.contacts
            ),
        )

    @property
    def reports(self) -> ReportService:
        from mailwise_desktop.services.reports import ReportService

        return self._once("reports", lambda: ReportService(self.ctx, self.account))

    @property
    def sending(self) -> SendingService:
        """Replies, the outbox, templates and approvals."""
        from mailwise_desktop.services.sending import SendingService

        return self._once(
            "sending",
            lambda: SendingService(
                self.ctx,
                self.account,
                runner=self.runner,
                coordination=self.coordination,
                contact_history=self.contact_history,
            ),
        )

    def live_team_job(self) -> Callable[[EngineContext], Changes]:
        """The engine's periodic job: team records, capability checks, repairs, follow-ups."""
        from mailwise_desktop.services.repairs import live_team_job

        return live_team_job(self.coordination, self.repairs, self.follow_ups)


class CoordinationsByAccount(Mapping[str, "CoordinationService"]):
    """Each account's coordination service by account id, made when first asked for.

    Args:
        services: the accounts' services (read at each lookup, not copied).
    """

    def __init__(self, services: Mapping[str, AccountServices]) -> None:
        self._services = services

    def __getitem__(self, account_id: str) -> CoordinationService:
        return self._services[account_id].coordination

    def __iter__(self) -> Iterator[str]:
        return iter(self._services)

    def __len__(self) -> int:
        return len(self._services)
