"""Show a background job's progress; refresh the page once when it ends.

While a job runs, a fragment re-draws just the status every two seconds; when the job has
ended it reruns the whole app, the caches are cleared once, and the result is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from radar.app import background, data
from radar.app.i18n import t
from radar.app.safe import md

POLL_SECONDS = 2.0


def launch(key: str, kind: str, work: Callable[[background.Say], Any], lang: str) -> bool:
    """Start a job and keep it in session state under ``key``; say so if one is running."""
    job = background.start(kind, work)
    if job is None:
        st.warning(t("job_busy", lang))
        return False
    st.session_state[key] = job
    return True


@st.fragment(run_every=POLL_SECONDS)
def _poll(key: str, lang: str) -> None:
    job: background.Job | None = st.session_state.get(key)
    if job is None:
        return
    if job.running:
        last = job.messages[-1] if job.messages else t("job_starting", lang)
        st.info(t("job_running", lang, what=t(f"job_{job.kind}", lang), step=md(last)))
        return
    st.rerun()


def show(key: str, lang: str, describe: Callable[[Any], str] | None = None) -> None:
    """Draw the job kept under ``key``: progress while running, then its outcome."""
    job: background.Job | None = st.session_state.get(key)
    if job is None:
        return
    if job.running:
        _poll(key, lang)
        return
    if not job.seen:
        data.clear()
        job.seen = True
    what = t(f"job_{job.kind}", lang)
    if job.status == "failed":
        st.error(t("job_failed", lang, what=what, error=md(job.error or "")))
    else:
        detail = describe(job.result) if describe else ""
        st.success(t("job_done", lang, what=what) + (f" {detail}" if detail else ""))
