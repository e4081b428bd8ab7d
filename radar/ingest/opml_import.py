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
from urllib.parse import urlsplit

import sqlite_utils

from radar.config import Settings
from radar.errors import BlockedAddressError, FetchError
from radar.ingest.fetch import ensure_public
from radar.ingest.sources import (
    MAX_OPML_OUTLINES,
    Outline,
    feed_url_key,
    preferred_id,
    read_opml,
)
from radar.records import FeedSpec
from radar.store.feeds import add_feeds, feeds_by_url

ADDED, PRESENT, REFUSED = "added", "present", "refused"
_LOOKUPS_AT_ONCE = 8  # address checks (DNS lookups) in flight
ADDRESS_CHECK_SECONDS = 30.0


@dataclass(frozen=True)
class OutlineResult:
    """What became of one outline."""

    outline: int  # its number in the file (1-based, among outlines to import)
    name: str
    url: str
    status: str  # ADDED | PRESENT | REFUSED
    feed_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class _Verdict:
    """The address check of one host: why it is refused, or a remark on accepting it."""

    refused: str | None = None
    note: str | None = None


async def _check_hosts(urls: list[str], budget: float) -> dict[str, _Verdict]:
    """Check each host once (``ensure_public``), all within ``budget`` seconds; host -> verdict.

    A host not answered in time is accepted unchecked: the fetcher checks the address (and
    every redirect hop) again on each poll, so this check only spares the user feeds that
    could never be fetched, and must not make a 2,000-feed import wait on a slow resolver.
    """
    by_host: dict[str, str] = {}
    for url in urls:
        by_host.setdefault(urlsplit(url).hostname or "", url)
    slots = asyncio.Semaphore(_LOOKUPS_AT_ONCE)

    async def check(url: str) -> _Verdict:
        async with slots:
            try:
                await ensure_public(url)
            except BlockedAddressError as exc:
                return _Verdict(refused=str(exc))
            except FetchError:
                return _Verdict(note="host not found today; every fetch tries again")
            except ValueError as exc:  # a host name the resolver cannot even encode
                return _Verdict(refused=f"host name cannot be looked up ({exc})")
            return _Verdict()

    tasks = {host: asyncio.create_task(check(url)) for host, url in by_host.items()}
    if tasks:
        await asyncio.wait(tasks.values(), timeout=budget)
    late = _Verdict(note=f"address not checked within {budget:g} s; every fetch checks it")
    verdicts: dict[str, _Verdict] = {}
    for host, task in tasks.items():
        if task.done():
            verdicts[host] = task.result()
        else:
            task.cancel()
            verdicts[host] = late
    return verdicts


def import_opml(
    db: sqlite_utils.Database,
    source: bytes | BinaryIO,
    settings: Settings,
    now: datetime,
    *,
    allow_private: bool = False,
    max_outlines: int = MAX_OPML_OUTLINES,
    check_seconds: float = ADDRESS_CHECK_SECONDS,
) -> list[OutlineResult]:
    """Add the OPML's feeds; return one result per outline, in file order.

    Raises ConfigError, adding nothing, when the file is not OPML or lists more than
    ``max_outlines`` outlines. Addresses are checked for ``check_seconds`` at most; every
    fetch re-checks the address and each redirect hop, so a feed accepted unchecked, or one
    that later redirects to a private address, is still blocked then.
    """
    outlines = read_opml(source, max_outlines)
    results: dict[int, OutlineResult] = {}
    known = feeds_by_url(db, feed_url_key)
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
    verdicts = (
        {} if allow_private else asyncio.run(_check_hosts([o.url for o in fresh], check_seconds))
    )
    accepted: list[tuple[Outline, str | None]] = []
    for outline in fresh:
        verdict = verdicts.get(urlsplit(outline.url).hostname or "", _Verdict())
        if verdict.refused:
            results[outline.number] = _result(outline, REFUSED, reason=verdict.refused)
        else:
            accepted.append((outline, verdict.note))
    specs = [_spec(o, settings.default_interval) for o, _ in accepted]
    stored = add_feeds(db, specs, "opml", now, feed_url_key)
    for (outline, note), (feed_id, new) in zip(accepted, stored, strict=True):
        results[outline.number] = (
            _result(outline, ADDED, feed_id, note)
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
