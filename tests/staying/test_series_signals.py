"""Adoption and attention series in the staying-power judgment: signals, reasons, rings, outcome.

Small hand-made series (no outside data): a standard whose job postings keep growing, a fad
whose questions collapse after a peak, a technology talked about more and used no more.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from radar.records import SeriesPoint
from radar.staying.model import prior_model
from radar.staying.outcomes import standard_a_year_on
from radar.staying.reasons import render_reason
from radar.staying.rings import is_thin, place, with_stances
from radar.staying.series_signals import (
    NEUTRAL,
    adoption_outcome,
    group_points,
    series_evidence,
    series_features,
    series_reasons,
)
from radar.staying.signals import build_series, evidence_at, features_at
from radar.store.weekly import EPOCH_MONDAY, WeeklyData

JOBS = "hn_whoishiring_postings"
SO = "stackoverflow_questions_by_tag_year"
PUSH, PULLS = "githut_gh_push_event", "githut_gh_pull_request"
PYPL = "pypl_pypl_worldwide_share"


def _monthly(source: str, first_year: int, shares: list[float], total: float = 1000) -> list:  # type: ignore[type-arg]
    """One point a month from January of ``first_year``, one share per month."""
    points = []
    for i, share in enumerate(shares):
        year, month = first_year + i // 12, i % 12 + 1
        period = f"{year}-{month:02d}"
        end = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        points.append(
            SeriesPoint(source, "x", period, date.fromordinal(end).isoformat(),
                        share * total, total, share)
        )  # fmt: skip
    return points


def _yearly(source: str, counts: dict[int, float], total: float = 100_000) -> list:  # type: ignore[type-arg]
    return [
        SeriesPoint(source, "x", str(y), f"{y}-12-31", n, total, n / total)
        for y, n in counts.items()
    ]


# Job postings naming it: 2% growing to 8% of postings over 2012-2016, steady after.
GROWING_JOBS = _monthly(JOBS, 2012, [0.02 + 0.001 * i for i in range(60)] + [0.08] * 36)
# Stack Overflow questions: a 2014 peak, then a fall to 60% and lower.
FALLING_SO = _yearly(SO, {2012: 2000, 2013: 4000, 2014: 5000, 2015: 4000, 2016: 3000,
                          2017: 1500, 2018: 500})  # fmt: skip


def test_reasons_name_years_of_growth_and_the_fall_from_a_peak_in_both_languages() -> None:
    rising = series_reasons(group_points(GROWING_JOBS), date(2016, 12, 31))
    assert [r["code"] for r in rising] == ["series-rising"]
    assert render_reason(rising[0], "ja") == "求人での言及が4年連続で増加"
    assert render_reason(rising[0], "en") == "job postings naming it up 4 years in a row"

    fell = series_reasons(group_points(FALLING_SO), date(2016, 12, 31))
    assert render_reason(fell[0], "en") == "Stack Overflow questions fell 40% from their 2014 peak"
    assert render_reason(fell[0], "ja") == "Stack Overflowの質問数が2014年のピークから40%減少"


def test_a_reason_is_for_or_against_the_placement_it_is_listed_under() -> None:
    rising = series_reasons(group_points(GROWING_JOBS), date(2016, 12, 31))
    fell = series_reasons(group_points(FALLING_SO), date(2016, 12, 31))
    assert [r["stance"] for r in with_stances(rising + fell, "trial")] == ["for", "against"]
    assert [r["stance"] for r in with_stances(rising + fell, "hold")] == ["against", "for"]


def test_signals_see_only_periods_over_by_the_date() -> None:
    day = date(2015, 6, 30)
    cut = [p for p in GROWING_JOBS + FALLING_SO if p.period_end <= day.isoformat()]
    assert series_features(group_points(GROWING_JOBS + FALLING_SO), day) == series_features(
        group_points(cut), day
    )
    # The yearly 2015 value is not over on 2015-06-30: the fall since 2014 is not seen yet.
    assert series_features(group_points(FALLING_SO), day)["adoption_drop_peak"] == 0.0
    assert series_features(group_points(FALLING_SO), date(2016, 1, 1))["adoption_drop_peak"] > 0.1


def test_shares_not_counts_so_a_growing_platform_is_not_growth() -> None:
    # Postings double every year while the technology's share stays at 5%.
    points = _monthly(JOBS, 2012, [0.05] * 12, 500) + _monthly(JOBS, 2013, [0.05] * 12, 1000)
    features = series_features(group_points(points), date(2013, 12, 31))
    assert features["series_adoption"] == 1.0
    assert abs(features["adoption_trend12"]) < 1e-9


def test_attention_growing_while_adoption_does_not_is_a_gap() -> None:
    attention = _monthly(PYPL, 2014, [0.01] * 12 + [0.03] * 12)
    adoption = _monthly(JOBS, 2014, [0.04] * 24)
    external = group_points(attention + adoption)
    features = series_features(external, date(2015, 12, 31))
    assert features["attention_gap12"] > 1.0
    gap = [r for r in series_reasons(external, date(2015, 12, 31)) if r["code"] == "attention-gap"]
    assert render_reason(gap[0], "en").startswith("Attention (tutorial searches (PYPL)) up 200%")


def test_no_series_is_neutral_not_a_decline() -> None:
    assert series_features((), date(2016, 1, 1)) == NEUTRAL
    # Only attention, or an adoption level too small to count, is no adoption evidence either.
    assert (
        series_features(group_points(_monthly(PYPL, 2014, [0.02] * 24)), date(2015, 12, 31))[
            "series_adoption"
        ]
        == 0.0
    )
    tiny = _monthly(JOBS, 2014, [0.001] * 24, total=500)  # half a posting a month
    assert series_features(group_points(tiny), date(2015, 12, 31)) == NEUTRAL
    assert series_evidence((), date(2016, 1, 1))["series_declined"] is False


def test_one_platform_is_one_source() -> None:
    pushes = [replace(p, source=PUSH) for p in _monthly(JOBS, 2014, [0.05] * 24)]
    pulls = [replace(p, source=PULLS) for p in _monthly(JOBS, 2014, [0.05] * 24)]
    evidence = series_evidence(group_points(pushes + pulls + GROWING_JOBS), date(2015, 12, 31))
    assert evidence["series_sources"] == 2  # GitHub (pushes and pulls) and job postings


def test_outcome_is_adoption_holding_half_its_level_a_year_on() -> None:
    assert adoption_outcome(group_points(GROWING_JOBS), date(2015, 6, 30)) == 1
    # 2016 level 3000; 2017 level 1500 holds exactly half: still a standard.
    assert adoption_outcome(group_points(FALLING_SO), date(2017, 6, 30)) == 1
    # 2017 level 1500; 2018 level 500: a collapse.
    assert adoption_outcome(group_points(FALLING_SO), date(2018, 6, 30)) == 0
    # No adoption level at the date (the series starts later): this tier cannot judge.
    assert adoption_outcome(group_points(GROWING_JOBS), date(2010, 6, 30)) is None


# --- the headline side: weekly coverage by one source only, as after the archives end ---


def _week(day: date) -> int:
    return (day - EPOCH_MONDAY).days // 7


def _one_source(tech: str, first: int, last: int, per_week: int = 2) -> WeeklyData:
    mentions = [
        (tech, w, "only-feed", "en", per_week, 0, 0, 0.0, 0.5) for w in range(first, last + 1)
    ]
    volume = {(w, "only-feed"): 100 for w in range(first, last + 60)}
    return WeeklyData(mentions, {}, volume, {tech: first})


def test_strong_adoption_series_lift_a_one_source_technology_out_of_assess() -> None:
    week = _week(date(2016, 12, 31))
    s = build_series(_one_source("k8s", week - 60, week))["k8s"]
    bare = evidence_at(s, week)
    assert place(0.7, bare) == "assess"  # one headline source: Trial needs two
    s.external = group_points(GROWING_JOBS)
    evidence = evidence_at(s, week)
    assert evidence["series_sources"] == 1
    assert place(0.7, evidence) == "trial"
    assert not is_thin(evidence)


def test_collapsing_adoption_is_decline_evidence_and_thin_is_never_hold() -> None:
    week = _week(date(2018, 12, 31))
    s = build_series(_one_source("fad", week - 60, week))["fad"]
    s.external = group_points(FALLING_SO)  # 1500 in 2017 -> 500 in 2018
    evidence = evidence_at(s, week)
    assert evidence["series_declined"]
    assert place(0.3, evidence) == "hold"
    assert place(0.7, evidence) == "assess"  # falling adoption never reads as Trial
    thin = build_series(_one_source("new", week - 2, week, per_week=1))["new"]
    assert is_thin(evidence_at(thin, week))
    assert place(0.1, evidence_at(thin, week)) == "assess"


def test_a_technology_without_series_scores_as_before() -> None:
    week = _week(date(2016, 12, 31))
    s = build_series(_one_source("plain", week - 60, week))["plain"]
    features = features_at(s, week)
    assert {k: features[k] for k in NEUTRAL} == NEUTRAL
    model = prior_model()
    with_jobs = replace(s, external=group_points(GROWING_JOBS))
    assert model.probability(features_at(with_jobs, week)) > model.probability(features)


def test_outcome_order_of_trust_adoption_then_seed_then_coverage() -> None:
    week = _week(date(2015, 6, 30))
    s = build_series(_one_source("t", week - 30, week + 60))["t"]
    active = {w: 1 for w in range(week - 30, week + 120)}
    assert standard_a_year_on(s, week, active).basis == "coverage"
    assert standard_a_year_on(s, week, active).label == 1
    seed = (0, week + 20)  # a dated radar put it in Hold within the year
    assert standard_a_year_on(s, week, active, seed).basis == "seed"
    assert standard_a_year_on(s, week, active, seed).label == 0
    assert standard_a_year_on(s, week, active, (0, week + 80)).basis == "coverage"  # too late
    s.external = group_points(GROWING_JOBS)
    judged = standard_a_year_on(s, week, active, seed)
    assert (judged.label, judged.basis) == (1, "adoption")
