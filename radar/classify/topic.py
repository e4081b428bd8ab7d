"""The text models: quadrant (multi-class) and municipal relevance (binary).

Character n-grams read Japanese without a tokenizer and catch English word pieces; word
n-grams add whole English terms. Both feed one linear model, which is fast to train, fast
to score and explainable term by term.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline


def _features(max_features: int) -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 3), min_df=2, sublinear_tf=True,
                    max_features=max_features, dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                    token_pattern=r"(?u)\b\w[\w.+#-]*\b", max_features=max_features // 2,
                    dtype=np.float32,
                ),
            ),
        ]
    )  # fmt: skip


def build_topic_pipeline(random_state: int = 0, max_features: int = 200_000) -> Pipeline:
    """An unfitted quadrant classifier; ``predict_proba`` gives the confidence."""
    return Pipeline(
        [
            ("features", _features(max_features)),
            ("model", SGDClassifier(loss="log_loss", alpha=2e-6, random_state=random_state)),
        ]
    )


def build_relevance_pipeline(random_state: int = 0, max_features: int = 200_000) -> Pipeline:
    """An unfitted municipal-relevance classifier (probability of 'relevant')."""
    return Pipeline(
        [
            ("features", _features(max_features)),
            (
                "model",
                SGDClassifier(
                    loss="log_loss",
                    alpha=1e-5,
                    class_weight="balanced",
                    random_state=random_state,
                ),
            ),
        ]
    )
