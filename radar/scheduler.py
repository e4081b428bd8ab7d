"""APScheduler 3 wiring: fixed job ids, coalescing, one instance per job, a grace time.

Misfired runs (the machine slept) coalesce into one; a job still running is never started
twice; all times are in the configured zone (Asia/Tokyo by default).
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from radar.config import Settings
from radar.jobs import JobSpec


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
