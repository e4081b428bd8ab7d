"""Could the fate list hold more contested fads? Coverage of candidate technologies at a cutoff.

Run after ``benchmarks/fate_eval.py`` has built its store (needs ../shared)::

    python benchmarks/fate_candidates.py [--store PATH] [--cutoff 2017-06-30 ...]

Issue 16's target asks for a paired-bootstrap interval of model minus persistence above 0 on
the contested subset (technologies with at least ``CONTESTED_MENTIONS`` headlines in the 26
weeks before the cutoff). With only 4 or 5 faded technologies there, persistence ranks many
resamples perfectly, and no model can then be above it. This counts, in the archive's
half-year before each cutoff, the headlines naming candidate technologies not on the list
(the team's own list of names, facts in the comments), to see whether more contested fads
exist to add. Only counts are printed.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

from radar.staying.evaluation import CONTESTED_MENTIONS  # noqa: E402

# Faded (retired, abandoned or replaced within about two years), as far as public facts go:
FADED = {
    "Theano": r"\bTheano\b",  # development ended 2017
    "Caffe": r"\bCaffe2?\b",  # merged into PyTorch 2018
    "CNTK": r"\bCNTK\b",  # last release 2019
    "MXNet": r"\bMXNet\b",  # retired to the Apache Attic 2023
    "Chainer": r"\bChainer\b",  # maintenance only from 2019
    "Essential Phone": r"Essential Phone",  # company closed 2020
    "Kinect": r"\bKinect\b",  # manufacturing ended 2017
    "Google Tango": r"Project Tango|Google Tango",  # ended 2018
    "Windows Mixed Reality": r"Windows Mixed Reality",  # deprecated 2023
    "Cloud Foundry": r"Cloud Foundry",  # vendors moved to Kubernetes
    "Gulp": r"\bGulp\b|gulp\.js",  # replaced by bundlers
    "Mercurial": r"\bMercurial\b",  # Bitbucket dropped it 2020
    "Jibo": r"\bJibo\b",  # servers shut 2019
    "Periscope": r"\bPeriscope\b",  # shut 2021
    "Google Duo": r"Google Duo",  # merged into Meet 2022
    "Flow": r"Flowtype|\bFlow\b.*JavaScript",  # overtaken by TypeScript
    "Polymer": r"\bPolymer\b",  # maintenance mode
    "Riak": r"\bRiak\b",  # Basho closed 2017
    "CouchDB": r"CouchDB",  # a niche
    "Apache Storm": r"Apache Storm",  # replaced by Flink and Spark
    "Snap Spectacles": r"Spectacles",  # first edition flopped 2017
    "Juicero": r"Juicero",  # closed 2017
    "Google Fiber": r"Google Fiber",  # expansion halted 2016
    "Vine": r"\bVine\b",  # closed 2017
    "Pebble": r"\bPebble\b",  # closed 2016
}
# Contested, not clearly faded (kept off the list: their fate is arguable either way):
ARGUABLE = {
    "Yahoo": r"\bYahoo\b", "Mastodon": r"\bMastodon\b", "Perl": r"\bPerl\b",
    "Heroku": r"\bHeroku\b", "jQuery": r"\bjQuery\b", "Tumblr": r"\bTumblr\b",
}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/trend-radar-fates/history.db"))
    parser.add_argument("--cutoff", action="append", type=date.fromisoformat)
    args = parser.parse_args()
    if not args.store.exists():
        print(f"skipped: {args.store} is missing; run benchmarks/fate_eval.py first")
        return 0
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    for cutoff in args.cutoff or [date(2017, 6, 30), date(2018, 6, 30)]:
        start = cutoff - timedelta(weeks=26)
        titles = [
            row[0] or ""
            for row in db.execute(
                "SELECT title FROM items WHERE published_at >= ? AND published_at < ?",
                (start.isoformat(), cutoff.isoformat()),
            )
        ]
        print(f"{cutoff}: {len(titles):,} headlines in the 26 weeks before")
        for label, names in (("faded", FADED), ("arguable", ARGUABLE)):
            counts = {
                name: sum(1 for t in titles if re.search(pattern, t))
                for name, pattern in names.items()
            }
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            over = [name for name, n in ranked if n >= CONTESTED_MENTIONS]
            print(f"  {label}: " + ", ".join(f"{name} {n}" for name, n in ranked))
            print(f"    at least {CONTESTED_MENTIONS} (contested): {', '.join(over) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
