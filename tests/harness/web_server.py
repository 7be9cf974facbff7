"""A small HTTPS server on loopback serving fixed documents (autoconfig XML in tests).

It presents a certificate of its own test CA (:attr:`WebServer.ca_file`);
:attr:`documents` maps a path to its body, :attr:`redirects` a path to a
``Location``; everything else is 404. :attr:`requested` lists the paths asked.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.harness.certs import make_server_certificates
from tests.harness.dovecot import HOST


class WebServer:
    """``with WebServer() as web:`` serves HTTPS on ``https://localhost:{web.port}``."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mailwise-web-"))
        self.certificates = make_server_certificates(self.dir)
        self.ca_file = self.certificates.ca_file
        self.documents: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.requested: list[str] = []
        self._server = ThreadingHTTPServer((HOST, 0), _handler_for(self))
        self._server.socket = self.certificates.server_context().wrap_socket(
            self._server.socket, server_side=True
        )
        self.port = int(self._server.server_port)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"https://localhost:{self.port}"

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _handler_for(owner: WebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            owner.requested.append(self.path)
            if path in owner.redirects:
                self.send_response(302)
                self.send_header("Location", owner.redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = owner.documents.get(path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
