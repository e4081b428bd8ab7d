"""Back-test with and without adoption series, beside the baselines, at three dates.

Run from the repository root (needs ``../shared``; says so and exits 0 without it)::

    python benchmarks/backtest_series.py                    # builds the store once, then tests
    python benchmarks/backtest_series.py --store /tmp/h.db  # keep (and reuse) the store there
    python benchmarks/backtest_series.py --json out.json    # also write every figure as JSON

The store is what an installation that back-fills its history has: the English headline
archive (``radar import-archive ../shared/data/history/headlines-en.jsonl.gz``: linked to
``taxonomy.yaml`` and scored by the weak rules) plus the public series
(``radar import-series ../shared/data/history/tag-counts.csv``). Building it takes several
minutes on 2 cores; a store already built at ``--store`` is reused (delete it after a taxonomy
change). The Thoughtworks radar volumes (``../shared/data/twradar/volumes/csv``) are the dated
radar seeds (``radar backtest --seeds``), unless ``--no-seeds``.

Then, for each date, ``radar backtest --at DATE`` (radar.staying.backtest.backtest): the
model trained only on outcomes known at the date, scored with the series and with the series
held neutral, beside the persistence and volume baselines, against the one outcome definition
of radar/staying/outcomes.py. The target is that the model with series loses to neither
baseline (AUC not lower, Brier not higher) at any date. The table adds the AUC of "has an
adoption series" alone and the AUC within the truth's tiers that hold both outcomes: where
the first is near 1, the tiers separate the outcomes by themselves and only the second says
how well anything ranks. The coverage tier and the censoring of ended series were revised
after all three dates had been seen (outcomes.py), so these are not out-of-sample tests of them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# First on the path: this folder holds a radar.py (a benchmark) that would hide the package.
sys.path.insert(0, str(ROOT))

from radar.classify.linking import link_store  # noqa: E402
from radar.classify.mentions import MentionMatcher  # noqa: E402
from radar.classify.retrain import score_store  # noqa: E402
from radar.ingest.archive import import_archive  # noqa: E402
from radar.series.importer import import_series_file  # noqa: E402
from radar.staying.backtest import backtest  # noqa: E402
from radar.staying.byor import tech_resolver  # noqa: E402
from radar.staying.seeds import load_seeds  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402
from radar.taxonomy.model import Taxonomy  # noqa: E402
from radar.taxonomy.sidefiles import DEFAULT_TAXONOMY_PATH  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DATES = ("2017-06-30", "2018-06-30", "2019-06-30")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
COLUMNS = ("model", "model_without_series", "persistence", "volume")


def build_store(path: Path, shared: Path, taxonomy: Taxonomy, models: Path) -> None:
    """Import the English archive and the series into ``path`` (skipped when already there)."""
    db = open_db(path)
    if db["items"].count and db["series"].count:
        print(f"Reusing {path} ({db['items'].count:,} items, {db['series'].count:,} points)")
        return
    started = time.perf_counter()
    result = import_archive(db, shared / "history" / "headlines-en.jsonl.gz", NOW)
    print(f"archive: {result.rows:,} rows, {result.inserted:,} new", flush=True)
    link_store(db, taxonomy)
    score_store(db, taxonomy, models, NOW)
    report = import_series_file(db, shared / "history" / "tag-counts.csv")
    print(
        f"series: {report.stored:,} points; store built in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def row(date: str, result: dict) -> dict:  # type: ignore[type-arg]
    """One line of the table: counts, truth basis, AUC and Brier of each scorer."""
    scores = {
        "model": result["model"],
        "model_without_series": result["model_without_series"],
        **result["baselines"],
    }
    best_auc = max(scores["persistence"]["auc"], scores["volume"]["auc"])
    best_brier = min(scores["persistence"]["brier"], scores["volume"]["brier"])
    within = result["within_tiers"]
    return {
        "date": date,
        "n": result["n"],
        "censored": len(result["censored"]),
        "series_auc": result["baselines"]["series"]["auc"],
        "within_n": within["n"],
        **{f"{k}_within_auc": within[f"{k}_auc"] for k in ("model", "persistence")},
        "positives": result["positives"],
        "truth_basis": result["truth_basis"],
        "with_series": result["with_series"],
        "model_kind": result["model_kind"],
        "trained_on": result["model_trained_on"],
        **{f"{k}_auc": scores[k]["auc"] for k in COLUMNS},
        **{f"{k}_auc_ci": scores[k]["auc_ci"] for k in COLUMNS},
        **{f"{k}_brier": scores[k]["brier"] for k in COLUMNS},
        "target_met": scores["model"]["auc"] >= best_auc and scores["model"]["brier"] <= best_brier,
    }


def _within(r: dict) -> str:  # type: ignore[type-arg]
    if not r["within_n"]:
        return "none rankable"
    return f"{r['model_within_auc']:.3f} vs {r['persistence_within_auc']:.3f} (n {r['within_n']})"


def print_table(rows: list[dict]) -> None:  # type: ignore[type-arg]
    """AUC / Brier per scorer; "has series" is the AUC of the series indicator alone.

    Where it is near 1, the truth's tiers separate the outcomes by themselves, so read the
    within-tier column (model vs persistence, on tiers holding both outcomes) instead.
    """
    print()
    print("| date | n (pos) | truth: adoption/seed/coverage (censored) | series | "
          "model AUC / Brier | without series | persistence | volume | has series | "
          "within tiers | target |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        basis = r["truth_basis"]
        cells = [f"{r[f'{k}_auc']:.3f} / {r[f'{k}_brier']:.3f}" for k in COLUMNS]
        print(
            f"| {r['date']} | {r['n']} ({r['positives']}) | {basis['adoption']}/{basis['seed']}"
            f"/{basis['coverage']} ({r['censored']}) | {r['with_series']} | "
            + " | ".join(cells)
            + f" | {r['series_auc']:.3f} | {_within(r)}"
            + f" | {'met' if r['target_met'] else 'MISSED'} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--store", type=Path, default=Path("/tmp/radar-backtest-series.db"))
    parser.add_argument("--taxonomy", type=Path, default=DEFAULT_TAXONOMY_PATH)
    parser.add_argument("--dates", nargs="+", default=list(DATES))
    parser.add_argument("--no-seeds", action="store_true", help="leave out the dated radars")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    history = args.shared / "history"
    if (
        not (history / "headlines-en.jsonl.gz").exists()
        or not (history / "tag-counts.csv").exists()
    ):
        print(f"SKIP: {history} has no headlines-en.jsonl.gz and tag-counts.csv")
        return 0
    taxonomy = load_taxonomy(args.taxonomy)
    build_store(args.store, args.shared, taxonomy, args.store.with_suffix(".models"))
    seeds = None
    volumes = args.shared / "twradar" / "volumes" / "csv"
    if not args.no_seeds and volumes.is_dir():
        seeds = load_seeds(
            volumes, tech_resolver(taxonomy, MentionMatcher.from_taxonomy(taxonomy).find)
        )
        print(f"seeds: {len(seeds)} technologies from {volumes}")
    db = open_db(args.store)
    rows, full = [], {}
    for date in args.dates:
        started = time.perf_counter()
        result = backtest(db, datetime.fromisoformat(date).replace(tzinfo=UTC), seeds, taxonomy)
        print(f"{date}: {time.perf_counter() - started:.0f} s", flush=True)
        rows.append(row(date, result))
        full[date] = result
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "results": full}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
