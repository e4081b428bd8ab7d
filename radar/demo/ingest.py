"""Ingest the demo corpus week by week, as if the service had been running for a year.

Each week the demo server moves to that week's snapshots and the normal fetch run polls
every demo feed with the clock set to the end of that week, so dates, deduplication, story
grouping and feed health all come from the real pipeline. The demo's adoption and attention
series (written from each technology's story, radar.demo.series) are stored beside them, as
the collectors would store theirs, so a new user sees series without any network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

import sqlite_utils

from radar.config import Settings
from radar.demo.corpus import DEMO_FEEDS, DEMO_WEEKS, week_start
from radar.demo.series import demo_series
from radar.demo.server import DemoServer
from radar.ingest.pipeline import fetch_run
from radar.records import FeedSpec
from radar.store.feeds import sync_feeds
from radar.store.series import upsert_points
from radar.taxonomy.layers import taxonomy_for

DemoProgress = Callable[[int, int, str], None]
DEMO_ORIGIN = "demo"


@dataclass(frozen=True)
class DemoResult:
    """What the demo stored."""

    weeks: int
    feeds: int
    new_items: int
    failed_fetches: int
    series_points: int = 0


def demo_specs(server: DemoServer) -> list[FeedSpec]:
    """The demo feeds as configured feeds, pointing at the running demo server."""
    return [
        FeedSpec(id=f"demo-{feed.slug}", name=feed.title, url=server.feed_url(feed.slug),
                 lang=feed.lang, tags=("demo",), interval_minutes=7 * 24 * 60)
        for feed in DEMO_FEEDS
    ]  # fmt: skip


def week_end(week_index: int, settings: Settings) -> datetime:
    """Sunday 23:59 local time of a demo week: the moment that week's fetch 'happens'."""
    sunday = week_start(week_index) + timedelta(days=6)
    return datetime.combine(sunday, time(23, 59), tzinfo=settings.tz).astimezone(UTC)


def demo_settings(settings: Settings) -> Settings:
    """The demo server is on 127.0.0.1, so the private-address rule is lifted for it."""
    return replace(settings, http=replace(settings.http, allow_private=True))


def ingest_demo(
    db: sqlite_utils.Database,
    settings: Settings,
    *,
    progress: DemoProgress | None = None,
    weeks: int | None = None,
) -> DemoResult:
    """Serve and ingest every demo week in order, then store the series; safe to run again.

    Nothing duplicates: items dedupe as any feed's do and series points are keyed by
    (source, term, period). With ``weeks``, only the months over by the last week are stored,
    so a shortened demo never holds numbers from after its own present.
    """
    settings = demo_settings(settings)
    total = min(weeks or DEMO_WEEKS, DEMO_WEEKS)
    new_items = failed = 0
    with DemoServer(week=0) as server:
        specs = demo_specs(server)
        sync_feeds(db, specs, DEMO_ORIGIN, week_end(0, settings))
        ids = {spec.id for spec in specs}
        for week in range(total):
            server.week = week
            moment = week_end(week, settings)
            summary = asyncio.run(
                fetch_run(db, settings, lambda m=moment: m, everything=True, only=ids)
            )
            new_items += summary.new_items
            failed += summary.failed
            if progress:
                progress(week + 1, total, week_start(week).isoformat())
    present = (week_start(total - 1) + timedelta(days=6)).isoformat()
    series = demo_series(taxonomy_for(settings))
    points = upsert_points(db, (p for p in series if p.period_end <= present))
    return DemoResult(
        weeks=total, feeds=len(specs), new_items=new_items, failed_fetches=failed,
        series_points=points,
    )  # fmt: skip
