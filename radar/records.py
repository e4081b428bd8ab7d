"""Frozen records passed between stages (fetch -> parse -> store).

Stages trade these instead of dicts so each stage's contract is visible in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FeedSpec:
    """One feed as configured by an administrator (feeds.yaml, OPML or the CLI)."""

    id: str
    name: str
    url: str
    lang: str | None = None
    tags: tuple[str, ...] = ()
    interval_minutes: int = 60


@dataclass(frozen=True)
class FeedState:
    """What the store remembers about a feed between fetches (validators and health)."""

    id: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    error_count: int = 0
    interval_minutes: int = 60
    lang: str | None = None


@dataclass(frozen=True)
class Fetched:
    """The outcome of one HTTP attempt, before parsing."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    permanent_url: str | None = None
    retry_after_seconds: float | None = None
    max_age_seconds: float | None = None
    elapsed_ms: int = 0


@dataclass(frozen=True)
class Item:
    """One cleaned feed entry, ready to store."""

    key: str
    guid: str | None
    link: str
    canonical_url: str
    title: str
    summary_html: str
    summary_text: str
    published: datetime
    date_missing: bool
    lang: str


@dataclass(frozen=True)
class ParsedFeed:
    """Items of one response plus what the feed says about itself."""

    title: str
    site_url: str | None
    items: tuple[Item, ...]
    warning: str | None = None
    ttl_minutes: int | None = None


@dataclass(frozen=True)
class SeriesPoint:
    """One value of a public series: a term's count (and the platform's total) in one period.

    ``period`` is as the source names it (``2014``, ``2014-03``, ``2014-Q1``); ``period_end`` is
    the last day it covers (ISO date), so a back-test at a date can drop any period not yet over.
    ``share`` is ``count / total`` where both exist, or the source's own share where it gives
    only that (PYPL); shares, not raw counts, are comparable across years of a growing platform.
    """

    source: str
    term: str
    period: str
    period_end: str
    count: float | None = None
    total: float | None = None
    share: float | None = None
