"""The scheduled jobs and their APScheduler 3 wiring: fixed ids, coalescing, a grace time.

Each job opens its own database connection, so it can run on a scheduler thread while the
web app reads the same file, and calls one flow of :mod:`radar.workflows`. A job never
raises into the scheduler (an exception there would end the job for good): it logs the
error and the next run tries again. Misfired runs (the machine slept) coalesce into one; a
job still running is never started twice; all times are in the configured zone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils
from apscheduler.schedulers.background import BackgroundScheduler

from radar import workflows
from radar.classify.changes import WEEKLY
from radar.config import Settings
from radar.digest.run import send_week
from radar.series.collect import sources_to_resume, update_series
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from radar.store.series_health import is_demo_store, source_health
from radar.taxonomy.layers import taxonomy_for
from radar.timefmt import utcnow

log = logging.getLogger("radar.jobs")


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: a fixed id (one instance per id), a function and a trigger."""

    id: str
    func: Callable[..., Any]
    trigger: str
    trigger_args: dict[str, Any]
    kwargs: dict[str, Any]
    run_at_start: bool = False


@contextmanager
def _job(name: str, settings: Settings) -> Iterator[sqlite_utils.Database]:
    """The store for one job run; any error is logged, never raised into the scheduler."""
    try:
        db = open_db(settings.db_path)
        try:
            yield db
        finally:
            db.close()
    except Exception:
        log.exception("%s failed; the next run tries again", name)


def poll_feeds(
    settings: Settings, only: frozenset[str] | None = None, skip_origin: str | None = None
) -> threading.Thread:
    """Fetch the feeds that are due and log a one-line summary; scoring follows on its own
    thread (:func:`score_in_background`, returned), so the poll never waits for embeddings."""
    with _job("poll", settings) as db:
        summary = workflows.poll(
            db, settings, utcnow, only=only, skip_origin=skip_origin, score=False
        )
        log.info(
            "poll: %d feeds, %d ok, %d not modified, %d failed, %d new items",
            summary.feeds, summary.ok, summary.not_modified, summary.failed, summary.new_items,
        )  # fmt: skip
    return score_in_background(settings)


class _Scorer:
    """One scoring thread per process; a request while it runs makes it go round once more.

    The items are already committed when a request comes, so a pass started after it sees
    them: nothing is lost, and two passes never embed the same items at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None

    def request(self, settings: Settings) -> threading.Thread:
        with self._lock:
            self._pending = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, args=(settings,), name="radar-scoring", daemon=True
                )
                self._thread.start()
            return self._thread

    def _run(self, settings: Settings) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
                self._pending = False
            score_new_items(settings)


_SCORER = _Scorer()


def score_in_background(settings: Settings) -> threading.Thread:
    """Score (and, when due, train on) the stored items on the scoring thread; returns it."""
    return _SCORER.request(settings)


def score_new_items(settings: Settings) -> None:
    """Link and score the unscored items; train first when the store has no model yet or
    staff tagged enough items (:func:`radar.workflows.learn_and_score`)."""
    with _job("scoring", settings) as db:
        result = workflows.learn_and_score(db, settings, utcnow())
        if result is not None:
            log.info("training: version %s, promoted: %s", result.version, result.promoted)


def retrain_weekly(settings: Settings) -> None:
    """The weekly retraining: promoted only if not worse (radar.classify.compare)."""
    with _job("weekly training", settings) as db:
        result = workflows.retrain(db, settings, utcnow(), reason=WEEKLY)
        log.info("weekly training: version %s, promoted: %s", result.version, result.promoted)


def build_weekly_editions(settings: Settings) -> None:
    """Build the radar editions not built yet (the newest week included)."""
    with _job("edition build", settings) as db:
        log.info("editions: built %d", workflows.build_editions(db, settings, utcnow()))


def send_weekly_digest(settings: Settings) -> None:
    """Send the newest edition's digest to everyone not yet sent it."""
    if not settings.smtp.host or not settings.smtp.recipients:
        log.info("digest: SMTP host or recipients not configured; skipped")
        return
    with _job("digest", settings) as db:
        weeks = edition_weeks(db)
        if weeks:
            taxonomy = taxonomy_for(settings)
            for outcome in send_week(db, settings, taxonomy, weeks[0], utcnow()):
                log.info("digest %s: %s %s", weeks[0], outcome.recipient, outcome.status)


def collect_series(settings: Settings) -> None:
    """Collect public series (monthly): each source from where it stopped, health recorded."""
    if not settings.series.collect:
        log.info("series: collection is off (series.collect); skipped")
        return
    with _job("series", settings) as db:
        if is_demo_store(db):
            log.info("series: the offline demo has no collectors; skipped")
            return
        taxonomy = taxonomy_for(settings)
        report = update_series(db, settings, taxonomy, utcnow())
        for run in report.sources:
            if run.error or run.skipped:
                log.warning("series %s: %s", run.source, run.error or run.skipped)
        log.info(
            "series: %d values from %d requests in %.0f s (%.0f s pausing for politeness)",
            report.points, report.requests, report.elapsed_seconds, report.waited_seconds,
        )  # fmt: skip


def resume_series(settings: Settings) -> None:
    """Resume (hourly) the series sources whose quota pause is over, so a back-fill finishes."""
    if not settings.series.collect:
        return
    with _job("series resume", settings) as db:
        due = sources_to_resume(source_health(db), utcnow())
        if due:
            taxonomy = taxonomy_for(settings)
            report = update_series(db, settings, taxonomy, utcnow(), sources=due)
            log.info("series: resumed %s, %d values", ", ".join(due), report.points)


def scheduled_jobs(
    settings: Settings, only: frozenset[str] | None = None, skip_origin: str | None = None
) -> list[JobSpec]:
    """Every job `radar run` schedules."""
    every = {"settings": settings}
    poll = {**every, "only": only, "skip_origin": skip_origin}
    fetching = {"minutes": settings.fetch_minutes}
    monday = _weekly("mon", 6)
    digest = _weekly(settings.digest_day, settings.digest_hour)
    # the 2nd: the month just over is complete at every source (npm lands a day late)
    monthly = {"day": 2, "hour": 4, "minute": 30}
    return [
        JobSpec("poll-feeds", poll_feeds, "interval", fetching, poll, run_at_start=True),
        JobSpec("weekly-edition", build_weekly_editions, "cron", monday, every, run_at_start=True),
        JobSpec("weekly-training", retrain_weekly, "cron", _weekly("sun", 3), every),
        JobSpec("weekly-digest", send_weekly_digest, "cron", digest, every),
        JobSpec("monthly-series", collect_series, "cron", monthly, every),
        JobSpec("series-resume", resume_series, "interval", {"hours": 1}, every),
    ]


def _weekly(day: str, hour: int) -> dict[str, Any]:
    """A cron trigger's arguments for once a week, on the hour."""
    return {"day_of_week": day, "hour": hour, "minute": 0}


def build_scheduler(
    settings: Settings, jobs: list[JobSpec], *, run_now: bool = True
) -> BackgroundScheduler:
    """Return an unstarted scheduler holding ``jobs`` (the first run starts at once)."""
    scheduler = BackgroundScheduler(
        timezone=settings.tz,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.misfire_grace_seconds,
        },
    )
    for job in jobs:
        extra = {"next_run_time": datetime.now(settings.tz)} if run_now and job.run_at_start else {}
        scheduler.add_job(
            job.func, job.trigger, id=job.id, name=job.id, kwargs=job.kwargs,
            replace_existing=True, **job.trigger_args, **extra,
        )  # fmt: skip
    return scheduler
