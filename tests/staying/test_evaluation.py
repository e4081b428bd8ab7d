"""A back-test compares the model with persistence fairly, and a calibrated 80% means 80%."""

from __future__ import annotations

import numpy as np
import pytest

from radar.staying.calibration import Platt, calibrated_fit, fit_platt
from radar.staying.evaluation import (
    contested,
    expected_calibration_error,
    paired_difference,
    reliability,
    versus_persistence,
)
from radar.staying.model import fit_staying
from radar.staying.signals import FEATURES


def test_a_score_that_ranks_better_than_the_baseline_has_an_interval_above_zero():
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 2, 300)
    good = truth + rng.normal(0, 0.5, 300)  # separates the outcomes well
    weak = truth + rng.normal(0, 3.0, 300)  # barely

    result = paired_difference(truth, good, weak)

    assert result["difference"] > 0.2
    assert result["ci"][0] > 0 and result["ci"][0] <= result["difference"] <= result["ci"][1]


def test_the_same_score_against_itself_differs_by_exactly_nothing():
    truth = [0, 1, 0, 1, 1, 0, 1, 0]
    score = [0.1, 0.9, 0.4, 0.6, 0.7, 0.2, 0.8, 0.3]

    assert paired_difference(truth, score, score)["ci"] == [0.0, 0.0]


def test_comparing_needs_both_outcomes():
    with pytest.raises(ValueError, match="both outcomes"):
        paired_difference([1, 1, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1])


def test_reliability_bins_show_what_share_lasted_at_each_predicted_level():
    truth = [0, 0, 0, 1, 1, 1, 1, 0]
    prob = [0.05, 0.1, 0.15, 0.9, 0.85, 0.95, 0.88, 0.92]

    rows = reliability(truth, prob)

    assert [(r["low"], r["n"]) for r in rows] == [(0.0, 1), (0.1, 2), (0.8, 2), (0.9, 3)]
    assert rows[-1]["observed"] == pytest.approx(2 / 3, abs=1e-3)
    assert expected_calibration_error([1, 0], [1.0, 0.0]) == 0.0


def test_contested_means_at_least_ten_items_in_the_half_year_before():
    assert contested([3, 10, 40, 9]) == [1, 2]


def test_versus_persistence_says_when_the_contested_subset_cannot_be_ranked():
    truth = [1, 0, 1, 0]
    result = versus_persistence(truth, [0.9, 0.1, 0.8, 0.2], [0.9, 0.1, 0.6, 0.1], [30, 2, 12, 1])

    assert result["contested"]["n"] == 2
    assert "one outcome only" in result["contested"]["note"]
    assert set(result["calibration"]) == {"brier", "ece"}


def test_platt_scaling_pulls_an_overconfident_score_towards_what_happened():
    rng = np.random.default_rng(2)
    raw = rng.uniform(0.05, 0.95, 2000)
    # What really happened: the raw score is overconfident (truth is much closer to 50/50).
    truth = (rng.uniform(size=2000) < 0.5 + (raw - 0.5) * 0.3).astype(int)

    platt = fit_platt(raw, truth)

    assert platt is not None and 0 < platt.a < 1
    calibrated = [platt(s) for s in raw]
    assert expected_calibration_error(truth, calibrated) < expected_calibration_error(truth, raw)
    assert np.all(np.diff([platt(s) for s in sorted(raw)]) >= 0)  # the order never changes


def test_too_few_outcomes_to_calibrate_leaves_the_score_as_it_was():
    assert fit_platt([0.2, 0.8, 0.6], [0, 1, 1]) is None
    assert Platt()(0.3) == pytest.approx(0.3)


def test_calibration_is_fitted_out_of_sample_and_the_scorecard_uses_every_outcome():
    rng = np.random.default_rng(3)
    samples, labels, weeks = [], [], []
    for week in range(0, 200, 2):
        for _ in range(4):
            lasting = int(rng.uniform() < 0.5)
            features = {f: float(rng.normal()) for f in FEATURES}
            features["persistence26"] = lasting + float(rng.normal(0, 0.5))
            samples.append(features)
            labels.append(lasting)
            weeks.append(week)

    model = calibrated_fit(samples, labels, weeks, 260, fit_staying)

    assert model.calibrated and model.kind == "trained"
    assert model.n_train == len(samples)  # calibrating costs the ranking nothing
    ranked = sorted(samples, key=lambda f: f["persistence26"])
    assert model.probability(ranked[0]) < model.probability(ranked[-1])
