"""`radar run`: the scheduler in this process and the Streamlit app beside it, until Ctrl-C.

Stopping is clean: the scheduler waits for a running job to commit, then the app process is
terminated. SIGTERM is treated like Ctrl-C so service managers can stop it too.

The console is this process's alone: the app runs in its own session (Ctrl-C reaches only
this process, which stops the app) with its banner silenced (this process says where to
open it), and every log line is stamped in the configured time zone, like the scheduler's.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from rich.console import Console

from radar.config import Settings
from radar.plaintext import strip_controls
from radar.scheduler import build_scheduler, scheduled_jobs
from radar.store.db import open_db
from radar.store.feeds import sync_feeds
from radar.timefmt import utcnow

APP_SCRIPT = Path(__file__).resolve().parent / "app" / "streamlit_app.py"


DEFAULT_BASE_URL = next(f.default for f in fields(Settings) if f.name == "base_url")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def app_command(port: int, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """The command that serves the web app on ``port``.

    ``browser.serverAddress`` is the host people open (from ``app.base_url``): Streamlit then
    prints that one address instead of asking an outside service for this machine's public
    IP (which an office network blocks, hence "Did not auto detect external IP").
    """
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT),
        "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--browser.serverAddress", urlsplit(base_url).hostname or "localhost",
    ]  # fmt: skip


def with_port(settings: Settings, port: int) -> Settings:
    """Digest links follow ``radar run --port`` unless ``app.base_url`` was configured.

    A base URL left at its default means "this machine, the default port"; set to anything
    else (a proxy, a host name), it is what people open and is kept as it is.
    """
    if settings.base_url != DEFAULT_BASE_URL:
        return settings
    return replace(settings, base_url=f"http://localhost:{port}")


def app_env(settings: Settings) -> dict[str, str]:
    """Environment for the app: the same database, configuration, base URL and time zone."""
    env = dict(os.environ)
    env["RADAR_DB"] = str(Path(settings.db_path).resolve())
    env["RADAR_APP_BASE_URL"] = settings.base_url
    env["TZ"] = settings.timezone  # Streamlit's own log lines, in the same zone as ours
    env.setdefault("STREAMLIT_CLIENT_TOOLBAR_MODE", "viewer")  # no "Deploy" menu for staff
    if settings.source:
        env["RADAR_CONFIG"] = str(Path(settings.source).resolve())
    return env


class ZonedFormatter(logging.Formatter):
    """Log lines stamped in one time zone, labelled, like the scheduler's own times.

    Lines carry outside text (a server's reason phrase, an API's error, a feed's name), so
    control sequences are dropped here, at the one place every line passes, not by each caller.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__(LOG_FORMAT)
        self.zone = zone

    def format(self, record: logging.LogRecord) -> str:
        return strip_controls(super().format(record))

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.zone)
        return moment.strftime(datefmt or "%Y-%m-%d %H:%M:%S %Z")


def setup_logging(zone: ZoneInfo) -> None:
    """INFO to stderr in ``zone``; httpx's per-request lines only when they are warnings."""
    handler = logging.StreamHandler()
    handler.setFormatter(ZonedFormatter(zone))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(settings: Settings, *, port: int, with_app: bool, demo: bool, console: Console) -> None:
    """Run until interrupted; the demo mode polls the offline demo feeds instead of the web."""
    setup_logging(settings.tz)
    settings = with_port(settings, port)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    # Ctrl-C (SIGINT) stops the service however it was started: a shell script's background
    # job (`radar run &`, nohup) starts it with SIGINT ignored, and Python then never raises
    # KeyboardInterrupt, so `kill -INT` and the test suite's Ctrl-C were silently dropped.
    signal.signal(signal.SIGINT, signal.default_int_handler)
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
            process = subprocess.Popen(
                app_command(port, settings.base_url), env=app_env(settings),
                stdout=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
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
