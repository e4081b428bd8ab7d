"""The scheduled jobs as plain importable functions (the scheduler only wires them).

Each job opens its own database connection, so it can run on a scheduler thread while the
web app reads the same file. A job never raises into the scheduler: errors are logged and
the next run tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from radar.classify.linking import link_store
from radar.classify.retrain import score_store
from radar.classify.taxonomy import load_taxonomy
from radar.config import Settings
from radar.errors import RadarError
from radar.ingest.pipeline import run_fetch
from radar.store.db import open_db
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


def poll_feeds(
    settings: Settings, only: frozenset[str] | None = None, skip_origin: str | None = None
) -> None:
    """Fetch the feeds that are due and log a one-line summary."""
    try:
        db = open_db(settings.db_path)
        summary = run_fetch(db, settings, utcnow, only=only, skip_origin=skip_origin)
        taxonomy = load_taxonomy(settings.taxonomy_path)
        link_store(db, taxonomy)
        score_store(db, taxonomy, settings.models_dir, utcnow())
        db.close()
    except Exception as exc:  # nothing a feed sends may stop the scheduler's poll job
        log.error("poll failed: %s", exc, exc_info=not isinstance(exc, RadarError))
        return
    log.info(
        "poll: %d feeds, %d ok, %d not modified, %d failed, %d new items",
        summary.feeds, summary.ok, summary.not_modified, summary.failed, summary.new_items,
    )  # fmt: skip


def build_weekly_editions(settings: Settings) -> None:
    """Build the radar editions not built yet (the newest week included)."""
    from radar.staying.editions import build_editions, pending_weeks

    try:
        db = open_db(settings.db_path)
        weeks = pending_weeks(db)
        built = build_editions(db, load_taxonomy(settings.taxonomy_path), weeks, utcnow())
        db.close()
    except RadarError as exc:
        log.error("edition build failed: %s", exc)
        return
    log.info("editions: built %d", built)


def send_weekly_digest(settings: Settings) -> None:
    """Send the newest edition's digest to everyone not yet sent it; never raises."""
    from radar.digest.run import send_week
    from radar.store.editions import edition_weeks

    if not settings.smtp.host or not settings.smtp.recipients:
        log.info("digest: SMTP host or recipients not configured; skipped")
        return
    try:
        db = open_db(settings.db_path)
        weeks = edition_weeks(db)
        if weeks:
            taxonomy = load_taxonomy(settings.taxonomy_path)
            for outcome in send_week(db, settings, taxonomy, weeks[0], utcnow()):
                log.info("digest %s: %s %s", weeks[0], outcome.recipient, outcome.status)
        db.close()
    except Exception as exc:  # an SMTP or template fault must never stop the scheduler
        log.error("digest failed: %s", exc)


def scheduled_jobs(
    settings: Settings, only: frozenset[str] | None = None, skip_origin: str | None = None
) -> list[JobSpec]:
    """Every job `radar run` schedules; the weekly radar and digest jobs join this list."""
    return [
        JobSpec(
            id="poll-feeds",
            func=poll_feeds,
            trigger="interval",
            trigger_args={"minutes": settings.fetch_minutes},
            kwargs={"settings": settings, "only": only, "skip_origin": skip_origin},
            run_at_start=True,
        ),
        JobSpec(
            id="weekly-edition",
            func=build_weekly_editions,
            trigger="cron",
            trigger_args={"day_of_week": "mon", "hour": 6, "minute": 0},
            kwargs={"settings": settings},
            run_at_start=True,
        ),
        JobSpec(
            id="weekly-digest",
            func=send_weekly_digest,
            trigger="cron",
            trigger_args={"day_of_week": settings.digest_day, "hour": settings.digest_hour},
            kwargs={"settings": settings},
        ),
    ]
