"""Retrain from the store and re-score: the one orchestrator of the classifier.

Reads rows and tags, fits, evaluates the new model and the current one on the same held-out
items, saves the version, promotes it unless it is measurably worse (radar.classify.compare;
unless forced), and re-scores
every item with whatever is current. Without any model the weak-label rules score items, so
a fresh install works before any training.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from radar.classify.changes import STAFF, record_change
from radar.classify.compare import Comparison, compare
from radar.classify.encoders import E5
from radar.classify.meaning import ENCODER
from radar.classify.registry import (
    ModelError,
    load_usable,
    read_metrics,
    save_version,
    use_version,
)
from radar.classify.train import (
    RELEVANCE_ENCODER,
    Example,
    Meaning,
    Models,
    build_examples,
    evaluate,
    evaluate_rules,
    fit_models,
    predict_quadrants,
    seed_examples,
    split_by_time,
)
from radar.classify.vectors import stored_meaning
from radar.outcome import DEFINITION
from radar.store.labels import training_rows, write_scores
from radar.taxonomy.model import Taxonomy
from radar.taxonomy.sidefiles import seeds_for

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
    # What the model current before this run was trained with differently: "sentence_model",
    # "seed_examples". Weak held-out labels are the rules' own output, so they cannot judge
    # such a change; when it is not promoted, staff switch with ``force`` (CLI and app say so).
    changed: tuple[str, ...] = ()
    seeds: int = 0  # seed examples trained on (0 when seed_examples.yaml is missing)
    # How the new version compared with the current one (None when there was none).
    comparison: Comparison | None = None


def _recipe(seeds: list[Example], models: Models) -> dict[str, Any]:
    """What a version was trained with, beyond the store: compared when one is not promoted."""
    text = json.dumps([(e.title, e.quadrant, e.relevant) for e in seeds], ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16] if seeds else None
    return {"sentence_model": models.reads_meaning, "seed_examples": digest,
            "relevance_encoder": _encoder(models)}  # fmt: skip


def _encoder(models: Models) -> str | None:
    """The encoder a version's relevance reads beside the n-grams (None: no meaning model)."""
    return models.relevance_encoder if models.meaning_relevance is not None else None


def _changed(
    recipe: dict[str, Any], models_dir: Path, current: tuple[str, Models]
) -> tuple[str, ...]:
    kept = {  # what a version saved before a recipe key existed was trained with
        "sentence_model": current[1].reads_meaning, "seed_examples": None,
        "relevance_encoder": _encoder(current[1]),
        **(read_metrics(models_dir, current[0]).get("recipe") or {}),
    }  # fmt: skip
    # Without a meaning model the encoder is moot: "sentence_model" already names that change.
    moot = None in (recipe.get("relevance_encoder"), kept.get("relevance_encoder"))
    return tuple(
        key for key, value in recipe.items()
        if kept.get(key) != value and not (key == "relevance_encoder" and moot)
    )  # fmt: skip


def _card(examples: list[Example], heldout: list[Example], metrics: dict,
          now: datetime, meaning: bool, seeds: int, e5: bool = False) -> str:  # fmt: skip
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
        f" and {seeds} seed examples (seed_examples.yaml; relevance, and the sentence-meaning"
        " quadrant model at the weight of one weak label).\n\n"
        "Models: hashed character and word n-gram TF-IDF with SGD logistic models (quadrant,"
        " relevance, staying power)"
        + (
            f", and logistic models on sentence embeddings of the titles ({ENCODER}"
            + ("; relevance also reads multilingual-e5-small" if e5 else "")
            + ")"
            if meaning
            else ""
        )
        + ".\n\n"
        f"Quadrant labels: {labels}\n\nHeld out: {len(heldout)} items, {tagged_held} of them"
        f" tagged by staff ({metrics['basis']} labels, newest by date, never trained on).\n\n"
        f"Metrics: {metrics}\n\n"
        "## Staying power: what the radar predicts\n\n"
        f"{DEFINITION['en']}\n\n{DEFINITION['ja']}\n"
    )


def train_and_maybe_promote(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path, now: datetime,
    *, force: bool = False, random_state: int = 0, progress: Progress | None = None,
    sentence_model: bool = True, relevance_encoder: str = RELEVANCE_ENCODER,
    reason: str = STAFF,
) -> TrainResult:  # fmt: skip
    """Train a new version; promote it if it is not worse than the current one.

    ``sentence_model=False`` leaves out the models on title embeddings: less accurate, but
    scoring runs about a hundred times faster. ``relevance_encoder`` ``use`` keeps them but
    reads relevance from USE alone, not e5: 15 to 40 times faster first scoring, for bulk
    archive imports (README, "Models"). ``reason`` (see :mod:`radar.classify.changes`) is
    logged with the outcome, for the Models page and digest.
    """
    say = progress or (lambda _: None)
    say("reading items and tags")
    examples = build_examples(training_rows(db), taxonomy)
    meaning = stored_meaning(db, relevance_encoder)
    train, heldout, basis = split_by_time(examples)
    if not train:  # a version with no model files would be promoted and then fail to load
        raise ModelError(
            "train: the store has no items yet; fetch some first (`radar fetch --all`,"
            " or `radar demo` for the offline demo)"
        )
    say(f"training on {len(train)} items")
    seeds = seed_examples(seeds_for(taxonomy))  # never held out: they are not news
    models = fit_models(
        [*train, *seeds], random_state, sentence_model=sentence_model, meaning=meaning
    )
    say(f"evaluating on {len(heldout)} held-out items")
    metrics = evaluate(models, heldout, basis, meaning)
    current = load_usable(models_dir)  # None when unreadable: the new version replaces it
    current_metrics = (
        evaluate(current[1], heldout, basis, stored_meaning(db, current[1].relevance_encoder))
        if current
        else None
    )
    comparison = compare(metrics, current_metrics) if current_metrics else None
    promote = force or comparison is None or comparison.promote
    trained_tags = sorted(e.item_id for e in train if e.tagged)
    recipe = _recipe(seeds, models)
    version = save_version(
        models_dir, models,
        {**metrics, "trained_tagged_items": trained_tags, "recipe": recipe, "reason": reason},
        _card(examples, heldout, metrics, now, models.meaning is not None, len(seeds),
              recipe["relevance_encoder"] == E5), now,
    )  # fmt: skip
    if promote:
        use_version(models_dir, version)
    verdict = comparison.verdict if comparison else None
    record_change(models_dir, version, reason, promote, now, verdict=verdict)
    if promote:
        say("scoring every item")
        score_store(db, taxonomy, models_dir, now)
    changed = _changed(recipe, models_dir, current) if current else ()
    return TrainResult(version, promote, metrics, current_metrics, changed, len(seeds), comparison)


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
    loaded = load_usable(models_dir)
    name, models = loaded if loaded else (RULES, Models(None, None, None))
    rows = training_rows(db, unscored_by=name)
    meaning = stored_meaning(db, models.relevance_encoder)
    for start in range(0, len(rows), SCORE_CHUNK):
        chunk = rows[start : start + SCORE_CHUNK]
        write_scores(db, name, _score_rows(models, taxonomy, chunk, meaning), now)
        if progress:
            progress(start + len(chunk), len(rows))
    return name


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
    loaded = load_usable(models_dir)
    result: dict[str, Any] = {"model": loaded[0] if loaded else RULES, "tagged": len(examples)}
    if loaded:
        trained = set(read_metrics(models_dir, loaded[0]).get("trained_tagged_items", []))
        heldout = [e for e in examples if e.item_id not in trained]
        meaning = stored_meaning(db, loaded[1].relevance_encoder)
        result["metrics"] = evaluate(loaded[1], heldout, "tagged", meaning)
    else:
        heldout = examples
    result["heldout"] = len(heldout)
    result["rules"] = evaluate_rules(heldout)
    return result
