"""Fate-list evaluation: the judgment against persistence on technologies whose fate is known.

Run from the repository root (needs ../shared; about 15-30 minutes the first time, on 2 cores,
most of it importing and scoring the 600k-headline English archive once)::

    python benchmarks/fate_eval.py                       # builds /tmp/trend-radar-fates/
    python benchmarks/fate_eval.py --store PATH --json   # reuse a store, print JSON

Builds a store from ``../shared/data/history`` (the English headline archive, plus the series
file when ``--series`` is given), links it with the shipped taxonomy extended by the fate
list's added technologies (``tests/data/fates.yaml``), and scores at each cutoff the model
the radar would have had then. Prints, per cutoff: how many listed technologies were covered,
AUC of the model, persistence and volume on all of them and on the contested ones (covered
in at least half the 26 weeks before), and the paired-bootstrap 95% interval of model minus
persistence. Target (issue 16): contested AUC >= 0.90 with the interval's lower bound > 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

from radar.classify.linking import link_store  # noqa: E402
from radar.ingest.archive import import_archive  # noqa: E402
from radar.staying.evaluation import paired_difference  # noqa: E402
from radar.staying.fate import evaluate_fates, load_fates  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "history"
FATES = ROOT / "tests" / "data" / "fates.yaml"


def _build(store: Path, series: bool) -> None:
    db = open_db(store)
    if not db.execute("SELECT 1 FROM items LIMIT 1").fetchone():
        print("importing the English archive (once)...", file=sys.stderr)
        import_archive(db, SHARED / "headlines-en.jsonl.gz", datetime.now(UTC))
    if series:
        from radar.series.importer import import_series_file

        import_series_file(db, SHARED / "tag-counts.csv")


def _oracle(result: dict) -> str:
    """What the target's interval allows at best: a model that knows every fate, against
    persistence on the contested subset. Where persistence also ranks every resample of more
    than 2.5 % of the draws perfectly, no model's lower bound can be above 0."""
    names = set(result["contested"].get("names", ()))
    rows = [t for t in result["technologies"] if t["tech"] in names]
    truth = [t["fate"] for t in rows]
    if len(set(truth)) < 2:
        return "oracle: one outcome only among the contested technologies"
    persistence = [t["persistence26"] for t in rows]
    best = paired_difference(truth, [float(y) for y in truth], persistence)
    return (
        f"a model that knows every fate, minus persistence (contested): {best['difference']:+.3f}"
        f" [{best['ci'][0]:+.3f}, {best['ci'][1]:+.3f}]; faded among them:"
        f" {', '.join(t['tech'] for t in rows if not t['fate'])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/trend-radar-fates/history.db"))
    parser.add_argument("--cutoff", action="append", help="ISO date (default: the list's)")
    parser.add_argument("--series", action="store_true", help="import tag-counts.csv too")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (SHARED / "headlines-en.jsonl.gz").exists():
        print(f"skipped: {SHARED} is missing (the shared back-test data is not on this machine)")
        return 0
    _build(args.store, args.series)
    db = open_db(args.store)
    fates, taxonomy = load_fates(FATES, load_taxonomy())
    linked = link_store(db, taxonomy)
    print(f"{len(fates)} technologies listed; {linked:,} items (re)linked", file=sys.stderr)
    import yaml

    cutoffs = args.cutoff or [str(c) for c in yaml.safe_load(FATES.read_text())["cutoffs"]]
    results = [
        evaluate_fates(db, fates, taxonomy, datetime.fromisoformat(c).replace(tzinfo=UTC))
        for c in cutoffs
    ]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    print(
        "| cutoff | covered (standards) | AUC model | persistence | volume"
        " | model - persistence [95%] |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        for label, part in (("all", r), ("contested", r["contested"])):
            if "auc" not in part:
                print(f"| {r['at']} {label} | {part['n']} | - | - | - | one outcome only |")
                continue
            n = part.get("covered", part.get("n"))
            d = part["auc_minus_persistence"]
            lasted = part.get("standards", part.get("positives"))
            print(
                f"| {r['at']} {label} | {n} ({lasted}) | {part['auc']:.3f} | "
                f"{part['persistence_auc']:.3f} | {part['volume_auc']:.3f} | "
                f"{d['difference']:+.3f} [{d['ci'][0]:+.3f}, {d['ci'][1]:+.3f}] |"
            )
        print(f"  {_oracle(r)}")
        print(
            f"  calibration at {r['at']}: {r['calibration']}; model {r['model_kind']}"
            f"{' (calibrated)' if r['calibrated'] else ''}; not covered: {len(r['missing'])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
