"""Classifier accuracy, honestly: quadrant macro-F1 and relevance AUC on hand-labelled headlines.

Run from the repository root (needs ``../shared``; says so and exits 0 without it)::

    python benchmarks/accuracy.py              # every section, about two minutes
    python benchmarks/accuracy.py --store-items 10000   # a smaller store for section B

The test set is ``tests/data/eval_labels.jsonl``: 516 real headlines (250 ja, 266 en) from
``../shared``, labelled by hand (``tests/data/EVAL_LABELS.md``). No model below ever trains
on them, except in section D, where each fold is predicted by a model that never saw it.
Titles are re-found in ``../shared`` by key; no headline text is written anywhere.

What a deployment goes through, in order:

A. Cold start on the demo corpus (what ``make run`` has): the weak rules alone (named
   technologies, then topic terms), the model trained on the demo's weak labels alone, and
   the two combined as the product stores them (``predict_quadrants``).
B. Cold start on a real store: the model trained on weak labels of real unlabelled headlines
   (``--store-items`` history rows from ``../shared`` that are in no label file), as an
   installation has after its first fetches, and the product combination; once without the
   shipped seed examples (``seed_examples.yaml``), to show what they add. Every other
   section trains with them, as ``radar train`` does.
C. After staff tagging: B plus ``tests/data/tag_labels.jsonl`` (1,149 other hand-labelled
   headlines from other sources, ``TAG_LABELS.md``) as staff tags, weighted as ``radar
   train`` weights them.
D. C plus the test set itself as staff tags, by 5-fold cross-validation: each item is
   predicted by a model trained on the other four folds.
E. Label agreement: a second labeller's blind labels of the test set
   (``tests/data/eval_labels_second.jsonl``) scored like a model, an upper bound of sorts.

"Models alone" is the n-gram model and the sentence-meaning model mixed as the product mixes
them (``Models.quadrant_proba``); relevance is what the product stores (``relevance_proba``).
Quadrant macro-F1 averages the four quadrants over items whose label is a quadrant ("none"
items are left out); an item the rules leave without a quadrant counts as wrong. Intervals
are 95 % percentile bootstrap intervals over items (1,000 resamples).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

import feedparser  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import f1_score, roc_auc_score  # noqa: E402

from radar.classify.mentions import MentionMatcher  # noqa: E402
from radar.classify.text import rule_text  # noqa: E402
from radar.classify.train import (  # noqa: E402
    Example,
    Models,
    build_examples,
    fit_models,
    meaning_of,
    predict_quadrants,
    seed_examples,
)
from radar.demo.corpus import DEMO_FEEDS, demo_entries  # noqa: E402
from radar.ingest.parse import entry_html  # noqa: E402
from radar.ingest.sanitize import to_text  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402
from radar.taxonomy.model import Taxonomy  # noqa: E402
from radar.taxonomy.sidefiles import seeds_for  # noqa: E402

SEED = 0
FOLDS = 5
BOOTSTRAP = 1000
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
STORE_ITEMS = 40_000


@dataclass(frozen=True)
class Labelled:
    """A hand-labelled headline, its text re-found in ../shared (never stored here)."""

    key: str
    title: str
    summary: str
    lang: str
    quadrant: str | None  # None: labelled "none" (no quadrant fits)
    relevant: bool


def title_key(title: str) -> str:
    """The labels' key: SHA-1 of the NFKC, whitespace-collapsed title (EVAL_LABELS.md)."""
    normal = " ".join(unicodedata.normalize("NFKC", title).split())
    return hashlib.sha1(normal.encode()).hexdigest()[:16]


def _feed_entries(shared: Path) -> list[tuple[str, str]]:
    """(title, summary text) of every captured real feed, Japanese first, in name order."""
    entries = []
    for lang in ("ja", "en"):
        for path in sorted((shared / "data" / "feeds" / "realworld" / lang).glob("*")):
            body = path.read_bytes()
            if path.suffix == ".gz":
                body = gzip.decompress(body)
            for entry in feedparser.parse(body).entries:
                entries.append((str(entry.get("title") or ""), to_text(entry_html(entry))))
    return entries


def _history_rows(shared: Path) -> list[dict]:
    rows = []
    for lang in ("ja", "en"):
        path = shared / "data" / "history" / f"headlines-{lang}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows.extend({**json.loads(line), "lang": lang} for line in lines)
    return rows


def resolve(path: Path, pool: dict[str, tuple[str, str]]) -> list[Labelled]:
    """The labelled lines of a label file whose titles were found ('skip' lines dropped)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if not row or row["quadrant"] == "skip" or row["key"] not in pool:
            continue
        title, summary = pool[row["key"]]
        quadrant = None if row["quadrant"] == "none" else str(row["quadrant"])
        found.append(
            Labelled(row["key"], title, summary, row["lang"], quadrant, bool(row["relevant"]))
        )
    return found


def _example(i: int, x: Labelled, taxonomy: Taxonomy, matcher: MentionMatcher,
             tagged: bool) -> Example:  # fmt: skip
    """The product's own path (``build_examples``): mentions, weak labels, staff tags.

    A tag carries the quadrant (none for a "none" label, which staff cannot give, so the
    weak quadrant stays) and the relevance, as the tagging page records them.
    """
    row = {
        "id": i, "title": x.title, "summary_text": x.summary, "lang": x.lang, "published": "",
        "techs": matcher.find(rule_text(x.title, x.summary)),
        "tag_quadrant": x.quadrant if tagged else None,
        "tag_relevant": x.relevant if tagged else None,
    }  # fmt: skip
    return build_examples([row], taxonomy)[0]


# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------


def _f1(quadrants: Sequence[str], truth: Sequence[str], pred: Sequence[str]) -> float:
    return float(f1_score(truth, pred, labels=list(quadrants), average="macro", zero_division=0))


def _interval(metric: Callable[[np.ndarray], float | None], n: int) -> str:
    rng = np.random.default_rng(SEED)
    values = [v for v in (metric(rng.integers(0, n, n)) for _ in range(BOOTSTRAP)) if v is not None]
    low, high = np.percentile(values, [2.5, 97.5])
    return f"[{low:.2f}, {high:.2f}]"


def report(name: str, quadrants: Sequence[str], test: Sequence[Labelled],
           pred_q: Sequence[str | None], score_r: Sequence[float] | None) -> None:  # fmt: skip
    """One line per language group: macro-F1 [CI], and relevance AUC [CI] when scored."""
    print(f"  {name}")
    for group in ("all", "ja", "en"):
        idx = [i for i, x in enumerate(test) if group in ("all", x.lang)]
        rows = [i for i in idx if test[i].quadrant]
        truth = np.array([test[i].quadrant for i in rows], dtype=object)
        pred = np.array([pred_q[i] or "(none)" for i in rows], dtype=object)
        f1 = _f1(quadrants, list(truth), list(pred))
        ci = _interval(
            lambda ix, t=truth, p=pred: _f1(quadrants, list(t[ix]), list(p[ix])), len(rows)
        )
        line = f"    {group:>3} (n={len(rows)}): quadrant macro-F1 {f1:.3f} {ci}"
        if score_r is not None:
            tr = np.array([int(test[i].relevant) for i in idx])
            sr = np.array([score_r[i] for i in idx])

            def auc(ix: np.ndarray, tr: np.ndarray = tr, sr: np.ndarray = sr) -> float | None:
                return float(roc_auc_score(tr[ix], sr[ix])) if 0 < tr[ix].sum() < len(ix) else None

            line += f"; relevance AUC {auc(np.arange(len(idx))):.3f} {_interval(auc, len(idx))}"
        print(line)


def _predict(models: Models, examples: Sequence[Example]) -> tuple[list[str], list[str], list]:
    """(models alone, models + rules as the product stores it, relevance as stored)."""
    assert models.topic is not None and models.relevance is not None
    matrix, embedded = models.matrix([e.text for e in examples]), meaning_of(examples)
    guess = predict_quadrants(models, matrix, examples, embedded)
    return guess.model, guess.quadrants, models.relevance_proba(matrix, examples, embedded).tolist()


def _show_model(label: str, models: Models, quadrants: Sequence[str],
                test: Sequence[Labelled], examples: Sequence[Example]) -> None:  # fmt: skip
    alone, product, relevance = _predict(models, examples)
    report(f"{label}: models alone", quadrants, test, alone, relevance)
    report(f"{label}: models + rules (what the product stores)", quadrants, test, product, None)


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def demo_examples(taxonomy: Taxonomy, matcher: MentionMatcher) -> list[Example]:
    """The demo corpus with weak labels, as ``radar demo`` trains on it."""
    langs = {feed.slug: feed.lang for feed in DEMO_FEEDS}
    return [
        _example(i, Labelled("", e.title, to_text(e.summary_html), langs[e.feed], None, False),
                 taxonomy, matcher, tagged=False)
        for i, e in enumerate(demo_entries())
    ]  # fmt: skip


def store_examples(rows: Sequence[dict], labelled: set[str], n: int, taxonomy: Taxonomy,
                   matcher: MentionMatcher) -> list[Example]:  # fmt: skip
    """``n`` history rows in no label file (seed 0), weak-labelled like a real store."""
    pool = [r for r in rows if title_key(str(r["title"])) not in labelled]
    random.Random(SEED).shuffle(pool)
    return [
        _example(i, Labelled("", str(r["title"]), str(r.get("summary") or ""), r["lang"],
                             None, False), taxonomy, matcher, tagged=False)
        for i, r in enumerate(pool[:n])
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--store-items", type=int, default=STORE_ITEMS)
    args = parser.parse_args(argv)
    if not (args.shared / "data").is_dir():
        print(f"SKIPPED: {args.shared} (where the labelled titles live) is missing")
        return 0
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    matcher = MentionMatcher.from_taxonomy(taxonomy)
    quadrants = [q.id for q in taxonomy.quadrants]
    history = _history_rows(args.shared)
    pool: dict[str, tuple[str, str]] = {}
    texts = [(str(r["title"]), str(r.get("summary") or "")) for r in history]
    for title, summary in [*_feed_entries(args.shared), *texts]:
        pool.setdefault(title_key(title), (title, summary))
    test = resolve(DATA / "eval_labels.jsonl", pool)
    tags = resolve(DATA / "tag_labels.jsonl", pool)
    print(
        f"test set: {len(test)} headlines ({sum(x.lang == 'ja' for x in test)} ja); staff-tag"
        f" set: {len(tags)} ({sum(x.lang == 'ja' for x in tags)} ja); titles found in"
        f" {time.perf_counter() - started:.0f} s"
    )
    test_examples = [_example(i, x, taxonomy, matcher, False) for i, x in enumerate(test)]
    pairs = zip(test_examples, test, strict=True)
    covered = sum(e.rule_quadrant is not None for e, x in pairs if x.quadrant)
    print()
    print("A. cold start on the demo corpus")
    print(f"  the rules give {covered} of {sum(bool(x.quadrant) for x in test)} test items a"
          " quadrant (a named technology or topic terms)")  # fmt: skip
    report("rules alone", quadrants, test, [e.rule_quadrant for e in test_examples],
           [float(e.rule_relevant) for e in test_examples])  # fmt: skip
    seeds = seed_examples(seeds_for(taxonomy))  # as `radar train` adds them
    _show_model("demo-trained", fit_models([*demo_examples(taxonomy, matcher), *seeds], SEED),
                quadrants, test, test_examples)  # fmt: skip

    print()
    labelled = {x.key for x in (*test, *tags)}
    store = store_examples(history, labelled, args.store_items, taxonomy, matcher)
    weak = sum(e.quadrant is not None for e in store)
    print(f"B. cold start on a real store: {len(store):,} unlabelled history headlines,"
          f" {weak:,} with a weak quadrant")  # fmt: skip
    _show_model("store-trained, no seed examples", fit_models(store, SEED), quadrants, test,
                test_examples)  # fmt: skip
    _show_model("store-trained", fit_models([*store, *seeds], SEED), quadrants, test,
                test_examples)  # fmt: skip

    print()
    tag_examples = [_example(-1 - i, x, taxonomy, matcher, True) for i, x in enumerate(tags)]
    print(f"C. after staff tagging: the store plus {len(tags):,} staff tags")
    _show_model("store + tags", fit_models([*store, *seeds, *tag_examples], SEED), quadrants, test,
                test_examples)  # fmt: skip

    print()
    print(f"D. C plus the test set as staff tags, {FOLDS}-fold cross-validation")
    order = list(range(len(test)))
    random.Random(SEED).shuffle(order)
    fold = {item: n % FOLDS for n, item in enumerate(order)}
    alone: list[str] = [""] * len(test)
    product: list[str] = [""] * len(test)
    relevance: list[float] = [0.0] * len(test)
    as_tags = [_example(-10_000 - i, x, taxonomy, matcher, True) for i, x in enumerate(test)]
    for k in range(FOLDS):
        held = [i for i in range(len(test)) if fold[i] == k]
        trained = [as_tags[i] for i in range(len(test)) if fold[i] != k]
        models = fit_models([*store, *seeds, *tag_examples, *trained], SEED)
        for i, a, p, r in zip(held, *_predict(models, [test_examples[i] for i in held]),
                              strict=True):  # fmt: skip
            alone[i], product[i], relevance[i] = a, p, r
    report("cross-validated: models alone", quadrants, test, alone, relevance)
    report("cross-validated: models + rules (what the product stores)", quadrants, test,
           product, None)  # fmt: skip

    print()
    second = DATA / "eval_labels_second.jsonl"
    print("E. label agreement: a second labeller's blind labels, scored like a model")
    if second.exists():
        other = {x.key: x for x in resolve(second, pool)}
        report("second labeller", quadrants, test,
               [(other[x.key].quadrant or "(none)") if x.key in other else None for x in test],
               [float(other[x.key].relevant) if x.key in other else 0.0 for x in test])  # fmt: skip
    else:
        print(f"  SKIPPED: {second.relative_to(ROOT)} is missing")
    print(f"\ndone in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
