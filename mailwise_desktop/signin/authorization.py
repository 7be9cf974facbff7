"""The authorization-code flow with PKCE in the system browser (RFC 6749, 7636, 8252).

A one-shot HTTP listener on ``127.0.0.1`` at a random port receives the
browser's redirect. The ``state`` value ties the answer to this sign-in: a
redirect with another state is refused (an error page) and the listener goes
on waiting, so a stray or forged request can neither finish nor break it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import secrets
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from mailwise_desktop.core.accounts import OAuthClient
from mailwise_desktop.core.errors import CancelledError, MailwiseError
from mailwise_desktop.signin.providers import authorize_params
from mailwise_desktop.signin.token_endpoint import (
    TokenSet,
    check_endpoint_url,
    exchange_code,
    refused,
)

log = logging.getLogger(__name__)

DONE_PAGE = (
    "<!doctype html><meta charset='utf-8'><title>Mailwise</title>"
    "<p>サインインが完了しました。このタブを閉じて Mailwise に戻ってください。</p>"
    "<p>You are signed in. Close this tab and return to Mailwise.</p>"
)


@dataclass(frozen=True)
class Pkce:
    """A PKCE pair (RFC 7636): the secret verifier and its S256 challenge."""

    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(64)  # 86 characters, inside 43..128
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


def authorize_url(client: OAuthClient, *, redirect_uri: str, state: str, pkce: Pkce) -> str:
    """The address the browser opens."""
    params: list[tuple[str, str]] = [
        ("response_type", "code"),
        ("client_id", client.client_id),
        ("redirect_uri", redirect_uri),
        ("scope", " ".join(client.scopes)),
        ("state", state),
        ("code_challenge", pkce.challenge),
        ("code_challenge_method", "S256"),
    ]
    if client.login_hint:
        params.append(("login_hint", client.login_hint))
    params.extend(authorize_params(client))
    separator = "&" if "?" in client.authorize_url else "?"
    return client.authorize_url + separator + urllib.parse.urlencode(params)


class LoopbackRedirect:
    """The listener for the browser's redirect, on 127.0.0.1 at a free port.

    Use as a context manager; :meth:`wait` returns the code of the redirect
    whose ``state`` matches.
    """

    def __init__(self, state: str) -> None:
        self.state = state
        self._done = threading.Event()
        self._answer: dict[str, str] | None = None
        self._server = HTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="oauth-redirect", daemon=True
        )

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def cancel(self) -> None:
        """Stop waiting (the user closed the dialog)."""
        self._done.set()

    def wait(self, timeout: float) -> dict[str, str]:
        """The matching redirect's query (``code``, or ``error``).

        Raises:
            CancelledError: :meth:`cancel` was called or ``timeout`` passed.
        """
        if not self._done.wait(timeout) or self._answer is None:
            raise CancelledError(
                "The sign-in was not finished in the browser in time. Start it again."
                if not self._done.is_set()
                else "The sign-in was cancelled."
            )
        return self._answer

    def _receive(self, query: dict[str, str]) -> tuple[int, str]:
        """Called by the HTTP thread: the status and page for the browser."""
        if self._done.is_set():
            return 410, "<p>This sign-in is finished.</p>"
        if not secrets.compare_digest(query.get("state", ""), self.state):
            log.warning("OAuth2: a redirect with a wrong state was refused")
            return 400, "<p>This answer does not belong to the sign-in Mailwise started.</p>"
        self._answer = query
        self._done.set()
        if "error" in query:
            text = html.escape(query.get("error_description") or query["error"])
            return 200, f"<meta charset='utf-8'><p>Mailwise: sign-in failed: {text}</p>"
        return 200, DONE_PAGE


def _handler_for(owner: LoopbackRedirect) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path != "/":
                self.send_error(404)
                return
            query = dict(urllib.parse.parse_qsl(parts.query))
            status, page = owner._receive(query)
            body = page.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the query holds the authorization code: never logged

    return Handler


def sign_in(
    client: OAuthClient,
    open_browser: Callable[[str], object],
    *,
    timeout: float = 300,
    started: Callable[[LoopbackRedirect], None] | None = None,
) -> TokenSet:
    """Sign in with the system browser and return the tokens.

    Args:
        client: the app's registration with the provider.
        open_browser: opens the address (``webbrowser.open``; a test's HTTP client).
        timeout: seconds the person has for signing in.
        started: receives the listener, so a window can cancel the wait.

    Raises:
        CancelledError: not finished in time, or cancelled.
        AdminApprovalError: the organisation's administrator must approve the app.
        AuthError: the provider refused the sign-in.
    """
    check_endpoint_url(client.authorize_url)
    pkce = Pkce.new()
    state = secrets.token_urlsafe(24)
    with LoopbackRedirect(state) as loopback:
        if started is not None:
            started(loopback)
        url = authorize_url(client, redirect_uri=loopback.redirect_uri, state=state, pkce=pkce)
        log.info("OAuth2: opening the browser for %s", urllib.parse.urlsplit(url).hostname)
        open_browser(url)
        answer = loopback.wait(timeout)
    if "error" in answer:
        host = urllib.parse.urlsplit(client.authorize_url).hostname or ""
        error: MailwiseError = refused(answer, host)
        raise error
    code = answer.get("code", "")
    if not code:
        raise CancelledError("The browser came back without a sign-in; start it again.")
    return exchange_code(
        client, code, redirect_uri=loopback.redirect_uri, code_verifier=pkce.verifier
    )
