"""Subscribe to a feed by URL: check the address, fetch it once, name it from its title.

Fetching before storing means a typo or a private address is refused at once with a clear
message instead of showing up later as a broken feed. A feed is known by its address: adding
an address that is already a feed is refused, while a new feed whose title another feed
shares gets its own id (``news-2``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import sqlite_utils

from radar.config import Settings
from radar.errors import ConfigError
from radar.ingest.fetch import fetch_feed, make_client
from radar.ingest.parse import parse_feed
from radar.ingest.sources import check_feed_url, feed_label, feed_url_key, preferred_id
from radar.records import FeedSpec, FeedState
from radar.store.feeds import add_feeds, feeds_by_url


async def _probe(url: str, settings: Settings, now: datetime) -> tuple[str, str]:
    async with make_client(settings.http) as client:
        fetched = await fetch_feed(client, FeedState(id="new", url=url), settings.http, now)
    parsed = parse_feed(fetched.body, fetched.url, now, fetched.headers)
    return fetched.permanent_url or url, parsed.title


def _already(url: str, feed_id: str) -> ConfigError:
    return ConfigError(f"feeds: {url} is already subscribed (feed id {feed_id})")


def subscribe(
    db: sqlite_utils.Database,
    url: str,
    settings: Settings,
    clock: Callable[[], datetime],
    *,
    name: str | None = None,
    lang: str | None = None,
    origin: str = "cli",
    allow_private: bool = False,
) -> FeedSpec:
    """Validate and add one feed; raise a RadarError with the reason when refused."""
    url = check_feed_url(url)
    existing = feeds_by_url(db, feed_url_key).get(feed_url_key(url))
    if existing:
        raise _already(url, existing)
    if allow_private:
        settings = replace(settings, http=replace(settings.http, allow_private=True))
    final_url, title = asyncio.run(_probe(url, settings, clock()))
    label = feed_label(name or "") or feed_label(title) or final_url
    spec = FeedSpec(
        id=preferred_id(label), name=label, url=final_url, lang=lang,
        interval_minutes=settings.default_interval,
    )  # fmt: skip
    [(feed_id, new)] = add_feeds(db, [spec], origin, clock(), feed_url_key)
    if not new:
        raise _already(final_url, feed_id)
    return replace(spec, id=feed_id)
