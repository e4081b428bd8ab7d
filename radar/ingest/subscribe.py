"""Subscribe to a feed by URL: check the address, fetch it once, name it from its title.

Fetching before storing means a typo or a private address is refused at once with a clear
message instead of showing up later as a broken feed.
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
from radar.ingest.sources import check_feed_url
from radar.records import FeedSpec, FeedState
from radar.slug import slugify
from radar.store.feeds import feed_exists, sync_feeds


async def _probe(url: str, settings: Settings, now: datetime) -> tuple[str, str]:
    async with make_client(settings.http) as client:
        fetched = await fetch_feed(client, FeedState(id="new", url=url), settings.http, now)
    parsed = parse_feed(fetched.body, fetched.url, now, fetched.headers)
    return fetched.permanent_url or url, parsed.title


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
    if allow_private:
        settings = replace(settings, http=replace(settings.http, allow_private=True))
    final_url, title = asyncio.run(_probe(url, settings, clock()))
    label = name or title or final_url
    spec = FeedSpec(
        id=slugify(label), name=label, url=final_url, lang=lang,
        interval_minutes=settings.default_interval,
    )  # fmt: skip
    if feed_exists(db, spec.id):
        raise ConfigError(f"feeds: a feed named {label!r} exists already (id {spec.id})")
    sync_feeds(db, [spec], origin, clock())
    return spec
