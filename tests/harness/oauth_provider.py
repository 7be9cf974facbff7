"""A small OAuth2 authorization server on loopback, for the sign-in tests.

Endpoints, as a real identity provider has them:

- ``GET /authorize``: the authorization endpoint (RFC 6749 §4.1.1). There is
  no login page: the person "signs in" as the ``login_hint`` (or
  :attr:`OAuthProvider.default_user`) and is redirected straight back with a
  one-time code. PKCE S256 is required (RFC 7636). :attr:`deny_with` makes
  the next authorization fail with an error redirect (admin consent).
- ``POST /token``: ``authorization_code`` (redirect URI and PKCE verifier
  checked) and ``refresh_token`` with rotation: a refresh token works once.
- ``POST /introspect``: RFC 7662 token introspection, what Dovecot's
  ``oauth2`` passdb and the test SMTP server ask: ``active`` and ``username``.

Tests revoke a person's tokens (:meth:`revoke`), expire access tokens
(:meth:`expire_access_tokens`) and count token requests per grant type.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.harness.dovecot import HOST


@dataclass
class _Grant:
    user: str
    client_id: str
    scope: str
    redirect_uri: str = ""
    challenge: str = ""
    expires: float = 0.0


class OAuthProvider:
    """The authorization server; ``with OAuthProvider() as p:`` runs it in a thread.

    Attributes:
        url: base address, e.g. ``http://127.0.0.1:PORT``.
        client_id: the one registered public client.
        access_lifetime: ``expires_in`` of new access tokens (seconds).
        default_user: who signs in when the request has no ``login_hint``.
        deny_with: when set, the next authorization redirects with this error
            (``{"error": ..., "error_description": ...}``) instead of a code.
        requests: count of token requests by grant type, and of introspections.
    """

    def __init__(self) -> None:
        self.client_id = "mailwise-test-" + secrets.token_hex(4)
        self.access_lifetime = 3600
        self.default_user = ""
        self.deny_with: dict[str, str] | None = None
        self.requests: Counter[str] = Counter()
        #: every access and refresh token ever issued (to prove none leaks to a file)
        self.issued: list[str] = []
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((HOST, 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://{HOST}:{self._server.server_port}"

    @property
    def authorize_url(self) -> str:
        return self.url + "/authorize"

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    @property
    def introspection_url(self) -> str:
        return self.url + "/introspect"

    def start(self) -> OAuthProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> OAuthProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ test controls

    def revoke(self, user: str) -> None:
        """Withdraw every token of ``user`` (an administrator's "revoke sessions")."""
        with self._lock:
            for table in (self._access, self._refresh):
                for token in [t for t, g in table.items() if g.user == user]:
                    del table[token]

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working; refresh tokens still do."""
        with self._lock:
            for grant in self._access.values():
                grant.expires = 0.0

    def issue(self, user: str, scope: str = "") -> dict[str, Any]:
        """Tokens for ``user`` without the browser (for setting up a test)."""
        with self._lock:
            return self._tokens(_Grant(user, self.client_id, scope))

    def active_user(self, token: str) -> str | None:
        """Who ``token`` belongs to while it is a valid access token, else None."""
        with self._lock:
            grant = self._access.get(token)
            if grant is None or grant.expires < time.time():
                return None
            return grant.user

    # ------------------------------------------------------------------ endpoints

    def _authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        self.requests["authorize"] += 1
        redirect = query.get("redirect_uri", "")
        parts = urllib.parse.urlsplit(redirect)
        if parts.scheme != "http" or parts.hostname != HOST or not parts.port:
            return 400, {}, "redirect_uri must be a loopback address with a port"
        if query.get("client_id") != self.client_id:
            return 400, {}, "unknown client"
        back: dict[str, str] = {"state": query.get("state", "")}
        if self.deny_with is not None:
            back.update(self.deny_with)
            self.deny_with = None
        elif query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            back["error"] = "invalid_request"
            back["error_description"] = "PKCE S256 is required"
        else:
            code = secrets.token_urlsafe(16)
            user = query.get("login_hint") or self.default_user
            with self._lock:
                self._codes[code] = _Grant(
                    user,
                    self.client_id,
                    query.get("scope", ""),
                    redirect,
                    query["code_challenge"],
                    time.time() + 120,
                )
            back["code"] = code
        return 302, {"Location": redirect + "?" + urllib.parse.urlencode(back)}, ""

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant_type = form.get("grant_type", "")
        self.requests[grant_type] += 1
        if form.get("client_id") != self.client_id:
            return 401, {"error": "invalid_client"}
        with self._lock:
            if grant_type == "authorization_code":
                grant = self._codes.pop(form.get("code", ""), None)
                if grant is None or grant.expires < time.time():
                    return 400, {"error": "invalid_grant", "error_description": "bad code"}
                if form.get("redirect_uri") != grant.redirect_uri:
                    return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
                verifier = form.get("code_verifier", "").encode("ascii", "replace")
                digest = hashlib.sha256(verifier).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
                    return 400, {"error": "invalid_grant", "error_description": "PKCE mismatch"}
                return 200, self._tokens(grant)
            if grant_type == "refresh_token":
                grant = self._refresh.pop(form.get("refresh_token", ""), None)  # rotation
                if grant is None:
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "AADSTS700082: The refresh token has expired due "
                        "to inactivity.",
                    }
                return 200, self._tokens(grant)
        return 400, {"error": "unsupported_grant_type"}

    def _tokens(self, grant: _Grant) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self._access[access] = _Grant(
            grant.user, grant.client_id, grant.scope, expires=time.time() + self.access_lifetime
        )
        self._refresh[refresh] = _Grant(grant.user, grant.client_id, grant.scope)
        self.issued += [access, refresh]
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": self.access_lifetime,
            "scope": grant.scope,
        }

    def _introspect(self, form: dict[str, str]) -> dict[str, Any]:
        self.requests["introspect"] += 1
        user = self.active_user(form.get("token", ""))
        return {"active": True, "username": user} if user else {"active": False}


def _handler_for(owner: OAuthProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path != "/authorize":
                self._reply(404, {"error": "not_found"})
                return
            status, headers, text = owner._authorize(dict(urllib.parse.parse_qsl(parts.query)))
            body = text.encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            form = dict(urllib.parse.parse_qsl(raw))
            path = urllib.parse.urlsplit(self.path).path
            if path == "/token":
                self._reply(*owner._token(form))
            elif path == "/introspect":
                self._reply(200, owner._introspect(form))
            else:
                self._reply(404, {"error": "not_found"})

        def _reply(self, status: int, data: dict[str, Any]) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


def browser(url: str) -> str:
    """The test's "system browser": follow the authorize redirect to the loopback listener.

    Returns:
        The page the app's loopback listener answered with.
    """
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as page:  # follows the 302
        return str(page.read().decode("utf-8", "replace"))
