"""Retrain from the store and re-score: the one orchestrator of the classifier.

Reads rows and tags, fits, evaluates the new model and the current one on the same held-out
items, saves the version, promotes it only if it is not worse (unless forced), and re-scores
every item with whatever is current. Without any model the weak-label rules score items, so
a fresh install works before any training.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from radar.classify.registry import load_version, save_version, use_version
from radar.classify.taxonomy import Taxonomy
from radar.classify.train import (
    Example,
    Models,
    build_examples,
    evaluate,
    fit_models,
    not_worse,
    split_by_time,
)
from radar.classify.weak import weak_quadrant
from radar.store.labels import training_rows, write_scores

Progress = Callable[[str], None]
RULES = "rules"


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced and decided."""

    version: str
    promoted: bool
    metrics: dict[str, Any]
    current_metrics: dict[str, Any] | None


def _card(examples: list[Example], heldout: list[Example], metrics: dict,
          now: datetime) -> str:  # fmt: skip
    labels: dict[str, int] = {}
    for example in examples:
        if example.quadrant:
            labels[example.quadrant] = labels.get(example.quadrant, 0) + 1
    tagged = sum(e.tagged for e in examples)
    return (
        "# Trend Radar model card\n\nTrained {now.isoformat()} on {len(examples)} items "
        f"({tagged} tagged by staff, the rest weak labels from mentioned technologies).\n\n"
        f"Quadrant labels: {labels}\n\nHeld out: {len(heldout)} items ({metrics['basis']}"
        " labels, newest by date, never trained on).\n\n"
        f"Metrics: {metrics}\n"
    )


def train_and_maybe_promote(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path, now: datetime,
    *, force: bool = False, random_state: int = 0, progress: Progress | None = None,
) -> TrainResult:  # fmt: skip
    """Train a new version; promote it if it is not worse than the current one."""
    say = progress or (lambda _: None)
    say("reading items and tags")
    examples = build_examples(training_rows(db), taxonomy)
    train, heldout, basis = split_by_time(examples)
    say(f"training on {len(train)} items")
    models = fit_models(train, random_state)
    say(f"evaluating on {len(heldout)} held-out items")
    metrics = evaluate(models, heldout, basis)
    current = load_version(models_dir)
    current_metrics = evaluate(current[1], heldout, basis) if current else None
    promote = force or current_metrics is None or not_worse(metrics, current_metrics)
    version = save_version(models_dir, models, metrics, _card(examples, heldout, metrics, now), now)
    if promote:
        use_version(models_dir, version)
        say("scoring every item")
        score_store(db, taxonomy, models_dir, now)
    return TrainResult(version, promote, metrics, current_metrics)


def score_store(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path, now: datetime
) -> str:
    """Score every item with the current model (or the weak rules); return the scorer's name."""
    rows = training_rows(db)
    if not rows:
        return RULES
    loaded = load_version(models_dir)
    name, models = loaded if loaded else (RULES, Models(None, None, None))
    examples = build_examples(rows, taxonomy)
    texts = [e.text for e in examples]
    matrix = models.matrix(texts) if models.features is not None else None
    quadrants: list[str | None]
    if models.topic is not None:
        proba = models.topic.predict_proba(matrix)
        classes = models.topic.classes_
        best = np.argmax(proba, axis=1)
        quadrants = [str(classes[i]) for i in best]
        confidence = proba[np.arange(len(texts)), best].tolist()
    else:
        weak = [weak_quadrant(row["techs"], taxonomy) for row in rows]
        quadrants = [q for q, _ in weak]
        confidence = [c for _, c in weak]
    if models.relevance is not None:
        relevance = models.relevance.predict_proba(matrix)[:, 1].tolist()
    else:
        relevance = [1.0 if e.relevant else 0.0 for e in examples]
    write_scores(
        db, name,
        [(e.item_id, q, float(c), float(r))
         for e, q, c, r in zip(examples, quadrants, confidence, relevance, strict=True)],
        now,
    )  # fmt: skip
    return name
