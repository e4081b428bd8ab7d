"""One polite JSON client for every series API: the feed fetcher's address rules and limits,
plus a pause between requests to one host and retries that honour Retry-After.

Feeds are polled once an hour each; collectors ask one API hundreds of times in a row, so the
politeness a feed gets from its schedule has to be enforced here: a minimum pause between two
requests to one host (each API documents its own), 429 and 5xx answers retried after the
server's Retry-After (or a doubling backoff), and a wait longer than ``max_wait`` turned into
`RetryLater` so the source stops cleanly and is resumed on a later run instead of sleeping for
hours. Connections go through the same `GuardedTransport` as feeds (no private addresses unless
allowed, checked on the address actually connected to) and bodies through the same
`CappedDecoder` (the size cap counts decompressed bytes).

Time spent pausing is counted (``waited``), so a run can say how much of it politeness took.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from radar.config import HttpSettings
from radar.errors import BlockedAddressError, FetchError, ParseError
from radar.ingest.fetch import RetryLater, read_capped, request_deadline, transport_errors
from radar.ingest.inflate import ACCEPT_ENCODING
from radar.ingest.netguard import GuardedTransport
from radar.ingest.schedule import parse_retry_after

__all__ = ["ApiResponse", "PoliteClient", "RetryLater"]

DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 2.0  # seconds before the first retry when the server names no wait
MAX_REDIRECTS = 5
_RETRIED = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class ApiResponse:
    """One answer: status, headers (lower-case names) and the body, already size-checked."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON; ParseError (naming the API's address) when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"parse: {_where(self.url)} did not answer JSON ({exc})") from exc

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object, else ``{}``: for reading an error answer's fields."""
        try:
            payload = self.json()
        except ParseError:
            return {}
        return payload if isinstance(payload, dict) else {}

    def text(self, limit: int = 200) -> str:
        """The start of the body as text, for an error message (the caller cleans it)."""
        return self.body[:limit].decode("utf-8", "replace").strip()


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or '?'}{parts.path[:60]}"


def host_key(url: str) -> str:
    """The politeness key of a URL: host and port (two local test APIs stay apart)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


Sleep = Callable[[float], Awaitable[None]]


class PoliteClient:
    """GET JSON from public APIs: guarded, capped, spaced out per host, retried politely."""

    def __init__(
        self,
        http: HttpSettings,
        *,
        max_wait: float = 120.0,
        backoff: float = DEFAULT_BACKOFF,
        retries: int = DEFAULT_RETRIES,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        limits = httpx.Limits(
            max_connections=http.concurrency, max_keepalive_connections=http.concurrency
        )
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(http.timeout, connect=http.connect_timeout),
            limits=limits,
            transport=None if http.allow_private else GuardedTransport(limits),
            headers={
                "User-Agent": http.user_agent,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            follow_redirects=True,  # every hop still connects through the guard
            max_redirects=MAX_REDIRECTS,
            trust_env=False,  # through a proxy the address connected to could not be checked
        )
        self._http = http
        self._max_wait = max_wait
        self._backoff = backoff
        self._retries = retries
        self._sleep = sleep
        self._clock = clock
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.waited = 0.0  # seconds spent pausing for politeness (intervals, backoff)
        self.requests = 0

    async def __aenter__(self) -> PoliteClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def hold(self, url: str, seconds: float) -> None:
        """Ask for no request to this URL's host for ``seconds`` (an API's ``backoff``)."""
        key = host_key(url)
        self._next[key] = max(self._next.get(key, 0.0), self._clock() + seconds)

    async def _turn(self, key: str, interval: float) -> None:
        """Wait until this host may be asked again, then book the next slot."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            wait = self._next.get(key, 0.0) - self._clock()
            if wait > 0:
                self.waited += wait
                await self._sleep(wait)
            self._next[key] = self._clock() + interval

    async def get(
        self,
        url: str,
        *,
        interval: float,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """GET ``url``; any answer below 500 except 429 is returned for the caller to judge.

        429 and 5xx are retried after Retry-After (or 2, 4, 8 s). When the server named a wait
        longer than ``max_wait`` (or named one on the last try), `RetryLater` carries it, so
        the source can pause until then; a server failing without naming a wait raises
        FetchError after the last try. Network failures are retried the same way.
        """
        key = host_key(url)
        for attempt in range(self._retries + 1):
            await self._turn(key, interval)
            self.requests += 1
            last = attempt == self._retries
            try:
                response = await self._once(url, params, headers)
            except FetchError as exc:
                answered = exc.status is not None  # a body too large: asking again won't help
                if answered or isinstance(exc, BlockedAddressError) or last:
                    raise
                if self._backoff * 2**attempt > self._max_wait:
                    raise
                self.hold(url, self._backoff * 2**attempt)
                continue
            if response.status not in _RETRIED:
                return response
            named = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
            wait = named if named is not None else self._backoff * 2**attempt
            if last or wait > self._max_wait:
                reason = f"fetch: HTTP {response.status} from {_where(url)}"
                if named is None:  # failing, not asking for time: a failure, not a pause
                    raise FetchError(f"{reason} after {attempt + 1} tries", response.status)
                raise RetryLater(f"{reason}; asked to wait {int(wait)} s", response.status, wait)
            self.hold(url, wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _once(
        self, url: str, params: Mapping[str, str] | None, headers: Mapping[str, str] | None
    ) -> ApiResponse:
        async with transport_errors(request_deadline(self._http), _where(url)):
            request = self._client.build_request("GET", url, params=params, headers=headers)
            response = await self._client.send(request, stream=True)
            try:
                # the feed fetcher's own size cap: feeds and APIs obey one rule
                body = await read_capped(response, self._http.max_body_bytes)
            finally:
                await response.aclose()
            return ApiResponse(
                str(response.url), response.status_code,
                {k.lower(): v for k, v in response.headers.items()}, body,
            )  # fmt: skip
