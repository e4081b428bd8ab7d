"""Turn the scorecard's score into a calibrated probability, fitted on a later time slice.

A logistic scorecard is calibrated on the weeks it was fitted on, but the share of
technologies that last drifts over the years (a store that starts with one source and gains
three sees more "lasting" later), so its raw score is confidently wrong about the present.
Platt scaling fitted on the newest slice of known outcomes, scored by a scorecard that did
not see that slice, measures that drift honestly: every sample used to calibrate was unseen
by the scorer, and every outcome used was known by the week the model is built for.

The calibrated probability is what the ring thresholds read ("Adopt: P >= 0.85" means that
at least 85 of 100 such technologies were still standards a year later, in back-tests).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.linear_model import LogisticRegression

from radar.staying.model import StayingModel

CALIBRATION_WEEKS = 26  # the newest half-year of known outcomes calibrates the rest
MIN_PER_CLASS = 8  # fewer lasting or fading samples than this in the slice: no calibration
_EPS = 1e-4


def _logit(p: float) -> float:
    p = min(max(p, _EPS), 1 - _EPS)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Platt:
    """P = sigmoid(a * logit(score) + b); the identity is a = 1, b = 0."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score: float) -> float:
        z = max(-30.0, min(30.0, self.a * _logit(score) + self.b))
        return 1.0 / (1.0 + math.exp(-z))


def fit_platt(scores: Sequence[float], labels: Sequence[int]) -> Platt | None:
    """Fit Platt scaling; None when either outcome has too few samples to trust it.

    A slope below zero would invert the ranking, which a calibration must never do; it is
    then fitted as an intercept shift only.
    """
    y = np.asarray(labels)
    if len(y) == 0 or min(int((y == 1).sum()), int((y == 0).sum())) < MIN_PER_CLASS:
        return None
    x = np.array([[_logit(s)] for s in scores])
    fitted = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    a, b = float(fitted.coef_[0][0]), float(fitted.intercept_[0])
    if a <= 0:
        base = float(np.mean([_logit(s) for s in scores]))
        rate = min(max(float(y.mean()), _EPS), 1 - _EPS)
        return Platt(1.0, math.log(rate / (1 - rate)) - base)
    return Platt(a, b)


class Fitter(Protocol):
    """A scorecard fit: samples, labels, and the tier each label was read from."""

    def __call__(
        self, samples: Sequence[dict[str, float]], labels: Sequence[int], *,
        strata: Sequence[str] | None = None,
    ) -> StayingModel: ...  # fmt: skip


@dataclass(frozen=True)
class CalibratedModel:
    """A scorecard and the Platt map fitted after it; reads like a StayingModel."""

    base: StayingModel
    platt: Platt | None

    @property
    def kind(self) -> str:
        return self.base.kind

    @property
    def n_train(self) -> int:
        return self.base.n_train

    @property
    def calibrated(self) -> bool:
        return self.platt is not None

    def points(self, features: dict[str, float]) -> dict[str, float]:
        """The scorecard's points; calibration is monotone, so they still explain the order."""
        return self.base.points(features)

    def probability(self, features: dict[str, float]) -> float:
        raw = self.base.probability(features)
        return self.platt(raw) if self.platt else raw


def calibrated_fit(
    samples: Sequence[dict[str, float]],
    labels: Sequence[int],
    sample_weeks: Sequence[int],
    until_week: int,
    fit: Fitter,
    strata: Sequence[str] | None = None,
) -> CalibratedModel:
    """The scorecard fitted on every known outcome, and a Platt map fitted out of sample.

    The map is fitted on the newest slice (the samples of the last :data:`CALIBRATION_WEEKS`
    weeks whose outcomes are known by ``until_week``), scored by a scorecard fitted without
    that slice, so it learns how the scorecard errs on weeks it has not seen; the scorecard
    that is used is then refitted on everything (as scikit-learn's CalibratedClassifierCV does
    with ``ensemble=False``), so calibrating costs no ranking. Too small a slice: uncalibrated.
    """
    tiers = list(strata) if strata is not None else None
    model = fit(samples, labels, strata=tiers)
    newest = max(sample_weeks, default=until_week)
    cut = newest - CALIBRATION_WEEKS
    older = [i for i, w in enumerate(sample_weeks) if w <= cut]
    newer = [i for i, w in enumerate(sample_weeks) if w > cut]
    if model.kind != "trained" or not newer:
        return CalibratedModel(model, None)
    held_out = fit(
        [samples[i] for i in older], [labels[i] for i in older],
        strata=[tiers[i] for i in older] if tiers is not None else None,
    )  # fmt: skip
    if held_out.kind != "trained":
        return CalibratedModel(model, None)
    scores = [held_out.probability(samples[i]) for i in newer]
    return CalibratedModel(model, fit_platt(scores, [labels[i] for i in newer]))
