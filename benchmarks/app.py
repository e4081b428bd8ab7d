"""App benchmark: server-side time to render the Radar and Items pages on large stores.

Run from the repository root::

    python benchmarks/app.py                        # 10k, 100k and 1M items (builds the stores)
    python benchmarks/app.py --quick                # 10k and 50k items
    python benchmarks/app.py --sizes 10000,200000 --repeat 5
    python benchmarks/app.py --stores /tmp/stores   # reuse radar-<rows>.db kept there
    python benchmarks/app.py --profile              # cProfile each page's cold render

Each store is built exactly as ``benchmarks/radar.py`` builds it (the same deterministic
archive of N dated headlines over four years and twenty sources, imported, linked, scored
by the weak rules, and the newest 52 editions built). With ``--stores DIR`` a store
``DIR/radar-<rows>.db`` left by ``benchmarks/radar.py --out DIR`` (or by an earlier run of
this script) is reused, and stores built here are kept there.

Pages run in this process through Streamlit's ``AppTest.from_function``, as in
``tests/app``, with ``RADAR_DB``, ``RADAR_CONFIG`` and ``RADAR_CLASSIFY_MODELS_DIR`` pointing
at the benchmark store. For each size and page the script measures the wall time of
``AppTest.run()`` (the whole server-side script run: reads, caches, chart and table
building, Streamlit's element serialisation; not the browser):

* cold: right after ``st.cache_data.clear()`` and ``st.cache_resource.clear()`` (so the read
  connection is opened again too); the operating system's file cache stays warm;
* warm: the same session run again (every ``st.cache_data`` read is a hit);
* search (Items only): typing a Japanese substring (クラウド) into the search box and
  running again (a new query, other caches warm).

Each figure is the median of ``--repeat`` runs (cold runs clear the caches every time).
One untimed render of each page first imports Streamlit, Plotly and the pages. Target: every
render <= 2 s at 1,000,000 items.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# benchmarks/radar.py would shadow the ``radar`` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
import streamlit as st  # noqa: E402
import streamlit.logger  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from radar.store.db import open_db  # noqa: E402

TARGET_S = 2.0
TARGET_ITEMS = 1_000_000
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 50_000)
SEARCH = "クラウド"
TIMEOUT_S = 600


def _bench_radar() -> ModuleType:
    """benchmarks/radar.py under another module name (``radar`` is the package)."""
    spec = importlib.util.spec_from_file_location("bench_radar", HERE / "radar.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_radar"] = module
    spec.loader.exec_module(module)
    return module


# --- stores ----------------------------------------------------------------------------------


def store_ready(path: Path, rows: int) -> bool:
    """A finished benchmark store: (nearly) all rows imported and editions built."""
    if not path.exists():
        return False
    db = open_db(path, migrate_schema=False)
    try:
        items = db.execute("SELECT count(*) FROM items").fetchone()[0]
        editions = db.execute("SELECT count(DISTINCT week) FROM editions").fetchone()[0]
    except sqlite3.Error:  # a half-built file is simply rebuilt
        return False
    finally:
        db.close()
    return items >= rows * 0.99 and editions > 0


def ensure_store(directory: Path, rows: int, editions: int) -> Path:
    """The store with ``rows`` items in ``directory``, built (and timed briefly) if missing."""
    bench = _bench_radar()
    path = directory / f"radar-{rows}.db"
    if store_ready(path, rows):
        print(f"{rows:,} items: reusing {path} ({bench.db_mb(path):.0f} MB)")
        return path
    print(f"{rows:,} items: building {path} (as benchmarks/radar.py does) ...")
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="radar-app-archive-"))
    try:
        archive = bench.make_archive(work, rows, lambda line: print(f"  {line}"))
        bench.build_store(
            path, archive, rows, editions=editions, say=lambda line: print(f"  {line}")
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"  built in {time.perf_counter() - started:.0f} s ({bench.db_mb(path):.0f} MB);"
        " not part of the figures below"
    )
    return path


# --- rendering -------------------------------------------------------------------------------


def _script(page_name: str, ui_lang: str, profile_to: str) -> None:
    """One page drawn on its own, as main() would (the body runs as the AppTest script)."""
    import cProfile
    import importlib

    render = importlib.import_module(f"radar.app.views.{page_name}").render
    if not profile_to:
        render(ui_lang)
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        render(ui_lang)
    finally:
        profiler.disable()
        profiler.dump_stats(profile_to)


def quiet() -> None:
    """Hide "No runtime found" / "missing ScriptRunContext": expected outside a server.

    AppTest applies Streamlit's configured log level on each run, so this is repeated.
    """
    streamlit.logger.set_log_level("error")


def use_store(path: Path) -> None:
    """Point the app's settings at a store and forget every cache."""
    quiet()
    os.environ["RADAR_DB"] = str(path)
    os.environ["RADAR_CONFIG"] = str(ROOT / "feeds.yaml")
    os.environ["RADAR_CLASSIFY_MODELS_DIR"] = str(path.parent / "models")
    for name in ("RADAR_APP_OPEN_READ", "RADAR_APP_LANG", "RADAR_STORE_PATH"):
        os.environ.pop(name, None)
    clear_caches()


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def new_page(name: str, lang: str = "ja", profile_to: str = "") -> AppTest:
    return AppTest.from_function(_script, args=(name, lang, profile_to), default_timeout=TIMEOUT_S)


def timed(run: Callable[[], AppTest]) -> tuple[float, AppTest]:
    started = time.perf_counter()
    at = run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.value for e in at.exception]}")
    return seconds, at


def measure_radar(repeat: int) -> dict[str, float]:
    cold, warm = [], []
    for _ in range(repeat):
        clear_caches()
        at = new_page("radar")
        seconds, at = timed(at.run)
        cold.append(seconds)
        seconds, at = timed(at.run)
        warm.append(seconds)
    blips = sum(len(trace.get("customdata") or []) for trace in _figure(at)["data"])
    return {"cold": statistics.median(cold), "warm": statistics.median(warm), "blips": blips}


def measure_items(repeat: int) -> dict[str, float]:
    cold, warm, search = [], [], []
    found = 0
    for _ in range(repeat):
        clear_caches()
        at = new_page("items")
        seconds, at = timed(at.run)
        cold.append(seconds)
        seconds, at = timed(at.run)
        warm.append(seconds)
        seconds, at = timed(at.text_input(key="items_search").input(SEARCH).run)
        search.append(seconds)
        found = len(at.dataframe[0].value) if at.dataframe else 0
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "search": statistics.median(search),
        "found": found,
    }


def _figure(at: AppTest) -> dict[str, Any]:
    import json

    charts = at.get("plotly_chart")
    return json.loads(charts[0].proto.spec) if charts else {"data": []}


def profile_page(name: str, mode: str) -> str:
    """cProfile of one render of a page as measured (render() only, in the script thread).

    Every run dumps its profile to the same file, so the last run (the measured mode) wins.
    """
    clear_caches()
    with tempfile.NamedTemporaryFile(suffix=".prof", delete=False) as handle:
        target = handle.name
    try:
        at = new_page(name, profile_to=target).run()
        if mode == "warm":
            at.run()
        elif mode == "search":
            at.run()
            at.text_input(key="items_search").input(SEARCH).run()
        out = io.StringIO()
        stats = pstats.Stats(target, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(20)
        stats.sort_stats("tottime").print_stats(20)
        return out.getvalue()
    finally:
        os.unlink(target)


def warm_up(path: Path) -> None:
    """Import Streamlit, Plotly and the pages once, untimed."""
    use_store(path)
    for name in ("radar", "items"):
        new_page(name).run()
        quiet()
    clear_caches()


# --- report ----------------------------------------------------------------------------------


def print_table(results: dict[int, dict[str, dict[str, float]]]) -> None:
    print()
    print("server-side render time, seconds (median of runs; AppTest.run wall time)")
    head = (
        f"{'items':>10} | {'Radar cold':>10} {'Radar warm':>10} | {'Items cold':>10}"
        f" {'Items warm':>10} {'search ' + SEARCH:>14}"
    )
    print(head)
    print("-" * len(head))
    for rows, pages in results.items():
        radar, items = pages["radar"], pages["items"]
        print(
            f"{rows:>10,} | {radar['cold']:>10.3f} {radar['warm']:>10.3f} |"
            f" {items['cold']:>10.3f} {items['warm']:>10.3f} {items['search']:>14.3f}"
        )
    print()
    for rows, pages in results.items():
        print(
            f"{rows:>10,} items: radar blips drawn {pages['radar']['blips']:.0f};"
            f" items shown {pages['items']['found']:.0f} rows for the search"
        )


def verdicts(results: dict[int, dict[str, dict[str, float]]]) -> list[tuple[int, str, str]]:
    """Print the target check; return the (size, page, mode) renders over the target."""
    largest = max(results)
    over = [
        (rows, page, mode)
        for rows, pages in results.items()
        for page, figures in pages.items()
        for mode in ("cold", "warm", "search")
        if mode in figures and figures[mode] > TARGET_S
    ]
    worst = max(
        figures[mode]
        for figures in results[largest].values()
        for mode in ("cold", "warm", "search")
        if mode in figures
    )
    scope = "" if largest >= TARGET_ITEMS else f" (largest size run: {largest:,} items)"
    ok = worst <= TARGET_S
    print(
        f"target: every render <= {TARGET_S:.0f} s at {TARGET_ITEMS:,} items: slowest"
        f" {worst:.2f} s at {largest:,}{scope} -> {'met' if ok else 'MISSED'}"
    )
    return over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated item counts (default 10k,100k,1M)")
    parser.add_argument("--quick", action="store_true", help="10k and 50k items")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--stores", type=Path, help="reuse/keep stores radar-<rows>.db here")
    parser.add_argument("--editions", type=int, default=52, help="editions per built store")
    parser.add_argument("--profile", action="store_true", help="cProfile every cold render")
    args = parser.parse_args(argv)
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    directory = args.stores or Path(tempfile.mkdtemp(prefix="radar-app-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, stores in {directory}")
    try:
        paths = {rows: ensure_store(directory, rows, args.editions) for rows in sizes}
        warm_up(paths[sizes[0]])
        results: dict[int, dict[str, dict[str, float]]] = {}
        for rows, path in paths.items():
            use_store(path)
            results[rows] = {
                "radar": measure_radar(args.repeat),
                "items": measure_items(args.repeat),
            }
        print_table(results)
        over = verdicts(results)
        wanted = {(rows, page, mode) for rows, page, mode in over if rows == max(sizes)}
        if args.profile:
            wanted |= {(max(sizes), page, "cold") for page in ("radar", "items")}
        for rows, page, mode in sorted(wanted):
            use_store(paths[rows])
            label = f"{page} {mode} render at {rows:,} items"
            print(f"\n--- cProfile: {label} (render() in the script thread) ---")
            print(profile_page(page, mode))
    finally:
        if not args.stores:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
