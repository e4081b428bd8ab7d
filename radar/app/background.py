"""Heavy work started from a page runs here, on a thread, never inside a page render.

A :class:`Job` is plain data the thread updates (status, progress lines, result or error);
the page keeps it in ``st.session_state`` and shows it. The thread opens its own database
connection and never touches Streamlit. One job per kind runs at a time in the whole
process, so two staff members cannot retrain at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from radar.classify.registry import use_version
from radar.classify.retrain import score_store, train_and_maybe_promote
from radar.config import Settings
from radar.errors import RadarError
from radar.staying.editions import build_editions, pending_weeks
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from radar.store.weekly import parse_week_label
from radar.taxonomy.load import load_taxonomy
from radar.timefmt import utcnow

Say = Callable[[str], None]
_RUNNING: dict[str, Job] = {}
_LOCK = threading.Lock()


@dataclass
class Job:
    """One background run as the page sees it."""

    kind: str
    started: datetime
    status: str = "running"  # running | done | failed
    messages: list[str] = field(default_factory=list)
    result: Any = None
    error: str | None = None
    cleared: bool = False  # the app has cleared its read caches since the job ended
    announced: bool = False  # the outcome has been shown to the user
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.status == "running"

    def wait(self, timeout: float | None = None) -> None:
        """Block until the job ends (tests and scripts only)."""
        if self.thread is not None:
            self.thread.join(timeout)


def _run(job: Job, work: Callable[[Say], Any]) -> None:
    try:
        job.result = work(job.messages.append)
        job.status = "done"
    except RadarError as exc:
        job.error, job.status = str(exc), "failed"
    except Exception as exc:  # the thread must end with a status, never die silently
        job.error, job.status = f"{type(exc).__name__}: {exc}", "failed"
    finally:
        with _LOCK:
            if _RUNNING.get(job.kind) is job:
                del _RUNNING[job.kind]


def start(kind: str, work: Callable[[Say], Any]) -> Job | None:
    """Start ``work(say)`` on a thread; None when a job of this kind is already running."""
    with _LOCK:
        if kind in _RUNNING:
            return None
        job = Job(kind=kind, started=utcnow())
        _RUNNING[kind] = job
    job.thread = threading.Thread(target=_run, args=(job, work), name=f"radar-{kind}",
                                  daemon=True)  # fmt: skip
    job.thread.start()
    return job


def running(kind: str) -> Job | None:
    """The job of this kind running in this process, if any (started by anyone)."""
    with _LOCK:
        return _RUNNING.get(kind)


def _rebuild(db: Any, settings: Settings, since: str | None, say: Say) -> int:
    """Build pending editions and rebuild those from ``since`` (default: the newest) on."""
    weeks = set(pending_weeks(db))
    built = edition_weeks(db)
    start_label = since or (built[0] if built else None)
    if start_label is not None:
        first = parse_week_label(start_label)
        weeks |= {w for w in pending_weeks(db, rebuild=True) if w >= first}
    say(f"editions: building {len(weeks)}")
    return build_editions(
        db, load_taxonomy(settings.taxonomy_path), sorted(weeks), utcnow(),
        progress=lambda done, label: say(f"editions: {done}/{len(weeks)} ({label})"),
    )  # fmt: skip


def rebuild_editions(settings: Settings, since: str | None) -> Callable[[Say], int]:
    """Work for :func:`start`: rebuild the editions from a week on (after an override)."""

    def work(say: Say) -> int:
        db = open_db(settings.db_path, migrate_schema=False)
        try:
            return _rebuild(db, settings, since, say)
        finally:
            db.close()

    return work


def retrain(settings: Settings, force: bool = False) -> Callable[[Say], dict[str, Any]]:
    """Work for :func:`start`: train, promote if not worse, re-score, rebuild the newest edition."""

    def work(say: Say) -> dict[str, Any]:
        db = open_db(settings.db_path, migrate_schema=False)
        try:
            taxonomy = load_taxonomy(settings.taxonomy_path)
            result = train_and_maybe_promote(
                db, taxonomy, settings.models_dir, utcnow(), force=force,
                sentence_model=settings.sentence_model, progress=say,
            )  # fmt: skip
            if result.promoted:
                _rebuild(db, settings, None, say)
            return {
                "version": result.version,
                "promoted": result.promoted,
                "metrics": result.metrics,
                "current_metrics": result.current_metrics,
                "changed": list(result.changed),
            }
        finally:
            db.close()

    return work


def switch_model(settings: Settings, version: str) -> Callable[[Say], str]:
    """Work for :func:`start`: promote or roll back, re-score every item, rebuild the newest."""

    def work(say: Say) -> str:
        use_version(settings.models_dir, version)
        db = open_db(settings.db_path, migrate_schema=False)
        try:
            taxonomy = load_taxonomy(settings.taxonomy_path)
            say("scoring every item")
            score_store(db, taxonomy, settings.models_dir, utcnow())
            _rebuild(db, settings, None, say)
            return version
        finally:
            db.close()

    return work
