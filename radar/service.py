"""`radar run`: the scheduler in this process and the Streamlit app beside it, until Ctrl-C.

Stopping is clean: the scheduler waits for a running job to commit, then the app process is
terminated. SIGTERM is treated like Ctrl-C so service managers can stop it too.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

from rich.console import Console

from radar.config import Settings
from radar.scheduler import build_scheduler, scheduled_jobs
from radar.store.db import open_db
from radar.store.feeds import sync_feeds
from radar.timefmt import utcnow

APP_SCRIPT = Path(__file__).resolve().parent / "app" / "streamlit_app.py"


def app_command(port: int) -> list[str]:
    """The command that serves the web app on ``port``."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT),
        "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def app_env(settings: Settings) -> dict[str, str]:
    """Environment for the app: the same database and configuration as this process."""
    env = dict(os.environ)
    env["RADAR_DB"] = str(Path(settings.db_path).resolve())
    env.setdefault("STREAMLIT_CLIENT_TOOLBAR_MODE", "viewer")  # no "Deploy" menu for staff
    if settings.source:
        env["RADAR_CONFIG"] = str(Path(settings.source).resolve())
    return env


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(settings: Settings, *, port: int, with_app: bool, demo: bool, console: Console) -> None:
    """Run until interrupted; the demo mode polls the offline demo feeds instead of the web."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    with ExitStack() as stack:
        only: frozenset[str] | None = None
        skip_origin: str | None = "demo"
        if demo:
            from radar.demo.ingest import DEMO_ORIGIN, demo_settings, demo_specs
            from radar.demo.server import DemoServer

            server = stack.enter_context(DemoServer())
            specs = demo_specs(server)
            db = open_db(settings.db_path)
            sync_feeds(db, specs, DEMO_ORIGIN, utcnow())
            db.close()
            settings = demo_settings(settings)
            only, skip_origin = frozenset(s.id for s in specs), None
        scheduler = build_scheduler(settings, scheduled_jobs(settings, only, skip_origin))
        scheduler.start()
        stack.callback(scheduler.shutdown, wait=True)
        process = None
        if with_app:
            process = subprocess.Popen(app_command(port), env=app_env(settings))
            stack.callback(_stop, process)
            console.print(f"Trend Radar is running: open [bold]http://localhost:{port}[/]")
        console.print("Scheduler started. Press Ctrl-C to stop.")
        try:
            while process is None or process.poll() is None:
                time.sleep(0.5)
            console.print("[red]The web app stopped unexpectedly.[/]")
        except KeyboardInterrupt:
            console.print("Stopping...")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
