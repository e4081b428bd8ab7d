"""Say which terms drove an item's quadrant and relevance.

Pure. The models are linear over hashed n-gram features, so a term's contribution is its
coefficient times its TF-IDF value in the item; n-grams are hashed again one by one to find
which column belongs to which term.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from radar.classify.train import Models

TOP_TERMS = 6
_LATIN = re.compile(r"[A-Za-z0-9]")
_PUNCTUATION = " 、。,.・:;!?()「」『』【】!?()[]\n"
MAX_TERM_CHARS = 24


def _columns(models: Models, text: str) -> dict[int, str]:
    """Map each feature column the text lights up to a readable n-gram."""
    assert models.features is not None
    names: dict[int, str] = {}
    offset = 0
    for name, part in models.features.transformer_list:
        hasher = part.named_steps["hash"]
        grams = sorted(set(hasher.build_analyzer()(text)))
        # English reads best as words, Japanese (unspaced: a "word" is a whole clause) as
        # character n-grams; pieces with Latin letters ("ern", "aiの") explain nothing.
        if name == "chars":
            grams = [gram for gram in grams if not _LATIN.search(gram)]
        elif name == "words":  # Japanese words have their own part ("ja_words")
            grams = [gram for gram in grams if gram.isascii()]
        if grams:
            matrix = hasher.transform(grams).tocsr()
            for row, gram in enumerate(grams):
                for column in matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]:
                    names.setdefault(offset + int(column), gram.strip())
        offset += hasher.n_features
    return names


def _readable(term: str) -> bool:
    """Skip n-grams that explain nothing to a reader: short pieces and function words."""
    words = term.split()
    if not words or len(term) > MAX_TERM_CHARS:  # a whole unspaced Japanese sentence
        return False
    if term.isascii():
        return len(term) >= 3 and not all(w.lower() in ENGLISH_STOP_WORDS for w in words)
    return len(term) >= 2


def _joined(totals: dict[str, float], text: str) -> dict[str, float]:
    """Japanese n-grams that overlap in the text, joined into the stretch they cover.

    キャッ, ャッシ and シュレ each say little; together they read キャッシュレ. Each n-gram's
    weight goes to the stretch of its first occurrence, so weights still add up.
    """
    spans = []  # (start, end, term) of every positive Japanese n-gram's first occurrence
    for term, weight in totals.items():
        start = text.find(term)
        if weight > 0 and not term.isascii() and start >= 0:
            spans.append((start, start + len(term), term))
    joined: dict[str, float] = {t: w for t, w in totals.items() if t.isascii() or w <= 0}
    group: list[tuple[int, int, str]] = []
    for span in [*sorted(spans), None]:
        if group and (span is None or span[0] >= max(end for _, end, _ in group)):
            stretch = text[group[0][0] : max(end for _, end, _ in group)].strip(_PUNCTUATION)
            joined[stretch] = joined.get(stretch, 0.0) + sum(totals[t] for *_, t in group)
            group = []
        if span is not None:
            group.append(span)
    return joined


def _top(weights: np.ndarray, row: Any, names: dict[int, str], text: str) -> list[dict[str, Any]]:
    totals: dict[str, float] = defaultdict(float)
    for column, value in zip(row.indices, row.data, strict=True):
        term = names.get(int(column))
        if term:
            totals[term] += float(weights[column] * value)
    readable = {t: w for t, w in _joined(totals, text.lower()).items() if _readable(t)}
    best = sorted(readable.items(), key=lambda kv: -kv[1])[:TOP_TERMS]
    return [{"term": term, "weight": round(weight, 4)} for term, weight in best if weight > 0]


def explain(models: Models, text: str) -> dict[str, Any]:
    """Top terms pushing toward the predicted quadrant, and toward 'relevant'."""
    if models.features is None:
        return {}
    row = models.matrix([text]).tocsr()[0]
    names = _columns(models, text)
    result: dict[str, Any] = {}
    if models.topic is not None:
        proba = models.topic.predict_proba(row)[0]
        best = int(np.argmax(proba))
        coef = models.topic.coef_[best if len(models.topic.classes_) > 2 else 0]
        if len(models.topic.classes_) == 2 and best == 0:
            coef = -coef
        result["quadrant"] = str(models.topic.classes_[best])
        result["quadrant_terms"] = _top(coef, row, names, text)
    if models.relevance is not None:
        result["relevance"] = round(float(models.relevance.predict_proba(row)[0, 1]), 3)
        result["relevance_terms"] = _top(models.relevance.coef_[0], row, names, text)
    return result
