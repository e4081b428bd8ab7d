"""Retrain from the store and re-score: the one orchestrator of the classifier.

Reads rows and tags, fits, evaluates the new model and the current one on the same held-out
items, saves the version, promotes it only if it is not worse (unless forced), and re-scores
every item with whatever is current. Without any model the weak-label rules score items, so
a fresh install works before any training.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from radar.classify.meaning import EMBEDDING_DIM, ENCODER
from radar.classify.registry import load_version, read_metrics, save_version, use_version
from radar.classify.seeds import seed_examples
from radar.classify.taxonomy import Taxonomy
from radar.classify.train import (
    Example,
    Meaning,
    Models,
    build_examples,
    evaluate,
    evaluate_rules,
    fit_models,
    meaning_of,
    not_worse,
    predict_quadrants,
    split_by_time,
)
from radar.store.embeddings import as_stored, read_vectors, write_vectors
from radar.store.labels import training_rows, write_scores

Progress = Callable[[str], None]
RULES = "rules"
SCORE_CHUNK = 5_000


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced and decided."""

    version: str
    promoted: bool
    metrics: dict[str, Any]
    current_metrics: dict[str, Any] | None


def _card(examples: list[Example], heldout: list[Example], metrics: dict,
          now: datetime, meaning: bool, seeds: int) -> str:  # fmt: skip
    held = {e.item_id for e in heldout}
    trained = [e for e in examples if e.item_id not in held]
    labels: dict[str, int] = {}
    for example in trained:
        if example.quadrant:
            labels[example.quadrant] = labels.get(example.quadrant, 0) + 1
    tagged, tagged_held = sum(e.tagged for e in trained), sum(e.tagged for e in heldout)
    return (
        f"# Trend Radar model card\n\nTrained {now.isoformat()} on {len(trained)} items "
        f"({tagged} tagged by staff, the rest weak labels from mentioned technologies)"
        f" and {seeds} seed examples (seed_examples.yaml; relevance only).\n\n"
        "Models: hashed character and word n-gram TF-IDF with SGD logistic models (quadrant,"
        " relevance, staying power)"
        + (
            f", and logistic models on sentence embeddings of the titles ({ENCODER})"
            if meaning
            else ""
        )
        + ".\n\n"
        f"Quadrant labels: {labels}\n\nHeld out: {len(heldout)} items, {tagged_held} of them"
        f" tagged by staff ({metrics['basis']} labels, newest by date, never trained on).\n\n"
        f"Metrics: {metrics}\n"
    )


def train_and_maybe_promote(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path, now: datetime,
    *, force: bool = False, random_state: int = 0, progress: Progress | None = None,
    sentence_model: bool = True,
) -> TrainResult:  # fmt: skip
    """Train a new version; promote it if it is not worse than the current one.

    ``sentence_model=False`` leaves out the models on title embeddings: less accurate, but
    scoring runs about ten times faster (for bulk archive imports).
    """
    say = progress or (lambda _: None)
    say("reading items and tags")
    examples = build_examples(training_rows(db), taxonomy)
    meaning = stored_meaning(db)
    train, heldout, basis = split_by_time(examples)
    say(f"training on {len(train)} items")
    seeds = seed_examples(taxonomy.seeds) if train else []  # never held out: not news
    models = fit_models(
        [*train, *seeds], random_state, sentence_model=sentence_model, meaning=meaning
    )
    say(f"evaluating on {len(heldout)} held-out items")
    metrics = evaluate(models, heldout, basis, meaning)
    current = load_version(models_dir)
    current_metrics = evaluate(current[1], heldout, basis, meaning) if current else None
    promote = force or current_metrics is None or not_worse(metrics, current_metrics)
    trained_tags = sorted(e.item_id for e in train if e.tagged)
    version = save_version(
        models_dir, models, {**metrics, "trained_tagged_items": trained_tags},
        _card(examples, heldout, metrics, now, models.meaning is not None, len(seeds)), now,
    )  # fmt: skip
    if promote:
        use_version(models_dir, version)
        say("scoring every item")
        score_store(db, taxonomy, models_dir, now)
    return TrainResult(version, promote, metrics, current_metrics)


def score_store(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path, now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> str:  # fmt: skip
    """Score the items the current model (or the weak rules) has not scored yet.

    Only new or stale items are scored, so calling this after every fetch stays cheap; a
    newly promoted model re-scores everything once, and tagging an item makes it stale.
    A tagged item keeps its staff quadrant and relevance. Scores are computed and written
    SCORE_CHUNK items at a time: features and embeddings never exist for a whole archive at
    once, and a run killed midway keeps what it wrote (the next run scores only the rest).
    ``progress(done, total)``.
    """
    loaded = load_version(models_dir)
    name, models = loaded if loaded else (RULES, Models(None, None, None))
    rows = training_rows(db, unscored_by=name)
    meaning = stored_meaning(db)
    for start in range(0, len(rows), SCORE_CHUNK):
        chunk = rows[start : start + SCORE_CHUNK]
        write_scores(db, name, _score_rows(models, taxonomy, chunk, meaning), now)
        if progress:
            progress(start + len(chunk), len(rows))
    return name


def stored_meaning(db: sqlite_utils.Database) -> Meaning:
    """``meaning_of`` that reads each item's vector from the store, embedding only the rest.

    New vectors are kept (seed examples are not items, so theirs are not). A cached and a
    fresh vector are the same (``as_stored``), so an item's score does not depend on which.
    """

    def meaning(examples: Sequence[Example]) -> np.ndarray:
        known = read_vectors(db, [e.item_id for e in examples if e.item_id > 0], ENCODER)
        missing = [i for i, e in enumerate(examples) if e.item_id not in known]
        fresh = as_stored(meaning_of([examples[i] for i in missing]))
        keep = [n for n, i in enumerate(missing) if examples[i].item_id > 0]
        if keep:
            write_vectors(db, [examples[missing[n]].item_id for n in keep], fresh[keep], ENCODER)
        vectors = np.zeros((len(examples), EMBEDDING_DIM), np.float32)
        for i, e in enumerate(examples):
            if e.item_id in known:
                vectors[i] = known[e.item_id]
        vectors[missing] = fresh
        return vectors

    return meaning


def _score_rows(
    models: Models, taxonomy: Taxonomy, rows: list[dict[str, Any]], meaning: Meaning
) -> list[tuple[int, str | None, float, float, float | None, str | None]]:
    examples = build_examples(rows, taxonomy)
    texts = [e.text for e in examples]
    matrix = models.matrix(texts) if models.features is not None else None
    embedded = meaning(examples) if models.reads_meaning else None
    quadrants: list[str | None]
    alone: list[str | None] = [None] * len(examples)
    if models.topic is not None:
        quadrants, confidence, alone = predict_quadrants(models, matrix, examples, embedded)
    else:
        quadrants = [e.rule_quadrant for e in examples]
        confidence = [e.rule_confidence for e in examples]
    if models.relevance is not None:
        relevance = models.relevance_proba(matrix, examples, embedded).tolist()
    else:
        relevance = [1.0 if e.relevant else 0.0 for e in examples]
    staying: list[float | None]
    if models.staying is not None:
        staying = models.staying.predict_proba(matrix)[:, 1].tolist()
    else:
        staying = [None if e.staying is None else float(e.staying) for e in examples]
    for i, row in enumerate(rows):  # a staff decision is final for its own item
        if row["tag_quadrant"]:
            quadrants[i], confidence[i] = row["tag_quadrant"], 1.0
        if row["tag_relevant"] is not None:
            relevance[i] = float(bool(row["tag_relevant"]))
    return [
        (e.item_id, q, float(c), float(r), st, mq)
        for e, q, c, r, st, mq in zip(examples, quadrants, confidence, relevance, staying,
                                      alone, strict=True)
    ]  # fmt: skip


def evaluate_current(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path
) -> dict[str, Any]:
    """Judge the current model on tagged items it never trained on, beside the weak rules.

    Tags added after the model was trained are exactly the honest test set; tags it trained
    on are excluded by id (recorded with the version).
    """
    examples = build_examples(training_rows(db, tagged_only=True), taxonomy)
    loaded = load_version(models_dir)
    result: dict[str, Any] = {"model": loaded[0] if loaded else RULES, "tagged": len(examples)}
    if loaded:
        trained = set(read_metrics(models_dir, loaded[0]).get("trained_tagged_items", []))
        heldout = [e for e in examples if e.item_id not in trained]
        result["metrics"] = evaluate(loaded[1], heldout, "tagged", stored_meaning(db))
    else:
        heldout = examples
    result["heldout"] = len(heldout)
    result["rules"] = evaluate_rules(heldout)
    return result
