"""Staying power: signals from weekly coverage, rings from score and evidence, reasons."""

from __future__ import annotations

import pytest

from radar.staying.model import fit_staying, prior_model
from radar.staying.outcomes import outcome
from radar.staying.reasons import explain_placement, render_reason
from radar.staying.rings import movement, place
from radar.staying.signals import build_series, evidence_at, features_at
from radar.store.weekly import WeeklyData

FEEDS = ("a", "b", "c", "d")


def _data(curves: dict[str, dict[int, int]], weeks: int = 120) -> WeeklyData:
    """Weekly data where each tech's count in a week is spread across the four feeds."""
    mentions = []
    for tech, curve in curves.items():
        for week, n in curve.items():
            for k in range(n):
                feed = FEEDS[k % len(FEEDS)]
                mentions.append((tech, week, feed, "ja" if k % 2 else "en", 1, 0, 0, 0.0, 0.5))
    volume = {(w, f): 50 for w in range(weeks) for f in FEEDS}
    first = {tech: min(c) for tech, c in curves.items() if c}
    return WeeklyData(mentions, {}, volume, first)


STEADY = {w: 4 for w in range(0, 120)}
SPIKE = {40: 30, 41: 12, 42: 3}
RISER = {w: 1 + w // 20 for w in range(20, 120)}


def test_steady_coverage_scores_higher_than_a_single_spike() -> None:
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    model = prior_model()
    steady = model.probability(features_at(series["steady"], 60))
    spike = model.probability(features_at(series["spike"], 60))
    assert steady > 0.7 > 0.3 > spike
    assert features_at(series["spike"], 60)["peak_share52"] > 0.5


def test_signals_use_only_weeks_up_to_the_edition() -> None:
    series = build_series(_data({"riser": RISER}))
    early = features_at(series["riser"], 50)
    series_cut = build_series(_data({"riser": {w: n for w, n in RISER.items() if w <= 50}}))
    assert features_at(series_cut["riser"], 50) == early


def test_outcome_is_coverage_a_year_later() -> None:
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    active = {w: len(FEEDS) for w in range(200)}
    assert outcome(series["steady"], 50, active) == 1
    assert outcome(series["spike"], 40, active) == 0


@pytest.mark.parametrize(
    ("p", "evidence", "ring"),
    [
        (0.9, {"items26": 40, "sources26": 4, "weeks26": 20}, "adopt"),
        (0.9, {"items26": 4, "sources26": 1, "weeks26": 2}, "assess"),  # little evidence
        (0.6, {"items26": 8, "sources26": 2, "weeks26": 5}, "trial"),
        (0.1, {"items26": 9, "sources26": 3, "weeks26": 4}, "hold"),
        (0.1, {"items26": 3, "sources26": 1, "weeks26": 2}, "assess"),
    ],
)
def test_rings_need_both_score_and_evidence(p: float, evidence: dict, ring: str) -> None:  # type: ignore[type-arg]
    assert place(p, evidence) == ring


def test_movement_against_the_previous_edition() -> None:
    assert movement(None, "trial") == "new"
    assert movement("assess", "trial") == "moved in"
    assert movement("trial", "hold") == "moved out"
    assert movement("adopt", "adopt") == "unchanged"


def test_reasons_are_bilingual_and_name_the_evidence() -> None:
    series = build_series(_data({"steady": STEADY}))
    model = prior_model()
    features = features_at(series["steady"], 60)
    reasons = explain_placement(features, evidence_at(series["steady"], 60), model.points(features))
    persistence = next(r for r in reasons if r["code"] == "persistence")
    assert render_reason(persistence, "ja") == "過去26週のうち26週で言及"
    assert render_reason(persistence, "en") == "Mentioned in 26 of the last 26 weeks"
    assert any(r["code"] == "sources" and "4" in render_reason(r, "ja") for r in reasons)


def test_trained_scorecard_learns_from_labels_and_falls_back_without_them() -> None:
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    good, bad = features_at(series["steady"], 60), features_at(series["spike"], 45)
    model = fit_staying([good] * 15 + [bad] * 15, [1] * 15 + [0] * 15)
    assert model.kind == "trained" and model.probability(good) > model.probability(bad)
    assert fit_staying([good], [1]).kind == "prior"


def test_text_staying_signal_is_the_mean_reading_of_the_items() -> None:
    volume = {(w, f): 50 for w in range(60) for f in FEEDS}
    mentions = [("calm", w, "a", "ja", 2, 0, 0, 0.0, 1.8) for w in range(30, 50)]
    mentions += [("loud", w, "a", "en", 2, 0, 0, 0.0, 0.2) for w in range(30, 50)]
    series = build_series(WeeklyData(mentions, {}, volume, {"calm": 30, "loud": 30}))
    assert features_at(series["calm"], 49)["text_staying26"] == pytest.approx(0.9)
    assert features_at(series["loud"], 49)["text_staying26"] == pytest.approx(0.1)
    assert features_at(series["calm"], 20)["text_staying26"] == 0.5  # no items yet: neutral


def test_a_clear_text_reading_becomes_a_reason_in_both_languages() -> None:
    volume = {(w, f): 50 for w in range(60) for f in FEEDS}
    mentions = [("calm", w, "a", "ja", 2, 0, 0, 0.0, 1.7) for w in range(30, 50)]
    mentions += [("loud", w, "a", "en", 2, 0, 0, 0.0, 0.3) for w in range(30, 50)]
    series = build_series(WeeklyData(mentions, {}, volume, {"calm": 30, "loud": 30}))
    model = prior_model()

    def codes(tech: str) -> dict[str, dict]:
        features = features_at(series[tech], 49)
        found = explain_placement(features, evidence_at(series[tech], 49), model.points(features))
        return {r["code"]: r for r in found}

    calm, loud = codes("calm"), codes("loud")
    standard, fad = calm["text-standard"], loud["text-fad"]
    assert "文章モデル85%" in render_reason(standard, "ja") and standard["points"] > 0
    assert "passing fad (text model 15%)" in render_reason(fad, "en")
    assert loud["text-fad"]["points"] < 0
