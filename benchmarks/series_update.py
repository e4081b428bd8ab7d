"""Series collection benchmark: a monthly update of many technologies from six APIs.

Run from the repository root::

    python benchmarks/series_update.py              # 300 technologies x 6 APIs
    python benchmarks/series_update.py --quick      # 30 technologies (smoke run)
    python benchmarks/series_update.py --interval 0.02

Six fake APIs (``tests/series/apiserver.py``, each on its own local port, since each real
API is its own host and is paced on its own) answer in the documented formats. The store
already holds every term's history through last month, as after a back-fill, so the run is
what the monthly job does on the 2nd: per term, last month again (it was partial) and the
month so far. Every technology names a Wikipedia article in both languages, a Stack Overflow
tag, an npm package and a Qiita tag, and is searched in Hacker News and GDELT (ja and en).

Two passes over copies of the same store:

(a) politeness on: every host paced at ``--interval`` seconds between requests (the limiter,
    retries and size caps as in production);
(b) politeness off: the same with no pause, the cost of the work itself.

a - b is the time the politeness limits account for. The real pauses are longer (GDELT asks
for one request every 5 s); the script also prints what they come to for this run's request
count, host by host: in production the slowest host bounds the monthly job. Target: (a) <= 60 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from radar.config import HttpSettings, Settings  # noqa: E402
from radar.records import SeriesPoint  # noqa: E402
from radar.series.collect import update_series  # noqa: E402
from radar.series.collectors import COLLECTORS  # noqa: E402
from radar.series.periods import period_end  # noqa: E402
from radar.settings import SeriesSettings  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.series import upsert_points  # noqa: E402
from radar.taxonomy.model import Quadrant, Taxonomy, Tech  # noqa: E402
from tests.series.apiserver import SeriesApis  # noqa: E402

NOW = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)  # the monthly job's slot
PREFIXES = ("wm", "hn", "se", "npm", "qiita", "gdelt")
TARGET_SECONDS = 60.0


def taxonomy(n: int) -> Taxonomy:
    """``n`` technologies, each named in every series the collectors ask."""
    techs = tuple(
        Tech(
            f"tech-{i}",
            f"Tech {i}",
            f"技術{i}",
            "platforms",
            (f"Tech{i}",),
            series=(
                ("wikipedia_ja", (f"技術 {i}",)),
                ("wikipedia_en", (f"Tech {i}",)),
                ("stackoverflow", (f"tech-{i}",)),
                ("npm", (f"tech-{i}",)),
                ("qiita", (f"tech{i}",)),
                ("news", (f"Tech{i}",)),
            ),
        )
        for i in range(n)
    )
    return Taxonomy((Quadrant("platforms", "Platforms", "基盤"),), techs)


def fill_servers(servers: dict[str, SeriesApis], tax: Taxonomy) -> None:
    """Give every term data at every fake API (an unknown term would be a 404)."""
    for tech in tax.techs:
        for source in ("wikipedia_ja", "wikipedia_en"):
            project = source.replace("wikipedia_", "") + ".wikipedia"
            title = tech.series_terms(source)[0]
            servers["wm"].pageviews[(project, title)] = {"2026-02": 1200, "2026-03": 40}
        servers["hn"].hn[tech.series_terms("news")[0]] = {"2026-02": 3}
        servers["se"].stackexchange[tech.series_terms("stackoverflow")[0]] = {"2026-02": 12}
        servers["npm"].npm[tech.series_terms("npm")[0]] = {"2026-02-10": 50, "2026-03-01": 4}
        servers["qiita"].qiita[tech.series_terms("qiita")[0]] = {"2026-02": 2}
        for lang in ("japanese", "english"):
            query = f'"{tech.series_terms("news")[0]}" sourcelang:{lang}'
            servers["gdelt"].gdelt[query] = {"20260203": 5}
    servers["qiita"].qiita_remaining = 10**9


def backfilled_store(path: Path, tax: Taxonomy, history: int) -> None:
    """A store holding ``history`` months per term through 2026-02, as after a back-fill."""
    db = open_db(path)
    newest = 2026 * 12 + 1  # 2026-02 as a month count
    periods = [f"{(newest - m) // 12:04d}-{(newest - m) % 12 + 1:02d}" for m in range(history)]
    points = []
    for collector in COLLECTORS:
        for source in collector.sources:
            for tech in tax.techs:
                for term in collector.terms(tech, source):
                    points.extend(SeriesPoint(source, term, p, period_end(p), 10.0)
                                  for p in periods)  # fmt: skip
    upsert_points(db, points)
    db.close()


def run(path: Path, servers: dict[str, SeriesApis], tax: Taxonomy, interval: float) -> tuple:
    urls = {p: servers[p].base + f"/{p}" for p in PREFIXES}
    settings = Settings(
        db_path=path,
        http=HttpSettings(allow_private=True, timeout=10.0, concurrency=32),
        series=SeriesSettings(
            wikimedia_url=urls["wm"], hn_url=urls["hn"], stackexchange_url=urls["se"],
            npm_url=urls["npm"], qiita_url=urls["qiita"], gdelt_url=urls["gdelt"],
            stackexchange_key="benchmark-key", qiita_token="benchmark-token",
            min_interval=interval or 1e-9,
        ),
    )  # fmt: skip
    db = open_db(path)
    started = time.perf_counter()
    report = update_series(db, settings, tax, NOW)
    wall = time.perf_counter() - started
    db.close()
    return wall, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--techs", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="30 technologies")
    parser.add_argument("--interval", type=float, default=0.05,
                        help="seconds between two requests to one host in pass (a)")  # fmt: skip
    parser.add_argument("--history", type=int, default=24, help="months already stored")
    args = parser.parse_args()
    n = 30 if args.quick else args.techs
    tax = taxonomy(n)
    servers = {p: SeriesApis().start() for p in PREFIXES}
    try:
        fill_servers(servers, tax)
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp) / "base.db"
            backfilled_store(base, tax, args.history)
            results = {}
            for label, interval in (("a", args.interval), ("b", 0.0)):
                path = Path(tmp) / f"{label}.db"
                shutil.copy(base, path)
                for server in servers.values():
                    server.requests.clear()
                results[label] = run(path, servers, tax, interval)
                if label == "a":
                    per_host = Counter({p: len(servers[p].requests) for p in PREFIXES})
    finally:
        for server in servers.values():
            server.stop()
    (wall_a, rep_a), (wall_b, _) = results["a"], results["b"]
    failures = [(r.source, r.error or r.skipped) for r in rep_a.sources if r.error or r.skipped]
    term_errors = sum(len(r.term_errors) for r in rep_a.sources)
    print(f"{n} technologies x {len(COLLECTORS)} APIs ({len(rep_a.sources)} sources), "
          f"{rep_a.requests:,} requests, {rep_a.points:,} values stored")  # fmt: skip
    print(f"(a) politeness on ({args.interval:g} s per host): {wall_a:6.1f} s "
          f"(paused {rep_a.waited_seconds:.1f} s in all, hosts in parallel)")  # fmt: skip
    print(f"(b) politeness off:                  {wall_b:6.1f} s")
    print(f"politeness accounts for {wall_a - wall_b:.1f} s of (a) "
          f"({(wall_a - wall_b) / wall_a:.0%}); floor = busiest host "
          f"{max(per_host.values())} requests x {args.interval:g} s = "
          f"{max(per_host.values()) * args.interval:.1f} s")  # fmt: skip
    real = {c.name: c.min_interval for c in COLLECTORS}
    names = dict(zip(PREFIXES, ("wikipedia", "hackernews", "stackexchange", "npm", "qiita",
                                "gdelt"), strict=True))  # fmt: skip
    projected = {p: per_host[p] * real[names[p]] for p in PREFIXES}
    print("with the documented pauses: " + ", ".join(
        f"{names[p]} {per_host[p]} x {real[names[p]]:g} s = {projected[p]:.0f} s" for p in PREFIXES
    ))  # fmt: skip
    print(f"  the monthly job would take about {max(projected.values()) / 60:.0f} min "
          f"(bounded by the slowest host)")  # fmt: skip
    if failures or term_errors:
        print(f"problems: {failures} and {term_errors} term errors")
    verdict = "OK" if wall_a <= TARGET_SECONDS and not failures else "MISSED"
    print(f"target (a) <= {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
