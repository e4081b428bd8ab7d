"""Run a fetch over every due feed: fetch, parse, store, record health; never stop on one feed.

The only orchestrator of ingestion. Downloads run concurrently and each body is parsed as
it arrives: on the event loop's thread for the first few, then in a worker process when a
run brings many (``workers.ParseWorker``); one writer thread owns the store and commits what
has been parsed meanwhile in one transaction: the items of several feeds (up to ``BATCH``)
with their health and log rows. The feeds that bring no items (a 304, an unchanged body,
an error) are recorded together at the end of the run, so a poll where nothing changed
is one commit, not one per feed. The store's work (SQLite and its full-text index run in
C, without the GIL) overlaps the parsing of the next bodies on the other core. A killed
process loses at most the feeds in flight: each feed's items and its health row are
committed together, and a feed not recorded stays due (a 304 costs little to ask again).
A group that fails to commit is written again feed by feed, so one bad feed is recorded
as that feed's error and never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlite_utils

from radar.config import Settings
from radar.errors import FetchError, ParseError
from radar.ingest.fetch import HostLimiter, RetryLater, fetch_feed, make_client
from radar.ingest.parse import parse_feed
from radar.ingest.schedule import effective_interval, next_due
from radar.ingest.workers import ParseWorker, WorkerDied
from radar.records import FeedState, Fetched, Item
from radar.store.bulk import BATCH, insert_feeds_bulk
from radar.store.db import transaction
from radar.store.feeds import Attempt, due_feeds, record_attempt

Progress = Callable[[str, str], None]
GROUP_WAIT = 0.2  # seconds a small group waits for more feeds before it is committed
PARSE_AHEAD = 4  # bodies waiting for the parser at most: the worker never idles, memory stays flat
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


@dataclass(frozen=True)
class Outcome:
    """One feed's attempt, judged and ready to store: its log row, items and health update."""

    state: FeedState
    attempt: Attempt
    next_due: datetime
    items: tuple[Item, ...] = ()
    record: dict[str, Any] = field(default_factory=dict)  # record_attempt's keyword options

    @property
    def error(self) -> str | None:
        return self.attempt.error


def _failure(
    state: FeedState,
    error: FetchError | ParseError,
    started: datetime,
    settings: Settings,
    fetched: Fetched | None = None,
) -> Outcome:
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
    return Outcome(
        state, attempt, due, record={"disable_reason": str(error) if status == 410 else None}
    )


def _crash(state: FeedState, exc: BaseException, started: datetime, settings: Settings) -> Outcome:
    """An unexpected fault while handling one feed, as that feed's error.

    The fault counts as a failed attempt, so the feed backs off like any failing feed
    instead of aborting every later run.
    """
    log.error("feed %s: unexpected %s: %s", state.id, type(exc).__name__, exc)
    log.debug("feed %s: where the unexpected error came from", state.id, exc_info=exc)
    error = FetchError(f"internal error while handling this feed: {type(exc).__name__}: {exc}")
    return _failure(state, error, started, settings)


def changed_body(state: FeedState, result: Fetched | FetchError) -> str | None:
    """The new body's fingerprint, or None when there is nothing to parse (an error, a 304,
    the body stored last time). Computed once per feed: it decides where the body is parsed."""
    if not isinstance(result, Fetched) or result.not_modified:
        return None
    body_hash = hashlib.sha256(result.body).hexdigest()
    return None if body_hash == state.body_hash else body_hash


def judge(
    state: FeedState, result: Fetched | FetchError, started: datetime, settings: Settings,
    body_hash: str | None,
) -> Outcome:  # fmt: skip
    """Parse a fetched body (or take its error) into what the store should record.

    ``body_hash``: ``changed_body(state, result)``; None records the feed as unchanged.
    """
    if isinstance(result, FetchError):
        return _failure(state, result, started, settings)
    interval = effective_interval(state.interval_minutes, None, result.max_age_seconds)
    if body_hash is None:
        attempt = Attempt(
            feed_id=state.id, started_at=started, outcome="not_modified",
            status=result.status, duration_ms=result.elapsed_ms, bytes=len(result.body),
        )  # fmt: skip
        record = {"url": result.permanent_url, "effective_interval": interval}
        return Outcome(state, attempt, next_due(started, interval), record=record)
    try:
        parsed = parse_feed(result.body, result.url, started, result.headers, state.lang)
    except ParseError as exc:
        return _failure(state, exc, started, settings, result)
    interval = effective_interval(
        state.interval_minutes, parsed.ttl_minutes, result.max_age_seconds
    )
    attempt = Attempt(
        feed_id=state.id, started_at=started, outcome="ok", status=result.status,
        duration_ms=result.elapsed_ms, bytes=len(result.body), warning=parsed.warning,
    )  # fmt: skip
    record = {
        "validators": {
            "etag": result.headers.get("etag") or result.headers.get("ETag"),
            "last_modified": result.headers.get("last-modified")
            or result.headers.get("Last-Modified"),
            "body_hash": body_hash,
        },
        "url": result.permanent_url,
        "effective_interval": interval,
        "meta": {"title": parsed.title or None, "site_url": parsed.site_url},
    }
    return Outcome(state, attempt, next_due(started, interval), parsed.items, record)


def _write_together(db: sqlite_utils.Database, outcomes: Sequence[Outcome]) -> list[Outcome]:
    """Commit the outcomes' items, log rows and health in one transaction.

    A feed of more than ``BATCH`` items commits its earlier items batch by batch first (no
    long write lock); its last batch commits with its health, so an interrupted feed stays
    due and its re-run adds the rest.
    """
    new = dict.fromkeys((o.state.id for o in outcomes), 0)
    for outcome in outcomes:
        if len(outcome.items) > BATCH:
            early = {outcome.state.id: outcome.items[:-BATCH]}
            new[outcome.state.id] += insert_feeds_bulk(db, early, outcome.attempt.started_at)[
                outcome.state.id
            ]
    fetching = [o for o in outcomes if o.items]
    with transaction(db):
        if fetching:
            counts = insert_feeds_bulk(
                db, {o.state.id: o.items[-BATCH:] for o in fetching},
                {o.state.id: o.attempt.started_at for o in fetching},
            )  # fmt: skip
            for feed_id, count in counts.items():
                new[feed_id] += count
        written = []
        for outcome in outcomes:
            attempt = replace(outcome.attempt, new_items=new[outcome.state.id])
            record_attempt(db, attempt, outcome.next_due, **outcome.record)
            written.append(replace(outcome, attempt=attempt))
    return written


def write_outcomes(
    db: sqlite_utils.Database, outcomes: Sequence[Outcome], settings: Settings
) -> list[Outcome]:
    """Store the outcomes, together if possible; return them as recorded.

    When the group cannot be committed, each feed is written alone, and a feed that still
    fails is recorded as that feed's error; a store too broken even for that is logged and
    the feed counted as failed, so the run goes on.
    """
    try:
        return _write_together(db, outcomes)
    except Exception as exc:  # the group boundary: retried feed by feed below
        if len(outcomes) > 1:
            return [done for one in outcomes for done in write_outcomes(db, [one], settings)]
        outcome = outcomes[0]
        if outcome.attempt.outcome == "error" and not outcome.items:
            log.exception("feed %s: could not record the error", outcome.state.id)
            return [outcome]
        crashed = _crash(outcome.state, exc, outcome.attempt.started_at, settings)
        return write_outcomes(db, [crashed], settings)


def _tally(summary: RunSummary, outcome: Outcome) -> None:
    attempt = outcome.attempt
    if attempt.outcome == "error":
        summary.failed += 1
        summary.errors[outcome.state.id] = attempt.error or "error"
    elif attempt.outcome == "not_modified":
        summary.not_modified += 1
    else:
        summary.ok += 1
        summary.new_items += attempt.new_items
        if attempt.warning:
            summary.warnings[outcome.state.id] = attempt.warning


async def _next_group(
    first: Outcome, queue: asyncio.Queue[Outcome | None], wait: float
) -> tuple[list[Outcome], Any]:
    """``first`` and the outcomes queued after it, up to ``BATCH`` items in all.

    A group still short of ``BATCH`` waits up to ``wait`` seconds for more: feeds come one
    at a time, and one commit per feed cost more than the parsing (a commit writes the
    full-text index's pending segments). Returns the group and what stopped it: an outcome
    that did not fit (the next group's first), None when the run's end was reached, or
    ``...`` when the queue ran dry.
    """
    group, items = [first], len(first.items)
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        if queue.empty():
            remaining = deadline - asyncio.get_running_loop().time()
            if items >= BATCH or remaining <= 0:
                return group, ...
            try:
                following = await asyncio.wait_for(queue.get(), remaining)
            except TimeoutError:
                return group, ...
        else:
            following = queue.get_nowait()
        if following is None or items + len(following.items) > BATCH:
            return group, following
        group.append(following)
        items += len(following.items)


async def _writer(
    db: sqlite_utils.Database,
    settings: Settings,
    queue: asyncio.Queue[Outcome | None],
    summary: RunSummary,
    progress: Progress | None,
) -> None:
    """Store the judged outcomes as they come, each time all that queued while it wrote."""
    loop = asyncio.get_running_loop()
    carried: Any = ...
    with ThreadPoolExecutor(1, thread_name_prefix="radar-store") as store_thread:
        while True:
            first = await queue.get() if carried is ... else carried
            if first is None:
                return
            group, carried = await _next_group(first, queue, GROUP_WAIT)
            written = await loop.run_in_executor(store_thread, write_outcomes, db, group, settings)
            for outcome in written:
                _tally(summary, outcome)
                if progress:
                    progress(outcome.state.id, outcome.error or "ok")


async def _judged(
    parser: ParseWorker,
    state: FeedState,
    started: datetime,
    result: Fetched | Exception,
    settings: Settings,
) -> Outcome:
    """Judge one feed's answer; a changed body is parsed where ``parser`` says."""
    try:
        if not isinstance(result, FetchError | Fetched):
            raise result
        body_hash = changed_body(state, result)
        if body_hash is not None:
            return await parser.run(judge, state, result, started, settings, body_hash)
        return judge(state, result, started, settings, None)
    except WorkerDied as exc:
        fetched = result if isinstance(result, Fetched) else None
        return _failure(state, ParseError(f"parse: {exc}"), started, settings, fetched)
    except Exception as exc:  # the feed boundary: one feed never stops the run
        return _crash(state, exc, started, settings)


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

    queue: asyncio.Queue[Outcome | None] = asyncio.Queue()
    quiet: list[Outcome] = []  # no items (304s, unchanged bodies, errors): stored last, at once
    writer = asyncio.create_task(_writer(db, settings, queue, summary, progress))
    try:
        async with make_client(settings.http) as client, ParseWorker() as parser:
            ahead = asyncio.Semaphore(PARSE_AHEAD)

            async def judged(state: FeedState, started: datetime, result: Any) -> None:
                try:
                    outcome = await _judged(parser, state, started, result, settings)
                finally:
                    ahead.release()
                if outcome.items:
                    queue.put_nowait(outcome)
                else:
                    quiet.append(outcome)

            tasks = [asyncio.create_task(one(state)) for state in states]
            judging = []
            for finished in asyncio.as_completed(tasks):
                await ahead.acquire()
                judging.append(asyncio.create_task(judged(*await finished)))
                await asyncio.sleep(0)  # let the writer take what is queued
            await asyncio.gather(*judging)
    finally:
        for outcome in quiet:
            queue.put_nowait(outcome)
        queue.put_nowait(None)
        await writer
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
