"""Series import benchmark: `radar import-series` of a 134k-row file, target <= 10 s.

Run from the repository root::

    python benchmarks/series_import.py                 # ../shared's tag-counts.csv if present
    python benchmarks/series_import.py --generated     # a generated file of the same shape
    python benchmarks/series_import.py --generated --rows 20000   # a quicker run

The generated file has the shape of tag-counts.csv (seeded, deterministic): yearly Stack
Overflow counts for many tags, monthly job-posting shares, quarterly GitHub counts for four
event kinds and monthly PYPL shares without counts, about 134k rows in all. It times, into a
fresh SQLite file:

(a) ``import_series_file`` (read, check, batch upserts) of the whole file;
(b) the same import again, which must add no point (the idempotence check);
(c) the mapping report the command prints (every stored term against the taxonomy);
(d) the command itself, ``python -m radar.cli import-series FILE``, end to end in a new
    process (interpreter start, imports, progress bar, report) into another fresh store.

The target (issue 15) is <= 10 s for the command over the whole file. Generation is not timed.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from radar.series.coverage import source_coverage  # noqa: E402
from radar.series.importer import import_series_file  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "history" / "tag-counts.csv"
REAL_ROWS = 134_101
TARGET_SECONDS = 10.0


def _periods(kind: str) -> list[str]:
    if kind == "year":
        return [str(y) for y in range(2008, 2019)]
    if kind == "quarter":
        return [f"{y}-Q{q}" for y in range(2012, 2024) for q in range(1, 5)]
    return [f"{y}-{m:02d}" for y in range(2004, 2027) for m in range(1, 13)]


# (series, period kind, has counts, share of all rows): roughly tag-counts.csv's mix.
_SHAPE = (
    ("stackoverflow_questions_by_tag_year", "year", True, 0.30),
    ("hn_whoishiring_postings", "month", True, 0.31),
    ("githut_gh_push_event", "quarter", True, 0.035),
    ("githut_gh_pull_request", "quarter", True, 0.035),
    ("githut_gh_issue_event", "quarter", True, 0.03),
    ("githut_gh_star_event", "quarter", True, 0.03),
    ("pypl_pypl_worldwide_share", "month", False, 0.06),
    ("pypl_db_worldwide_share", "month", False, 0.065),
    ("pypl_ide_worldwide_share", "month", False, 0.07),
    ("pypl_ode_worldwide_share", "month", False, 0.065),
)


def generate(path: Path, rows: int, seed: int = 15) -> int:
    """Write about ``rows`` rows of the long series format; return how many were written."""
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("series", "term", "period", "count", "total", "share"))
        for series, kind, counted, part in _SHAPE:
            periods = _periods(kind)
            terms = max(1, round(rows * part / len(periods)))
            for index in range(terms):
                term = f"term-{index}" if index % 7 else f"Term {index}.js"
                for period in periods:
                    total = rng.randint(50_000, 2_000_000)
                    count = rng.randint(0, total // 50)
                    if counted:
                        share = f"{count / total:.8f}"
                        writer.writerow((series, term, period, count, total, share))
                    else:
                        share = f"{rng.random() / 10:.6f}"
                        writer.writerow((series, term, period, "", "", share))
                    written += 1
    return written


def _cpu() -> float:
    """CPU seconds of this process and its finished children: a loaded machine's wall clock
    measures the neighbours too, CPU time only this work."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(label: str, rows: int, run):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), _cpu()
    result = run()
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    print(f"{label:<40} {seconds:6.2f} s ({cpu:5.2f} s CPU)  {rows / seconds:9,.0f} rows/s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated", action="store_true", help="never use the real file")
    parser.add_argument("--rows", type=int, default=REAL_ROWS, help="rows to generate")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if REAL.is_file() and not args.generated:
            path, rows = REAL, REAL_ROWS
            print(f"file: {REAL} ({rows:,} rows, {path.stat().st_size / 1e6:.1f} MB)")
        else:
            path = work / "series.csv"
            rows = generate(path, args.rows)
            print(f"file: generated, {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")

        db = open_db(work / "radar.db")
        report, _ = _timed("(a) import_series_file", rows, lambda: import_series_file(db, path))
        again, _ = _timed("(b) the same file again", rows, lambda: import_series_file(db, path))
        taxonomy = load_taxonomy()
        coverage, _ = _timed("(c) mapping report", rows, lambda: source_coverage(db, taxonomy))
        env = {**os.environ, "RADAR_DB": str(work / "cli.db"), "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "radar.cli", "import-series", str(path), "--json"]
        done, whole = _timed(
            "(d) radar import-series, a new process",
            rows,
            lambda: subprocess.run(command, env=env, capture_output=True, text=True, check=True),
        )

    print(f"stored {report.stored:,} points ({report.new:,} new), refused {report.refused:,}")
    print(f"again: {again.new:,} new points (must be 0)")
    mapped = sum(row.mapped_terms for row in coverage)
    print(f"{mapped:,} of {sum(row.terms for row in coverage):,} terms name a technology")
    verdict = "ok" if whole <= TARGET_SECONDS and again.new == 0 else "MISSED"
    print(f"target: the command <= {TARGET_SECONDS:.0f} s (wall clock): {whole:.2f} s, {verdict}")
    print(f"load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if done.returncode:
        sys.exit(done.returncode)


if __name__ == "__main__":
    main()
