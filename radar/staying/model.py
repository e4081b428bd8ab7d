"""P(still a standard a year on) per technology: a logistic scorecard, trained or prior.

A linear model on standardised signals is calibrated enough for a 0-1 score and can be shown
as points per signal (20 points double the odds), so staff see why a technology scores as it
does. Before enough labels exist, a documented prior scorecard (hand-set weights favouring
persistence and breadth, penalising a single spike) gives the same kind of output. The model
is a small JSON file: nothing executable is ever loaded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from radar.staying.signals import FEATURES

POINTS_PER_DOUBLING = 20 / math.log(2)
MIN_PER_CLASS = 10
# Inverse strength of the L2 penalty. About 30 correlated signals (coverage and series) are
# fitted on a few hundred technology-weeks, most of them the same technologies again, so a
# weak penalty lets single signals swing a standard from 0.9 to 0.1 between builds (seen on the
# demo: generative AI at 0.07 with C=0.5). 0.03 keeps the scorecard close to an even blend of
# its signals unless the data clearly says otherwise.
REGULARISATION = 0.03

# Cold-start prior, on raw signals: persistence and breadth up, one-spike shape down.
PRIOR_WEIGHTS = {
    "persistence13": 0.8,
    "persistence26": 2.0,
    "persistence52": 1.5,
    "log_sources26": 0.8,
    "log_stories26": 0.2,
    "bilingual26": 0.4,
    "slope26": 2.0,
    "peak_share52": -2.5,
    "recent_vs_peak": 0.8,
    "adoption_share26": 1.0,
    "hype_share26": -1.0,
    "relevance26": 0.3,
    "text_staying26": 2.0,  # mean P(standard) of the items' text, centred on neutral 0.5
    # adoption series (series_signals): 0 without any, so a technology without them is unmoved
    "series_adoption": 0.5,
    "adoption_trend12": 1.0,
    "adoption_drop_peak": -1.5,
    "attention_gap12": -0.5,
}
PRIOR_INTERCEPT = -3.8
PRIOR_MEANS = {"text_staying26": 0.5}  # so a neutral reading adds no points


@dataclass(frozen=True)
class StayingModel:
    """Linear log-odds over standardised features; ``kind`` is 'prior' or 'trained'."""

    kind: str
    intercept: float
    weights: dict[str, float]
    means: dict[str, float]
    scales: dict[str, float]
    n_train: int = 0
    positives: int = 0

    def points(self, features: dict[str, float]) -> dict[str, float]:
        """Each signal's contribution, in points (20 points double the odds)."""
        return {
            name: round(
                w * (features[name] - self.means.get(name, 0.0)) / self.scales.get(name, 1.0)
                * POINTS_PER_DOUBLING, 1,
            )
            for name, w in self.weights.items()
        }  # fmt: skip

    def probability(self, features: dict[str, float]) -> float:
        """P(standard a year on) for one technology-week."""
        logit = self.intercept + sum(
            w * (features[name] - self.means.get(name, 0.0)) / self.scales.get(name, 1.0)
            for name, w in self.weights.items()
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> StayingModel:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def prior_model() -> StayingModel:
    """The cold-start scorecard used until labels are plentiful."""
    return StayingModel("prior", PRIOR_INTERCEPT, dict(PRIOR_WEIGHTS), dict(PRIOR_MEANS), {})


def fit_staying(
    samples: Sequence[dict[str, float]], labels: Sequence[int], random_state: int = 0
) -> StayingModel:
    """Fit the scorecard; fall back to the prior when either class has too few examples."""
    y = np.array(labels)
    if len(y) == 0 or min((y == 1).sum(), (y == 0).sum()) < MIN_PER_CLASS:
        return prior_model()
    x = np.array([[s[f] for f in FEATURES] for s in samples])
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=REGULARISATION, max_iter=1000, random_state=random_state)
    model.fit((x - means) / scales, y)
    return StayingModel(
        kind="trained",
        intercept=float(model.intercept_[0]),
        weights={f: float(w) for f, w in zip(FEATURES, model.coef_[0], strict=True)},
        means={f: float(m) for f, m in zip(FEATURES, means, strict=True)},
        scales={f: float(s) for f, s in zip(FEATURES, scales, strict=True)},
        n_train=len(y),
        positives=int(y.sum()),
    )
