"""Serve the demo corpus over real HTTP on 127.0.0.1, one week at a time.

The demo goes through the same fetch path as real feeds, so the server behaves like a real
one: it sends ETag and Last-Modified, answers conditional requests with 304, and serves
whatever week the ingester has moved it to.
"""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from radar.demo.corpus import DEMO_FEEDS, DEMO_WEEKS, snapshot


class DemoServer:
    """A background HTTP server; ``week`` selects which snapshot each feed URL returns."""

    def __init__(self, week: int = DEMO_WEEKS - 1, port: int = 0) -> None:
        self.week = week
        self._cache: dict[tuple[str, int], bytes] = {}
        slugs = {feed.slug for feed in DEMO_FEEDS}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                slug = self.path.strip("/").removesuffix(".xml")
                if slug not in slugs:
                    self.send_error(404)
                    return
                body = server.body(slug)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def body(self, slug: str) -> bytes:
        key = (slug, self.week)
        if key not in self._cache:
            self._cache[key] = snapshot(slug, self.week)
        return self._cache[key]

    def url(self, slug: str) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/{slug}.xml"

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
