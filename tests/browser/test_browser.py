"""The app in a real headless browser: Debian's chromium driven by Playwright (no download).

Opens the radar on demo data, checks the chart drew its blips, opens a technology, signs in,
tags an item from the queue (checked in the database) and saves screenshots.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from radar.service import APP_SCRIPT  # what `radar run` serves

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    pytest.importorskip("playwright")
    from radar.app.auth import hash_password

    home = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "RADAR_DB": str(home / "radar.db"),
        "RADAR_CLASSIFY_MODELS_DIR": str(home / "models"),
        "RADAR_APP_USERS": "sato:" + hash_password("s3cret-pass", iterations=1000),
        "RADAR_APP_LANG": "en",
        "STREAMLIT_CLIENT_TOOLBAR_MODE": "viewer",  # as `radar run` sets it: no "Deploy"
    }
    env.pop("RADAR_CONFIG", None)
    demo = subprocess.run(
        [sys.executable, "-m", "radar.cli", "demo", "--weeks", "30"],
        cwd=home, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT), "--server.port",
         str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, "streamlit did not start"
        time.sleep(0.5)
    yield url, env["RADAR_DB"]
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def page(app_url):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def test_radar_technology_and_tagging_in_a_real_browser(app_url, page) -> None:  # type: ignore[no-untyped-def]
    url, db_path = app_url
    SHOTS.mkdir(exist_ok=True)
    # First request to a fresh server, as from a bookmark: the page itself, not a blank one.
    page.goto(url + "/models", wait_until="networkidle")
    page.get_by_role("heading", name="Models").wait_for(timeout=60_000)
    page.goto(url + "/", wait_until="networkidle")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    blips = page.locator(".js-plotly-plot .scatterlayer .point").count()
    assert blips >= 10
    assert page.get_by_text("Page not found").count() == 0
    page.screenshot(path=str(SHOTS / "radar.png"), full_page=True)

    with sqlite3.connect(db_path) as conn:
        tech = conn.execute(
            "SELECT tech_id FROM editions ORDER BY week DESC, score DESC LIMIT 1"
        ).fetchone()[0]
    page.goto(f"{url}/technology?tech={tech}", wait_until="networkidle")
    page.get_by_text("Mentioned in", exact=False).first.wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "technology.png"), full_page=True)

    page.goto(url + "/tagging", wait_until="networkidle")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("textbox", name="User name").fill("sato")
    sidebar.get_by_role("textbox", name="Password").fill("s3cret-pass")
    sidebar.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as sato").wait_for(timeout=60_000)
    page.get_by_role("button", name="AI & Data").first.click()
    deadline = time.monotonic() + 30
    tagged = 0
    while not tagged and time.monotonic() < deadline:
        time.sleep(0.5)
        with sqlite3.connect(db_path) as conn:
            tagged = conn.execute(
                "SELECT count(*) FROM tags WHERE tagged_by = 'sato' AND quadrant = 'ai-data'"
            ).fetchone()[0]
    page.screenshot(path=str(SHOTS / "tagging.png"), full_page=True)
    assert tagged == 1
