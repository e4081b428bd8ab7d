"""Soak benchmark: many feeds, a tenth of them hostile, polled again and again while staff work.

Run from the repository root::

    python benchmarks/soak.py                    # 2,000 feeds x 4 polls (several minutes)
    python benchmarks/soak.py --feeds 200 --polls 3

A child process serves N feeds over real HTTP on 127.0.0.1; every poll each well-behaved
feed grows by a few items. One feed in ten misbehaves, each in one of the ways the
unattended-service issue found: an item link with port 99999 or a broken IPv6 host, a
``javascript:`` link, ``Cache-Control: max-age=`` and ``Retry-After:`` with 400 nines, a 500
with Rich markup in its reason, a body cut in half, bytes that are no feed, a server slower
than the timeout, markup and terminal escapes in titles. Between polls the "clock" moves on,
as the scheduler's would; each poll is the scheduler's job (fetch, link, score).

Meanwhile three threads use the store as people do: a staff member tags an item every 0.1 s
(each write timed, waits for the lock included), the app searches every 0.2 s, and a probe
tries ``BEGIN IMMEDIATE`` without waiting every 5 ms, so the longest time the write lock was
held by anyone is measured from outside, not reported by the code under test.

Figures and targets: well-formed items stored / served (100%), poll runs aborted (0),
longest write lock (<= 2 s), staff write p95 (<= 0.5 s), RSS after each poll (flat).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

import httpx  # noqa: E402
from memory import status_kib  # noqa: E402

from radar import workflows  # noqa: E402
from radar.config import HttpSettings, Settings  # noqa: E402
from radar.records import FeedSpec  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.feeds import sync_feeds  # noqa: E402
from radar.store.items import ItemQuery, query_items  # noqa: E402
from radar.store.labels import set_tag  # noqa: E402

START = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
NINES = "9" * 400
# kind -> (how it misbehaves, whether its items are well-formed and must all be stored)
HOSTILE = {
    0: ("item link with port 99999 beside good items", True),
    1: ("item link http://[::1/a beside good items", True),
    2: ("javascript: item links", True),
    3: ("Cache-Control: max-age= + 400 nines", True),
    4: ("429 with Retry-After: + 400 nines", False),
    5: ("500 with Rich markup in the reason", False),
    6: ("body cut in half", False),
    7: ("bytes that are no feed", False),
    8: ("slower than the timeout", False),
    9: ("markup and terminal escapes in titles", True),
}


def items_at(feed: int, poll: int) -> int:
    """How many items feed ``feed`` serves at poll ``poll`` (a few more each poll)."""
    return 4 + 3 * poll + feed % 3


def _kind(feed: int) -> int | None:
    return (feed // 10) % len(HOSTILE) if feed % 10 == 0 else None


def _feed(feed: int, poll: int) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one feed at one poll."""
    kind = _kind(feed)
    entries = []
    for n in range(items_at(feed, poll)):
        title = f"S{feed}-{n} Release notes: platform update {n % 7} for teams"
        link = f"http://feeds.example/{feed}/{n}"
        if kind == 0 and n == 0:
            link = "http://example.invalid:99999/a"
        if kind == 1 and n == 0:
            link = "http://[::1/a"
        if kind == 2:
            link = f"javascript:alert({n})"
        if kind == 9:
            title = f"S{feed}-{n} [/bold] \x1b[2J\x1b]0;owned\x07 Release [b]notes[/b]"
        when = format_datetime(START - timedelta(hours=feed % 50 + n))
        entries.append(
            f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<guid>s{feed}-{n}</guid><pubDate>{when}</pubDate></item>"
        )
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}'
        f"</title><link>http://feeds.example/{feed}</link>{''.join(entries)}</channel></rss>"
    ).encode()
    headers = {"Content-Type": "application/rss+xml"}
    if kind == 3:
        headers["Cache-Control"] = "max-age=" + NINES
    if kind == 4:
        return 429, {"Retry-After": NINES}, b"slow down"
    if kind == 5:
        return 500, {}, b"[/x] bad [bold]"
    if kind == 6:
        body = body[: len(body) // 2]
    if kind == 7:
        body = bytes(random.Random(feed).randrange(256) for _ in range(2000))
    return 200, headers, body


def serve(port_file: Path) -> None:
    """The child process: answer /f/<n>.xml at the current poll; /poll/<p> moves it on."""
    state = {"poll": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/poll/"):
                state["poll"] = int(self.path.rsplit("/", 1)[1])
                status, headers, body = 200, {}, b"ok"
            else:
                feed = int(self.path.rsplit("/", 1)[1].removesuffix(".xml"))
                if _kind(feed) == 8:
                    time.sleep(3)
                status, headers, body = _feed(feed, state["poll"])
            reason = "[/x] bad [bold]" if status == 500 else None
            self.send_response(status, reason)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up on a slow answer
                self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

        def handle_error(self, request: object, client_address: object) -> None:
            pass

    server = Server(("127.0.0.1", 0), Handler)
    port_file.write_text(str(server.server_address[1]))
    server.serve_forever()


class Staff(threading.Thread):
    """Tags an item every 0.1 s on its own connection; records each write's wall time."""

    def __init__(self, db_path: Path, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.db_path, self.stop, self.waits, self.failures = db_path, stop, [], []

    def run(self) -> None:
        db = open_db(self.db_path, migrate_schema=False)
        rng = random.Random(1)
        quadrants = ("ai-data", "cloud-infra-security", "networks-devices", "services-work")
        while not self.stop.wait(0.1):
            top = db.execute("SELECT max(id) FROM items").fetchone()[0]
            if not top:
                continue
            item = rng.randint(1, top)
            began = time.perf_counter()
            try:
                set_tag(db, item, by="soak", now=datetime.now(UTC),
                        quadrant=rng.choice(quadrants), quadrants=quadrants)  # fmt: skip
            except Exception as exc:  # a locked store is what this measures
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.waits.append(time.perf_counter() - began)
        db.close()


class Reader(threading.Thread):
    """Searches as the app's Items page does, every 0.2 s."""

    def __init__(self, db_path: Path, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.db_path, self.stop, self.times, self.failures = db_path, stop, [], []

    def run(self) -> None:
        db = open_db(self.db_path, migrate_schema=False)
        while not self.stop.wait(0.2):
            began = time.perf_counter()
            try:
                query_items(db, ItemQuery(search="platform update", limit=50))
            except Exception as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.times.append(time.perf_counter() - began)
        db.close()


class LockProbe(threading.Thread):
    """Takes the write lock without waiting every 5 ms: the longest gap is the longest hold."""

    def __init__(self, db_path: Path, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.db_path, self.stop, self.longest = db_path, stop, 0.0

    def run(self) -> None:
        conn = sqlite3.connect(self.db_path, timeout=0, isolation_level=None)
        last_free = time.perf_counter()
        while not self.stop.wait(0.005):
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                last_free = time.perf_counter()
            except sqlite3.OperationalError:
                self.longest = max(self.longest, time.perf_counter() - last_free)
        conn.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--polls", type=int, default=4)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        child = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)])
        try:
            while not port_file.exists() or not port_file.read_text():
                time.sleep(0.05)
            run(Path(tmp), int(port_file.read_text()), args.feeds, args.polls)
        finally:
            child.terminate()
            child.wait()


def run(tmp: Path, port: int, feeds: int, polls: int) -> None:
    db_path = tmp / "soak.db"
    settings = Settings(
        db_path=db_path, models_dir=tmp / "models",
        http=HttpSettings(timeout=2.0, connect_timeout=2.0, allow_private=True),
    )  # fmt: skip
    db = open_db(db_path)
    base = f"http://127.0.0.1:{port}"
    specs = [FeedSpec(id=f"f{n}", name=f"Feed {n}", url=f"{base}/f/{n}.xml") for n in range(feeds)]
    sync_feeds(db, specs, "config", START)
    stop = threading.Event()
    workers = [Staff(db_path, stop), Reader(db_path, stop), LockProbe(db_path, stop)]
    for worker in workers:
        worker.start()
    aborted, rss, durations = [], [], []
    for poll in range(polls):
        httpx.get(f"{base}/poll/{poll}")
        clock = START + timedelta(days=poll)
        began = time.perf_counter()
        try:
            summary = workflows.poll(db, settings, lambda c=clock: c, everything=True)
            print(f"poll {poll}: {summary.ok} ok, {summary.failed} failed, "
                  f"{summary.new_items} new items", flush=True)  # fmt: skip
        except Exception as exc:
            aborted.append(f"poll {poll}: {type(exc).__name__}: {str(exc)[:120]}")
            print(f"poll {poll}: ABORTED ({type(exc).__name__})", flush=True)
        durations.append(time.perf_counter() - began)
        rss.append((status_kib("VmRSS") or 0) / 1024)
    stop.set()
    for worker in workers:
        worker.join()
    staff, reader, probe = workers
    report(db, feeds, polls, aborted, durations, rss, staff, reader, probe)


def report(db, feeds, polls, aborted, durations, rss, staff, reader, probe) -> None:  # type: ignore[no-untyped-def]
    served = {
        f"S{feed}-{n}" for feed in range(feeds)
        if _kind(feed) is None or HOSTILE[_kind(feed)][1]
        for n in range(items_at(feed, polls - 1))
        if not (_kind(feed) in (0, 1) and n == 0)
    }  # fmt: skip
    stored = {row[0].split(" ", 1)[0] for row in db.execute("SELECT title FROM items")}
    kept = len(served & stored)
    duplicates = db.execute(
        "SELECT count(*) - count(DISTINCT feed_id || key) FROM items"
    ).fetchone()[0]
    unsafe = db.execute(
        "SELECT count(*) FROM items WHERE link IS NOT NULL AND link != ''"
        " AND lower(link) NOT LIKE 'http://%' AND lower(link) NOT LIKE 'https://%'"
    ).fetchone()[0]
    print(f"\n{feeds} feeds ({feeds // 10} hostile), {polls} polls; poll wall times (s): "
          + ", ".join(f"{d:.1f}" for d in durations))  # fmt: skip
    rows = [
        ("well-formed items stored / served", f"{kept:,} / {len(served):,}"
         f" ({100 * kept / max(len(served), 1):.1f}%)", "100%"),
        ("items stored twice", str(duplicates), "0"),
        ("non-http(s) links stored", str(unsafe), "0"),
        ("poll runs aborted", f"{len(aborted)} of {polls}", "0"),
        ("longest write lock (probe)", f"{probe.longest:.2f} s", "<= 2 s"),
        ("staff write p95 / max", f"{p95(staff.waits):.3f} s / {max(staff.waits, default=0):.2f} s"
         f" ({len(staff.waits)} writes, {len(staff.failures)} failed)", "<= 0.5 s, 0 failed"),
        ("app search p95", f"{p95(reader.times):.3f} s ({len(reader.failures)} failed)", ""),
        ("RSS after each poll (MiB)", ", ".join(f"{r:.0f}" for r in rss), "flat"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value}" + (f"   (target {target})" if target else ""))
    for line in aborted + sorted(set(staff.failures))[:3] + sorted(set(reader.failures))[:3]:
        print("  " + line)


if __name__ == "__main__":
    main()
