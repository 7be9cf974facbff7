"""The engine's connection state, as the status bar and `mailwise watch` show it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LinkState(StrEnum):
    """Where the connection stands. Offline is a state, not an error."""

    CONNECTING = "connecting"
    ONLINE = "online"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    ERROR = "error"  # needs the user (wrong password, untrusted certificate)


class StatusCase(StrEnum):
    """What a status says, for each front end to put into its own words.

    ``EngineStatus.message`` is the plain English fallback (``mailwise watch``
    prints it); the window words the case and its data (ui/connection_status.py).
    """

    NONE = "none"  # nothing beyond the state
    ERROR = "error"  # ``error`` holds the exception; its kind decides the words
    RESTARTING = "restarting"  # an unexpected problem; data: seconds (until the restart)
    TEAM_PROBLEM = "team_problem"  # a team-mailbox check failed; data: problems (the errors)


@dataclass(frozen=True)
class EngineStatus:
    """A snapshot of the engine's connection.

    Attributes:
        message: plain words for the user ("The mail server closed the connection.").
        detail: the server's reply or exception text, shown on demand.
        last_sync: epoch seconds of the last completed sync.
        sync_done: during a first sync, messages stored so far (else None).
        sync_total: during a first sync, messages on the server (else None).
        sign_in_again: the OAuth2 sign-in lapsed or was withdrawn; only the
            person can renew it (in the browser).
        team_log_folders: folders where the team log decides who handles what
            (Mode B: the server keeps no labels for it), for the status line.
        case: what ``message`` says, for words of each front end's own.
        error: for :attr:`StatusCase.ERROR`, the exception (its kind is the case).
        seconds: for :attr:`StatusCase.RESTARTING`, the wait before the restart.
        problems: for :attr:`StatusCase.TEAM_PROBLEM`, the errors ``message`` says
            (e.g. :attr:`ErrorCase.TEAM_OFF` with the mailbox and reason codes).
    """

    state: LinkState
    message: str = ""
    detail: str | None = None
    last_sync: float | None = None
    sync_done: int | None = None
    sync_total: int | None = None
    sign_in_again: bool = False
    team_log_folders: tuple[str, ...] = ()
    case: StatusCase = StatusCase.NONE
    error: BaseException | None = None
    seconds: float | None = None
    problems: tuple[BaseException, ...] = ()
