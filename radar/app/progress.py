"""Show background jobs: progress in the sidebar, the outcome once on the page that asked.

While a job runs, a sidebar fragment re-draws its latest step every two seconds (whatever
page is open); when the job ends it reruns the whole app. The first run that sees a finished
job clears the read caches, so every page shows the new editions or scores at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from radar.app import background, data
from radar.app.i18n import t
from radar.app.safe import md
from radar.app.steps import step_text, steps_so_far

POLL_SECONDS = 2.0
RETRAIN = "retrain_job"
SWITCH = "model_job"
EDITIONS = "editions_job"
JOB_KEYS = (RETRAIN, SWITCH, EDITIONS)


def launch(key: str, kind: str, work: Callable[[background.Say], Any], lang: str) -> bool:
    """Start a job and keep it in session state under ``key``; say so if one is running."""
    job = background.start(kind, work)
    if job is None:
        st.warning(t("job_busy", lang))
        return False
    st.session_state[key] = job
    return True


def _jobs() -> list[background.Job]:
    return [st.session_state[key] for key in JOB_KEYS if key in st.session_state]


def settle() -> None:
    """Clear the caches once for every job of this session that has ended."""
    for job in _jobs():
        if not job.running and not job.cleared:
            data.clear()
            job.cleared = True


def _step(job: background.Job, lang: str) -> str:
    last = step_text(job.messages[-1], lang) if job.messages else t("job_starting", lang)
    return t("job_running", lang, what=t(f"job_{job.kind}", lang), step=md(last))


def _steps(job: background.Job, lang: str) -> str:
    """The steps so far as a list: done ones ticked, the current one last."""
    names = steps_so_far(job.messages, lang)
    return "\n".join(
        f"- {'▶' if i == len(names) - 1 else '✓'} {md(name)}" for i, name in enumerate(names)
    )


@st.fragment(run_every=POLL_SECONDS)
def _poll(lang: str) -> None:
    running = [job for job in _jobs() if job.running]
    if not running:
        st.rerun()
    for job in running:
        st.caption(_step(job, lang))


def sidebar(lang: str) -> None:
    """Settle finished jobs; show (and keep polling) the running ones in the sidebar."""
    settle()
    if any(job.running for job in _jobs()):
        with st.sidebar:
            _poll(lang)


def outcome(key: str, lang: str, describe: Callable[[Any], str] | None = None) -> None:
    """On the page that started it: the job's progress, or its outcome (shown once)."""
    settle()
    job: background.Job | None = st.session_state.get(key)
    if job is None or job.announced:
        return
    if job.running:
        steps = _steps(job, lang)
        st.info(_step(job, lang) + (f"\n\n{steps}" if steps else ""))
        return
    job.announced = True
    what = t(f"job_{job.kind}", lang)
    if job.status == "failed":
        st.error(t("job_failed", lang, what=what, error=md(job.error or "")))
    else:
        detail = describe(job.result) if describe else ""
        st.success(t("job_done", lang, what=what) + (f" {md(detail)}" if detail else ""))
