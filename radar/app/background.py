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
from typing import Any, NamedTuple

from radar import workflows
from radar.classify.retrain import TrainResult
from radar.config import Settings
from radar.errors import RadarError
from radar.store.db import open_db
from radar.timefmt import utcnow


class Step(NamedTuple):
    """One workflow progress report, kept as data so the page words it in the UI language."""

    stage: str  # fetch | link | score | train | editions (radar.workflows.Progress)
    done: int
    total: int | None
    label: str


Message = str | Step
Say = Callable[[Message], None]
_RUNNING: dict[str, Job] = {}
_LOCK = threading.Lock()


@dataclass
class Job:
    """One background run as the page sees it."""

    kind: str
    started: datetime
    status: str = "running"  # running | done | failed
    messages: list[Message] = field(default_factory=list)
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


def _flow(
    settings: Settings, flow: Callable[..., Any], *args: Any, **kwargs: Any
) -> Callable[[Say], Any]:
    """Work for :func:`start`: run one workflow on its own connection, in steps as lines."""

    def work(say: Say) -> Any:
        def progress(stage: str, done: int, total: int | None, label: str) -> None:
            say(Step(stage, done, total, label))

        db = open_db(settings.db_path, migrate_schema=False)
        try:
            return flow(db, settings, *args, progress=progress, **kwargs)
        finally:
            db.close()

    return work


def rebuild_editions(settings: Settings, since: str | None) -> Callable[[Say], int]:
    """Work for :func:`start`: rebuild the editions from a week on (after an override)."""
    return _flow(settings, workflows.build_editions, utcnow(), since=since)


def retrain(settings: Settings, force: bool = False) -> Callable[[Say], TrainResult]:
    """Work for :func:`start`: train, promote if not worse, re-score, rebuild the newest edition."""
    return _flow(settings, workflows.retrain, utcnow(), force=force)


def switch_model(settings: Settings, version: str) -> Callable[[Say], None]:
    """Work for :func:`start`: promote or roll back, re-score every item, rebuild the newest."""
    return _flow(settings, workflows.switch_model, version, utcnow())
