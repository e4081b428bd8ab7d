"""Import an OPML subscription list under the same address rule as `radar feeds add`.

Every outline gets an answer: added (with its feed id), already present (the same address
is a feed already, or was listed earlier in the file) or refused (with why). A feed is
known by its address, never by its title, so two outlines titled "News" are two feeds.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import sqlite_utils

from radar.config import Settings
from radar.errors import BlockedAddressError, FetchError
from radar.ingest.fetch import ensure_public
from radar.ingest.sources import MAX_OPML_OUTLINES, Outline, preferred_id, read_opml
from radar.records import FeedSpec
from radar.store.feeds import add_feeds, feed_url_key, feeds_by_url

ADDED, PRESENT, REFUSED = "added", "present", "refused"
_LOOKUPS_AT_ONCE = 16  # address checks in flight (DNS), so 2,000 feeds take seconds


@dataclass(frozen=True)
class OutlineResult:
    """What became of one outline."""

    outline: int  # its number in the file (1-based, among outlines to import)
    name: str
    url: str
    status: str  # ADDED | PRESENT | REFUSED
    feed_id: str | None = None
    reason: str | None = None


async def _refusals(urls: list[str]) -> dict[str, str]:
    """The URLs whose host resolves to a private address, with the reason."""
    slots = asyncio.Semaphore(_LOOKUPS_AT_ONCE)

    async def check(url: str) -> tuple[str, str | None]:
        async with slots:
            try:
                await ensure_public(url)
            except BlockedAddressError as exc:
                return url, str(exc)
            except FetchError:
                return url, None  # unresolvable today (offline?): accepted, shown in feed health
            except ValueError as exc:  # a host name the resolver cannot even encode
                return url, f"host name cannot be looked up ({exc})"
            return url, None

    checked = await asyncio.gather(*(check(url) for url in urls))
    return {url: reason for url, reason in checked if reason}


def import_opml(
    db: sqlite_utils.Database,
    source: bytes | BinaryIO,
    settings: Settings,
    now: datetime,
    *,
    allow_private: bool = False,
    max_outlines: int = MAX_OPML_OUTLINES,
) -> list[OutlineResult]:
    """Add the OPML's feeds; return one result per outline, in file order.

    Raises ConfigError, adding nothing, when the file is not OPML or lists more than
    ``max_outlines`` outlines. Every fetch re-checks each redirect hop, so a feed that
    later redirects to a private address is still blocked then.
    """
    outlines = read_opml(source, max_outlines)
    results: dict[int, OutlineResult] = {}
    known = feeds_by_url(db)
    first: dict[str, Outline] = {}  # address identity -> first outline listing it
    repeats: list[tuple[Outline, Outline]] = []
    fresh: list[Outline] = []
    for outline in outlines:
        if outline.problem:
            results[outline.number] = _result(outline, REFUSED, reason=outline.problem)
            continue
        key = feed_url_key(outline.url)
        if key in known:
            results[outline.number] = _result(outline, PRESENT, known[key], "already subscribed")
        elif key in first:
            repeats.append((outline, first[key]))
        else:
            first[key] = outline
            fresh.append(outline)
    blocked = {} if allow_private else asyncio.run(_refusals([o.url for o in fresh]))
    accepted = [o for o in fresh if o.url not in blocked]
    for outline in fresh:
        if outline.url in blocked:
            results[outline.number] = _result(outline, REFUSED, reason=blocked[outline.url])
    specs = [_spec(o, settings.default_interval) for o in accepted]
    for outline, (feed_id, new) in zip(accepted, add_feeds(db, specs, "opml", now), strict=True):
        results[outline.number] = (
            _result(outline, ADDED, feed_id)
            if new
            else _result(outline, PRESENT, feed_id, "already subscribed")
        )
    for outline, original in repeats:
        earlier = results[original.number]
        note = f"same feed as outline {original.number}"
        results[outline.number] = (
            _result(outline, REFUSED, reason=f"{note}, refused: {earlier.reason}")
            if earlier.status == REFUSED
            else _result(outline, PRESENT, earlier.feed_id, note)
        )
    return [results[number] for number in sorted(results)]


def _spec(outline: Outline, interval: int) -> FeedSpec:
    return FeedSpec(
        id=preferred_id(outline.name), name=outline.name, url=outline.url, lang=outline.lang,
        tags=outline.tags, interval_minutes=interval,
    )  # fmt: skip


def _result(
    outline: Outline, status: str, feed_id: str | None = None, reason: str | None = None
) -> OutlineResult:
    return OutlineResult(outline.number, outline.name, outline.url, status, feed_id, reason)
