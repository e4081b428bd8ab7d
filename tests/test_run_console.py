"""`radar run` as a terminal shows it: one time zone, no Streamlit noise, one "Stopping"."""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from radar.config import Settings
from radar.service import DEFAULT_BASE_URL, ZonedFormatter, app_command, app_env, with_port


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def test_ctrl_c_stops_app_and_scheduler_saying_so_once(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radar.cli", "run", "--port", str(port)],
        cwd=tmp_path, env={**os.environ, "RADAR_DB": str(tmp_path / "r.db")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )  # fmt: skip
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/_stcore/health", 90)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole group
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, output
    assert output.count("Stopping") == 1, output
    assert "external IP" not in output and "Traceback" not in output, output
    stamps = re.findall(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\w+) ", output, re.MULTILINE)
    assert stamps and set(stamps) == {"JST"}, output


def test_log_lines_are_stamped_in_the_configured_zone() -> None:
    record = logging.LogRecord("radar", logging.INFO, __file__, 1, "polled", None, None)
    record.created = datetime(2024, 3, 4, 15, 28, tzinfo=UTC).timestamp()
    line = ZonedFormatter(ZoneInfo("Asia/Tokyo")).format(record)
    assert line.startswith("2024-03-05 00:28:00 JST INFO radar: polled")


def test_a_server_message_in_a_log_line_cannot_drive_the_terminal() -> None:
    message = "feed x: fetch: HTTP 500 (\x1b]0;pwned\x07\x1b[2JOops)"
    record = logging.LogRecord("radar", logging.WARNING, __file__, 1, message, None, None)
    line = ZonedFormatter(ZoneInfo("Asia/Tokyo")).format(record)
    assert "\x1b" not in line and "\x07" not in line
    assert line.endswith("feed x: fetch: HTTP 500 (Oops)")


def test_digest_links_follow_the_port_unless_a_base_url_is_configured(tmp_path: Path) -> None:
    default = Settings(db_path=tmp_path / "r.db")
    assert default.base_url == DEFAULT_BASE_URL
    assert with_port(default, 8600).base_url == "http://localhost:8600"
    assert app_env(with_port(default, 8600))["RADAR_APP_BASE_URL"] == "http://localhost:8600"
    proxied = Settings(db_path=tmp_path / "r.db", base_url="https://radar.city.example.jp")
    assert with_port(proxied, 8600).base_url == "https://radar.city.example.jp"
    command = app_command(8600, proxied.base_url)
    assert command[command.index("--browser.serverAddress") + 1] == "radar.city.example.jp"
