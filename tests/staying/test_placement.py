"""Staying power: signals from weekly coverage, rings from score and evidence, reasons."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from radar.staying.model import REGULARISATION, _fit_logistic, fit_staying, prior_model
from radar.staying.outcomes import outcome
from radar.staying.reasons import explain_placement, render_reason
from radar.staying.rings import (
    cap_for_kind,
    declined,
    is_thin,
    movement,
    place,
    stance,
    with_stances,
)
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


def _ev(items: int, sources: int, weeks: int, then: float = 0.0, now: float = 0.0) -> dict:  # type: ignore[type-arg]
    return {"items26": items, "sources26": sources, "weeks26": weeks, "then26": then,
            "now26": now, "continuing": sources}  # fmt: skip


@pytest.mark.parametrize(
    ("p", "evidence", "kind", "ring", "thin"),
    [
        # Adopt needs a high score and broad, lasting evidence.
        (0.9, _ev(40, 4, 20), "technology", "adopt", False),
        (0.9, _ev(4, 1, 2), "technology", "assess", True),  # high score, thin evidence
        (0.6, _ev(8, 2, 5), "technology", "trial", False),
        # Adopt wants 3 sources, or every source there is (at least 2) when fewer publish.
        (0.9, {**_ev(40, 2, 20), "active26": 2}, "technology", "adopt", False),
        (0.9, {**_ev(40, 2, 20), "active26": 6}, "technology", "trial", False),
        (0.9, {**_ev(40, 1, 20), "active26": 1}, "technology", "assess", True),  # one voice
        # Scarce evidence is not decline: few items and a low score is "too thin", not Hold.
        (0.1, _ev(5, 1, 3), "technology", "assess", True),
        (0.1, _ev(3, 1, 2), "technology", "assess", True),
        # Plenty of evidence, low score, but no fall from an earlier level: Assess, not Hold.
        (0.1, _ev(30, 3, 12, then=28, now=30), "technology", "assess", False),
        # A real decline: 40 items a half-year once, 8 now, in sources still publishing.
        (0.1, _ev(8, 2, 5, then=40, now=8), "technology", "hold", False),
        (0.3, _ev(3, 1, 2, then=40, now=3), "technology", "hold", False),  # thin now, yet fell
        # A fall from a level that was never real is not evidence of decline.
        (0.1, _ev(2, 1, 2, then=6, now=2), "technology", "assess", True),
        # Threats and policies are tracked, never adopted.
        (0.95, _ev(80, 5, 26), "threat", "trial", False),
        (0.95, _ev(80, 5, 26), "policy", "trial", False),
        (0.95, _ev(80, 5, 26), "product", "adopt", False),
        (0.1, _ev(8, 2, 5, then=40, now=8), "threat", "hold", False),
    ],
)
def test_placement_follows_score_evidence_and_kind(
    p: float, evidence: dict, kind: str, ring: str, thin: bool,  # type: ignore[type-arg]
) -> None:  # fmt: skip
    placed = place(p, evidence, kind)
    assert placed == ring
    assert (placed == "assess" and is_thin(evidence)) == thin


def test_a_threat_override_to_adopt_is_capped() -> None:
    assert cap_for_kind("adopt", "threat") == "trial"
    assert cap_for_kind("adopt", "policy") == "trial"
    assert cap_for_kind("adopt", "practice") == "adopt"


@pytest.mark.parametrize(
    ("reason", "ring", "expected"),
    [
        ({"code": "text-standard", "points": 3.0}, "hold", "against"),
        ({"code": "text-standard", "points": 3.0}, "adopt", "for"),
        ({"code": "spike", "points": -5.0}, "hold", "for"),
        ({"code": "spike", "points": -5.0}, "trial", "against"),
        ({"code": "persistence", "points": -8.0}, "assess", "against"),
        ({"code": "persistence", "points": 8.0}, "hold", "against"),
        ({"code": "thin", "points": 0.0}, "assess", "note"),
    ],
)
def test_a_reason_is_for_or_against_its_own_placement(
    reason: dict, ring: str, expected: str,  # type: ignore[type-arg]
) -> None:  # fmt: skip
    assert stance(reason, ring) == expected


def test_decline_is_measured_in_sources_that_still_publish() -> None:
    """An archive that stops is not a decline; a fall inside a continuing source is."""
    mentions = [("k8s", w, "hn", "en", 3, 0, 0, 0.0, 0.5) for w in range(0, 60)]
    mentions += [("k8s", w, "gh", "en", 1, 0, 0, 0.0, 0.5) for w in range(0, 120, 8)]
    mentions += [("fad", w, "gh", "en", 4, 0, 0, 0.0, 0.5) for w in range(40, 80)]
    mentions += [("fad", w, "gh", "en", 1, 0, 0, 0.0, 0.5) for w in range(100, 120, 6)]
    volume = {(w, "hn"): 50 for w in range(0, 60)} | {(w, "gh"): 50 for w in range(120)}
    series = build_series(WeeklyData(mentions, {}, volume, {"k8s": 0, "fad": 40}))
    k8s, fad = evidence_at(series["k8s"], 119), evidence_at(series["fad"], 119)
    assert not declined(k8s) and is_thin(k8s)  # hn stopped publishing at week 60
    assert k8s["source_names"] == ["gh"]
    assert declined(fad) and fad["then26"] >= 40 > fad["now26"]


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


def test_a_contested_placement_leads_with_what_holds_it_back() -> None:
    reasons = [
        {"code": "hold-decline", "points": 0.0, "en": "Coverage fell", "ja": "減少"},
        {"code": "persistence", "points": 12.0, "en": "Steady", "ja": "継続"},
        {"code": "staff", "points": 0.0, "en": "Staff decision", "ja": "職員の判断"},
    ]
    marked = with_stances(reasons, "assess")
    assert [(r["code"], r["stance"]) for r in marked] == [
        ("staff", "note"), ("hold-decline", "against"), ("persistence", "for"),
    ]  # fmt: skip
    assert with_stances(reasons, "hold")[1]["stance"] == "for"


def test_the_scorecard_learns_within_each_tier_of_evidence_what_tells_fates_apart() -> None:
    """Labels from adoption series are nearly all "standard", labels from coverage mostly not.

    The tier explains most labels, so fitted naively it swallows the signals that matter
    within it (a falling adoption trend among technologies with a series, steady coverage
    among those without). With the tier as its own intercept, the weights are learnt within
    tiers (``series_adoption`` carries no weight of its own there), and a technology is placed
    by the tier it is judged in now.
    """
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    steady, spike = features_at(series["steady"], 60), features_at(series["spike"], 45)
    holding = {**spike, "series_adoption": 1.0, "adoption_drop_peak": 0.05}
    fallen = {**spike, "series_adoption": 1.0, "adoption_drop_peak": 0.7}
    samples = [holding] * 50 + [fallen] * 10 + [steady] * 12 + [spike] * 40
    labels = [1] * 50 + [0] * 10 + [1] * 12 + [0] * 40
    strata = ["adoption"] * 60 + ["coverage"] * 52

    model = fit_staying(samples, labels, strata=strata)

    assert model.probability(holding) > model.probability(fallen)
    assert model.probability(steady) > model.probability(spike)
    # the tier it is judged in now: with a real adoption level, the adoption tier's base rate
    assert model.probability(holding) > model.probability({**holding, "series_adoption": 0.0})


def test_climbing_adoption_is_not_read_as_lasting_by_the_trained_scorecard() -> None:
    """The adoption tier's label is the series' next-year level against its last-year level,
    so a series' own momentum predicts it: fitted, the 12-month adoption trend ranked hyped
    technologies whose questions were still climbing (blockchain in 2016) above quiet
    standards. Even where the labels reward climbing, the trained scorecard gives it nothing."""
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    steady, spike = features_at(series["steady"], 60), features_at(series["spike"], 45)
    climbing = {**steady, "series_adoption": 1.0, "adoption_trend12": 0.9}
    flat = {**steady, "series_adoption": 1.0, "adoption_trend12": -0.2}
    samples = [climbing] * 50 + [flat] * 20 + [steady] * 12 + [spike] * 40
    labels = [1] * 50 + [0] * 20 + [1] * 12 + [0] * 40
    strata = ["adoption"] * 70 + ["coverage"] * 52

    model = fit_staying(samples, labels, strata=strata)

    assert model.weights["adoption_trend12"] == 0.0
    assert model.probability(climbing) == pytest.approx(model.probability(flat))
    assert model.points(climbing)["adoption_trend12"] == 0.0


def test_lasting_coverage_is_judged_in_the_sources_that_covered_it() -> None:
    """A source that never covered a technology (a code-trending list for 5G) cannot show
    that it lasted: one continuing source that did cover it decides."""
    volume = {(w, f): 50 for w in range(120) for f in ("news", "trending")}
    mentions = [("5g", w, "news", "en", 1, 0, 0, 0.0, 0.5) for w in range(0, 120)]
    mentions += [
        ("repo", w, f, "en", 1, 0, 0, 0.0, 0.5) for w in range(0, 40) for f in ("news", "trending")
    ]
    mentions += [("repo", w, "news", "en", 1, 0, 0, 0.0, 0.5) for w in range(40, 120)]
    series = build_series(WeeklyData(mentions, {}, volume, {"5g": 0, "repo": 0}))
    active = {w: 2 for w in range(120)}

    assert outcome(series["5g"], 60, active) == 1
    # covered by both before, by one of them a year on: not still covered by two
    assert outcome(series["repo"], 30, active) == 0


def test_a_signal_staff_read_as_lasting_never_counts_against_in_a_trained_scorecard() -> None:
    """Covered in both languages is a sign of lasting; labels where the few bilingual
    technologies happened to fade leave it at zero points, not at minus (and listed as 'for')."""
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    steady, spike = features_at(series["steady"], 60), features_at(series["spike"], 45)
    steady, spike = {**steady, "bilingual26": 0.0}, {**spike, "bilingual26": 0.0}
    faded_bilingual = {**spike, "bilingual26": 1.0}
    samples = [steady] * 30 + [spike] * 27 + [faded_bilingual] * 3
    labels = [1] * 30 + [0] * 30

    model = fit_staying(samples, labels)

    assert model.weights["bilingual26"] >= 0.0
    assert model.points(faded_bilingual)["bilingual26"] >= 0.0
    assert model.probability(steady) > model.probability(spike)


def test_the_bounded_fit_is_scikit_learns_logistic_regression_when_no_bound_binds() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x @ np.array([1.5, -1.0, 0.0]) + rng.normal(size=200) > 0).astype(float)
    reference = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(x, y)

    weights, intercept = _fit_logistic(x, y, [(None, None)] * 3)

    assert weights == pytest.approx(reference.coef_[0], abs=1e-4)
    assert intercept == pytest.approx(reference.intercept_[0], abs=1e-4)


def test_a_reason_worded_as_lasting_shows_no_negative_points_below_the_average() -> None:
    """A text reading of 60% "standard" is above neutral though below the labels' average."""
    series = build_series(_data({"steady": STEADY, "spike": SPIKE}))
    steady, spike = features_at(series["steady"], 60), features_at(series["spike"], 45)
    samples = [{**steady, "text_staying26": 0.95}] * 30 + [{**spike, "text_staying26": 0.35}] * 30
    model = fit_staying(samples, [1] * 30 + [0] * 30)
    assert model.means["text_staying26"] > 0.6 and model.weights["text_staying26"] > 0

    mild = {**spike, "text_staying26": 0.6}

    assert model.points(mild)["text_staying26"] > 0
    assert model.points({**spike, "text_staying26": 0.4})["text_staying26"] < 0
