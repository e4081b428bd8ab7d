"""Train the topic and relevance models from the store, evaluate on held-out items, honestly.

Pure given its inputs: rows come from the store, the seed is an argument. Held-out items
are the newest tagged items (split by time, never trained on); with too few tags the
held-out set is the newest weak-labelled items and the metrics say so (``basis``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import Pipeline

from radar.classify.taxonomy import Taxonomy
from radar.classify.text import model_text
from radar.classify.topic import build_relevance_pipeline, build_topic_pipeline
from radar.classify.weak import weak_quadrant, weak_relevance

TAG_WEIGHT = 5.0
MIN_TAGGED_HELDOUT = 20
HELDOUT_SHARE = 0.3


@dataclass(frozen=True)
class Example:
    """One item as training data: text, weak or staff labels, and where they came from."""

    item_id: int
    text: str
    lang: str
    published: str
    quadrant: str | None
    relevant: bool | None
    tagged: bool


def build_examples(rows: Iterable[dict[str, Any]], taxonomy: Taxonomy) -> list[Example]:
    """Turn store rows (with techs and tags) into examples; staff tags override weak labels."""
    examples = []
    for row in rows:
        text = model_text(row["title"], row.get("summary_text") or "")
        quadrant, _ = weak_quadrant(row["techs"], taxonomy)
        relevant: bool | None = weak_relevance(row["techs"], text, taxonomy)
        tagged = row.get("tag_quadrant") is not None or row.get("tag_relevant") is not None
        if row.get("tag_quadrant"):
            quadrant = row["tag_quadrant"]
        if row.get("tag_relevant") is not None:
            relevant = bool(row["tag_relevant"])
        examples.append(
            Example(row["id"], text, row["lang"], row["published"], quadrant, relevant, tagged)
        )
    return examples


def split_by_time(examples: Sequence[Example]) -> tuple[list[Example], list[Example], str]:
    """Hold out the newest tagged items (or, lacking tags, the newest weak-labelled ones)."""
    tagged = sorted((e for e in examples if e.tagged), key=lambda e: e.published)
    if len(tagged) >= MIN_TAGGED_HELDOUT:
        heldout = tagged[-max(1, int(len(tagged) * HELDOUT_SHARE)) :]
        basis = "tagged"
    else:
        labelled = sorted((e for e in examples if e.quadrant), key=lambda e: e.published)
        heldout = labelled[-max(1, int(len(labelled) * HELDOUT_SHARE)) :] if labelled else []
        basis = "weak"
    held = {e.item_id for e in heldout}
    return [e for e in examples if e.item_id not in held], heldout, basis


@dataclass
class Models:
    """The fitted pair; either may be missing when its labels were all one class."""

    topic: Pipeline | None
    relevance: Pipeline | None


def fit_models(train: Sequence[Example], random_state: int = 0) -> Models:
    """Fit both models; staff-tagged examples weigh ``TAG_WEIGHT`` times more."""
    topic_rows = [e for e in train if e.quadrant]
    topic = None
    if len({e.quadrant for e in topic_rows}) >= 2:
        topic = build_topic_pipeline(random_state)
        topic.fit(
            [e.text for e in topic_rows], [e.quadrant for e in topic_rows],
            model__sample_weight=np.array([TAG_WEIGHT if e.tagged else 1.0 for e in topic_rows]),
        )  # fmt: skip
    relevance_rows = [e for e in train if e.relevant is not None]
    relevance = None
    if len({e.relevant for e in relevance_rows}) == 2:
        relevance = build_relevance_pipeline(random_state)
        weights = np.array([TAG_WEIGHT if e.tagged else 1.0 for e in relevance_rows])
        relevance.fit(
            [e.text for e in relevance_rows], [int(bool(e.relevant)) for e in relevance_rows],
            model__sample_weight=weights,
        )  # fmt: skip
    return Models(topic, relevance)


def _scores(models: Models, examples: Sequence[Example]) -> dict[str, Any]:
    result: dict[str, Any] = {"n": len(examples)}
    topic_rows = [e for e in examples if e.quadrant]
    if models.topic is not None and topic_rows:
        predicted = models.topic.predict([e.text for e in topic_rows])
        truth = [e.quadrant for e in topic_rows]
        result["quadrant_macro_f1"] = round(
            float(f1_score(truth, predicted, average="macro", zero_division=0)), 4
        )
        result["quadrant_n"] = len(topic_rows)
    relevance_rows = [e for e in examples if e.relevant is not None]
    if models.relevance is not None and len({e.relevant for e in relevance_rows}) == 2:
        proba = models.relevance.predict_proba([e.text for e in relevance_rows])[:, 1]
        truth_r = [int(bool(e.relevant)) for e in relevance_rows]
        result["relevance_auc"] = round(float(roc_auc_score(truth_r, proba)), 4)
        result["relevance_n"] = len(relevance_rows)
    return result


def evaluate(models: Models, heldout: Sequence[Example], basis: str) -> dict[str, Any]:
    """Metrics on held-out examples, overall and per language (ja, en)."""
    metrics = {"basis": basis, "overall": _scores(models, heldout)}
    for lang in ("ja", "en"):
        metrics[lang] = _scores(models, [e for e in heldout if e.lang == lang])
    return metrics


def not_worse(new: dict[str, Any], current: dict[str, Any]) -> bool:
    """Promote only when neither headline metric dropped on the same held-out items."""
    for key in ("quadrant_macro_f1", "relevance_auc"):
        if key in current["overall"] and new["overall"].get(key, -1.0) < current["overall"][key]:
            return False
    return True
