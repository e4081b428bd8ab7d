"""Back-test the staying-power model honestly at a past date, beside two baselines.

Features come only from items (and series periods) dated up to the date; the model is trained
only on outcomes complete by then; the truth is what happened in the year after, by the one
definition of outcomes.py (adoption series holding half their level, else a staff verdict or
dated radar, else coverage). The same run scores the model with the series held neutral and
two baselines, persistence only and volume only, with bootstrap confidence intervals for
every metric.

The text model's staying reading of items is trained on wording (weak labels) and on staff
staying tags; a tag made after the date would be knowledge from the future, so when any
exists that signal is held neutral for the whole back-test, and the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import sqlite_utils
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from radar.errors import RadarError
from radar.staying.editions import model_for_week, staff_seeds
from radar.staying.evaluation import versus_persistence
from radar.staying.outcomes import BASES, HORIZON, active_sources, standard_a_year_on
from radar.staying.series_load import attach_series, load_tech_series
from radar.staying.series_signals import NEUTRAL
from radar.staying.signals import (
    MIN_MENTIONS_26,
    TechSeries,
    build_series,
    features_at,
    mentions_26,
)
from radar.staying.truth_tiers import auc_by_basis, within_tiers
from radar.staying.without_series import model_without_series
from radar.store.labels import staying_tags_after
from radar.store.weekly import load_weekly, week_label, week_monday, week_of
from radar.taxonomy.model import Taxonomy

BOOTSTRAP = 1000
TOP_K = 10
HISTORY_WEEKS = 26  # the signals read the 26 weeks before the date


def _metrics(truth: np.ndarray, score: np.ndarray) -> dict[str, float]:
    order = np.argsort(-score, kind="stable")[:TOP_K]
    return {
        "auc": float(roc_auc_score(truth, score)),
        "ap": float(average_precision_score(truth, score)),
        "brier": float(brier_score_loss(truth, np.clip(score, 0, 1))),
        "p_at_10": float(truth[order].mean()),
    }


def score_with_ci(truth: Sequence[int], score: Sequence[float], seed: int = 0) -> dict[str, Any]:
    """Metrics plus 95% percentile bootstrap intervals (resampling technologies)."""
    y, s = np.asarray(truth), np.asarray(score, dtype=float)
    point = _metrics(y, s)
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {k: [] for k in point}
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, len(y), len(y))
        if len(set(y[idx])) < 2:
            continue
        for key, value in _metrics(y[idx], s[idx]).items():
            draws[key].append(value)
    result: dict[str, Any] = {k: round(v, 4) for k, v in point.items()}
    for key, values in draws.items():
        low, high = np.percentile(values, [2.5, 97.5])
        result[f"{key}_ci"] = [round(float(low), 4), round(float(high), 4)]
    return result


def _neutral_text_signal(series: dict[str, TechSeries]) -> None:
    for s in series.values():
        s.text_staying = {week: 0.5 * n for week, n in s.counts.items()}


def usable_weeks(weeks: Sequence[int]) -> tuple[int, int] | None:
    """The first and last week a back-test can stand at: history before, a full year after.

    ``None`` when the store covers a year or less. The first week is the one with
    :data:`HISTORY_WEEKS` of history, or the store's first week when it is shorter.
    """
    first, last = min(weeks), max(weeks)
    latest = last - HORIZON
    if latest < first:
        return None
    return min(first + HISTORY_WEEKS, latest), latest


def coverage_hint(weeks: Sequence[int]) -> str:
    """What the store covers and which ``--at`` dates would work, for an error message."""
    first, last = min(weeks), max(weeks)
    span = (
        f"the store's items run from {week_monday(first)} ({week_label(first)}) to "
        f"{week_monday(last) + timedelta(days=6)} ({week_label(last)})"
    )
    usable = usable_weeks(weeks)
    if usable is None:
        return f"{span}; a back-test needs more than a year of items: import older history"
    return (
        f"{span}; use --at between {week_monday(usable[0])} and {week_monday(usable[1])}, "
        "or import older history (`radar import-archive`) for earlier dates"
    )


def backtest(
    db: sqlite_utils.Database, at: datetime, seeds: dict[str, tuple[int, int]] | None = None,
    taxonomy: Taxonomy | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Score every technology covered at ``at`` and compare with what happened after.

    With ``taxonomy``, the stored adoption and attention series join the signals (only periods
    over by ``at``) and the truth (the year after); the model is also scored with the series
    held neutral (``model_without_series``), trained on the same labels.
    """
    week = week_of(at)
    data = load_weekly(db)
    weeks = [w for w, _ in data.volume]
    if not weeks:
        raise RadarError("backtest: the store has no items yet; run `radar demo` or fetch first")
    if week < min(weeks):
        raise RadarError(
            f"backtest: {at.date()} ({week_label(week)}) is before the store's first item; "
            + coverage_hint(weeks)
        )
    if max(weeks) < week + HORIZON:
        raise RadarError(
            f"backtest: the store has no data a full year after {week_label(week)}; "
            + coverage_hint(weeks)
        )
    series = build_series(data)
    later_tags = staying_tags_after(db, at)
    if later_tags:
        _neutral_text_signal(series)
    active = active_sources(data)
    seeds = {**(seeds or {}), **staff_seeds(db)}
    # Features and training see only series periods over by the date; the truth reads the year
    # after it (series_load: one read of each; the signals pick periods by date).
    known = load_tech_series(db, taxonomy, until=at.date().isoformat()) if taxonomy else {}
    later = load_tech_series(db, taxonomy) if taxonomy else {}
    attach_series(series, known)
    model = model_for_week(series, data, week, seeds)
    blind = model_without_series(series, data, week, seeds)
    rows, censored = [], []
    for tech, s in sorted(series.items()):
        if mentions_26(s, week) < MIN_MENTIONS_26:
            continue
        features = features_at(s, week)
        truth_of = standard_a_year_on(
            replace(s, external=later.get(tech, ())), week, active, seeds.get(tech)
        )
        if not truth_of.known:
            censored.append(tech)
            continue
        rows.append((tech, truth_of, model.probability(features), features,
                     blind.probability({**features, **NEUTRAL})))  # fmt: skip
    truth = [r[1].label for r in rows]
    if not rows:
        raise RadarError(
            f"backtest: at {week_label(week)} no technology had {MIN_MENTIONS_26} mentions in "
            f"the {HISTORY_WEEKS} weeks before; " + coverage_hint(weeks)
        )
    if len(set(truth)) < 2:
        raise RadarError(
            f"backtest: at {week_label(week)} all {len(rows)} technologies had the same outcome,"
            " so there is nothing to rank; pick another date: " + coverage_hint(weeks)
        )
    volume = np.array([float(mentions_26(series[r[0]], week)) for r in rows])
    has_series = [r[3]["series_adoption"] for r in rows]
    scorers = {
        "model": [r[2] for r in rows], "model_without_series": [r[4] for r in rows],
        "persistence": [r[3]["persistence26"] for r in rows], "volume": list(volume),
        "series": has_series,
    }  # fmt: skip
    bases = [r[1].basis for r in rows]
    return {
        "at": at.date().isoformat(),
        "week": week_label(week),
        "n": len(rows),
        "positives": int(sum(truth)),
        "model_kind": model.kind,
        "model_trained_on": model.n_train,
        "text_signal": (
            f"held neutral: {later_tags} staff staying tags were made after the date"
            if later_tags
            else "used: no staff staying tag is newer than the date"
        ),
        "truth_basis": {b: sum(1 for r in rows if r[1].basis == b) for b in BASES},
        "with_series": sum(1 for r in rows if r[3]["series_adoption"]),
        "censored": censored,
        "by_basis": auc_by_basis(bases, truth, scorers),
        "within_tiers": within_tiers(bases, truth, scorers),
        "model": {
            **score_with_ci(truth, [r[2] for r in rows]),
            **versus_persistence(
                truth, [r[2] for r in rows], [r[3]["persistence26"] for r in rows], volume
            ),
        },
        "calibrated": model.calibrated,
        "model_without_series": score_with_ci(truth, [r[4] for r in rows]),
        "baselines": {
            "persistence": score_with_ci(truth, [r[3]["persistence26"] for r in rows]),
            "volume": score_with_ci(truth, list(volume / max(volume.max(), 1.0))),
            # "has an adoption series at the date": where the truth's tiers each hold one
            # outcome, this alone ranks perfectly, and so does any model that learned it
            "series": score_with_ci(truth, has_series),
        },
        "technologies": [
            {
                "tech": r[0],
                "outcome": r[1].label,
                "basis": r[1].basis,
                "score": round(r[2], 3),
                "score_without_series": round(r[4], 3),
            }
            for r in rows
        ],
    }
