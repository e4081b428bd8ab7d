"""Run the collectors: which terms, from which month, storing as they come, health after.

The only orchestrator of series collection. Every source runs at once (each is a different
API, paced by its own host's pause), its terms one after another. For each term it asks only
from the newest month stored (asked again: it may have been partial) through the current
month, which is stored too: its ``period_end`` lies ahead, so no judgment made today reads
it, and the next run replaces it. Points are stored per batch as they arrive, so a killed
back-fill resumes after the newest month stored.

A term's own failure (an unknown article) is recorded and the next term asked; a failure of
the API itself (unreachable, erroring after retries) stops that source for this run; a spent
quota stops it cleanly and pauses it until the API says it refills. None of these stops
another source, and each source's outcome is written to its health, as feeds do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import sqlite_utils

from radar.config import Settings
from radar.errors import ConfigError, FetchError, ParseError
from radar.series.collectors import Collector, collected_sources, collector_for
from radar.series.collectors.base import Context, DailyQuota, QuotaSpent, TermError, parse_month
from radar.series.collectors.http import PoliteClient, RetryLater
from radar.store.series import upsert_points
from radar.store.series_health import (
    SourceHealth,
    known_totals,
    newest_periods,
    record_health,
    source_health,
)
from radar.taxonomy.model import Taxonomy
from radar.timefmt import from_iso, to_iso

log = logging.getLogger("radar.series")
Progress = Callable[[str, int, int | None, str], None]
MAX_MESSAGE = 300


@dataclass
class SourceRun:
    """What one source did in a run."""

    source: str
    terms: int = 0
    points: int = 0
    term_errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    resume_at: datetime | None = None
    skipped: str | None = None


@dataclass
class UpdateReport:
    """A whole update: per source, plus how many requests and how long politeness waited."""

    sources: list[SourceRun] = field(default_factory=list)
    requests: int = 0
    waited_seconds: float = 0.0
    elapsed_seconds: float = 0.0

    @property
    def points(self) -> int:
        return sum(s.points for s in self.sources)


def choose_sources(only: Iterable[str] | None) -> tuple[str, ...]:
    """The collected sources to run; ConfigError naming the choices for an unknown one."""
    known = collected_sources()
    if not only:
        return known
    chosen = tuple(dict.fromkeys(only))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ConfigError(
            f"series: unknown source(s) {', '.join(unknown)}; choose from {', '.join(known)}"
        )
    return chosen


def plan_terms(
    collector: Collector, source: str, taxonomy: Taxonomy, tech: str | None
) -> list[str]:
    """Every distinct term the taxonomy's technologies are asked by at ``source``."""
    techs = [t for t in taxonomy.techs if tech is None or t.id == tech]
    return list(dict.fromkeys(term for t in techs for term in collector.terms(t, source)))


def sources_to_resume(health: dict[str, SourceHealth], now: datetime) -> list[str]:
    """The sources paused (quota spent, asked to wait) whose pause is over: ask them again now.

    A first back-fill larger than a day's quota is finished by these resumptions, not by the
    monthly run, so it completes in days rather than months.
    """
    return sorted(
        source
        for source, h in health.items()
        if h.resume_at and from_iso(h.resume_at) <= now and source in collected_sources()
    )


def first_month(collector: Collector, since: str, newest: str | None) -> date:
    """Where a term's request starts: its newest stored month again, else the back-fill start."""
    if newest:
        return parse_month(newest)
    return max(parse_month(since), collector.first_month)


def _health_after(
    before: SourceHealth, run: SourceRun, now: datetime, quota: DailyQuota | None
) -> SourceHealth:
    failed = run.error is not None
    last_term = next(reversed(run.term_errors.items()), None)
    return replace(
        before,
        last_attempt_at=to_iso(now),
        last_success_at=before.last_success_at if failed else to_iso(now),
        last_error=run.error[:MAX_MESSAGE] if run.error else None,
        error_count=before.error_count + 1 if failed else 0,
        resume_at=to_iso(run.resume_at) if run.resume_at else None,
        quota_day=quota.day if quota else before.quota_day,
        quota_used=quota.used if quota else before.quota_used,
        terms=run.terms,
        points=run.points,
        term_errors=len(run.term_errors),
        last_term_error=(f"{last_term[0]}: {last_term[1]}"[:MAX_MESSAGE] if last_term
                         else None),
    )  # fmt: skip


@dataclass(frozen=True)
class _Run:
    """What every source of one update shares."""

    db: sqlite_utils.Database
    api: PoliteClient
    settings: Settings
    taxonomy: Taxonomy
    tech: str | None
    now: datetime
    progress: Progress | None


async def _run_source(
    run: _Run, collector: Collector, source: str, health: SourceHealth
) -> SourceRun:
    terms = plan_terms(collector, source, run.taxonomy, run.tech)
    done = SourceRun(source, terms=len(terms))
    if health.resume_at and from_iso(health.resume_at) > run.now:
        done.skipped = f"paused until {health.resume_at} (quota spent or asked to wait)"
        done.resume_at = from_iso(health.resume_at)
        return done
    limit = collector.daily_quota(run.settings.series)
    quota = DailyQuota(limit, health.quota_day or "", health.quota_used) if limit else None
    last = run.now.date().replace(day=1)
    ctx = Context(run.settings.series, run.now, quota)
    settled = (last - timedelta(days=1)).replace(day=1).isoformat()  # last month may be partial
    ctx.totals.update(
        {(source, period): total for period, total in known_totals(run.db, source, settled).items()}
    )
    newest = newest_periods(run.db, source)
    for index, term in enumerate(terms):
        if run.progress:
            run.progress(source, index, len(terms), term)
        start = first_month(collector, run.settings.series.since, newest.get(term))
        if start > last:
            continue
        try:
            async for batch in collector.collect(run.api, ctx, source, term, start, last):
                done.points += upsert_points(run.db, batch)
        except QuotaSpent as exc:  # a clean stop: not an error, a pause
            done.resume_at, done.skipped = exc.resume_at, str(exc)
            break
        except RetryLater as exc:
            done.error = str(exc)
            done.resume_at = run.now + timedelta(seconds=exc.retry_after_seconds or 3600)
            break
        except (TermError, ParseError) as exc:
            done.term_errors[term] = str(exc)[:MAX_MESSAGE]
        except FetchError as exc:  # the API itself: unreachable, or failing after retries
            done.error = str(exc)
            break
    if run.progress:
        run.progress(source, len(terms), len(terms), "")
    record_health(run.db, _health_after(health, done, run.now, quota))
    return done


async def _guarded(run: _Run, source: str, health: SourceHealth) -> SourceRun:
    """Run one source; an unexpected fault is that source's recorded error, never the run's."""
    collector = collector_for(source)
    assert collector is not None  # choose_sources lets only collected sources through
    try:
        return await _run_source(run, collector, source, health)
    except Exception as exc:  # one source's bug must not stop the others (as feeds)
        log.exception("series %s: unexpected error", source)
        done = SourceRun(source, error=f"internal error: {type(exc).__name__}: {exc}")
        try:
            record_health(run.db, _health_after(health, done, run.now, None))
        except Exception:  # even the record failed (store fault): the report still says it
            log.exception("series %s: could not record the error", source)
        return done


async def update_series_async(
    db: sqlite_utils.Database,
    settings: Settings,
    taxonomy: Taxonomy,
    now: datetime,
    *,
    sources: Iterable[str] | None = None,
    tech: str | None = None,
    progress: Progress | None = None,
    api: PoliteClient | None = None,
) -> UpdateReport:
    """Collect every chosen source at once; see the module docstring for the rules.

    Parameters: ``sources`` limits the run to these source ids, ``tech`` to one technology;
    ``progress(source, done, total, term)`` is called as terms go by; ``api`` lets a caller
    share (and measure) one client. Returns what each source did, with request counts.
    """
    chosen = choose_sources(sources)
    if tech is not None and tech not in {t.id for t in taxonomy.techs}:
        raise ConfigError(f"series: no technology with id {tech!r} (see `radar techs`)")
    health = source_health(db)
    client = api or PoliteClient(
        settings.http, max_wait=settings.series.max_wait_seconds,
        backoff=settings.series.backoff_seconds,
    )  # fmt: skip
    run = _Run(db, client, settings, taxonomy, tech, now, progress)
    started = asyncio.get_running_loop().time()
    try:
        runs = await asyncio.gather(
            *(_guarded(run, source, health.get(source, SourceHealth(source))) for source in chosen)
        )
    finally:
        if api is None:
            await client.aclose()
    elapsed = asyncio.get_running_loop().time() - started
    return UpdateReport(list(runs), client.requests, client.waited, elapsed)


def update_series(
    db: sqlite_utils.Database,
    settings: Settings,
    taxonomy: Taxonomy,
    now: datetime | None = None,
    *,
    sources: Iterable[str] | None = None,
    tech: str | None = None,
    progress: Progress | None = None,
) -> UpdateReport:
    """`update_series_async` for callers without an event loop (CLI, scheduler)."""
    when = now or datetime.now(UTC)
    return asyncio.run(
        update_series_async(
            db, settings, taxonomy, when, sources=sources, tech=tech, progress=progress
        )
    )
