"""A fetch run killed with SIGKILL leaves a sound database with every committed item intact."""

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

FEEDS, ITEMS = 30, 20


def _count(db_path: Path, sql: str) -> int:
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_sigkill_mid_run_keeps_committed_items_and_rerun_completes(tmp_path, feed_server) -> None:  # type: ignore[no-untyped-def]
    lines = ["settings:", "  http:", "    allow_private: true", "    concurrency: 2", "feeds:"]
    for n in range(FEEDS):
        feed_server.routes[f"/f{n}.xml"] = Route(
            body=rss(numbered(ITEMS, prefix=f"F{n}")), delay=0.25
        )
        lines.append(f"  - {{name: Feed {n:02d}, url: '{feed_server.url(f'/f{n}.xml')}'}}")
    (tmp_path / "feeds.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_path = tmp_path / "r.db"
    env = {**os.environ, "RADAR_DB": str(db_path)}
    command = [sys.executable, "-m", "radar.cli", "fetch", "--all"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while _count(db_path, "SELECT count(*) FROM fetch_log") < 4:
        assert time.monotonic() < deadline and process.poll() is None, "run ended too early"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    logged = conn.execute("SELECT feed_id, new_items FROM fetch_log WHERE outcome='ok'").fetchall()
    per_feed = dict(conn.execute("SELECT feed_id, count(*) FROM items GROUP BY feed_id").fetchall())
    conn.close()
    assert 0 < len(logged) < FEEDS, "the kill should land mid-run"
    assert per_feed == {feed_id: ITEMS for feed_id, _ in logged}  # whole feeds, nothing partial

    rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    total = _count(db_path, "SELECT count(*) FROM items")
    distinct = _count(db_path, "SELECT count(DISTINCT feed_id || key) FROM items")
    assert total == distinct == FEEDS * ITEMS
