"""One conditional GET per feed, with timeouts, a size cap and no private hosts.

The only module that talks HTTP (with `netguard`, which guards its connections). Redirects
are followed by hand so a permanent move (301/308) can update the stored URL; every hop
that opens a connection is checked against private addresses by `netguard`, on the address
actually connected to. Each kind of failure becomes one FetchError with a plain message and
the HTTP status. Limits hold whatever the server does: the body cap counts decompressed
bytes as they are made, and one deadline covers the whole answer, so a server dripping a
byte at a time cannot hold a feed (or a per-host slot) for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import urljoin, urlsplit

import httpx

from radar.config import HttpSettings
from radar.errors import FetchError
from radar.ingest.inflate import ACCEPT_ENCODING, CappedDecoder
from radar.ingest.netguard import GuardedTransport
from radar.ingest.netguard import ensure_public as ensure_public  # re-exported for importers
from radar.ingest.netguard import is_public_address as is_public_address
from radar.ingest.schedule import parse_max_age, parse_retry_after
from radar.records import FeedState, Fetched
from radar.urls import WEB_SCHEMES

MAX_REDIRECTS = 5
_PERMANENT = {301, 308}
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
_KEPT_HEADERS = ("content-type", "content-location", "content-language", "last-modified", "etag")


class RetryLater(FetchError):
    """429/503: the server asked us to come back later (Retry-After honoured)."""

    def __init__(self, message: str, status: int, retry_after_seconds: float | None) -> None:
        super().__init__(message, status)
        self.retry_after_seconds = retry_after_seconds


class HostLimiter:
    """At most ``per_host`` requests at once to any one host, so no site is hammered."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._locks: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self._per_host)
        )

    def for_url(self, url: str) -> asyncio.Semaphore:
        return self._locks[(urlsplit(url).hostname or "").lower()]


@cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every client shares (httpx's defaults: system CAs via certifi).

    Built once per process: loading the certificate bundle took 60-90 ms, which httpx paid
    for every client (and the guard twice), so once per poll, even one of plain-http feeds
    all answering 304, and 80 times over in `radar demo`.
    """
    return httpx.create_ssl_context()


@dataclass
class FeedClient:
    """GET requests straight to httpx's transport, with the product's headers and timeouts.

    A poll is thousands of GETs whose redirects are followed by hand and whose bodies are
    decoded by ``read_capped``, so the client layer's work per request (building and merging
    the request, cookies, auth and redirect handling) bought nothing and cost a fifth of a
    304's CPU. Cookies are not kept between feeds, and environment proxies are not used:
    the connection guard must see the address actually connected to.
    """

    transport: httpx.AsyncBaseTransport
    headers: dict[str, str]
    timeout: dict[str, float | None]

    async def __aenter__(self) -> FeedClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.transport.aclose()

    @contextlib.asynccontextmanager
    async def stream(self, url: str, headers: dict[str, str]) -> AsyncIterator[httpx.Response]:
        """One GET; the response's body is read inside the block and closed after it."""
        request = httpx.Request(
            "GET", url, headers={**self.headers, **headers}, extensions={"timeout": self.timeout}
        )
        response = await self.transport.handle_async_request(request)
        response.request = request
        try:
            yield response
        finally:
            await response.aclose()


def make_client(http: HttpSettings) -> FeedClient:
    """Build the shared client: timeouts, pool size, the product's User-Agent and, unless
    private addresses are allowed, the connection guard."""
    limits = httpx.Limits(
        max_connections=http.concurrency, max_keepalive_connections=http.concurrency
    )
    transport = (
        httpx.AsyncHTTPTransport(limits=limits, verify=tls_context())
        if http.allow_private
        else GuardedTransport(limits, tls_context())
    )
    return FeedClient(
        transport=transport,
        headers={
            "User-Agent": http.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        timeout=httpx.Timeout(http.timeout, connect=http.connect_timeout).as_dict(),
    )


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body, refused once it passes ``limit`` decompressed (the series client shares it)."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"fetch: body of {int(declared):,} bytes exceeds the {limit:,}-byte limit",
            response.status_code,
        )
    chunks: list[bytes] = []
    try:
        decoder = CappedDecoder(response.headers.get("content-encoding"), limit)
        async for raw in response.aiter_raw():  # raw: the cap must see bytes as they inflate
            chunks.append(decoder.feed(raw))
    except FetchError as exc:
        exc.status = response.status_code
        raise
    return b"".join(chunks)


async def _get(client: FeedClient, state: FeedState, http: HttpSettings, now: datetime) -> Fetched:
    headers: dict[str, str] = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url = state.url
    permanent: str | None = None
    all_permanent = True
    started = time.perf_counter()
    for _hop in range(MAX_REDIRECTS + 1):
        async with client.stream(url, headers) as response:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"fetch: HTTP {status} without a Location header", status)
                url = urljoin(url, location)
                if urlsplit(url).scheme.lower() not in WEB_SCHEMES:
                    raise FetchError(f"fetch: HTTP {status} to a non-web address", status)
                all_permanent = all_permanent and status in _PERMANENT
                permanent = url if all_permanent else permanent
                continue
            elapsed = int((time.perf_counter() - started) * 1000)
            kept = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
            max_age = parse_max_age(response.headers.get("cache-control"))
            if status == 304:
                return Fetched(url=url, status=304, headers=kept, not_modified=True,
                               permanent_url=permanent, max_age_seconds=max_age,
                               elapsed_ms=elapsed)  # fmt: skip
            if status == 410:
                raise FetchError("fetch: HTTP 410 Gone: the feed was removed", status)
            if status in (429, 503):
                retry = parse_retry_after(response.headers.get("retry-after"), now)
                wait = f"; retry after {int(retry)} s" if retry is not None else ""
                raise RetryLater(f"fetch: HTTP {status} ({response.reason_phrase}){wait}",
                                 status, retry)  # fmt: skip
            if status >= 400:
                raise FetchError(f"fetch: HTTP {status} ({response.reason_phrase})", status)
            body = await read_capped(response, http.max_body_bytes)
            return Fetched(
                url=url,
                status=status,
                body=body,
                headers=kept,
                permanent_url=permanent,
                max_age_seconds=max_age,
                elapsed_ms=int((time.perf_counter() - started) * 1000),
            )
    raise FetchError(f"fetch: more than {MAX_REDIRECTS} redirects")


async def fetch_feed(
    client: FeedClient,
    state: FeedState,
    http: HttpSettings,
    now: datetime,
    limiter: HostLimiter | None = None,
) -> Fetched:
    """Fetch one feed, conditionally; raise FetchError (never anything else) on failure.

    The deadline starts once the per-host slot is ours: time spent queueing behind slow
    feeds of the same host is not this feed's fault.
    """
    deadline = request_deadline(http)
    slot = limiter.for_url(state.url) if limiter else contextlib.nullcontext()
    async with slot, transport_errors(deadline):
        return await _get(client, state, http, now)


def request_deadline(http: HttpSettings) -> float:
    """The whole answer's time limit: a connect plus three read timeouts, however it drips."""
    return http.connect_timeout + 3 * http.timeout


@contextlib.asynccontextmanager
async def transport_errors(deadline: float, where: str = "") -> AsyncIterator[None]:
    """One deadline over a whole request, and every way HTTP can fail as one FetchError.

    Feeds and the series APIs share it, so a timeout or a broken connection reads the same
    wherever it happens; ``where`` names the host for the series client's messages.
    """
    at = f"{where}: " if where else ""
    try:
        async with asyncio.timeout(deadline):
            yield
    except FetchError:
        raise
    except TimeoutError as exc:
        raise FetchError(f"fetch: {at}no complete answer within {deadline:g} s") from exc
    except httpx.TimeoutException as exc:
        kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        raise FetchError(f"fetch: {at}timed out {kind}") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"fetch: {at}too many redirects") from exc
    except httpx.DecodingError as exc:
        raise FetchError(f"fetch: {at}body could not be decompressed ({exc})") from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        detail = f"{type(exc).__name__}: {exc or 'connection failed'}"
        raise FetchError(f"fetch: {at}{detail}") from exc
    except (OSError, ValueError) as exc:
        raise FetchError(f"fetch: {at}{exc}") from exc
