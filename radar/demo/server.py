"""Serve feeds over real HTTP on a local address: the demo corpus, and the tests' routes.

The demo goes through the same fetch path as real feeds, so the server behaves like a real
one: it sends ETag, answers conditional requests with 304, and serves whatever week the
ingester has moved it to. :class:`LocalServer` is the part both the demo and the test
suite's programmable server use: a threaded HTTP/1.1 server answering each GET through a
function, quiet about clients that hang up on purpose.
"""

from __future__ import annotations

import hashlib
import ssl
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from radar.demo.corpus import DEMO_FEEDS, DEMO_WEEKS, snapshot

Answer = Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up on a slow or huge answer is not a server error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalServer:
    """Answer every GET with ``answer(handler)`` on ``host`` (https when given ``tls``)."""

    def __init__(
        self, answer: Answer, host: str = "127.0.0.1", port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:  # fmt: skip
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                answer(self)

        self.httpd = _QuietServer((host, port), Handler)
        self.scheme = "https" if tls else "http"
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        # a short poll interval: stop() returns in 0.05 s instead of 0.5 s (tests stop many)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def not_modified(handler: BaseHTTPRequestHandler, etag: str) -> bool:
    """Answer 304 when the client already holds ``etag``; say whether it did."""
    if handler.headers.get("If-None-Match") != etag:
        return False
    handler.send_response(304)
    handler.send_header("ETag", etag)
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return True


class DemoServer(LocalServer):
    """The demo feeds; ``week`` selects which snapshot each feed URL returns."""

    def __init__(self, week: int = DEMO_WEEKS - 1, port: int = 0) -> None:
        self.week = week
        self._cache: dict[tuple[str, int], bytes] = {}
        self._slugs = {feed.slug for feed in DEMO_FEEDS}
        super().__init__(self._answer, port=port)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        slug = handler.path.strip("/").removesuffix(".xml")
        if slug not in self._slugs:
            handler.send_error(404)
            return
        body = self.body(slug)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if not_modified(handler, etag):
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/xml")
        handler.send_header("ETag", etag)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def body(self, slug: str) -> bytes:
        key = (slug, self.week)
        if key not in self._cache:
            self._cache[key] = snapshot(slug, self.week)
        return self._cache[key]

    def feed_url(self, slug: str) -> str:
        return self.url(f"/{slug}.xml")
