"""The scheduler: fixed job ids, coalescing, one instance per job; `radar run` stops cleanly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from feeds import numbered, rss
from feedserver import Route

from radar.config import Settings
from radar.scheduler import build_scheduler, scheduled_jobs


def test_jobs_coalesce_and_never_overlap(settings: Settings) -> None:
    scheduler = build_scheduler(settings, scheduled_jobs(settings))
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("poll-feeds")
        assert job is not None
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == settings.misfire_grace_seconds
        assert str(scheduler.timezone) == "Asia/Tokyo"
    finally:
        scheduler.shutdown(wait=False)


def test_run_polls_feeds_then_stops_cleanly_on_ctrl_c(tmp_path: Path, feed_server) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/f.xml"] = Route(body=rss(numbered(3)))
    (tmp_path / "feeds.yaml").write_text(
        "settings:\n  http:\n    allow_private: true\n"
        f"feeds:\n  - {{name: Local, url: '{feed_server.url('/f.xml')}'}}\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "r.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "radar.cli", "run", "--no-app"],
        cwd=tmp_path, env={**os.environ, "RADAR_DB": str(db_path)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # started as `radar run &` from a script (or nohup) is: SIGINT arrives ignored, and
        # Python then never turns it into KeyboardInterrupt unless the service asks for it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    stored = 0
    while stored < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db_path) as conn:
                stored = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        except sqlite3.OperationalError:
            pass
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert stored == 3, output
    assert process.returncode == 0, output
    assert "Stopping" in output and "Traceback" not in output
