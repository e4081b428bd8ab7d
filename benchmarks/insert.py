"""Insert benchmark: story grouping stays near-linear and never holds the write lock long.

Run from the repository root::

    python benchmarks/insert.py                     # 10,000 items per title shape
    python benchmarks/insert.py --items 30000       # one very large feed
    python benchmarks/insert.py --one-transaction   # the whole feed in one write transaction

One feed of N items is inserted into a fresh SQLite file through ``insert_items`` as the fetch
pipeline calls it, once with headlines sharing their opening ("Release notes: ...", the case
that used to read every story with the same first characters for each item) and once with
unrelated headlines. Meanwhile a second connection plays staff tagging: one small write
transaction every 50 ms, timing how long it waits for the lock.

Printed per shape: items/s, stories made, the longest write transaction of the inserting
connection (BEGIN to COMMIT) and the staff write's longest
wait. Targets: prefix/random items/s ratio >= 0.5 (near-linear whatever the titles), longest
write transaction <= 2 s.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

from radar.records import Item  # noqa: E402
from radar.store import bulk  # noqa: E402
from radar.store.db import open_db, transaction  # noqa: E402
from radar.store.items import insert_items  # noqa: E402

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
TARGET_RATIO = 0.5
TARGET_LONGEST_S = 2.0
_WORDS = (
    "cloud", "database", "kernel", "browser", "compiler", "runtime", "cluster", "network",
    "storage", "identity", "payments", "search", "editor", "gateway", "scheduler", "parser",
    "encoder", "firmware", "sandbox", "registry", "observability", "pipeline", "quantum",
    "satellite", "wallet", "passkey", "container", "inference", "vector", "render",
)  # fmt: skip


def titles(count: int, shape: str, rng: random.Random) -> list[str]:
    """Distinct headlines: all opening alike ("prefix") or made of unrelated words."""
    out = []
    for n in range(count):
        words = " ".join(rng.sample(_WORDS, 4))
        if shape == "prefix":
            out.append(f"Release notes: {words} {n}")
        else:
            out.append(f"{words.capitalize()} {rng.choice(_WORDS)} report {n}")
    return out


def items(count: int, shape: str, seed: int) -> list[Item]:
    rng = random.Random(seed)
    made = []
    for n, title in enumerate(titles(count, shape, rng)):
        url = f"https://{shape}.example/{n}"
        made.append(
            Item(
                key=f"l:{url}", guid=None, link=url, canonical_url=url, title=title,
                summary_html="", summary_text=f"Body of item {n}.",
                published=NOW - timedelta(minutes=n % 2880), date_missing=False, lang="en",
            )
        )  # fmt: skip
    return made


class Transactions:
    """Longest write transaction: wraps the store's ``transaction`` helper and times each.

    (SQLite's statement trace would do without wrapping, but Python expands every bound
    parameter into the traced text, so each trigger step re-copied the batch's JSON.)
    """

    def __init__(self) -> None:
        self.longest = 0.0
        self.inner = bulk.transaction

    @contextmanager
    def __call__(self, db: Any) -> Iterator[None]:
        outermost = not db.conn.in_transaction
        began = time.perf_counter()
        with self.inner(db):
            yield
        if outermost:
            self.longest = max(self.longest, time.perf_counter() - began)


def staff_writes(path: Path, stop: threading.Event, waits: list[float]) -> None:
    """A small write every 50 ms from another connection; record how long each waited.

    A write refused with "database is locked" (the busy timeout ran out) counts as infinite.
    """
    db = open_db(path)
    while not stop.is_set():
        began = time.perf_counter()
        try:
            with transaction(db):
                db.execute("UPDATE feeds SET last_warning = ? WHERE id = 'bench'", [str(began)])
            waits.append(time.perf_counter() - began)
        except sqlite3.OperationalError:
            waits.append(float("inf"))
        stop.wait(0.05)
    db.close()


def run(path: Path, shape: str, count: int, one_transaction: bool) -> dict[str, float]:
    db = open_db(path)
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at)"
        " VALUES ('bench', 'Bench', 'https://b.example/f', 'https://b.example/f', ?)",
        [NOW.isoformat()],
    )
    feed = items(count, shape, seed=count)
    trace = Transactions()
    bulk.transaction = trace
    stop, waits = threading.Event(), []
    staff = threading.Thread(target=staff_writes, args=(path, stop, waits))
    staff.start()
    began = time.perf_counter()
    if one_transaction:
        with trace(db):
            new = insert_items(db, "bench", feed, NOW)
    else:
        new = insert_items(db, "bench", feed, NOW)
    elapsed = time.perf_counter() - began
    stop.set()
    staff.join()
    bulk.transaction = trace.inner
    again = insert_items(db, "bench", feed, NOW)
    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    db.close()
    assert new == count and again == 0, (new, again)
    return {
        "items_per_s": count / elapsed,
        "seconds": elapsed,
        "stories": stories,
        "longest_tx": trace.longest,
        "staff_max_wait": max(waits, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="items in the one feed")
    parser.add_argument(
        "--one-transaction", action="store_true", help="wrap the whole feed in one transaction"
    )
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ("prefix", "random"):
            results[shape] = run(Path(tmp) / f"{shape}.db", shape, args.items, args.one_transaction)
            r = results[shape]
            print(
                f"{shape:>6}: {args.items} items in {r['seconds']:.2f} s = "
                f"{r['items_per_s']:,.0f} items/s, {r['stories']} stories, longest write "
                f"transaction {r['longest_tx']:.2f} s, staff write waited at most "
                f"{r['staff_max_wait']:.2f} s"
            )
    ratio = results["prefix"]["items_per_s"] / results["random"]["items_per_s"]
    longest = max(r["longest_tx"] for r in results.values())
    print(f"prefix/random items/s ratio {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"longest write transaction {longest:.2f} s (target <= {TARGET_LONGEST_S} s)")


if __name__ == "__main__":
    main()
