"""A real HTTP server on 127.0.0.1 whose routes tests program (status, headers, body, delay).

Built on the demo's :class:`~radar.demo.server.LocalServer`: one local server in the project.
"""

from __future__ import annotations

import gzip
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from radar.demo.server import LocalServer, not_modified


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    gzip: bool = False
    etag: str | None = None
    trickle: float = 0.0
    trickle_bytes: int = 64  # bytes written per trickle step (1 = a dripping server)
    no_length: bool = False  # no Content-Length: the body ends when the server hangs up
    handler: Callable[[BaseHTTPRequestHandler], Route] | None = None
    reason: str | None = None  # the status line's reason phrase (default: the standard one)


class FeedServer(LocalServer):
    """Serve programmable routes; records every request for assertions."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        super().__init__(self._answer, host, port, tls)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append((handler.path, dict(handler.headers.items())))
        route = self.routes.get(handler.path) or Route(status=404, body=b"not found")
        if route.handler:
            route = route.handler(handler)
        if route.delay:
            time.sleep(route.delay)
        if route.etag and not_modified(handler, route.etag):
            return
        body = gzip.compress(route.body) if route.gzip else route.body
        handler.send_response(route.status, route.reason)
        for name, value in route.headers.items():
            handler.send_header(name, value)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.gzip:
            handler.send_header("Content-Encoding", "gzip")
        if route.no_length:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        else:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            if route.trickle:
                step = route.trickle_bytes
                for i in range(0, len(body), step):
                    handler.wfile.write(body[i : i + step])
                    handler.wfile.flush()
                    time.sleep(route.trickle)
            else:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
