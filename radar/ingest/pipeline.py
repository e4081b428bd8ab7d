"""Run a fetch over every due feed: fetch, parse, store, record health; never stop on one feed.

The only orchestrator of ingestion. Downloads run concurrently; parsing and writing happen
one feed at a time on this thread (one writer), and each feed's items (its last batch, for a
big feed), health and log row are committed in one transaction, so a killed process loses at
most the feed in flight.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from radar.config import Settings
from radar.errors import FetchError, ParseError
from radar.ingest.fetch import HostLimiter, RetryLater, fetch_feed, make_client
from radar.ingest.parse import parse_feed
from radar.ingest.schedule import effective_interval, next_due
from radar.records import FeedState, Fetched
from radar.store.bulk import BATCH
from radar.store.db import transaction
from radar.store.feeds import Attempt, due_feeds, record_attempt
from radar.store.items import insert_items

Progress = Callable[[str, str], None]
log = logging.getLogger("radar.ingest")


@dataclass
class RunSummary:
    """What a fetch run did, for the CLI summary and the scheduler log."""

    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def feeds(self) -> int:
        return self.ok + self.not_modified + self.failed


def _record_failure(
    db: sqlite_utils.Database,
    state: FeedState,
    error: FetchError | ParseError,
    started: datetime,
    settings: Settings,
    summary: RunSummary,
    fetched: Fetched | None = None,
) -> None:
    status = (
        error.status if isinstance(error, FetchError) else (fetched.status if fetched else None)
    )
    retry = error.retry_after_seconds if isinstance(error, RetryLater) else None
    due = next_due(
        started, state.interval_minutes, state.error_count + 1,
        settings.http.max_backoff_minutes, retry,
    )  # fmt: skip
    attempt = Attempt(
        feed_id=state.id, started_at=started, outcome="error", status=status,
        duration_ms=fetched.elapsed_ms if fetched else 0,
        bytes=len(fetched.body) if fetched else 0, error=str(error),
    )  # fmt: skip
    with transaction(db):
        record_attempt(db, attempt, due, disable_reason=str(error) if status == 410 else None)
    summary.failed += 1
    summary.errors[state.id] = str(error)


def _record_crash(
    db: sqlite_utils.Database,
    state: FeedState,
    exc: BaseException,
    started: datetime,
    settings: Settings,
    summary: RunSummary,
) -> None:
    """Record an unexpected fault while handling one feed as that feed's error, and go on.

    The feed's transaction (if any) was rolled back; the fault counts as a failed attempt,
    so the feed backs off like any failing feed instead of aborting every later run.
    """
    log.error("feed %s: unexpected %s: %s", state.id, type(exc).__name__, exc)
    log.debug("feed %s: where the unexpected error came from", state.id, exc_info=exc)
    error = FetchError(f"internal error while handling this feed: {type(exc).__name__}: {exc}")
    try:
        _record_failure(db, state, error, started, settings, summary)
    except Exception:  # even the record failed (store fault): still never stop the run
        log.exception("feed %s: could not record the error", state.id)
        summary.failed += 1
        summary.errors[state.id] = str(error)


def store_result(
    db: sqlite_utils.Database,
    state: FeedState,
    result: Fetched | FetchError,
    started: datetime,
    settings: Settings,
    summary: RunSummary,
) -> None:
    """Parse a fetched body and commit items plus health in one transaction."""
    if isinstance(result, FetchError):
        _record_failure(db, state, result, started, settings, summary)
        return
    interval = effective_interval(state.interval_minutes, None, result.max_age_seconds)
    body_hash = hashlib.sha256(result.body).hexdigest() if not result.not_modified else None
    if result.not_modified or body_hash == state.body_hash:
        attempt = Attempt(
            feed_id=state.id, started_at=started, outcome="not_modified",
            status=result.status, duration_ms=result.elapsed_ms, bytes=len(result.body),
        )  # fmt: skip
        with transaction(db):
            record_attempt(
                db, attempt, next_due(started, interval), url=result.permanent_url,
                effective_interval=interval,
            )  # fmt: skip
        summary.not_modified += 1
        return
    try:
        parsed = parse_feed(result.body, result.url, started, result.headers, state.lang)
    except ParseError as exc:
        _record_failure(db, state, exc, started, settings, summary, result)
        return
    interval = effective_interval(
        state.interval_minutes, parsed.ttl_minutes, result.max_age_seconds
    )
    # A big feed commits batch by batch (no long write lock); its last batch, health and log
    # row commit together, so an interrupted feed stays due and its re-run adds the rest.
    new = insert_items(db, state.id, parsed.items[:-BATCH], started)
    with transaction(db):
        new += insert_items(db, state.id, parsed.items[-BATCH:], started)
        attempt = Attempt(
            feed_id=state.id, started_at=started, outcome="ok", status=result.status,
            duration_ms=result.elapsed_ms, bytes=len(result.body), new_items=new,
            warning=parsed.warning,
        )  # fmt: skip
        record_attempt(
            db, attempt, next_due(started, interval),
            validators={
                "etag": result.headers.get("etag") or result.headers.get("ETag"),
                "last_modified": result.headers.get("last-modified")
                or result.headers.get("Last-Modified"),
                "body_hash": body_hash,
            },
            url=result.permanent_url, effective_interval=interval,
            meta={"title": parsed.title or None, "site_url": parsed.site_url},
        )  # fmt: skip
    summary.ok += 1
    summary.new_items += new
    if parsed.warning:
        summary.warnings[state.id] = parsed.warning


async def fetch_run(
    db: sqlite_utils.Database,
    settings: Settings,
    clock: Callable[[], datetime],
    *,
    everything: bool = False,
    progress: Progress | None = None,
    only: Iterable[str] | None = None,
    skip_origin: str | None = None,
) -> RunSummary:
    """Fetch every due feed (or all enabled ones) and store what they hold."""
    summary = RunSummary()
    states = due_feeds(db, clock(), everything, only, skip_origin)
    if not states:
        return summary
    limiter = HostLimiter(settings.http.per_host)
    gate = asyncio.Semaphore(settings.http.concurrency)

    async def one(state: FeedState) -> tuple[FeedState, datetime, Fetched | Exception]:
        async with gate:
            started = clock()
            try:
                return (
                    state,
                    started,
                    await fetch_feed(client, state, settings.http, started, limiter),
                )
            except Exception as exc:  # the feed boundary: recorded on the feed below
                return state, started, exc

    async with make_client(settings.http) as client:
        tasks = [asyncio.create_task(one(state)) for state in states]
        for finished in asyncio.as_completed(tasks):
            state, started, result = await finished
            if isinstance(result, FetchError | Fetched):
                try:
                    store_result(db, state, result, started, settings, summary)
                except Exception as exc:  # the feed boundary: one feed never stops the run
                    _record_crash(db, state, exc, started, settings, summary)
            else:
                _record_crash(db, state, result, started, settings, summary)
            if progress:
                progress(state.id, summary.errors.get(state.id, "ok"))
    return summary


def run_fetch(
    db: sqlite_utils.Database,
    settings: Settings,
    clock: Callable[[], datetime],
    *,
    everything: bool = False,
    progress: Progress | None = None,
    only: Iterable[str] | None = None,
    skip_origin: str | None = None,
) -> RunSummary:
    """Synchronous entry point for the CLI and the scheduler."""
    return asyncio.run(
        fetch_run(
            db,
            settings,
            clock,
            everything=everything,
            progress=progress,
            only=only,
            skip_origin=skip_origin,
        )
    )
