"""P(still a standard a year on) per technology: a logistic scorecard, trained or prior.

A linear model on standardised signals is calibrated enough for a 0-1 score and can be shown
as points per signal (20 points double the odds), so staff see why a technology scores as it
does. Before enough labels exist, a documented prior scorecard (hand-set weights favouring
persistence and breadth, penalising a single spike) gives the same kind of output. It is fitted
afresh on each build from the store's own history, so no model file is kept.

Two things keep the trained scorecard honest about the labels it learns from (outcomes.py reads
each label from a different tier of evidence):

* **The tier is a nuisance, not a signal.** Technologies with an adoption series are labelled
  by it, and a real adoption level seldom halves within a year, so those labels are nearly all
  "standard"; the others are labelled by coverage, mostly "not". Fitted naively, the scorecard
  learns "has a series" (1.000 AUC on a back-test whose truth is the tier) and ranks a fading
  technology with a series above a quiet standard without one (and it cannot learn what the
  series say, such as a falling trend, because the tier explains everything). So each tier
  gets its own intercept in the fit (``strata``) and every weight learns only what ranks
  technologies within a tier; a technology is then placed in the tier it would be judged in
  now (a real adoption level: the adoption tier), which ``series_adoption`` carries.
* **It is shrunk halfway to persistence.** Labels a year out are few and noisy, and plain
  persistence (the share of the last 26 weeks with coverage) is a baseline that is hard to
  beat; the scorecard's log-odds are the mean of the full fit and a persistence-only fit on
  the same samples (:data:`ANCHOR_SHARE`), which is again one linear scorecard. The share was
  set once at one half, not tuned.

Measured (benchmarks/fate_eval.py, four cutoffs 2016-12 to 2019-06): together these move the
fate-list AUC toward persistence at every cutoff, and holding the adoption trend at zero
(:data:`HELD_AT_ZERO`) moved it further (contested 2016-12 0.733 -> 0.806, 2017-06 0.668 ->
0.780, 2019-06 0.548 -> 0.593, 2018-06 0.768 -> 0.774), but persistence still ranks known fates
better at three of the four; see the closing note of issue 16.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from radar.staying.signals import FEATURES

POINTS_PER_DOUBLING = 20 / math.log(2)
MIN_PER_CLASS = 10
# Inverse strength of the L2 penalty. About 30 correlated signals (coverage and series) are
# fitted on a few hundred technology-weeks, most of them the same technologies again, so a
# weak penalty lets single signals swing a standard from 0.9 to 0.1 between builds (seen on the
# demo: generative AI at 0.07 with C=0.5). 0.03 keeps the scorecard close to an even blend of
# its signals unless the data clearly says otherwise.
REGULARISATION = 0.03
# The persistence-only fit's share of the scorecard's log-odds (see the module docstring).
ANCHOR = "persistence26"
ANCHOR_SHARE = 0.5
# Tier indicators enter the fit multiplied by this, so the L2 penalty barely touches them: a
# tier's intercept is a fact of the labels, not a signal to be shrunk.
STRATUM_SCALE = 10.0

# Which way a signal may push a score: the signals whose reasons tell staff "a sign of lasting"
# (+1) or "a sign of fading" (-1) (rings.REASON_DIRECTION) are fitted within that sign, as a
# credit scorecard is kept monotone. Unconstrained, a signal almost constant in the training
# labels swings either way when it does turn up: on the English history, where few technologies
# are covered in both languages, "covered in Japanese and English" took -14 points and was still
# listed as a reason for lasting. The sign is a meaning staff were given, not a fitted fact.
DIRECTIONS = {
    "persistence13": 1, "persistence26": 1, "persistence52": 1, "log_sources26": 1,
    "bilingual26": 1, "slope26": 1, "peak_share52": -1, "adoption_share26": 1,
    "hype_share26": -1, "text_staying26": 1, "adoption_trend12": 1, "adoption_drop_peak": -1,
    "attention_gap12": -1,
}  # fmt: skip

# Signals the trained scorecard holds at zero: they predict the label by the label's own
# arithmetic, not the technology's fate. The adoption tier's label compares an adoption series'
# level over the year after a week with its level over the year before; the 12-month adoption
# trend compares that same level with the year before it, so any momentum in the series makes
# trend predict the label (the adoption series' "persistence predicts persistence"). Fitted, it
# took a positive weight at every cutoff and ranked the hyped technologies whose questions and
# job posts were still climbing (blockchain, Elm, AMP in 2016) above quiet standards; on the
# fate list's technologies with a series and real coverage it ranked fates worse than chance
# (AUC 0.27 at 2016-12, 0.30 at 2019-06). The series reasons still say "rising"; only the
# probability stops reading growth as lasting. The cold-start prior is hand-set and unchanged.
HELD_AT_ZERO = frozenset({"adoption_trend12"})

# Where a signal's points are counted from when its reason has a fixed wording ("growing",
# "covered in Japanese and English", "the text reads as standard"): the value that says
# nothing, not the training mean. Counted from the mean, a reading above neutral but below the
# average took points away while listed as a reason for lasting (demo: Mastodon's "reads as
# standard", -3.7). Persistence and sources are worded by their points (fewer weeks than
# usual counts against), so they stay counted from the mean. Only the display moves: the
# probability never reads points.
POINTS_FROM = {
    "bilingual26": 0.0, "slope26": 0.0, "peak_share52": 0.0, "adoption_share26": 0.0,
    "hype_share26": 0.0, "text_staying26": 0.5, "adoption_trend12": 0.0,
    "adoption_drop_peak": 0.0, "attention_gap12": 0.0,
}  # fmt: skip

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
        """Each signal's contribution, in points (20 points double the odds), counted from
        the value that says nothing where its reason has a fixed wording (POINTS_FROM)."""
        return {
            name: round(
                w * (features[name] - POINTS_FROM.get(name, self.means.get(name, 0.0)))
                / self.scales.get(name, 1.0) * POINTS_PER_DOUBLING, 1,
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


def prior_model() -> StayingModel:
    """The cold-start scorecard used until labels are plentiful."""
    return StayingModel("prior", PRIOR_INTERCEPT, dict(PRIOR_WEIGHTS), dict(PRIOR_MEANS), {})


def _fit_logistic(
    design: np.ndarray, y: np.ndarray, bounds: list[tuple[float | None, float | None]]
) -> tuple[np.ndarray, float]:
    """Weights and intercept of an L2 logistic regression, each weight kept within its bounds.

    scikit-learn's objective (C times the log-loss plus half the squared weights, intercept not
    penalised, C = REGULARISATION), which its LogisticRegression cannot bound; L-BFGS-B can.
    """
    signs = 2.0 * y - 1.0

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, margin = params[:-1], signs * (design @ params[:-1] + params[-1])
        slope = -REGULARISATION * expit(-margin) * signs
        value = REGULARISATION * np.logaddexp(0.0, -margin).sum() + 0.5 * float(w @ w)
        return value, np.append(design.T @ slope + w, slope.sum())

    start = np.zeros(design.shape[1] + 1)
    fitted = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)])
    return fitted.x[:-1], float(fitted.x[-1])


def _bounds(names: Sequence[str]) -> list[tuple[float | None, float | None]]:
    return [
        (0.0, 0.0) if n in HELD_AT_ZERO
        else (0.0, None) if DIRECTIONS.get(n, 0) > 0 else (None, 0.0) if DIRECTIONS.get(n, 0) < 0
        else (None, None)
        for n in names
    ]  # fmt: skip


def _fit_tiers(
    z: np.ndarray, names: Sequence[str], y: np.ndarray, strata: np.ndarray
) -> tuple[np.ndarray, dict[str, float]]:
    """Weights over the columns of ``z`` (signals ``names``) learnt within tiers, each tier's
    intercept."""
    levels = sorted(set(strata.tolist()))
    dummies = np.array([[float(s == level) for level in levels[1:]] for s in strata])
    design = np.hstack([z, dummies * STRATUM_SCALE]) if levels[1:] else z
    bounds = _bounds(names) + [(None, None)] * (design.shape[1] - z.shape[1])
    coef, base = _fit_logistic(design, y.astype(float), bounds)
    effects = coef[z.shape[1] :] * STRATUM_SCALE
    intercepts = {levels[0]: base}
    intercepts.update(
        {level: base + float(e) for level, e in zip(levels[1:], effects, strict=True)}
    )
    return coef[: z.shape[1]], intercepts


def _read_tier_from_series(
    weights: np.ndarray, intercepts: dict[str, float], tiers: np.ndarray,
    means: np.ndarray, scales: np.ndarray,
) -> float:  # fmt: skip
    """The intercept, with the tier a technology is judged in now folded into ``weights``.

    With a real adoption level now (``series_adoption`` 1) a technology is judged by the
    adoption tier's intercept, else by coverage's; without both tiers among the labels, the
    tiers' intercepts are averaged by their number of samples.
    """
    if "adoption" in intercepts and "coverage" in intercepts:
        step = intercepts["adoption"] - intercepts["coverage"]
        j = FEATURES.index("series_adoption")
        weights[j] += step * scales[j]  # the weight acts on the standardised value
        return intercepts["coverage"] + step * means[j]
    return float(sum(b * float((tiers == t).mean()) for t, b in intercepts.items()))


def fit_staying(
    samples: Sequence[dict[str, float]], labels: Sequence[int], strata: Sequence[str] | None = None,
) -> StayingModel:  # fmt: skip
    """Fit the scorecard; fall back to the prior when either class has too few examples.

    ``strata`` names the tier of evidence each label was read from (outcomes.Outcome.basis);
    without it every sample is one tier.
    """
    y = np.array(labels)
    if len(y) == 0 or min((y == 1).sum(), (y == 0).sum()) < MIN_PER_CLASS:
        return prior_model()
    x = np.array([[s[f] for f in FEATURES] for s in samples])
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    z = (x - means) / scales
    tiers = np.array(list(strata) if strata is not None else [""] * len(y))
    full, full_intercepts = _fit_tiers(z, FEATURES, y, tiers)
    anchor = FEATURES.index(ANCHOR)
    alone, alone_intercepts = _fit_tiers(z[:, [anchor]], [ANCHOR], y, tiers)
    weights = (1 - ANCHOR_SHARE) * full
    weights[anchor] += ANCHOR_SHARE * alone[0]
    intercepts = {
        tier: (1 - ANCHOR_SHARE) * b + ANCHOR_SHARE * alone_intercepts[tier]
        for tier, b in full_intercepts.items()
    }
    intercept = _read_tier_from_series(weights, intercepts, tiers, means, scales)
    return StayingModel(
        kind="trained",
        intercept=intercept,
        weights={f: float(w) for f, w in zip(FEATURES, weights, strict=True)},
        means={f: float(m) for f, m in zip(FEATURES, means, strict=True)},
        scales={f: float(s) for f, s in zip(FEATURES, scales, strict=True)},
        n_train=len(y),
        positives=int(y.sum()),
    )
