"""Limits that hold whatever a server does: slow neighbours, huge or compressed bodies,
dripping answers and hostile headers each end as one feed's error, never a hang or a crash."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
import zlib
from dataclasses import replace

import pytest
from feeds import numbered, rss
from feedserver import FeedServer, Route

from radar.config import HttpSettings, Settings
from radar.errors import FetchError
from radar.ingest.fetch import HostLimiter, fetch_feed, make_client
from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec, FeedState, Fetched
from radar.store.feeds import sync_feeds
from tests.conftest import FIXED_NOW

CAP = 200_000
# A tight deadline (0.5 + 3 * 0.5 = 2 s) keeps the slow cases quick.
QUICK = HttpSettings(timeout=0.5, connect_timeout=0.5, allow_private=True, max_body_bytes=CAP)
GZIP, ZLIB, RAW_DEFLATE = zlib.MAX_WBITS | 16, zlib.MAX_WBITS, -zlib.MAX_WBITS


def _compress(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def _bomb(size: int, wbits: int) -> bytes:
    """``size`` zero bytes, compressed piecewise so the big text never exists here."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    piece = b"\0" * 1_000_000
    return b"".join(packer.compress(piece) for _ in range(size // len(piece))) + packer.flush()


def _run(db, settings: Settings, server: FeedServer, *paths: str):  # type: ignore[no-untyped-def]
    specs = [FeedSpec(id=p.strip("/"), name=p, url=server.url(p)) for p in paths]
    sync_feeds(db, specs, "config", FIXED_NOW)
    return run_fetch(db, settings, lambda: FIXED_NOW, everything=True)


def test_waiting_for_a_host_slot_does_not_count_against_the_deadline(feed_server) -> None:
    """Two slow feeds hold the host's only slot for ~2.6 s between them, longer than the
    2 s deadline; the healthy feed queued behind them still gets its full deadline."""
    slow_body = b"x" * 640
    for path in ("/slow1", "/slow2"):
        feed_server.routes[path] = Route(body=slow_body, trickle=0.13)  # ~1.3 s each
    feed_server.routes["/fast"] = Route(body=rss(numbered(1)))
    http = replace(QUICK, per_host=1)
    limiter = HostLimiter(http.per_host)

    async def fetch(path: str, after: float = 0.0) -> Fetched:
        await asyncio.sleep(after)  # the healthy feed queues last
        state = FeedState(id=path, url=feed_server.url(path))
        return await fetch_feed(client, state, http, FIXED_NOW, limiter)

    async def run() -> list[Fetched]:
        nonlocal client
        async with make_client(http) as client:
            return await asyncio.gather(fetch("/slow1"), fetch("/slow2"), fetch("/fast", 0.05))

    client = None
    started = time.perf_counter()
    slow1, slow2, fast = asyncio.run(run())
    waited = time.perf_counter() - started
    assert waited > http.connect_timeout + 3 * http.timeout  # it did queue past its deadline
    assert (slow1.status, slow2.status, fast.status) == (200, 200, 200)
    assert fast.body == rss(numbered(1))


def test_oversized_body_without_a_length_is_cut_off(feed_server, db, settings) -> None:
    feed_server.routes["/huge"] = Route(body=b"<rss>" + b"x" * (CAP * 3), no_length=True)
    feed_server.routes["/fine"] = Route(body=rss(numbered(2)))
    summary = _run(db, Settings(db_path=settings.db_path, http=QUICK), feed_server, "/huge",
                   "/fine")  # fmt: skip
    assert "exceeds the 200,000-byte limit (cut off)" in summary.errors["huge"]
    assert (summary.ok, summary.new_items) == (1, 2)


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", GZIP), ("x-gzip", GZIP), ("deflate", ZLIB), ("deflate", RAW_DEFLATE)],
)
def test_compression_bomb_is_cut_at_the_cap_of_decompressed_bytes(
    feed_server, encoding: str, wbits: int
) -> None:
    """20 MB of zeros sent as ~20 KB: refused once the *decompressed* size passes the
    200 KB cap, and never held in memory whole (httpx alone inflates a network chunk in
    one go: ~20 MB at once here)."""
    bomb = _bomb(20_000_000, wbits)
    assert len(bomb) < CAP // 4
    feed_server.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": encoding})

    async def fetch() -> Fetched:
        async with make_client(QUICK) as client:
            state = FeedState(id="bomb", url=feed_server.url("/bomb"))
            return await fetch_feed(client, state, QUICK, FIXED_NOW)

    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="once decompressed exceeds the 200,000-byte"):
            asyncio.run(fetch())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", (GZIP,)), ("deflate", (ZLIB,)), ("deflate", (RAW_DEFLATE,)),
     ("gzip, gzip", (GZIP, GZIP)), ("identity", ()), ("utf-8", ())],
)  # fmt: skip
def test_compressed_feeds_are_read(feed_server, db, settings, encoding: str, wbits) -> None:  # type: ignore[no-untyped-def]
    body = rss(numbered(3))
    for bits in wbits:
        body = _compress(body, bits)
    feed_server.routes["/z"] = Route(body=body, headers={"Content-Encoding": encoding})
    summary = _run(db, settings, feed_server, "/z")
    assert (summary.failed, summary.new_items) == (0, 3)


def test_corrupt_compressed_body_is_a_feed_error(feed_server, db, settings) -> None:
    feed_server.routes["/bad"] = Route(
        body=b"\x1f\x8b not gzip", headers={"Content-Encoding": "gzip"}
    )
    summary = _run(db, settings, feed_server, "/bad")
    assert "could not be decompressed" in summary.errors["bad"]


def test_dripping_server_hits_the_overall_deadline(feed_server, db, settings) -> None:
    """One byte every 0.2 s never trips the 0.5 s read timeout; the 2 s deadline ends it."""
    feed_server.routes["/drip"] = Route(body=rss(numbered(5)), trickle=0.2, trickle_bytes=1)
    started = time.perf_counter()
    summary = _run(db, Settings(db_path=settings.db_path, http=QUICK), feed_server, "/drip")
    assert "no complete answer within 2 s" in summary.errors["drip"]
    assert time.perf_counter() - started < 4


@pytest.mark.parametrize(
    ("headers", "no_length", "error"),
    [
        ({"X-Padding": "a" * 200_000}, False, "RemoteProtocolError"),
        ({f"X-H{i}": "v" * 100 for i in range(2000)}, False, "RemoteProtocolError"),
        ({"Content-Length": "abc"}, True, "RemoteProtocolError"),
        ({"Content-Length": "-5"}, True, "RemoteProtocolError"),
        ({"Location": "http://[::1/a"}, False, "fetch:"),
        ({"Location": "http://example.invalid:99999/a"}, False, "fetch:"),
        ({"Location": "javascript:alert(1)"}, False, "to a non-web address"),
        ({"Location": "file:///etc/passwd"}, False, "to a non-web address"),
        ({"Location": "/" + "a" * 100_000}, False, "fetch:"),
    ],
)
def test_hostile_headers_are_one_feeds_error(
    feed_server, db, settings, headers: dict[str, str], no_length: bool, error: str
) -> None:
    status = 302 if "Location" in headers else 200
    feed_server.routes["/bad"] = Route(status=status, body=rss(numbered(1)), headers=headers,
                                       no_length=no_length)  # fmt: skip
    feed_server.routes["/fine"] = Route(body=rss(numbered(2)))
    summary = _run(db, settings, feed_server, "/bad", "/fine")
    assert error in summary.errors["bad"]
    assert (summary.ok, summary.failed, summary.new_items) == (1, 1, 2)


@pytest.mark.parametrize(
    ("content_type", "stored"),
    [("application/xml; charset=no-such-charset", 2), ("text/xml; charset=", 2),
     ("text/xml; charset=\xff\xfe", 2), ("a" * 50_000, 2),
     ("text/xml; charset=utf-16", 0)],  # a lie the parser believes: that feed's parse error
)  # fmt: skip
def test_odd_content_types_do_not_stop_the_run(
    feed_server, db, settings, content_type: str, stored: int
) -> None:
    feed_server.routes["/odd"] = Route(
        body=rss(numbered(2)), headers={"Content-Type": content_type}
    )
    feed_server.routes["/fine"] = Route(body=rss(numbered(1, prefix="Fine")))
    summary = _run(db, settings, feed_server, "/odd", "/fine")
    assert summary.new_items == stored + 1
    assert summary.errors == ({} if stored else {"odd": summary.errors["odd"]})
    assert stored or summary.errors["odd"].startswith("parse: ")


def test_proxy_settings_in_the_environment_are_not_used(
    feed_server, db, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through a proxy the guard could not check the address connected to, so feeds are
    fetched directly even when HTTP_PROXY names one (here a port where nothing listens)."""
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    feed_server.routes["/direct"] = Route(body=rss(numbered(2)))
    summary = _run(db, settings, feed_server, "/direct")
    assert (summary.failed, summary.new_items) == (0, 2), summary.errors
